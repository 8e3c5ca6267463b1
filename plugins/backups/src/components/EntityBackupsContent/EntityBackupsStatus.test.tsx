import { permissionApiRef } from '@backstage/plugin-permission-react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { ComplianceState } from '@backups-for-backstage/plugin-backups-common';
import { fireEvent, screen, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { backupsApiRef } from '../../api';
import {
  createTestBackupsClient,
  serveBackupsApi,
} from '../../__testUtils__/backupsServer';
import { intentOf, ordersEntity } from '../../__testUtils__/fixtures';
import {
  ago,
  entityStatus,
  layerStatus,
  restorePoint,
  restorePointList,
} from '../../__testUtils__/statusFixtures';
import { EntityBackupsContent } from './EntityBackupsContent';

const server = setupServer();
registerMswTestHooks(server);

async function renderTab() {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [backupsApiRef, createTestBackupsClient()],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      <EntityProvider entity={ordersEntity}>
        <EntityBackupsContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

function layerPanel(layer: string) {
  return screen.getByTestId(`layer-status-${layer}-prod-eu`);
}

describe('the Backups tab answers "is it protected?"', () => {
  it.each<[ComplianceState, string]>([
    ['protected', 'Protected'],
    ['at-risk', 'At risk'],
    ['unprotected', 'Unprotected'],
    ['failing', 'Failing'],
  ])(
    'shows a %s entity with its state and the reason first',
    async (state, label) => {
      serveBackupsApi(server, {
        intent: { body: intentOf(ordersEntity) },
        status: {
          body: entityStatus(state, {
            reasons: [
              `The summary sentence of ${state}.`,
              'A detail to act on.',
            ],
          }),
        },
        restorePoints: { body: restorePointList([]) },
      });
      await renderTab();
      expect(await screen.findByTestId('compliance-reason')).toHaveTextContent(
        `The summary sentence of ${state}.`,
      );
      const chip = screen
        .getAllByText(label)
        .find(element => element.closest('[data-state]'));
      expect(chip?.closest('[data-state]')).toHaveAttribute(
        'data-state',
        state,
      );
      expect(
        within(
          screen.getByRole('list', { name: 'What needs attention' }),
        ).getByText('A detail to act on.'),
      ).toBeInTheDocument();
    },
  );

  it('shows the RPO achieved against the target, the data age per cluster and a warning on the intent', async () => {
    serveBackupsApi(server, {
      intent: { body: intentOf(ordersEntity) },
      status: {
        body: entityStatus('protected', {
          warnings: ['The RPO of 1h can never be met.'],
        }),
      },
      restorePoints: { body: restorePointList([]) },
    });
    await renderTab();
    expect(
      await screen.findByText('The RPO of 1h can never be met.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('10 min achieved (database dump in prod-eu), target 1h'),
    ).toBeInTheDocument();
    expect(screen.getByText('prod-eu: 10 min')).toBeInTheDocument();
  });

  it('says which cluster does not answer, and since when', async () => {
    serveBackupsApi(server, {
      intent: { body: intentOf(ordersEntity) },
      status: {
        body: entityStatus('at-risk', {
          clusters: [
            {
              cluster: 'prod-eu',
              reachable: false,
              unreachableSince: ago(4 * 60_000),
              error: 'HTTP 503: Service Unavailable',
              dataAgeMs: 600_000,
            },
          ],
        }),
      },
      restorePoints: { body: restorePointList([]) },
    });
    await renderTab();
    const alerts = await screen.findAllByRole('alert');
    expect(
      alerts.find(alert =>
        /Cluster prod-eu does not answer/.test(alert.textContent ?? ''),
      ),
    ).toHaveTextContent(
      /Cluster prod-eu does not answer since 4 min( \d+ s)? ago \(HTTP 503: Service Unavailable\): shown is what was last known\./,
    );
  });

  it('shows per layer the last success, last attempt, next run, restore points, reasons and the timeline', async () => {
    const status = entityStatus('at-risk');
    status.layers[0] = layerStatus('velero', {
      state: 'at-risk',
      reasons: [
        'The workload selector backstage.io/kubernetes-id=orders matches no pod in namespace shop of cluster prod-eu.',
      ],
    });
    serveBackupsApi(server, {
      intent: { body: intentOf(ordersEntity) },
      status: { body: status },
      restorePoints: { body: restorePointList([]) },
    });
    await renderTab();
    const velero = await screen.findByTestId('layer-status-velero-prod-eu');
    expect(
      within(velero)
        .getByText(/^Last success/)
        .closest('tr'),
    ).toHaveTextContent(/\(40 min( \d+ s)? ago\)/);
    expect(
      within(velero)
        .getByText(/^Last attempt/)
        .closest('tr'),
    ).toHaveTextContent(/succeeded, 40 min( \d+ s)? ago/);
    expect(
      within(velero)
        .getByText(/^Next run/)
        .closest('tr'),
    ).toHaveTextContent(/in 19 min|in 20 min/);
    expect(
      within(velero)
        .getByText(/^Restore points/)
        .closest('tr'),
    ).toHaveTextContent('24 good');
    expect(
      within(velero).getByText(/matches no pod in namespace shop/),
    ).toBeInTheDocument();
    expect(
      within(velero).getByRole('img', {
        name: 'Last 7 days: 1 good, 1 empty, 1 failed runs',
      }),
    ).toBeInTheDocument();
  });

  it('lists restore points per layer, marking empty ones', async () => {
    serveBackupsApi(server, {
      intent: { body: intentOf(ordersEntity) },
      status: { body: entityStatus('at-risk') },
      restorePoints: {
        body: restorePointList([
          restorePoint('velero', {
            id: 'orders-velero-20261202100000',
            outcome: 'empty',
            good: false,
            items: 1,
            totalItems: 1,
            reason: 'it holds no item besides the namespace',
          }),
          restorePoint('database', {
            bytes: 3 * 1024 * 1024,
            sha256: 'a'.repeat(64),
          }),
        ]),
      },
    });
    await renderTab();
    const table = (
      await screen.findByText('Velero backups: restore points')
    ).closest('div[class*="MuiPaper"]') as HTMLElement;
    expect(within(table).getByText('1 of 1 items')).toBeInTheDocument();
    expect(within(table).getByText('empty')).toBeInTheDocument();
    const dumps = screen
      .getByText('Database dumps: restore points')
      .closest('div[class*="MuiPaper"]') as HTMLElement;
    expect(within(dumps).getByText('3.0 MiB')).toBeInTheDocument();
    expect(within(dumps).getByText('good')).toBeInTheDocument();
  });

  it('backs a layer up now, sending the layer and cluster, and shows the new restore point when it lands', async () => {
    let landed = false;
    const { requests } = serveBackupsApi(server, {
      intent: { body: intentOf(ordersEntity) },
      status: () => ({ body: entityStatus('protected') }),
      restorePoints: () => ({
        body: restorePointList(
          landed
            ? [
                restorePoint('velero', {
                  id: 'orders-velero-20261202120000',
                  onDemand: true,
                }),
              ]
            : [],
        ),
      }),
      backups: () => {
        landed = true;
        return {
          status: 202,
          body: {
            entityRef: 'component:default/orders',
            layer: 'velero',
            cluster: 'prod-eu',
            created: [
              {
                apiVersion: 'velero.io/v1',
                kind: 'Backup',
                name: 'orders-velero-20261202120000',
              },
            ],
          },
        };
      },
    });
    await renderTab();
    const button = await within(layerPanel('velero')).findByRole('button', {
      name: 'Back up now: a Velero backup in prod-eu',
    });
    fireEvent.click(button);
    expect(
      await screen.findByText(
        'Started Backup orders-velero-20261202120000 in prod-eu; it appears below when it completes.',
      ),
    ).toBeInTheDocument();
    expect(requests.filter(r => r.method === 'POST')).toEqual([
      expect.objectContaining({
        body: { layer: 'velero', cluster: 'prod-eu' },
      }),
    ]);
    expect(
      await screen.findByText(
        'Back up now',
        { selector: 'td' },
        { timeout: 5000 },
      ),
    ).toBeInTheDocument();
  });

  it('disables Back up now while a run of the layer is in progress', async () => {
    const status = entityStatus('protected');
    status.layers[1] = layerStatus('database', { running: true });
    serveBackupsApi(server, {
      intent: { body: intentOf(ordersEntity) },
      status: { body: status },
      restorePoints: { body: restorePointList([]) },
    });
    await renderTab();
    await screen.findByTestId('layer-status-database-prod-eu');
    expect(
      within(layerPanel('database')).getByRole('button', {
        name: 'Back up now: a database dump in prod-eu',
      }),
    ).toBeDisabled();
    expect(
      within(layerPanel('velero')).getByRole('button', {
        name: 'Back up now: a Velero backup in prod-eu',
      }),
    ).toBeEnabled();
  });
});
