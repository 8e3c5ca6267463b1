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
  },
  {
    entityRef: 'component:default/payments',
    owner: 'group:default/team-b',
    policy: 'silver',
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
    stateCounts: { failing: 1, protected: 1 },
  };
}

describe('BackupsPage', () => {
  it('lists the fleet, worst first, each row linking to the Backups tab of its entity', async () => {
    serveBackupsApi(server, { overview: { body: page(ROWS) } });
    await renderInTestApp(
      <TestApiProvider apis={[[backupsApiRef, createTestBackupsClient()]]}>
        <BackupsPage />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByText('2 opted-in entities: 1 protected, 1 failing'),
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
    await renderInTestApp(
      <TestApiProvider apis={[[backupsApiRef, createTestBackupsClient()]]}>
        <BackupsPage />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
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
