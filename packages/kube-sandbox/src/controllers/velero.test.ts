import { KubeObject } from '../resources/types';
import {
  createTestCluster,
  HOUR,
  MINUTE,
  TestCluster,
} from './__testUtils__/testCluster';

const V = 'velero.io/v1';

function configMap(
  namespace: string,
  name: string,
  labels?: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, ...(labels ? { labels } : {}) },
    data: { key: name },
  };
}

function claim(
  namespace: string,
  name: string,
  labels?: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace, ...(labels ? { labels } : {}) },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '10Gi' } },
    },
  };
}

function schedule(name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: V,
    kind: 'Schedule',
    metadata: { name, namespace: 'velero' },
    spec: { schedule: '0 * * * *', template: {}, ...spec },
  };
}

function seed(cluster: TestCluster) {
  cluster.apply({
    apiVersion: V,
    kind: 'BackupStorageLocation',
    metadata: { name: 'default', namespace: 'velero' },
    spec: {
      provider: 'aws',
      objectStorage: { bucket: 'backups' },
      default: true,
    },
  });
  const app = { app: 'orders' };
  cluster.apply(configMap('orders', 'orders-config', app));
  cluster.apply(configMap('orders', 'orders-flags', app));
  cluster.apply(configMap('orders', 'unrelated'));
  cluster.apply({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'orders-db', namespace: 'orders', labels: app },
    data: { password: 'c2VjcmV0' },
  });
  cluster.apply(claim('orders', 'orders-data', app));
  cluster.apply(configMap('billing', 'billing-config', { app: 'billing' }));
}

const backupsOf = (cluster: TestCluster, scheduleName: string) =>
  cluster.list(V, 'Backup', 'velero', {
    'velero.io/schedule-name': scheduleName,
  });

const status = (object: KubeObject | undefined) =>
  (object?.status ?? {}) as Record<string, any>;

describe('Velero', () => {
  let cluster: TestCluster;

  afterEach(() => {
    cluster.stop();
  });

  describe('Schedule', () => {
    beforeEach(() => {
      cluster = createTestCluster();
      seed(cluster);
    });

    it('is Enabled and creates a Backup at each hourly tick, named and labelled like Velero', () => {
      cluster.apply(
        schedule('orders-hourly', {
          template: {
            metadata: { labels: { team: 'orders' } },
            includedNamespaces: ['orders'],
            labelSelector: { matchLabels: { app: 'orders' } },
            ttl: '168h0m0s',
          },
        }),
      );
      const created = cluster.get(V, 'Schedule', 'velero', 'orders-hourly')!;
      expect(status(created).phase).toBe('Enabled');
      // Velero leaves an unset skipImmediately alone (it only consumes a true one).
      expect((created.spec as any).skipImmediately).toBeUndefined();

      cluster.advance(29 * MINUTE);
      expect(backupsOf(cluster, 'orders-hourly')).toEqual([]);

      cluster.advance(1 * MINUTE); // 10:00:00
      const [first] = backupsOf(cluster, 'orders-hourly');
      expect(first.metadata.name).toBe('orders-hourly-20250310100000');
      expect(first.metadata.labels).toEqual({
        team: 'orders',
        'velero.io/schedule-name': 'orders-hourly',
        'velero.io/storage-location': 'default',
      });
      expect(first.spec).toMatchObject({
        metadata: { labels: { team: 'orders' } },
        includedNamespaces: ['orders'],
        labelSelector: { matchLabels: { app: 'orders' } },
        ttl: '168h0m0s',
        storageLocation: 'default',
        csiSnapshotTimeout: '10m0s',
        itemOperationTimeout: '4h0m0s',
        excludedResources: [
          'volumesnapshots.snapshot.storage.k8s.io',
          'volumesnapshotcontents.snapshot.storage.k8s.io',
        ],
      });
      expect(status(first)).toMatchObject({
        phase: 'InProgress',
        startTimestamp: '2025-03-10T10:00:00Z',
        expiration: '2025-03-17T10:00:00Z',
        version: 1,
        formatVersion: '1.1.0',
      });
      expect(
        status(cluster.get(V, 'Schedule', 'velero', 'orders-hourly'))
          .lastBackup,
      ).toBe('2025-03-10T10:00:00Z');

      cluster.advance(HOUR); // 11:00:00
      expect(
        backupsOf(cluster, 'orders-hourly').map(b => b.metadata.name),
      ).toEqual([
        'orders-hourly-20250310100000',
        'orders-hourly-20250310110000',
      ]);
      cluster.advance(2 * HOUR);
      expect(backupsOf(cluster, 'orders-hourly')).toHaveLength(4);
    });

    it('walks a Backup through the phases Velero 1.18 writes', () => {
      cluster.apply(
        schedule('s', { template: { includedNamespaces: ['orders'] } }),
      );
      cluster.advance(30 * MINUTE);
      const name = 's-20250310100000';
      expect(status(cluster.get(V, 'Backup', 'velero', name)).phase).toBe(
        'InProgress',
      );
      cluster.advance(59_000);
      expect(status(cluster.get(V, 'Backup', 'velero', name)).phase).toBe(
        'InProgress',
      );
      cluster.advance(1_000);
      const done = cluster.get(V, 'Backup', 'velero', name)!;
      expect(cluster.history('Backup', name, 'status.phase')).toEqual([
        undefined,
        'Queued',
        'ReadyToStart',
        'InProgress',
        'Finalizing',
        'Completed',
      ]);
      expect(status(done)).toMatchObject({
        phase: 'Completed',
        startTimestamp: '2025-03-10T10:00:00Z',
        completionTimestamp: '2025-03-10T10:01:00Z',
        expiration: '2025-04-09T10:00:00Z',
      });
      expect((done.spec as any).ttl).toBe('720h0m0s');
    });

    it('counts the objects the selection really matches at backup time', () => {
      cluster.apply(
        schedule('selected', {
          template: {
            includedNamespaces: ['orders'],
            labelSelector: { matchLabels: { app: 'orders' } },
          },
        }),
      );
      cluster.apply(
        schedule('whole-namespace', {
          template: { includedNamespaces: ['orders'] },
        }),
      );
      cluster.apply(
        schedule('nothing', {
          template: {
            labelSelector: { matchLabels: { app: 'does-not-exist' } },
          },
        }),
      );
      cluster.apply(
        schedule('nothing-in-orders', {
          template: {
            includedNamespaces: ['orders'],
            labelSelector: { matchLabels: { app: 'does-not-exist' } },
          },
        }),
      );
      cluster.advance(30 * MINUTE + 10 * MINUTE); // four backups, one at a time, 1 min each

      const progress = (scheduleName: string) =>
        status(backupsOf(cluster, scheduleName)[0]).progress;
      // 2 ConfigMaps + Secret + PVC labelled app=orders, plus the Namespace object
      // (Velero backs up an included namespace itself).
      expect(progress('selected')).toEqual({ totalItems: 5, itemsBackedUp: 5 });
      // + the unlabelled ConfigMap.
      expect(progress('whole-namespace')).toEqual({
        totalItems: 6,
        itemsBackedUp: 6,
      });
      // A selector matching nothing across all namespaces backs up nothing at all…
      expect(progress('nothing')).toEqual({ totalItems: 0, itemsBackedUp: 0 });
      expect(status(backupsOf(cluster, 'nothing')[0]).phase).toBe('Completed');
      // …but with an explicit namespace, Velero still takes the Namespace object.
      expect(progress('nothing-in-orders')).toEqual({
        totalItems: 1,
        itemsBackedUp: 1,
      });
      expect(
        status(backupsOf(cluster, 'selected')[0]).volumeSnapshotsAttempted,
      ).toBe(1);

      cluster.apply(configMap('orders', 'orders-new', { app: 'orders' }));
      cluster.advance(HOUR);
      const second = backupsOf(cluster, 'selected')[1];
      expect(status(second).progress).toEqual({
        totalItems: 6,
        itemsBackedUp: 6,
      });
    });

    it('deletes Backups when their TTL expires', () => {
      cluster.apply(
        schedule('short', {
          schedule: '0 10 * * *',
          template: { ttl: '2h', includedNamespaces: ['orders'] },
        }),
      );
      cluster.advance(30 * MINUTE);
      const name = 'short-20250310100000';
      expect(status(cluster.get(V, 'Backup', 'velero', name)).expiration).toBe(
        '2025-03-10T12:00:00Z',
      );
      cluster.advance(2 * HOUR - 1_000);
      expect(cluster.get(V, 'Backup', 'velero', name)).toBeDefined();
      cluster.advance(1_000);
      expect(cluster.get(V, 'Backup', 'velero', name)).toBeUndefined();
      expect(cluster.history('Backup', name, 'status.phase').slice(-2)).toEqual(
        ['Completed', 'Deleting'],
      );
    });

    it('fails the next Backups of a Schedule on request, then recovers', () => {
      cluster.apply(
        schedule('flaky', { template: { includedNamespaces: ['orders'] } }),
      );
      cluster.controllers.failNextBackups('flaky', 2);
      cluster.advance(30 * MINUTE + 3 * HOUR + MINUTE); // ticks at 10, 11, 12, 13 h
      const phases = backupsOf(cluster, 'flaky').map(b => status(b).phase);
      expect(phases).toEqual(['Failed', 'Failed', 'Completed', 'Completed']);
      const failed = status(backupsOf(cluster, 'flaky')[0]);
      expect(failed.failureReason).toMatch(/fault injection/);
      expect(failed.completionTimestamp).toBe('2025-03-10T10:01:00Z');
      expect(failed.errors).toBe(1);
    });

    it('ends a Backup PartiallyFailed with an error count on request', () => {
      cluster.apply(
        schedule('partial', { template: { includedNamespaces: ['orders'] } }),
      );
      cluster.controllers.failNextBackups('partial', 1, 'PartiallyFailed');
      cluster.advance(31 * MINUTE);
      const [backup] = backupsOf(cluster, 'partial');
      expect(status(backup)).toMatchObject({
        phase: 'PartiallyFailed',
        errors: 1,
      });
      expect(
        cluster
          .history('Backup', backup.metadata.name!, 'status.phase')
          .slice(-2),
      ).toEqual(['FinalizingPartiallyFailed', 'PartiallyFailed']);
    });

    it('fails Backups while the storage location is Unavailable', () => {
      cluster.apply(
        schedule('s', { template: { includedNamespaces: ['orders'] } }),
      );
      cluster.controllers.setBackupStorageLocationAvailable(
        'velero',
        'default',
        false,
      );
      const location = cluster.get(
        V,
        'BackupStorageLocation',
        'velero',
        'default',
      )!;
      expect(status(location)).toMatchObject({
        phase: 'Unavailable',
        lastValidationTime: '2025-03-10T09:30:00Z',
      });
      cluster.advance(31 * MINUTE);
      const [refused] = backupsOf(cluster, 's');
      // Velero ≥ 1.17 refuses to start: FailedValidation, not Failed.
      expect(status(refused)).toMatchObject({
        phase: 'FailedValidation',
        validationErrors: [
          "backup can't be created because BackupStorageLocation default is in Unavailable status.",
        ],
      });

      cluster.controllers.setBackupStorageLocationAvailable(
        'velero',
        'default',
        true,
      );
      cluster.advance(59 * MINUTE); // 11:00, the next Backup starts
      cluster.controllers.setBackupStorageLocationAvailable(
        'velero',
        'default',
        false,
      );
      cluster.advance(MINUTE);
      const [, lost] = backupsOf(cluster, 's');
      expect(status(lost)).toMatchObject({
        phase: 'Failed',
        failureReason:
          'error uploading backup: backup storage location default is unavailable',
      });
    });

    it('reports an invalid cron expression as FailedValidation and never backs up', () => {
      cluster.apply(schedule('bad-range', { schedule: '0 25 * * *' }));
      cluster.apply(schedule('bad-fields', { schedule: 'every hour' }));
      cluster.apply(schedule('bad-every', { schedule: '@every 1x' }));
      cluster.apply(schedule('empty', { schedule: '' }));
      const validation = (name: string) =>
        status(cluster.get(V, 'Schedule', 'velero', name));
      expect(validation('bad-range')).toEqual({
        phase: 'FailedValidation',
        validationErrors: [
          'invalid schedule: end of range (25) above maximum (23): 25',
        ],
      });
      expect(validation('bad-fields').validationErrors).toEqual([
        'invalid schedule: expected exactly 5 fields, found 2: [every hour]',
      ]);
      expect(validation('bad-every').validationErrors).toEqual([
        'invalid schedule: failed to parse duration @every 1x: time: unknown unit "x" in duration "1x"',
      ]);
      expect(validation('empty').validationErrors).toEqual([
        'Schedule must be a non-empty valid Cron expression',
      ]);
      cluster.advance(24 * HOUR);
      expect(cluster.list(V, 'Backup', 'velero')).toEqual([]);

      // Fixing the schedule enables it.
      const broken = cluster.get(V, 'Schedule', 'velero', 'bad-range')!;
      cluster.store.update(cluster.kind(V, 'Schedule'), 'velero', 'bad-range', {
        ...broken,
        spec: { ...(broken.spec as object), schedule: '@hourly' },
      });
      expect(validation('bad-range').phase).toBe('Enabled');
      expect(validation('bad-range').validationErrors).toBeUndefined();
    });

    it('does nothing for a paused Schedule', () => {
      cluster.apply(schedule('paused', { paused: true }));
      cluster.advance(3 * HOUR);
      expect(
        cluster.get(V, 'Schedule', 'velero', 'paused')!.status,
      ).toBeUndefined();
      expect(cluster.list(V, 'Backup', 'velero')).toEqual([]);
    });

    it('skips a tick while its previous Backup is still running, then catches up', () => {
      cluster.stop();
      cluster = createTestCluster({ backupDurationMs: 90 * MINUTE });
      seed(cluster);
      cluster.apply(
        schedule('slow', { template: { includedNamespaces: ['orders'] } }),
      );
      cluster.advance(30 * MINUTE + HOUR); // 11:00: the 10:00 Backup runs until 11:30
      expect(backupsOf(cluster, 'slow').map(b => b.metadata.name)).toEqual([
        'slow-20250310100000',
      ]);
      cluster.advance(30 * MINUTE); // 11:30: done; Velero submits the missed run now
      expect(backupsOf(cluster, 'slow').map(b => b.metadata.name)).toEqual([
        'slow-20250310100000',
        'slow-20250310113000',
      ]);
    });
  });

  describe('Backup', () => {
    beforeEach(() => {
      cluster = createTestCluster();
      seed(cluster);
    });

    it('runs on-demand Backups one at a time, queued in order', () => {
      const backup = (name: string): KubeObject => ({
        apiVersion: V,
        kind: 'Backup',
        metadata: { name, namespace: 'velero' },
        spec: { includedNamespaces: ['orders'] },
      });
      cluster.apply(backup('first'));
      cluster.apply(backup('second'));
      const phase = (name: string) =>
        status(cluster.get(V, 'Backup', 'velero', name)).phase;
      expect(phase('first')).toBe('InProgress');
      expect(status(cluster.get(V, 'Backup', 'velero', 'second'))).toEqual({
        phase: 'Queued',
        queuePosition: 1,
      });
      cluster.advance(MINUTE);
      expect(phase('first')).toBe('Completed');
      expect(phase('second')).toBe('InProgress');
      cluster.advance(MINUTE);
      expect(phase('second')).toBe('Completed');
      expect(
        status(cluster.get(V, 'Backup', 'velero', 'second')).progress,
      ).toEqual({
        totalItems: 6,
        itemsBackedUp: 6,
      });
    });

    it('ends PartiallyFailed when an included namespace does not exist, as Velero logs an error', () => {
      cluster.apply({
        apiVersion: V,
        kind: 'Backup',
        metadata: { name: 'gone', namespace: 'velero' },
        spec: { includedNamespaces: ['orders', 'no-such-namespace'] },
      });
      cluster.advance(MINUTE);
      expect(status(cluster.get(V, 'Backup', 'velero', 'gone'))).toMatchObject({
        phase: 'PartiallyFailed',
        errors: 1,
        progress: { totalItems: 6, itemsBackedUp: 6 },
      });
    });

    it('leaves out objects and namespaces labelled velero.io/exclude-from-backup', () => {
      cluster.apply(
        configMap('orders', 'scratch', {
          'velero.io/exclude-from-backup': 'true',
        }),
      );
      const billing = cluster.get('v1', 'Namespace', undefined, 'billing')!;
      cluster.store.update(
        cluster.kind('v1', 'Namespace'),
        undefined,
        'billing',
        {
          ...billing,
          metadata: {
            ...billing.metadata,
            labels: {
              ...billing.metadata.labels,
              'velero.io/exclude-from-backup': 'true',
            },
          },
        },
      );
      cluster.apply({
        apiVersion: V,
        kind: 'Backup',
        metadata: { name: 'apps', namespace: 'velero' },
        spec: { includedNamespaces: ['orders'] },
      });
      const backup = cluster.get(V, 'Backup', 'velero', 'apps')!;
      // Velero writes the labelled namespaces into the spec before validating it.
      expect((backup.spec as any).excludedNamespaces).toEqual(['billing']);
      // The 6 objects of the whole namespace, without the labelled ConfigMap.
      expect(status(backup).progress.totalItems).toBe(6);
    });

    it('fails validation without a storage location', () => {
      cluster.apply({
        apiVersion: V,
        kind: 'Backup',
        metadata: { name: 'elsewhere', namespace: 'velero' },
        spec: { storageLocation: 'missing' },
      });
      expect(
        status(cluster.get(V, 'Backup', 'velero', 'elsewhere')),
      ).toMatchObject({
        phase: 'FailedValidation',
        validationErrors: [
          expect.stringContaining(
            'backupstoragelocations.velero.io "missing" not found',
          ),
        ],
      });
    });
  });

  describe('Restore', () => {
    beforeEach(() => {
      cluster = createTestCluster({ restoreDurationMs: 30_000 });
      seed(cluster);
      cluster.apply({
        apiVersion: V,
        kind: 'Backup',
        metadata: { name: 'orders-backup', namespace: 'velero' },
        spec: { includedNamespaces: ['orders'] },
      });
      cluster.advance(MINUTE);
    });

    const restore = (
      name: string,
      spec: Record<string, unknown>,
    ): KubeObject => ({
      apiVersion: V,
      kind: 'Restore',
      metadata: { name, namespace: 'velero' },
      spec,
    });

    it('recreates the captured objects in the mapped namespace', () => {
      cluster.apply(
        restore('to-copy', {
          backupName: 'orders-backup',
          namespaceMapping: { orders: 'orders-copy' },
        }),
      );
      const started = cluster.get(V, 'Restore', 'velero', 'to-copy')!;
      expect(status(started)).toMatchObject({
        phase: 'InProgress',
        startTimestamp: '2025-03-10T09:31:00Z',
      });
      expect(started.metadata.finalizers).toEqual([
        'restores.velero.io/external-resources-finalizer',
      ]);
      expect((started.spec as any).excludedResources).toContain(
        'backups.velero.io',
      );

      const namespace = cluster.get(
        'v1',
        'Namespace',
        undefined,
        'orders-copy',
      )!;
      expect(namespace.metadata.labels).toMatchObject({
        'velero.io/backup-name': 'orders-backup',
        'velero.io/restore-name': 'to-copy',
      });
      const names = (kind: string) =>
        cluster.list('v1', kind, 'orders-copy').map(o => o.metadata.name);
      expect(names('ConfigMap')).toEqual([
        'orders-config',
        'orders-flags',
        'unrelated',
      ]);
      expect(names('Secret')).toEqual(['orders-db']);
      expect(names('PersistentVolumeClaim')).toEqual(['orders-data']);

      const original = cluster.get(
        'v1',
        'PersistentVolumeClaim',
        'orders',
        'orders-data',
      )!;
      const copy = cluster.get(
        'v1',
        'PersistentVolumeClaim',
        'orders-copy',
        'orders-data',
      )!;
      expect(copy.metadata.uid).not.toBe(original.metadata.uid);
      expect(copy.metadata.labels).toEqual({
        app: 'orders',
        'velero.io/backup-name': 'orders-backup',
        'velero.io/restore-name': 'to-copy',
      });
      expect(copy.metadata.creationTimestamp).toBe('2025-03-10T09:31:00Z');
      expect((copy.spec as any).volumeName).toBe(`pvc-${copy.metadata.uid}`); // bound afresh

      cluster.advance(30_000);
      expect(
        status(cluster.get(V, 'Restore', 'velero', 'to-copy')),
      ).toMatchObject({
        phase: 'Completed',
        completionTimestamp: '2025-03-10T09:31:30Z',
        progress: { totalItems: 6, itemsRestored: 6 },
      });
      expect(cluster.history('Restore', 'to-copy', 'status.phase')).toEqual([
        undefined,
        'InProgress',
        'Finalizing',
        'Completed',
      ]);
    });

    it('leaves existing objects alone and warns when they differ', () => {
      const changed = cluster.get('v1', 'ConfigMap', 'orders', 'orders-flags')!;
      cluster.store.update(
        cluster.kind('v1', 'ConfigMap'),
        'orders',
        'orders-flags',
        {
          ...changed,
          data: { key: 'changed since the backup' },
        },
      );
      cluster.remove(cluster.get('v1', 'ConfigMap', 'orders', 'unrelated')!);
      cluster.apply(restore('in-place', { backupName: 'orders-backup' }));
      cluster.advance(30_000);
      // orders-flags changed, and the bound PVC differs from its backed-up copy
      // (Velero resets volumeName): both stay as they are, with a warning each.
      expect(
        status(cluster.get(V, 'Restore', 'velero', 'in-place')),
      ).toMatchObject({
        phase: 'Completed',
        warnings: 2,
      });
      expect(
        (cluster.get('v1', 'ConfigMap', 'orders', 'orders-flags')!.data as any)
          .key,
      ).toBe('changed since the backup');
      expect(
        cluster.get('v1', 'ConfigMap', 'orders', 'unrelated')!.metadata.labels,
      ).toEqual({
        'velero.io/backup-name': 'orders-backup',
        'velero.io/restore-name': 'in-place',
      });
    });

    it('restores only what the filters select', () => {
      cluster.apply(
        restore('configs-only', {
          backupName: 'orders-backup',
          includedResources: ['configmaps'],
          labelSelector: { matchLabels: { app: 'orders' } },
          namespaceMapping: { orders: 'filtered' },
        }),
      );
      expect(
        cluster.list('v1', 'ConfigMap', 'filtered').map(o => o.metadata.name),
      ).toEqual(['orders-config', 'orders-flags']);
      expect(cluster.list('v1', 'Secret', 'filtered')).toEqual([]);
    });

    it('recreates workloads whose pods the workload controller then runs', () => {
      cluster.apply({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'api', namespace: 'shop', labels: { app: 'api' } },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'api' } },
          template: {
            metadata: { labels: { app: 'api' } },
            spec: { containers: [{ name: 'api', image: 'shop/api:1' }] },
          },
        },
      });
      cluster.apply({
        apiVersion: V,
        kind: 'Backup',
        metadata: { name: 'shop-backup', namespace: 'velero' },
        spec: { includedNamespaces: ['shop'] },
      });
      cluster.advance(MINUTE);
      expect(
        status(cluster.get(V, 'Backup', 'velero', 'shop-backup')).progress
          .totalItems,
      ).toBe(4);
      cluster.apply(
        restore('shop-drill', {
          backupName: 'shop-backup',
          namespaceMapping: { shop: 'drill-shop' },
        }),
      );
      const pods = cluster.list('v1', 'Pod', 'drill-shop');
      expect(pods).toHaveLength(2);
      expect(
        pods.every(
          pod => pod.metadata.ownerReferences?.[0].kind === 'Deployment',
        ),
      ).toBe(true);
    });

    it('fails validation for an unknown Backup', () => {
      cluster.apply(restore('nowhere', { backupName: 'no-such-backup' }));
      expect(status(cluster.get(V, 'Restore', 'velero', 'nowhere'))).toEqual({
        phase: 'FailedValidation',
        validationErrors: [
          'Error retrieving backup: can\'t find backup velero/no-such-backup: backups.velero.io "no-such-backup" not found',
        ],
      });
    });

    it('fails when the Backup has no contents yet', () => {
      cluster.apply({
        apiVersion: V,
        kind: 'Backup',
        metadata: { name: 'running', namespace: 'velero' },
        spec: { includedNamespaces: ['orders'] },
      });
      cluster.apply(restore('too-early', { backupName: 'running' }));
      expect(
        status(cluster.get(V, 'Restore', 'velero', 'too-early')),
      ).toMatchObject({
        phase: 'Failed',
        failureReason: expect.stringContaining('error downloading backup'),
      });
    });

    it('is deleted with its Backup when the Backup expires', () => {
      cluster.apply(
        restore('r', {
          backupName: 'orders-backup',
          namespaceMapping: { orders: 'x' },
        }),
      );
      cluster.advance(720 * HOUR);
      expect(
        cluster.get(V, 'Backup', 'velero', 'orders-backup'),
      ).toBeUndefined();
      expect(cluster.get(V, 'Restore', 'velero', 'r')).toBeUndefined();
    });
  });
});
