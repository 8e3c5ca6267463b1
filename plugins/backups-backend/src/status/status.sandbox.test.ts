import { TestDatabases } from '@backstage/backend-test-utils';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  EntityStatus,
  OverviewPage,
} from '@backups-for-backstage/plugin-backups-common';
import { eventually as poll } from '@backups-for-backstage/kube-sandbox';
import { component } from '../testing/fixtures';
import { drillRecord, passedDrillRecord } from '../__testUtils__/drillRecords';
import { openApiSchema } from '../__testUtils__/openApiSchemas';
import { drillSummary } from './LatestDrills';
import { ORDERS_ANNOTATIONS } from '../__testUtils__/sandboxClusters';
import { StatusWorld, startStatusWorld } from '../__testUtils__/statusWorld';
import { testDatabaseIds } from '../__testUtils__/testDatabaseIds';

jest.setTimeout(120_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * With an etag, as the catalog serves them: the status service then keeps
 * each entity's plan until the etag changes and its status while nothing it
 * reads changes, so every test below also shows that nothing stays stale.
 */
function fromCatalog(entity: Entity): Entity {
  return { ...entity, metadata: { ...entity.metadata, etag: 'etag-1' } };
}

const ORDERS = fromCatalog(
  component('orders', {
    ...ORDERS_ANNOTATIONS,
    'backups/cluster': 'a',
    // Velero copies manifests only: the dumps and snapshots hold the data.
    'backups/velero-snapshot-volumes': 'false',
  }),
);
// Its selector matches no pod: Velero captures the namespace object alone.
const GHOST = fromCatalog(
  component('ghost', {
    'backstage.io/kubernetes-id': 'ghost',
    'backstage.io/kubernetes-namespace': 'shop',
    'backups/policy': 'gold',
    'backups/layers': 'velero',
  }),
);
const BROKEN = fromCatalog(
  component('broken', {
    'backstage.io/kubernetes-id': 'broken',
    'backups/policy': 'gold',
    'backups/rpo': 'soon',
  }),
);
const PLAIN = fromCatalog(
  component('plain', { 'backstage.io/kubernetes-id': 'plain' }),
);

const DATABASE_IDS = testDatabaseIds();

/** The watch caches catch up over HTTP. */
const eventually = <T>(check: () => Promise<T>) => poll(check, 30_000);

describe.each(DATABASE_IDS)(
  'status against a sandbox cluster, on its clock, with %s',
  databaseId => {
    const databases = TestDatabases.create({ ids: DATABASE_IDS });
    let world: StatusWorld;
    const credentials = mockCredentials.user();

    const statusOf = (name: string) =>
      world.status.getStatus({
        entityRef: { kind: 'component', namespace: 'default', name },
        credentials,
      });
    const layer = (status: EntityStatus, name: string) =>
      status.layers.find(l => l.layer === name)!;

    beforeAll(async () => {
      world = await startStatusWorld({
        entities: [ORDERS, GHOST, BROKEN, PLAIN],
        databases,
        databaseId,
      });
      await world.reconcile();
    });

    afterAll(() => world?.stop());

    it('is unprotected before anything ran', async () => {
      const status = await eventually(async () => {
        const s = await statusOf('orders');
        expect(s.layers.every(l => l.configured)).toBe(true);
        return s;
      });
      expect(status.state).toBe('unprotected');
      expect(status.layers.map(l => [l.layer, l.state])).toEqual([
        ['velero', 'unprotected'],
        ['database', 'unprotected'],
        ['volume-snapshot', 'unprotected'],
      ]);
      expect(layer(status, 'velero').reasons).toEqual([
        'No Velero backup has been taken in a yet; the first is due in 1 h.',
      ]);
    });

    it('is protected once every layer ran, with the achieved RPO from the dumps while the snapshot is 5 hours old', async () => {
      world.advance(11 * HOUR + 5 * MINUTE); // 11:05; the snapshot ran at 06:00
      const status = await eventually(async () => {
        const s = await statusOf('orders');
        expect(layer(s, 'database').lastSuccessAt).toBe(
          '2026-12-01T11:00:30.000Z',
        );
        expect(layer(s, 'volume-snapshot').restorePointCount).toBe(1);
        return s;
      });
      expect(status.state).toBe('protected');
      expect(status.rpo).toMatchObject({
        targetMs: HOUR,
        met: true,
        achievedMs: 4.5 * MINUTE,
        achievedBy: { layer: 'database', cluster: 'a' },
      });
      expect(layer(status, 'velero')).toMatchObject({
        state: 'protected',
        restorePointCount: 11,
        nextRunAt: '2026-12-01T12:00:00.000Z',
        scheduleDescription: 'Every hour',
      });
      expect(layer(status, 'volume-snapshot')).toMatchObject({
        state: 'protected',
        lastSuccessAt: expect.stringMatching(/^2026-12-01T06:00/),
      });
      expect(status.reasons[0]).toBe(
        'Protected: the freshest good copy of the data is 4 min 30 s old, within the RPO of 1h.',
      );
    });

    it('lists the restore points of every layer, newest first, with their fields', async () => {
      const { restorePoints } = await world.status.getRestorePoints({
        entityRef: { kind: 'component', namespace: 'default', name: 'orders' },
        credentials,
      });
      const times = restorePoints.map(p => p.time);
      expect(times).toEqual([...times].sort().reverse());
      const byLayer = (name: string) =>
        restorePoints.filter(p => p.layer === name);
      expect(byLayer('velero')[0]).toMatchObject({
        cluster: 'a',
        phase: 'Completed',
        good: true,
        items: expect.any(Number),
        expiresAt: expect.any(String),
        onDemand: false,
      });
      expect(byLayer('velero')[0].items).toBeGreaterThan(1);
      expect(byLayer('database')[0]).toMatchObject({
        phase: 'Succeeded',
        good: true,
        bytes: 123_456,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        file: expect.stringMatching(/\.pgdump$/),
      });
      expect(byLayer('volume-snapshot')[0]).toMatchObject({
        phase: 'Ready',
        good: true,
        pvc: 'orders-data',
      });
      const onlyDumps = await world.status.getRestorePoints({
        entityRef: { kind: 'component', namespace: 'default', name: 'orders' },
        credentials,
        layer: 'database',
      });
      expect(onlyDumps.restorePoints.every(p => p.layer === 'database')).toBe(
        true,
      );
    });

    it('keeps dump restore points after the CronJob history limit deleted their Jobs', async () => {
      const jobs = world.clusters.sandboxes.a.store.objects(
        world.clusters.sandboxes.a.registry.findKind('batch/v1', 'Job')!,
        { namespace: 'shop' },
      );
      expect(jobs.length).toBeLessThanOrEqual(3);
      const dumps = await world.status.getRestorePoints({
        entityRef: { kind: 'component', namespace: 'default', name: 'orders' },
        credentials,
        layer: 'database',
      });
      expect(dumps.restorePoints).toHaveLength(22); // 00:30 … 11:00
    });

    it('is at risk when the dump CronJob is overdue', async () => {
      const sandbox = world.clusters.sandboxes.a;
      const cronJobs = sandbox.registry.findKind('batch/v1', 'CronJob')!;
      const dump = sandbox.store
        .objects(cronJobs, { namespace: 'shop' })
        .find(c => c.metadata.name === 'orders-db-dump')!;
      sandbox.store.update(cronJobs, 'shop', 'orders-db-dump', {
        ...dump,
        spec: { ...(dump.spec as object), suspend: true },
      });
      world.advance(50 * MINUTE); // 11:55, the last dump 11:00:30
      const status = await eventually(async () => {
        const s = await statusOf('orders');
        expect(layer(s, 'database').state).toBe('at-risk');
        return s;
      });
      expect(status.state).toBe('at-risk');
      expect(layer(status, 'database').reasons[0]).toBe(
        'The newest good database dump in a is 54 min 30 s old: the schedule (Every 30 minutes) should have made one within 45 min.',
      );
      sandbox.store.update(cronJobs, 'shop', 'orders-db-dump', {
        ...dump,
        metadata: { ...dump.metadata, resourceVersion: undefined },
        spec: { ...(dump.spec as object), suspend: false },
      });
    });

    it('is failing after three failed Velero backups', async () => {
      world.clusters.sandboxes.a.controllers.failNextBackups(
        'orders-velero',
        3,
      );
      world.advance(3 * HOUR); // 11:55 → 14:55: 12:00, 13:00, 14:00 fail
      const status = await eventually(async () => {
        const s = await statusOf('orders');
        expect(layer(s, 'velero').state).toBe('failing');
        return s;
      });
      expect(status.state).toBe('failing');
      expect(layer(status, 'velero').reasons[0]).toBe(
        'The last 3 Velero backups in a failed (the latest 54 min ago).',
      );
      expect(layer(status, 'velero').recentRuns.slice(0, 3)).toEqual([
        expect.objectContaining({ outcome: 'failed' }),
        expect.objectContaining({ outcome: 'failed' }),
        expect.objectContaining({ outcome: 'failed' }),
      ]);
      // Its owners are told that it turned failing, once, not at every look.
      const turned = {
        entityRef: 'component:default/orders',
        layer: 'velero',
        cluster: 'a',
        reasons: layer(status, 'velero').reasons,
      };
      expect(await world.failingLayers.check()).toEqual([turned]);
      expect(await world.failingLayers.check()).toEqual([]);
      expect(world.notifications.sent).toEqual([
        {
          recipients: { type: 'entity', entityRef: 'component:default/orders' },
          payload: {
            title:
              'Velero backups of component:default/orders are failing in cluster a',
            description: turned.reasons.join(' '),
            link: '/catalog/default/component/orders/backups',
            severity: 'high',
            topic: 'backups',
            scope: 'backups:layer-failing:velero:component:default/orders',
          },
        },
      ]);
      world.advance(HOUR); // 15:00 succeeds again
      await eventually(async () =>
        expect(layer(await statusOf('orders'), 'velero').state).toBe(
          'protected',
        ),
      );
      expect(await world.failingLayers.check()).toEqual([]);
      expect(world.notifications.sent).toHaveLength(1);
    });

    it('is at risk while the BackupStorageLocation is Unavailable', async () => {
      const sandbox = world.clusters.sandboxes.a;
      sandbox.controllers.setBackupStorageLocationAvailable(
        'velero',
        'default',
        false,
      );
      const status = await eventually(async () => {
        const s = await statusOf('orders');
        expect(layer(s, 'velero').state).toBe('at-risk');
        return s;
      });
      expect(layer(status, 'velero').reasons).toContainEqual(
        expect.stringMatching(
          /^The BackupStorageLocation default in cluster a is Unavailable.*Velero cannot store backups there\.$/,
        ),
      );
      sandbox.controllers.setBackupStorageLocationAvailable(
        'velero',
        'default',
        true,
      );
      await eventually(async () =>
        expect(layer(await statusOf('orders'), 'velero').state).toBe(
          'protected',
        ),
      );
    });

    it('is at risk for a Velero backup that holds nothing and a selector that matches no pod', async () => {
      const status = await statusOf('ghost');
      expect(status.state).toBe('at-risk');
      const velero = layer(status, 'velero');
      expect(velero.reasons).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^The latest Velero backup in a \(.* ago\) holds nothing: it holds no item besides the 1 namespace object\(s\) Velero always captures: the selector matched nothing\.$/,
          ),
          'The workload selector backstage.io/kubernetes-id=ghost matches no pod in namespace shop of cluster a: its Velero backups hold nothing of the workload.',
        ]),
      );
      expect(velero.restorePointCount).toBe(0);
    });

    it('keeps the last known status, naming the cluster and since when, while the API server is down', async () => {
      const sandbox = world.clusters.sandboxes.a;
      sandbox.server.faults.fail({ path: '/', status: 503 });
      sandbox.server.dropConnections();
      const down = await eventually(async () => {
        const s = await statusOf('orders');
        expect(s.clusters[0].error).toContain('503');
        return s;
      });
      expect(down.clusters[0]).toMatchObject({
        cluster: 'a',
        reachable: false,
        unreachableSince: expect.any(String),
        dataAgeMs: expect.any(Number),
        error: expect.stringContaining('503'),
      });
      expect(down.layers).toHaveLength(3);
      expect(down.reasons).toContainEqual(
        expect.stringMatching(
          /^Cluster a does not answer since .*: HTTP 503.* What is shown for it is what was last known; its freshest good copy of the data is .* old\.$/,
        ),
      );
      sandbox.server.faults.clear();
      await eventually(async () =>
        expect((await statusOf('orders')).clusters[0].reachable).toBe(true),
      );
    });

    it('is invalid with the annotation errors, and not-opted-in without the policy', async () => {
      const broken = await statusOf('broken');
      expect(broken.state).toBe('invalid');
      expect(broken.errors).toEqual([
        expect.objectContaining({ annotation: 'backups/rpo', value: 'soon' }),
      ]);
      const plain = await statusOf('plain');
      expect(plain.state).toBe('not-opted-in');
      expect(plain.reasons[0]).toContain('add the annotation backups/policy');
    });

    it("lists the fleet of the last reconcile run without asking the catalog, with the reader's permissions, and asks the catalog when there is none", async () => {
      const getEntities = jest.spyOn(world.catalog, 'getEntities');
      const overview = (readable?: string[]) =>
        world.status.getOverview({
          credentials,
          readable: async refs =>
            new Set(refs.filter(ref => !readable || readable.includes(ref))),
        });
      const rows = (page: { items: { entityRef: string }[] }) =>
        page.items.map(row => row.entityRef).sort();
      try {
        const fromTheCatalog = await overview();
        expect(getEntities).toHaveBeenCalledTimes(1);
        expect(fromTheCatalog.entitiesAsOf).toBeUndefined();
        expect(rows(fromTheCatalog)).toEqual([
          'component:default/broken',
          'component:default/ghost',
          'component:default/orders',
        ]);

        getEntities.mockClear();
        world.entities.setFleet([ORDERS, GHOST]);
        const fromTheFleet = await overview();
        expect(getEntities).not.toHaveBeenCalled();
        expect(rows(fromTheFleet)).toEqual([
          'component:default/ghost',
          'component:default/orders',
        ]);
        expect(fromTheFleet.entitiesAsOf).toEqual(expect.any(String));
        expect(rows(await overview(['component:default/orders']))).toEqual([
          'component:default/orders',
        ]);

        // The rows are kept while nothing they show changes, and no longer.
        const ordersRow = async () =>
          (await overview()).items.find(
            row => row.entityRef === 'component:default/orders',
          )!;
        const before = await ordersRow();
        world.advance(2000);
        expect((await ordersRow()).rpo?.achievedMs).toBe(
          before.rpo!.achievedMs! + 2000,
        );
        world.entities.put({
          ...ORDERS,
          metadata: { ...ORDERS.metadata, etag: 'etag-2' },
          spec: { ...ORDERS.spec, owner: 'team-b' },
        });
        expect((await ordersRow()).owner).toBe('group:default/team-b');
        expect(getEntities).not.toHaveBeenCalled();
      } finally {
        getEntities.mockRestore();
      }
    });

    it('gives the last finished drill in the status and the fleet row once one is recorded, and none before', async () => {
      const overview = () =>
        world.status.getOverview({
          credentials,
          readable: async refs => new Set(refs),
        });
      const lastDrillIn = (page: OverviewPage, name: string) =>
        page.items.find(row => row.entityRef === `component:default/${name}`)
          ?.lastDrill;
      expect((await statusOf('orders')).lastDrill).toBeUndefined();
      expect(lastDrillIn(await overview(), 'orders')).toBeUndefined();

      // As the drill service records them: begun, then saved as it ends
      // (stored finished from the start, so that its sweep never moves it on).
      const failed = drillRecord();
      await world.drillStore.begin(failed);
      await world.drillStore.update(failed);
      expect((await statusOf('orders')).lastDrill).toEqual(
        drillSummary(failed),
      );
      const passed = passedDrillRecord();
      await world.drillStore.begin(passed);
      await world.drillStore.update(passed);

      const status = await statusOf('orders');
      const lastDrill = drillSummary(passed);
      expect(status.lastDrill).toMatchObject({ id: 'd2', state: 'passed' });
      expect(status.lastDrill).toEqual(lastDrill);
      expect(openApiSchema('EntityStatus')(status)).toBe(true);
      const page = await overview();
      expect(openApiSchema('OverviewPage')(page)).toBe(true);
      expect(lastDrillIn(page, 'orders')).toEqual(lastDrill);
      expect(lastDrillIn(page, 'ghost')).toBeUndefined();
      expect((await statusOf('ghost')).lastDrill).toBeUndefined();
    });
  },
);
