import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { eventually as poll } from '@backups-for-backstage/kube-sandbox';
import {
  RestorePoint,
  RestoreRecord,
  RestoreRequest,
} from '@backups-for-backstage/plugin-backups-common';
import { component } from '../testing/fixtures';
import { ORDERS_ANNOTATIONS } from '../__testUtils__/sandboxClusters';
import { StatusWorld, startStatusWorld } from '../__testUtils__/statusWorld';
import { testDatabaseIds } from '../__testUtils__/testDatabaseIds';
import { openApiSchema } from '../__testUtils__/openApiSchemas';

jest.setTimeout(120_000);

const MINUTE = 60_000;
const ORDERS_REF = { kind: 'component', namespace: 'default', name: 'orders' };
const ORDERS = component('orders', {
  ...ORDERS_ANNOTATIONS,
  'backups/cluster': 'a',
  'backups/layers': 'volume-snapshot',
});
const DATABASE_IDS = testDatabaseIds();
const SNAPSHOT_API = 'snapshot.storage.k8s.io/v1';

const eventually = <T>(check: () => Promise<T>) => poll(check, 30_000);

describe.each(DATABASE_IDS)(
  'volume-snapshot restores against a sandbox cluster, recorded in %s',
  databaseId => {
    const databases = TestDatabases.create({ ids: DATABASE_IDS });
    const credentials = mockCredentials.user('user:default/dana');
    let world: StatusWorld;
    let snapshot: RestorePoint;

    const sandbox = () => world.clusters.sandboxes.a;
    const stored: StatusWorld['stored'] = (...args) => world.stored(...args);
    const restore = (request: Omit<RestoreRequest, 'restorePoint' | 'layer'>) =>
      world.restores.createRestore({
        entityRef: ORDERS_REF,
        credentials,
        request: {
          layer: 'volume-snapshot',
          restorePoint: snapshot.id,
          ...request,
        },
      });
    const ended = (id: string) =>
      eventually(async () => {
        const record = await world.restores.getRestore({ id });
        expect(record.state).not.toBe('running');
        return record;
      });
    const snapshotPoints = async () =>
      (
        await world.status.getRestorePoints({
          entityRef: ORDERS_REF,
          credentials,
          layer: 'volume-snapshot',
        })
      ).restorePoints;
    const createdOf = (record: RestoreRecord, kind: string) =>
      record.created.find(ref => ref.kind === kind)!;

    beforeAll(async () => {
      world = await startStatusWorld({
        entities: [ORDERS],
        databases,
        databaseId,
      });
      await world.reconcile();
      await eventually(async () => {
        const status = await world.status.getStatus({
          entityRef: ORDERS_REF,
          credentials,
        });
        if (!status.layers.every(layer => layer.configured)) {
          throw new Error('the snapshot schedule is not in the caches yet');
        }
      });
      await world.onDemand.createBackup({
        entityRef: ORDERS_REF,
        credentials,
        layer: 'volume-snapshot',
      });
      world.advance(MINUTE);
      snapshot = await eventually(async () => {
        const good = (await snapshotPoints()).find(point => point.good);
        if (!good) throw new Error('No good snapshot yet');
        return good;
      });
    });

    afterAll(() => world?.stop());

    it('restores a snapshot into a new namespace through a Retain copy, leaving the original alone', async () => {
      const before = await snapshotPoints();
      const started = await restore({
        target: { mode: 'namespace' },
        reason: 'inspect the data',
      });
      const namespace = `shop-restore-${started.id}`;
      const claim = `orders-data-restore-${started.id}`;
      expect(started).toMatchObject({
        layer: 'volume-snapshot',
        target: {
          mode: 'namespace',
          namespace,
          claim,
          sourceClaim: 'orders-data',
        },
      });
      expect(started.created.map(ref => ref.kind)).toEqual([
        'Namespace',
        'VolumeSnapshotContent',
        'VolumeSnapshot',
        'PersistentVolumeClaim',
      ]);
      expect(
        stored('v1', 'Namespace', undefined, namespace).metadata.labels,
      ).toMatchObject({
        'backups/restore': started.id,
        'app.kubernetes.io/managed-by': 'backstage-backups',
      });

      const origin = stored(
        SNAPSHOT_API,
        'VolumeSnapshot',
        'shop',
        snapshot.id,
      );
      const originContent = stored(
        SNAPSHOT_API,
        'VolumeSnapshotContent',
        undefined,
        origin.status.boundVolumeSnapshotContentName,
      );
      const contentCopy = stored(
        SNAPSHOT_API,
        'VolumeSnapshotContent',
        undefined,
        createdOf(started, 'VolumeSnapshotContent').name,
      );
      expect(contentCopy.spec).toMatchObject({
        source: { snapshotHandle: originContent.status.snapshotHandle },
        deletionPolicy: 'Retain',
        driver: originContent.spec.driver,
        volumeSnapshotRef: { namespace, name: snapshot.id },
      });
      expect(contentCopy.metadata.labels).toMatchObject({
        'backups/restore': started.id,
        'backups/layer': 'volume-snapshot',
      });
      const pvc = stored('v1', 'PersistentVolumeClaim', namespace, claim);
      expect(pvc.spec).toMatchObject({
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '10Gi' } },
        dataSource: {
          apiGroup: 'snapshot.storage.k8s.io',
          kind: 'VolumeSnapshot',
          name: snapshot.id,
        },
      });

      const done = await ended(started.id);
      expect(done).toMatchObject({
        state: 'completed',
        outcome: expect.stringMatching(
          new RegExp(`^The PVC ${claim} in namespace ${namespace} is Bound`),
        ),
      });
      expect(done.steps.map(step => [step.name, step.state])).toEqual([
        ['namespace', 'succeeded'],
        ['snapshot-copy', 'succeeded'],
        ['claim', 'succeeded'],
      ]);
      expect(
        stored('v1', 'PersistentVolumeClaim', namespace, claim).status.phase,
      ).toBe('Bound');
      // The copy is no restore point of the component, and the original is untouched.
      expect(await snapshotPoints()).toEqual(before);
      expect(
        stored(SNAPSHOT_API, 'VolumeSnapshot', 'shop', snapshot.id).metadata
          .resourceVersion,
      ).toBe(origin.metadata.resourceVersion);
      const schema = openApiSchema('RestoreRecord');
      expect(schema(done) || schema.errors).toBe(true);
    });

    it('restores in place as a new PVC beside the old one, saying how to switch', async () => {
      const old = stored('v1', 'PersistentVolumeClaim', 'shop', 'orders-data');
      const started = await restore({
        target: { mode: 'in-place' },
        confirm: 'orders',
      });
      const claim = `orders-data-restore-${started.id}`;
      expect(started.target).toEqual({
        mode: 'in-place',
        namespace: 'shop',
        claim,
        sourceClaim: 'orders-data',
      });
      expect(started.created).toEqual([
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          namespace: 'shop',
          name: claim,
        },
      ]);
      expect(
        stored('v1', 'PersistentVolumeClaim', 'shop', claim).spec.dataSource,
      ).toEqual({
        apiGroup: 'snapshot.storage.k8s.io',
        kind: 'VolumeSnapshot',
        name: snapshot.id,
      });
      const done = await ended(started.id);
      expect(done.state).toBe('completed');
      expect(done.outcome).toContain(
        `The PVC ${claim} is Bound beside orders-data in namespace shop`,
      );
      expect(done.outcome).toContain('To switch: scale the workload');
      expect(
        stored('v1', 'PersistentVolumeClaim', 'shop', 'orders-data').metadata
          .resourceVersion,
      ).toBe(old.metadata.resourceVersion);
    });

    it('fails naming the claim when the PVC never binds, and leaves it in place', async () => {
      sandbox().controllers.setVolumeProvisioningAvailable(false);
      try {
        const started = await restore({
          target: { mode: 'in-place' },
          confirm: 'orders',
        });
        const claim = started.target.claim!;
        world.advance(5 * MINUTE);
        await new Promise(resolve => setTimeout(resolve, 300));
        expect(
          (await world.restores.getRestore({ id: started.id })).state,
        ).toBe('running');
        world.advance(6 * MINUTE);
        const failed = await ended(started.id);
        expect(failed).toMatchObject({
          state: 'failed',
          steps: [
            {
              name: 'claim',
              state: 'failed',
              message: expect.stringMatching(
                new RegExp(
                  `^The PVC ${claim} in namespace shop did not bind within 10 min \\(still Pending\\)`,
                ),
              ),
            },
          ],
        });
        expect(
          stored('v1', 'PersistentVolumeClaim', 'shop', claim).status.phase,
        ).toBe('Pending');
      } finally {
        sandbox().controllers.setVolumeProvisioningAvailable(true);
      }
    });
  },
);
