import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { OverviewRow } from '@backups-for-backstage/plugin-backups-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { backupsApiRef } from '../../api';
import {
  createTestBackupsClient,
  serveBackupsApi,
} from '../../__testUtils__/backupsServer';
import { ago } from '../../__testUtils__/statusFixtures';
import { drillSummary } from '../../__testUtils__/drillFixtures';
import { BackupsPage } from './BackupsPage';

const server = setupServer();
registerMswTestHooks(server);

const ROWS: OverviewRow[] = [
  {
    entityRef: 'component:default/orders',
    owner: 'group:default/team-a',
    policy: 'gold',
    state: 'failing',
    summary: 'Failing: backups of a layer fail one after the other.',
    newestGood: { database: ago(45 * 60_000) },
    rpo: { target: '1h', targetMs: 3_600_000, achievedMs: 45 * 60_000 },
    lastDrill: drillSummary(),
  },
  {
    entityRef: 'component:default/payments',
    owner: 'group:default/team-b',
    policy: 'silver',
    state: 'protected',
    summary: 'Protected.',
    newestGood: { velero: ago(5 * 60_000) },
    lastDrill: drillSummary({
      id: 'eeee5678',
      state: 'passed',
      requestedAt: ago(3 * 60 * 60_000 + 12 * 60_000),
      finishedAt: ago(3 * 60 * 60_000),
      achievedRtoMs: 12 * 60_000,
      failedStep: undefined,
      failedStepTitle: undefined,
    }),
  },
  {
    entityRef: 'component:default/search',
    owner: 'group:default/team-b',
    policy: 'gold',
    state: 'protected',
    summary: 'Protected.',
    newestGood: { velero: ago(5 * 60_000) },
  },
];

function page(items: OverviewRow[]) {
  return {
    items,
    totalCount: items.length,
    offset: 0,
    limit: 1000,
    stateCounts: {
      failing: items.filter(row => row.state === 'failing').length,
      protected: items.filter(row => row.state === 'protected').length,
    },
  };
}

function renderPage() {
  return renderInTestApp(
    <TestApiProvider apis={[[backupsApiRef, createTestBackupsClient()]]}>
      <BackupsPage />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('BackupsPage', () => {
  it('lists the fleet, worst first, each row linking to the Backups tab of its entity', async () => {
    serveBackupsApi(server, { overview: { body: page(ROWS) } });
    await renderPage();
    expect(
      await screen.findByText('3 opted-in entities: 2 protected, 1 failing'),
    ).toBeInTheDocument();
    const link = screen.getByRole('link', { name: 'orders' });
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/component/orders/backups',
    );
    expect(
      screen.getByText('Failing: backups of a layer fail one after the other.'),
    ).toBeInTheDocument();
    expect(screen.getByText('45 min / 1h')).toBeInTheDocument();
  });

  it('shows the last drill of each row, sorts the fleet by its verdict and finds rows by it', async () => {
    serveBackupsApi(server, { overview: { body: page(ROWS) } });
    await renderPage();
    const rowOf = (name: string) =>
      screen.getByRole('link', { name }).closest('tr')!;
    await screen.findByRole('link', { name: 'orders' });
    const orders = within(rowOf('orders'));
    expect(orders.getByText('Failed')).toBeInTheDocument();
    expect(orders.getByText('2 d ago')).toBeInTheDocument();
    expect(orders.getByText('RTO – / 30 min')).toBeInTheDocument();
    expect(
      orders.getByText('Failed at: Velero restores the newest good backup'),
    ).toBeInTheDocument();
    const payments = within(rowOf('payments'));
    expect(payments.getByText('Passed')).toBeInTheDocument();
    expect(payments.getByText('3 h ago')).toBeInTheDocument();
    expect(payments.getByText('RTO 12 min / 30 min')).toBeInTheDocument();
    expect(
      within(rowOf('search')).getByText('No drill yet'),
    ).toBeInTheDocument();

    const entityOrder = () =>
      screen
        .getAllByRole('link')
        .map(link => link.textContent)
        .filter(name => ['orders', 'payments', 'search'].includes(name!));
    fireEvent.click(screen.getByText('Last drill'));
    await waitFor(() =>
      expect(entityOrder()).toEqual(['payments', 'orders', 'search']),
    );
    fireEvent.click(screen.getByText('Last drill'));
    await waitFor(() =>
      expect(entityOrder()).toEqual(['search', 'orders', 'payments']),
    );

    fireEvent.change(screen.getByPlaceholderText('Filter'), {
      target: { value: 'velero restores' },
    });
    await waitFor(() => expect(entityOrder()).toEqual(['orders']));
  });

  it('filters by owner through the backend', async () => {
    const { requests } = serveBackupsApi(server, {
      overview: request => ({
        body: page(
          ROWS.filter(
            row =>
              !request.url.searchParams.get('owner') ||
              row.owner === request.url.searchParams.get('owner'),
          ),
        ),
      }),
    });
    await renderPage();
    await screen.findByRole('link', { name: 'payments' });
    const ownerSelect = screen
      .getAllByRole('button', { name: /Owner/ })
      .find(element => element.id === 'backups-filter-owner')!;
    fireEvent.mouseDown(ownerSelect);
    fireEvent.click(
      within(await screen.findByRole('listbox')).getByText(
        'group:default/team-b',
      ),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('link', { name: 'orders' }),
      ).not.toBeInTheDocument(),
    );
    expect(screen.getByRole('link', { name: 'payments' })).toBeInTheDocument();
    expect(
      requests.map(request => request.url.searchParams.get('owner')),
    ).toContain('group:default/team-b');
  });
});
