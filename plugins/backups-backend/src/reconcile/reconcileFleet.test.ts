import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { readBackupsConfig } from '../config/readBackupsConfig';
import { ReconcileResultStore } from '../database/ReconcileResultStore';
import { component } from '../testing/fixtures';
import {
  managedObjectNames,
  ORDERS_ANNOTATIONS,
  PAYMENTS_ANNOTATIONS,
  sandboxBackupsConfigData,
  SandboxClusters,
  startSandboxClusters,
} from '../__testUtils__/sandboxClusters';
import { Reconciler } from './Reconciler';
import { reconcileFleet } from './reconcileFleet';

jest.setTimeout(60_000);

const PAYMENTS = component('payments', PAYMENTS_ANNOTATIONS);
const BROKEN = component('broken', {
  'backstage.io/kubernetes-id': 'broken',
  'backups/policy': 'gold',
  'backups/rpo': 'soon',
});
const STOREFRONT = component('storefront', {
  'backstage.io/kubernetes-id': 'storefront',
});

describe('reconcileFleet against two sandbox clusters', () => {
  let clusters: SandboxClusters;
  let store: ReconcileResultStore;
  let reconciler: Reconciler;
  const logger = mockServices.logger.mock();

  function run(entities: Entity[], options: { dryRun?: boolean } = {}) {
    return reconcileFleet({
      reconciler,
      catalog: catalogServiceMock({ entities }),
      credentials: { $$type: '@backstage/BackstageCredentials', principal: {} },
      store,
      logger,
      dryRun: options.dryRun ?? false,
      concurrency: 2,
    });
  }

  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  beforeAll(async () => {
    clusters = await startSandboxClusters(['a', 'b']);
    reconciler = new Reconciler({
      config: readBackupsConfig(
        new ConfigReader(sandboxBackupsConfigData(clusters.sandboxes)),
      ),
    });
    const knex = await databases.init('SQLITE_3');
    store = await ReconcileResultStore.create({
      database: { getClient: async () => knex },
    });
  });

  afterAll(() => clusters.stop());

  const orders = component('orders', ORDERS_ANNOTATIONS);

  it('reconciles every opted-in entity and records each result', async () => {
    const summary = await run([orders, PAYMENTS, BROKEN, STOREFRONT]);
    expect(summary).toEqual({
      entities: 3,
      succeeded: 2,
      failed: 1,
      removed: 0,
      dryRun: false,
    });
    expect(await managedObjectNames(clusters.clients.a, 'orders')).toHaveLength(
      3,
    );
    expect(await managedObjectNames(clusters.clients.b, 'orders')).toHaveLength(
      3,
    );
    expect(await managedObjectNames(clusters.clients.a, 'payments')).toEqual([
      expect.stringMatching(/^Schedule\//),
    ]);

    const records = await store.list();
    expect(
      records.map(record => [
        record.result.entityRef,
        record.result.state,
        record.succeeded,
        record.trigger,
      ]),
    ).toEqual([
      ['component:default/broken', 'invalid', false, 'schedule'],
      ['component:default/orders', 'planned', true, 'schedule'],
      ['component:default/payments', 'planned', true, 'schedule'],
    ]);
    const broken = records[0];
    expect(broken.result.errors).toEqual([
      expect.objectContaining({ annotation: 'backups/rpo', value: 'soon' }),
    ]);
  });

  it('makes no write request when nothing changed', async () => {
    const before = clusters.writes();
    const summary = await run([orders, PAYMENTS, BROKEN, STOREFRONT]);
    expect(summary.succeeded).toBe(2);
    expect(clusters.writes()).toEqual(before);
  });

  it('rewrites only the objects a policy change touches', async () => {
    const data = sandboxBackupsConfigData(clusters.sandboxes);
    const gold = data.backups.policies.gold;
    const changedPolicy = readBackupsConfig(
      new ConfigReader({
        backups: {
          ...data.backups,
          policies: {
            ...data.backups.policies,
            gold: {
              ...gold,
              velero: { ...gold.velero, schedule: '5 * * * *' },
            },
          },
        },
      }),
    );
    const original = reconciler;
    reconciler = new Reconciler({ config: changedPolicy });
    try {
      const before = clusters.writes();
      await run([orders, PAYMENTS, BROKEN, STOREFRONT]);
      // orders (gold) has one Schedule per cluster; payments (silver) none changed.
      expect(clusters.writes()).toEqual({ a: before.a + 1, b: before.b + 1 });
      const record = await store.get('component:default/orders');
      for (const cluster of record!.result.clusters) {
        expect(cluster.updated).toEqual([
          expect.objectContaining({
            kind: 'Schedule',
            changedFields: ['spec.schedule'],
          }),
        ]);
        expect(cluster.unchanged).toHaveLength(2);
      }
    } finally {
      reconciler = original;
    }
    // Back to the original policy: the Schedules are written back.
    await run([orders, PAYMENTS, BROKEN, STOREFRONT]);
  });

  it('lists each cluster once per run, not once per entity', async () => {
    const count = () => clusters.sandboxes.a.server.countRequests(['list']);
    const before = count();
    await run([orders, PAYMENTS, BROKEN, STOREFRONT]);
    // One list per managed kind the cluster serves (6) and one of the
    // namespaces (restore and drill copies), whatever the number of entities.
    expect(count() - before).toBe(7);
  });

  it('only reports in a dry run', async () => {
    const before = clusters.writes();
    const summary = await run([PAYMENTS], { dryRun: true });
    expect(summary).toMatchObject({ removed: 1, dryRun: true });
    expect(clusters.writes()).toEqual(before);
    const record = await store.get('component:default/orders');
    expect(record?.result).toMatchObject({ state: 'removed', dryRun: true });
    expect(record?.result.clusters.map(c => c.deleted.length)).toEqual([3, 3]);
  });

  it('deletes the objects of entities that left the catalog or the opt-in', async () => {
    const { 'backups/policy': _policy, ...optedOut } =
      PAYMENTS.metadata.annotations!;
    const summary = await run([
      component('payments', optedOut),
      BROKEN,
      STOREFRONT,
    ]);
    expect(summary).toMatchObject({ removed: 2, failed: 1 });
    expect(await managedObjectNames(clusters.clients.a, 'orders')).toEqual([]);
    expect(await managedObjectNames(clusters.clients.b, 'orders')).toEqual([]);
    expect(await managedObjectNames(clusters.clients.a, 'payments')).toEqual(
      [],
    );
    // Gone from the catalog: nothing left to show, so its record goes too.
    expect(await store.get('component:default/orders')).toBeUndefined();
    expect(await store.get('component:default/payments')).toMatchObject({
      succeeded: true,
      result: { state: 'removed' },
    });
  });

  it('records a failing cluster per entity and keeps going', async () => {
    clusters.sandboxes.b.server.faults.fail({ path: '/', status: 503 });
    try {
      const summary = await run([orders, PAYMENTS]);
      expect(summary).toMatchObject({ entities: 2, succeeded: 1, failed: 1 });
      const record = await store.get('component:default/orders');
      expect(record?.succeeded).toBe(false);
      const byName = Object.fromEntries(
        record!.result.clusters.map(c => [c.cluster, c]),
      );
      expect(byName.a.created).toHaveLength(3);
      expect(byName.b).toMatchObject({ targeted: true, error: /503/ });
      // payments only targets a: b being down only delays any clean-up there.
      const payments = await store.get('component:default/payments');
      expect(payments?.succeeded).toBe(true);
      expect(payments?.result.clusters[1]).toMatchObject({
        cluster: 'b',
        targeted: false,
        error: /503/,
      });
    } finally {
      clusters.sandboxes.b.server.faults.clear();
    }
  });
});
