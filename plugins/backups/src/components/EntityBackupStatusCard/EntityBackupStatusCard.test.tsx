import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { backupsApiRef } from '../../api';
import {
  createTestBackupsClient,
  serveBackupsApi,
} from '../../__testUtils__/backupsServer';
import { ordersEntity, paymentsEntity } from '../../__testUtils__/fixtures';
import { entityStatus } from '../../__testUtils__/statusFixtures';
import { drillSummary } from '../../__testUtils__/drillFixtures';
import { EntityBackupStatusCard } from './EntityBackupStatusCard';

const server = setupServer();
registerMswTestHooks(server);

function renderCard(entity = ordersEntity) {
  return renderInTestApp(
    <TestApiProvider apis={[[backupsApiRef, createTestBackupsClient()]]}>
      <EntityProvider entity={entity}>
        <EntityBackupStatusCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityBackupStatusCard', () => {
  it('shows the state, the newest good backup and the RPO', async () => {
    serveBackupsApi(server, {
      status: {
        body: entityStatus('at-risk', {
          reasons: ['At risk: a backup is overdue, empty or off target.'],
        }),
      },
    });
    await renderCard();
    expect(
      await screen.findByText(
        'At risk: a backup is overdue, empty or off target.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('At risk')).toBeInTheDocument();
    expect(
      screen.getByText(/^Newest good backup: 40 min( \d+ s)? ago$/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('RPO: 10 min achieved, target 1h'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('group', { name: 'Last drill' })).getByText(
        'No drill yet',
      ),
    ).toBeInTheDocument();
  });

  it('shows the last drill: its verdict, when, the RTO against the target and the step that failed', async () => {
    serveBackupsApi(server, {
      status: {
        body: entityStatus('protected', { lastDrill: drillSummary() }),
      },
    });
    await renderCard();
    const lastDrill = await screen.findByRole('group', { name: 'Last drill' });
    expect(within(lastDrill).getByText('Failed')).toBeInTheDocument();
    expect(within(lastDrill).getByText('2 d ago')).toBeInTheDocument();
    expect(within(lastDrill).getByText('RTO – / 30 min')).toBeInTheDocument();
    expect(
      within(lastDrill).getByText(
        'Failed at: Velero restores the newest good backup',
      ),
    ).toBeInTheDocument();
  });

  it('shows a passed last drill with the RTO it achieved', async () => {
    serveBackupsApi(server, {
      status: {
        body: entityStatus('protected', {
          lastDrill: drillSummary({
            state: 'passed',
            achievedRtoMs: 12 * 60_000,
            failedStep: undefined,
            failedStepTitle: undefined,
          }),
        }),
      },
    });
    await renderCard();
    const lastDrill = await screen.findByRole('group', { name: 'Last drill' });
    expect(within(lastDrill).getByText('Passed')).toBeInTheDocument();
    expect(
      within(lastDrill).getByText('RTO 12 min / 30 min'),
    ).toBeInTheDocument();
    expect(within(lastDrill).queryByText(/Failed at/)).not.toBeInTheDocument();
  });

  it('says how to opt in, without asking the backend, for an entity that has not', async () => {
    const { requests } = serveBackupsApi(server, {});
    await renderCard(paymentsEntity);
    expect(
      await screen.findByText(/Not backed up: add the annotation/),
    ).toBeInTheDocument();
    expect(requests).toEqual([]);
  });
});
