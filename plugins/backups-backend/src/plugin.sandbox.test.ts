import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { backupsPlugin } from './plugin';
import { openApiSchema } from './__testUtils__/openApiSchemas';
import { component } from './testing/fixtures';
import {
  managedObjectNames,
  ORDERS_ANNOTATIONS,
  PAYMENTS_ANNOTATIONS,
  sandboxBackupsConfigData,
  SandboxClusters,
  startSandboxClusters,
} from './__testUtils__/sandboxClusters';

jest.setTimeout(60_000);

const ORDERS = component('orders', ORDERS_ANNOTATIONS);
const PAYMENTS = component('payments', PAYMENTS_ANNOTATIONS);

describe('backups backend plugin with sandbox clusters', () => {
  const backends: Array<{ stop(): Promise<void> }> = [];
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  afterEach(async () => {
    await Promise.all(backends.splice(0).map(backend => backend.stop()));
  });

  let clusters: SandboxClusters;

  beforeAll(async () => {
    clusters = await startSandboxClusters(['a', 'b']);
  });

  afterAll(() => clusters.stop());

  async function startBackend(options: { runTasksOnStartup: boolean }) {
    const backend = await startTestBackend({
      features: [
        backupsPlugin,
        mockServices.database.factory({
          knex: await databases.init('SQLITE_3'),
        }),
        catalogServiceMock.factory({ entities: [ORDERS, PAYMENTS] }),
        mockServices.rootConfig.factory({
          data: sandboxBackupsConfigData(clusters.sandboxes, {
            reconcile: { frequency: { minutes: 7 } },
          }),
        }),
        mockServices.scheduler.factory({
          skipTaskRunOnStartup: !options.runTasksOnStartup,
          includeInitialDelayedTasksOnStartup: true,
        }),
      ],
    });
    backends.push(backend);
    return backend.server;
  }

  it('previews the plan and its diff without writing, then reconciles on request', async () => {
    const server = await startBackend({ runTasksOnStartup: false });
    const before = clusters.writes();
    const plan = await request(server).get(
      '/api/backups/entities/component/default/orders/plan',
    );
    expect(plan.status).toBe(200);
    expect(clusters.writes()).toEqual(before);
    expect(plan.body.plan.state).toBe('planned');
    expect(
      plan.body.plan.clusters.map(
        (cluster: { cluster: string; objects: { kind: string }[] }) => [
          cluster.cluster,
          cluster.objects.map(object => object.kind).sort(),
        ],
      ),
    ).toEqual([
      ['a', ['CronJob', 'Schedule', 'SnapshotSchedule']],
      ['b', ['CronJob', 'Schedule', 'SnapshotSchedule']],
    ]);
    expect(plan.body.diff).toMatchObject({ dryRun: true, state: 'planned' });
    expect(
      plan.body.diff.clusters.map(
        (c: { created: unknown[] }) => c.created.length,
      ),
    ).toEqual([3, 3]);
    expect(plan.body.lastReconcile).toBeUndefined();
    const planPreview = openApiSchema('EntityPlanPreview');
    expect(planPreview(plan.body) || planPreview.errors).toBe(true);

    const reconcile = await request(server).post(
      '/api/backups/entities/component/default/orders/reconcile',
    );
    expect(reconcile.status).toBe(200);
    expect(reconcile.body).toMatchObject({
      trigger: 'request',
      succeeded: true,
      result: { state: 'planned', dryRun: false },
    });
    expect(await managedObjectNames(clusters.clients.a, 'orders')).toHaveLength(
      3,
    );

    const after = await request(server).get(
      '/api/backups/entities/component/default/orders/plan',
    );
    expect(
      after.body.diff.clusters.map(
        (c: { created: unknown[]; unchanged: unknown[] }) => [
          c.created.length,
          c.unchanged.length,
        ],
      ),
    ).toEqual([
      [0, 3],
      [0, 3],
    ]);
    expect(after.body.lastReconcile).toEqual(reconcile.body);
    const reconcileRecord = openApiSchema('ReconcileRecord');
    expect(reconcileRecord(reconcile.body) || reconcileRecord.errors).toBe(
      true,
    );
    expect(planPreview(after.body) || planPreview.errors).toBe(true);
  });

  it('answers 404 for an entity the catalog does not know', async () => {
    const server = await startBackend({ runTasksOnStartup: false });
    const response = await request(server).post(
      '/api/backups/entities/component/default/nope/reconcile',
    );
    expect(response.status).toBe(404);
  });

  it('schedules the fleet reconcile, which applies every opted-in entity', async () => {
    await startBackend({ runTasksOnStartup: true });
    expect(await managedObjectNames(clusters.clients.a, 'payments')).toEqual([
      expect.stringMatching(/^Schedule\//),
    ]);
    expect(await managedObjectNames(clusters.clients.b, 'payments')).toEqual(
      [],
    );
  });

  it('answers status, restore points and the overview from the watch caches, as the OpenAPI spec says', async () => {
    const server = await startBackend({ runTasksOnStartup: true });
    const status = await request(server).get(
      '/api/backups/entities/component/default/orders/status',
    );
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      entityRef: 'component:default/orders',
      policy: 'gold',
      rpo: { target: '1h', targetMs: 3_600_000 },
    });
    expect(
      status.body.layers.map((l: { cluster: string }) => l.cluster),
    ).toEqual(['a', 'a', 'a', 'b', 'b', 'b']);
    const entityStatus = openApiSchema('EntityStatus');
    expect(entityStatus(status.body) || entityStatus.errors).toBe(true);

    const points = await request(server).get(
      '/api/backups/entities/component/default/orders/restore-points?layer=velero',
    );
    expect(points.status).toBe(200);
    const restorePoints = openApiSchema('RestorePointList');
    expect(restorePoints(points.body) || restorePoints.errors).toBe(true);

    const overview = await request(server).get(
      '/api/backups/overview?owner=team-a',
    );
    expect(overview.status).toBe(200);
    expect(
      overview.body.items
        .map((row: { entityRef: string }) => row.entityRef)
        .sort(),
    ).toEqual(['component:default/orders', 'component:default/payments']);
    const page = openApiSchema('OverviewPage');
    expect(page(overview.body) || page.errors).toBe(true);
    // The start-up reconcile run streamed the fleet: the page lists it.
    expect(overview.body.entitiesAsOf).toEqual(expect.any(String));
    const nobody = await request(server).get(
      '/api/backups/overview?owner=group:default/nobody',
    );
    expect(nobody.body).toMatchObject({ items: [], totalCount: 0 });
  });
});
