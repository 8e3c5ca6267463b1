import { KubeObject } from '../resources/types';
import {
  createTestCluster,
  HOUR,
  MINUTE,
  TestCluster,
} from './__testUtils__/testCluster';

const status = (object: KubeObject | undefined) =>
  (object?.status ?? {}) as Record<string, any>;

/**
 * The controllers' own writes go through the API server's validation in the
 * sandbox (CRD schemas with pruning, built-in kind rules). These flows run with
 * that validator: any write it rejects would show up in `cluster.errors`, and
 * any field it pruned would be missing below.
 */
describe('controller writes under API validation', () => {
  let cluster: TestCluster;

  beforeEach(() => {
    cluster = createTestCluster({ validate: true });
  });

  afterEach(() => {
    cluster.stop();
  });

  it('keeps every field Velero writes', () => {
    cluster.apply({
      apiVersion: 'velero.io/v1',
      kind: 'BackupStorageLocation',
      metadata: { name: 'default', namespace: 'velero' },
      spec: { provider: 'aws', objectStorage: { bucket: 'backups' } },
    });
    cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'orders', labels: { app: 'orders' } },
    });
    cluster.apply({
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { name: 'orders', namespace: 'velero' },
      spec: {
        schedule: '0 * * * *',
        template: {
          includedNamespaces: ['orders'],
          labelSelector: { matchLabels: { app: 'orders' } },
        },
      },
    });
    cluster.apply({
      apiVersion: 'velero.io/v1',
      kind: 'Backup',
      metadata: { name: 'queued', namespace: 'velero' },
      spec: { includedNamespaces: ['orders'] },
    });
    cluster.apply({
      apiVersion: 'velero.io/v1',
      kind: 'Backup',
      metadata: { name: 'queued-2', namespace: 'velero' },
      spec: { includedNamespaces: ['orders'] },
    });
    expect(
      status(cluster.get('velero.io/v1', 'Backup', 'velero', 'queued-2'))
        .queuePosition,
    ).toBe(1);
    cluster.advance(31 * MINUTE);
    const [backup] = cluster.list('velero.io/v1', 'Backup', 'velero', {
      'velero.io/schedule-name': 'orders',
    });
    expect(status(backup)).toMatchObject({
      phase: 'Completed',
      version: 1,
      formatVersion: '1.1.0',
      progress: { totalItems: 2, itemsBackedUp: 2 },
    });
    expect(backup.spec).toMatchObject({
      ttl: '720h0m0s',
      storageLocation: 'default',
    });
    expect(
      status(cluster.get('velero.io/v1', 'Schedule', 'velero', 'orders')),
    ).toMatchObject({
      phase: 'Enabled',
      lastBackup: '2025-03-10T10:00:00Z',
    });
    cluster.apply({
      apiVersion: 'velero.io/v1',
      kind: 'Restore',
      metadata: { name: 'r', namespace: 'velero' },
      spec: {
        backupName: backup.metadata.name,
        namespaceMapping: { orders: 'orders-r' },
      },
    });
    cluster.advance(MINUTE);
    expect(
      status(cluster.get('velero.io/v1', 'Restore', 'velero', 'r')),
    ).toMatchObject({
      phase: 'Completed',
      progress: { totalItems: 2, itemsRestored: 2 },
    });
    cluster.controllers.setBackupStorageLocationAvailable(
      'velero',
      'default',
      false,
    );
    expect(
      status(
        cluster.get(
          'velero.io/v1',
          'BackupStorageLocation',
          'velero',
          'default',
        ),
      ),
    ).toMatchObject({ phase: 'Unavailable', message: expect.any(String) });
  });

  it('keeps every field the batch, snapshot and workload controllers write', () => {
    cluster.apply({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'dump', namespace: 'orders' },
      spec: {
        schedule: '0 * * * *',
        jobTemplate: {
          spec: {
            template: {
              spec: {
                restartPolicy: 'Never',
                containers: [{ name: 'c', image: 'postgres:16' }],
              },
            },
          },
        },
      },
    });
    cluster.apply({
      apiVersion: 'snapshot.storage.k8s.io/v1',
      kind: 'VolumeSnapshotClass',
      metadata: {
        name: 'default',
        annotations: {
          'snapshot.storage.kubernetes.io/is-default-class': 'true',
        },
      },
      driver: 'hostpath.csi.k8s.io',
      deletionPolicy: 'Delete',
    });
    cluster.apply({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: 'data',
        namespace: 'orders',
        labels: { app: 'orders' },
      },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } },
      },
    });
    cluster.apply({
      apiVersion: 'snapscheduler.backube/v1',
      kind: 'SnapshotSchedule',
      metadata: { name: 'hourly', namespace: 'orders' },
      spec: {
        schedule: '@hourly',
        claimSelector: { matchLabels: { app: 'orders' } },
      },
    });
    cluster.apply({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'orders' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'db' } },
        template: {
          metadata: { labels: { app: 'db' } },
          spec: { containers: [{ name: 'db', image: 'postgres:16' }] },
        },
      },
    });
    cluster.advance(HOUR);
    const [job] = cluster.list('batch/v1', 'Job', 'orders');
    expect(status(job).succeeded).toBe(1);
    const [snapshot] = cluster.list(
      'snapshot.storage.k8s.io/v1',
      'VolumeSnapshot',
      'orders',
    );
    expect(snapshot.metadata.name).toBe('data-hourly-202503101000');
    expect(status(snapshot)).toMatchObject({
      readyToUse: true,
      restoreSize: '1Gi',
    });
    const [content] = cluster.list(
      'snapshot.storage.k8s.io/v1',
      'VolumeSnapshotContent',
    );
    expect(status(content)).toMatchObject({
      readyToUse: true,
      restoreSize: 1024 ** 3,
    });
    expect(
      status(
        cluster.get(
          'snapscheduler.backube/v1',
          'SnapshotSchedule',
          'orders',
          'hourly',
        ),
      ),
    ).toMatchObject({
      lastSnapshotTime: '2025-03-10T10:00:00Z',
    });
    expect(
      status(cluster.get('apps/v1', 'StatefulSet', 'orders', 'db'))
        .readyReplicas,
    ).toBe(2);
  });
});
