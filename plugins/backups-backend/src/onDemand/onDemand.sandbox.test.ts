import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { eventually as poll } from '@backups-for-backstage/kube-sandbox';
import { BackupLayer } from '@backups-for-backstage/plugin-backups-common';
import { component } from '../testing/fixtures';
import { ORDERS_ANNOTATIONS } from '../__testUtils__/sandboxClusters';
import { StatusWorld, startStatusWorld } from '../__testUtils__/statusWorld';

jest.setTimeout(120_000);

const eventually = <T>(check: () => Promise<T>) => poll(check, 30_000);
const ORDERS = component('orders', {
  ...ORDERS_ANNOTATIONS,
  'backups/cluster': 'a',
});
const PAYMENTS = component('payments', {
  'backstage.io/kubernetes-id': 'payments',
  'backstage.io/kubernetes-namespace': 'shop',
  'backups/policy': 'silver',
  'backups/cluster': 'a',
  'backups/layers': 'velero',
});
const entityRef = { kind: 'component', namespace: 'default', name: 'orders' };

describe('Back up now, against a sandbox cluster', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let world: StatusWorld;
  const credentials = mockCredentials.user();

  beforeAll(async () => {
    world = await startStatusWorld({ entities: [ORDERS, PAYMENTS], databases });
    await world.reconcile();
    // The runners are in the caches before anything is backed up.
    await eventually(async () => {
      const status = await world.status.getStatus({ entityRef, credentials });
      if (!status.layers.every(layer => layer.configured)) {
        throw new Error('the runners are not in the watch caches yet');
      }
    });
  });

  afterAll(() => world?.stop());

  const backUp = (layer: BackupLayer) =>
    world.onDemand.createBackup({ entityRef, credentials, layer });
  const stored: StatusWorld['stored'] = (...args) => world.stored(...args);
  const onDemandPoints = async (layer: BackupLayer) =>
    (
      await world.status.getRestorePoints({ entityRef, credentials, layer })
    ).restorePoints.filter(point => point.onDemand);

  it('creates a Velero Backup from the Schedule, refuses a second while it runs, and lists it once it completes', async () => {
    const backup = await backUp('velero');
    expect(backup).toMatchObject({
      entityRef: 'component:default/orders',
      layer: 'velero',
      cluster: 'a',
      created: [
        {
          apiVersion: 'velero.io/v1',
          kind: 'Backup',
          name: expect.stringMatching(/^orders-velero-\d{14}$/),
        },
      ],
    });
    const name = backup.created[0].name;
    const object = stored('velero.io/v1', 'Backup', 'velero', name)!;
    const schedule = stored(
      'velero.io/v1',
      'Schedule',
      'velero',
      'orders-velero',
    )!;
    expect(object.metadata.labels).toMatchObject({
      'velero.io/schedule-name': 'orders-velero',
      'backups/on-demand': 'true',
      'backups/entity-name': 'orders',
    });
    expect((object.spec as any).includedNamespaces).toEqual(
      (schedule.spec as any).template.includedNamespaces,
    );
    await eventually(async () =>
      expect(
        (
          await world.status.getStatus({ entityRef, credentials })
        ).layers[0].running,
      ).toBe(true),
    );
    await expect(backUp('velero')).rejects.toMatchObject({
      name: 'ConflictError',
      message: `A Velero backup of component:default/orders is already running (Backup ${name}); wait for it to finish`,
    });
    world.advance(2 * 60_000);
    const points = await eventually(async () => {
      const found = await onDemandPoints('velero');
      expect(found).toEqual([
        expect.objectContaining({ id: name, good: true }),
      ]);
      return found;
    });
    expect(points[0].items).toBeGreaterThan(1);
  });

  it('creates a Job from the dump CronJob like kubectl create job --from, which completes as a dump restore point', async () => {
    const backup = await backUp('database');
    const name = backup.created[0].name;
    expect(name).toMatch(/^orders-db-dump-manual-[0-9a-f]{6}$/);
    const job = stored('batch/v1', 'Job', 'shop', name)!;
    expect(job.metadata.annotations).toMatchObject({
      'cronjob.kubernetes.io/instantiate': 'manual',
    });
    expect(job.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'CronJob',
        name: 'orders-db-dump',
        controller: true,
      }),
    ]);
    await eventually(async () =>
      expect(
        (
          await world.status.getStatus({ entityRef, credentials })
        ).layers[1].running,
      ).toBe(true),
    );
    await expect(backUp('database')).rejects.toMatchObject({
      name: 'ConflictError',
    });
    world.advance(60_000);
    await eventually(async () =>
      expect(await onDemandPoints('database')).toEqual([
        expect.objectContaining({ good: true, bytes: 123_456, onDemand: true }),
      ]),
    );
  });

  it('snapshots every selected PVC, and lists each snapshot once it is ready', async () => {
    const backup = await backUp('volume-snapshot');
    expect(backup.created).toEqual([
      expect.objectContaining({
        kind: 'VolumeSnapshot',
        namespace: 'shop',
        name: expect.stringMatching(/^orders-data-\d{14}$/),
      }),
    ]);
    const snapshot = stored(
      'snapshot.storage.k8s.io/v1',
      'VolumeSnapshot',
      'shop',
      backup.created[0].name,
    )!;
    expect(snapshot.spec).toEqual({
      source: { persistentVolumeClaimName: 'orders-data' },
      volumeSnapshotClassName: 'csi-hostpath-snapclass',
    });
    await eventually(async () =>
      expect(
        (
          await world.status.getStatus({ entityRef, credentials })
        ).layers[2].running,
      ).toBe(true),
    );
    await expect(backUp('volume-snapshot')).rejects.toMatchObject({
      name: 'ConflictError',
    });
    world.advance(10_000);
    await eventually(async () =>
      expect(await onDemandPoints('volume-snapshot')).toEqual([
        expect.objectContaining({
          good: true,
          pvc: 'orders-data',
          phase: 'Ready',
        }),
      ]),
    );
  });

  it('refuses a layer the entity does not have, and a cluster it does not use', async () => {
    await expect(
      world.onDemand.createBackup({
        entityRef: { ...entityRef, name: 'payments' },
        credentials,
        layer: 'database',
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        'component:default/payments has no database layer; its layers are velero',
    });
    await expect(
      world.onDemand.createBackup({
        entityRef,
        credentials,
        layer: 'velero',
        cluster: 'moon',
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        'component:default/orders is not backed up in cluster moon; its clusters are a',
    });
  });
});
