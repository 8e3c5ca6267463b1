import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { screen, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { backupsApiRef } from '../../api';
import {
  brokenEntity,
  intentOf,
  ordersEntity,
  paymentsEntity,
} from '../../__testUtils__/fixtures';
import {
  createTestBackupsClient,
  errorBody,
  serveBackups,
  serveBackupsApi,
} from '../../__testUtils__/backupsServer';
import {
  entityStatus,
  restorePointList,
} from '../../__testUtils__/statusFixtures';
import { EntityBackupsContent } from './EntityBackupsContent';

// Typing into dialogs on a loaded 2-core CI machine can take longer than 5 s.
jest.setTimeout(30_000);

const server = setupServer();
registerMswTestHooks(server);

async function renderTab(
  entity: Entity,
  options: { permission?: 'ALLOW' | 'DENY' } = {},
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [backupsApiRef, createTestBackupsClient()],
        [
          permissionApiRef,
          mockApis.permission({ authorize: options.permission ?? 'ALLOW' }),
        ],
      ]}
    >
      <EntityProvider entity={entity}>
        <EntityBackupsContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

/** The card (InfoCard) whose title is `title`. */
function card(title: string): HTMLElement {
  const cards = screen
    .getAllByText(title)
    .filter(element => element.closest('.MuiCardHeader-root'))
    .map(element => element.closest('.MuiCard-root'));
  if (cards.length !== 1 || !(cards[0] instanceof HTMLElement)) {
    throw new Error(
      `Expected one card titled "${title}", found ${cards.length}`,
    );
  }
  return cards[0];
}

/** The value cell of the metadata row named `label` inside `container`. */
function row(container: HTMLElement, label: string): HTMLElement {
  const cell = within(container).getByText(label).closest('tr');
  if (!(cell instanceof HTMLElement)) {
    throw new Error(`No row "${label}"`);
  }
  return cell;
}

describe('EntityBackupsContent', () => {
  it('asks the backend for the entity intent, URL-encoding each segment of the ref', async () => {
    const { requests } = serveBackupsApi(server, {
      intent: { body: intentOf(ordersEntity) },
      status: { body: entityStatus('protected') },
      restorePoints: { body: restorePointList([]) },
    });
    const oddEntity: Entity = {
      ...ordersEntity,
      metadata: {
        ...ordersEntity.metadata,
        namespace: 'team a',
        name: 'x/y#1',
      },
    };

    await renderTab(oddEntity);

    expect(await screen.findByText('Protection')).toBeInTheDocument();
    await screen.findByText('Is it protected?');
    const base = '/api/backups/entities/Component/team%20a/x%2Fy%231';
    expect(requests.map(request => request.url.pathname).sort()).toEqual([
      `${base}/drills`,
      `${base}/intent`,
      `${base}/restore-points`,
      `${base}/restores`,
      `${base}/status`,
    ]);
    expect(requests[0].url.search).toBe('');
  });

  it('shows the policy, targets, workload and one card per enabled layer', async () => {
    const intent = intentOf(ordersEntity);
    expect(intent.state).toBe('valid');
    serveBackupsApi(server, {
      intent: { body: intent },
      status: { body: entityStatus('protected') },
      restorePoints: { body: restorePointList([]) },
    });

    await renderTab(ordersEntity);

    await screen.findByText('Protection');
    const summary = card('Protection');
    expect(row(summary, 'Policy')).toHaveTextContent('gold');
    expect(row(summary, 'Clusters')).toHaveTextContent('prod-eu');
    expect(row(summary, 'RPO target')).toHaveTextContent('1h');
    expect(row(summary, 'RTO target')).toHaveTextContent('30m');
    expect(row(summary, 'Namespace')).toHaveTextContent('shop');
    expect(row(summary, 'Selector')).toHaveTextContent(
      'backstage.io/kubernetes-id=orders',
    );

    const velero = card('Velero backups');
    expect(row(velero, 'Schedule')).toHaveTextContent('Every hour 0 * * * *');
    expect(row(velero, 'Keep backups for')).toHaveTextContent('168h');
    expect(row(velero, 'Snapshot volumes')).toHaveTextContent('yes');

    const database = card('Database dumps');
    expect(row(database, 'Engine')).toHaveTextContent('PostgreSQL');
    expect(row(database, 'Host')).toHaveTextContent('orders-db:5432');
    expect(row(database, 'Databases')).toHaveTextContent('orders');
    expect(row(database, 'Credentials')).toHaveTextContent(
      'orders-db-credentials',
    );
    expect(row(database, 'Schedule')).toHaveTextContent(
      'Every 30 minutes */30 * * * *',
    );
    expect(row(database, 'Retention')).toHaveTextContent(
      'dumps younger than 7d',
    );

    const snapshots = card('Volume snapshots');
    expect(row(snapshots, 'PVCs')).toHaveTextContent('orders-data');
    expect(row(snapshots, 'Schedule')).toHaveTextContent(
      'On the hour, every 6 hours 0 */6 * * *',
    );
    expect(row(snapshots, 'Retention')).toHaveTextContent(
      'the newest 10 snapshots',
    );

    const drills = card('Disaster-recovery drills');
    expect(row(drills, 'Automatic drills')).toHaveTextContent(
      'At 03:00 AM, only on Sunday 0 3 * * 0',
    );
    expect(row(drills, 'Verify query')).toHaveTextContent(
      'SELECT 1 FROM orders LIMIT 1',
    );
  });

  it('shows only the layers the entity enabled, and drills that are off', async () => {
    const intent = intentOf({
      ...ordersEntity,
      metadata: {
        ...ordersEntity.metadata,
        annotations: {
          'backups/policy': 'gold',
          'backstage.io/kubernetes-id': 'orders',
          'backups/drill-schedule': 'off',
        },
      },
    });
    expect(intent.state === 'valid' && intent.intent.layers).toEqual([
      'velero',
    ]);
    serveBackupsApi(server, {
      intent: { body: intent },
      status: {
        body: entityStatus('protected', {
          layers: entityStatus('protected').layers.slice(0, 1),
        }),
      },
      restorePoints: { body: restorePointList([]) },
    });

    await renderTab(ordersEntity);

    await screen.findByText('Protection');
    expect(card('Velero backups')).toBeInTheDocument();
    expect(row(card('Protection'), 'Layers')).toHaveTextContent(
      /^LayersVelero backups$/,
    );
    expect(screen.queryByText('Database dumps')).not.toBeInTheDocument();
    expect(screen.queryByText('Volume snapshots')).not.toBeInTheDocument();
    expect(
      row(card('Disaster-recovery drills'), 'Automatic drills'),
    ).toHaveTextContent(/^Automatic drillsoff$/);
  });

  it('lists every annotation error and says nothing is applied', async () => {
    const intent = intentOf(brokenEntity);
    if (intent.state !== 'invalid') {
      throw new Error(`expected an invalid intent, got ${intent.state}`);
    }
    expect(intent.errors.length).toBeGreaterThanOrEqual(3);
    serveBackups(server, { body: intent });

    await renderTab(brokenEntity);

    expect(
      await screen.findByText(
        'Error: Backups are not applied to component:default/billing',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/nothing is created or changed in any cluster/),
    ).toBeInTheDocument();
    const list = screen.getByRole('list', { name: 'Invalid annotations' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(intent.errors.length);
    intent.errors.forEach((error, index) => {
      expect(items[index]).toHaveTextContent(error.message);
      expect(items[index]).toHaveTextContent(error.annotation);
      expect(items[index]).toHaveTextContent(`Allowed: ${error.allowed}`);
      expect(items[index]).toHaveTextContent(error.value ?? 'is missing');
    });
    expect(screen.getByText('backups/policy')).toBeInTheDocument();
    expect(screen.getByText('platinum')).toBeInTheDocument();
    expect(screen.getByText('oracle')).toBeInTheDocument();
    expect(screen.queryByText('Protection')).not.toBeInTheDocument();
  });

  it('explains how to opt in, with a copyable annotation snippet', async () => {
    const intent = intentOf(paymentsEntity);
    expect(intent.state).toBe('not-opted-in');
    serveBackups(server, { body: intent });

    await renderTab(paymentsEntity);

    expect(
      await screen.findByText('Backups are not set up for this component'),
    ).toBeInTheDocument();
    const snippet = screen.getByText(
      (_, element) =>
        element?.tagName === 'CODE' &&
        (element.textContent ?? '').startsWith('metadata:'),
    );
    expect(snippet.textContent).toBe(
      [
        'metadata:',
        '  annotations:',
        '    backups/policy: gold',
        '    backstage.io/kubernetes-id: payments',
        '',
      ].join('\n'),
    );
    expect(screen.getByRole('button', { name: /copy/i })).toBeInTheDocument();
    expect(
      screen.getByText(
        'backups/layers, backups/drill-schedule are ignored until backups/policy is set.',
      ),
    ).toBeInTheDocument();
  });

  it('does not warn about ignored annotations when there are none', async () => {
    const entity: Entity = {
      ...paymentsEntity,
      metadata: { name: 'payments', namespace: 'default' },
    };
    serveBackups(server, { body: intentOf(entity) });

    await renderTab(entity);

    expect(
      await screen.findByText('Backups are not set up for this component'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/ignored/)).not.toBeInTheDocument();
  });

  it('names what failed when the entity is unknown (404)', async () => {
    serveBackups(server, {
      status: 404,
      body: errorBody(
        'NotFoundError',
        'No entity component:default/orders in the catalog',
        404,
      ),
    });

    await renderTab(ordersEntity);

    expect(
      await screen.findByText(
        'Error: Could not load the backup settings of component:default/orders: No entity component:default/orders in the catalog (404)',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('Protection')).not.toBeInTheDocument();
  });

  it('names what failed when the backend breaks (500)', async () => {
    serveBackups(server, {
      status: 500,
      body: errorBody('Error', 'cluster prod-eu is unreachable', 500),
    });

    await renderTab(ordersEntity);

    expect(
      await screen.findByText(
        /Could not load the backup settings of component:default\/orders: cluster prod-eu is unreachable \(500\)/,
      ),
    ).toBeInTheDocument();
  });
});
