import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { backupsApiRef } from '../../api';
import {
  createTestBackupsClient,
  serveBackupsApi,
} from '../../__testUtils__/backupsServer';
import { ordersEntity, paymentsEntity } from '../../__testUtils__/fixtures';
import { entityStatus } from '../../__testUtils__/statusFixtures';
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
