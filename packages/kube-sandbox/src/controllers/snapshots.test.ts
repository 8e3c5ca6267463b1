import { KubeObject } from '../resources/types';
import {
  createTestCluster,
  HOUR,
  TestCluster,
} from './__testUtils__/testCluster';

const S = 'snapshot.storage.k8s.io/v1';
const status = (object: KubeObject | undefined) =>
  (object?.status ?? {}) as Record<string, any>;

function claim(
  name: string,
  spec: Record<string, unknown> = {},
  labels?: Record<string, string>,
) {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'orders', ...(labels ? { labels } : {}) },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '10Gi' } },
      ...spec,
    },
  };
}

function snapshot(name: string, pvc: string, className?: string): KubeObject {
  return {
    apiVersion: S,
    kind: 'VolumeSnapshot',
    metadata: { name, namespace: 'orders' },
    spec: {
      source: { persistentVolumeClaimName: pvc },
      ...(className ? { volumeSnapshotClassName: className } : {}),
    },
  };
}

function snapshotClass(
  name: string,
  options: { isDefault?: boolean; deletionPolicy?: string } = {},
) {
  return {
    apiVersion: S,
    kind: 'VolumeSnapshotClass',
    metadata: {
      name,
      ...(options.isDefault
        ? {
            annotations: {
              'snapshot.storage.kubernetes.io/is-default-class': 'true',
            },
          }
        : {}),
    },
    driver: 'hostpath.csi.k8s.io',
    deletionPolicy: options.deletionPolicy ?? 'Delete',
  };
}

describe('snapshot controllers', () => {
  let cluster: TestCluster;
  const get = (name: string) =>
    cluster.get(S, 'VolumeSnapshot', 'orders', name);
  const content = (name: string) =>
    cluster.get(S, 'VolumeSnapshotContent', undefined, name);

  afterEach(() => {
    cluster.stop();
  });

  describe('PersistentVolumeClaim', () => {
    it('is provisioned and Bound at once', () => {
      cluster = createTestCluster();
      const created = cluster.apply(claim('data'));
      const bound = cluster.get(
        'v1',
        'PersistentVolumeClaim',
        'orders',
        'data',
      )!;
      expect(status(bound)).toEqual({
        phase: 'Bound',
        accessModes: ['ReadWriteOnce'],
        capacity: { storage: '10Gi' },
      });
      expect((bound.spec as any).volumeName).toBe(
        `pvc-${created.metadata.uid}`,
      );
      expect(bound.metadata.annotations).toMatchObject({
        'pv.kubernetes.io/bind-completed': 'yes',
      });
    });
  });

  describe('VolumeSnapshot', () => {
    beforeEach(() => {
      cluster = createTestCluster();
      cluster.apply(
        snapshotClass('csi-hostpath-snapclass', { isDefault: true }),
      );
      cluster.apply(claim('orders-data'));
    });

    it('gets a VolumeSnapshotContent, then becomes readyToUse with the restore size', () => {
      const created = cluster.apply(snapshot('snap-1', 'orders-data'));
      const contentName = `snapcontent-${created.metadata.uid}`;
      const bound = get('snap-1')!;
      expect(status(bound)).toEqual({
        boundVolumeSnapshotContentName: contentName,
        creationTime: '2025-03-10T09:30:00Z',
        readyToUse: false,
      });
      expect((bound.spec as any).volumeSnapshotClassName).toBe(
        'csi-hostpath-snapclass',
      );
      expect(bound.metadata.finalizers).toEqual([
        'snapshot.storage.kubernetes.io/volumesnapshot-as-source-protection',
        'snapshot.storage.kubernetes.io/volumesnapshot-bound-protection',
      ]);
      const pvc = cluster.get(
        'v1',
        'PersistentVolumeClaim',
        'orders',
        'orders-data',
      )!;
      expect(content(contentName)!.spec).toEqual({
        volumeSnapshotRef: expect.objectContaining({
          kind: 'VolumeSnapshot',
          name: 'snap-1',
          namespace: 'orders',
          uid: created.metadata.uid,
        }),
        source: { volumeHandle: (pvc.spec as any).volumeName },
        volumeSnapshotClassName: 'csi-hostpath-snapclass',
        deletionPolicy: 'Delete',
        driver: 'hostpath.csi.k8s.io',
        sourceVolumeMode: 'Filesystem',
      });

      cluster.advance(4_999);
      expect(status(get('snap-1')).readyToUse).toBe(false);
      cluster.advance(1);
      expect(status(get('snap-1'))).toEqual({
        boundVolumeSnapshotContentName: contentName,
        creationTime: '2025-03-10T09:30:00Z',
        readyToUse: true,
        restoreSize: '10Gi',
      });
      expect(status(content(contentName))).toMatchObject({
        readyToUse: true,
        restoreSize: 10 * 1024 ** 3,
        creationTime: Date.parse('2025-03-10T09:30:00Z') * 1e6,
      });
    });

    it('reports a missing PVC in status.error and recovers when it appears', () => {
      cluster.apply(
        snapshot('snap-missing', 'not-yet', 'csi-hostpath-snapclass'),
      );
      expect(status(get('snap-missing'))).toEqual({
        readyToUse: false,
        error: {
          message:
            'Failed to create snapshot content with error snapshot controller failed to update snap-missing on API server: cannot get claim from snapshot',
          time: '2025-03-10T09:30:00Z',
        },
      });
      expect(cluster.list(S, 'VolumeSnapshotContent')).toEqual([]);

      cluster.advance(HOUR);
      cluster.apply(claim('not-yet'));
      expect(status(get('snap-missing')).error).toBeUndefined();
      expect(
        status(get('snap-missing')).boundVolumeSnapshotContentName,
      ).toBeDefined();
      cluster.advance(5_000);
      expect(status(get('snap-missing')).readyToUse).toBe(true);
    });

    it('needs a default snapshot class when none is named', () => {
      cluster.remove(
        cluster.get(
          S,
          'VolumeSnapshotClass',
          undefined,
          'csi-hostpath-snapclass',
        )!,
      );
      cluster.apply(snapshot('no-class', 'orders-data'));
      expect(status(get('no-class'))).toEqual({
        error: {
          message:
            'Failed to set default snapshot class with error cannot find default snapshot class',
          time: '2025-03-10T09:30:00Z',
        },
      });
      cluster.apply(snapshotClass('late-default', { isDefault: true }));
      expect((get('no-class')!.spec as any).volumeSnapshotClassName).toBe(
        'late-default',
      );
      expect(status(get('no-class')).error).toBeUndefined();
    });

    it('deletes its content with deletionPolicy Delete, keeps it with Retain', () => {
      cluster.apply(snapshotClass('retain', { deletionPolicy: 'Retain' }));
      const deleted = cluster.apply(snapshot('to-delete', 'orders-data'));
      const kept = cluster.apply(snapshot('to-keep', 'orders-data', 'retain'));
      cluster.advance(5_000);
      cluster.remove(get('to-delete')!);
      cluster.remove(get('to-keep')!);
      expect(get('to-delete')).toBeUndefined();
      expect(get('to-keep')).toBeUndefined();
      expect(content(`snapcontent-${deleted.metadata.uid}`)).toBeUndefined();
      const retained = content(`snapcontent-${kept.metadata.uid}`)!;
      expect(retained.metadata.finalizers).toBeUndefined();
      expect(status(retained).readyToUse).toBe(true);
    });

    it('binds a PVC restored from a snapshot only once the snapshot is readyToUse', () => {
      cluster.apply(snapshot('snap-1', 'orders-data'));
      const dataSource = {
        apiGroup: 'snapshot.storage.k8s.io',
        kind: 'VolumeSnapshot',
        name: 'snap-1',
      };
      cluster.apply(claim('restored', { dataSource }));
      cluster.apply(
        claim('restored-ref', { dataSourceRef: { ...dataSource } }),
      );
      const phase = (name: string) =>
        status(cluster.get('v1', 'PersistentVolumeClaim', 'orders', name))
          .phase;
      expect(phase('restored')).toBe('Pending');
      expect(phase('restored-ref')).toBe('Pending');

      cluster.advance(4_999);
      expect(phase('restored')).toBe('Pending');
      cluster.advance(1);
      expect(phase('restored')).toBe('Bound');
      expect(phase('restored-ref')).toBe('Bound');
    });

    it('keeps a snapshot that a pending claim restores from until that claim goes away', () => {
      cluster.apply(snapshot('snap-1', 'orders-data'));
      cluster.apply(
        claim('restored', {
          dataSource: {
            apiGroup: 'snapshot.storage.k8s.io',
            kind: 'VolumeSnapshot',
            name: 'snap-1',
          },
        }),
      );
      const contentName = status(get('snap-1')).boundVolumeSnapshotContentName;
      cluster.remove(get('snap-1')!);
      cluster.advance(HOUR);
      expect(get('snap-1')!.metadata.deletionTimestamp).toBe(
        '2025-03-10T09:30:00Z',
      );
      expect(content(contentName)).toBeDefined();
      cluster.remove(
        cluster.get('v1', 'PersistentVolumeClaim', 'orders', 'restored')!,
      );
      expect(get('snap-1')).toBeUndefined();
      expect(content(contentName)).toBeUndefined();
    });

    it('restores into another namespace through a pre-provisioned copy of the content, which Retain keeps', () => {
      cluster.apply(snapshot('snap-1', 'orders-data'));
      cluster.advance(5_000);
      const origin = content(
        status(get('snap-1')).boundVolumeSnapshotContentName,
      )!;
      const handle = status(origin).snapshotHandle;
      cluster.apply({
        apiVersion: S,
        kind: 'VolumeSnapshotContent',
        metadata: { name: 'copy-content' },
        spec: {
          source: { snapshotHandle: handle },
          deletionPolicy: 'Retain',
          driver: 'hostpath.csi.k8s.io',
          volumeSnapshotRef: { namespace: 'copy', name: 'copy' },
        },
      });
      cluster.apply({
        apiVersion: S,
        kind: 'VolumeSnapshot',
        metadata: { name: 'copy', namespace: 'copy' },
        spec: { source: { volumeSnapshotContentName: 'copy-content' } },
      });
      const copy = () => cluster.get(S, 'VolumeSnapshot', 'copy', 'copy');
      expect(status(copy())).toMatchObject({
        boundVolumeSnapshotContentName: 'copy-content',
        readyToUse: true,
        restoreSize: '10Gi',
      });
      expect(status(content('copy-content'))).toMatchObject({
        snapshotHandle: handle,
        readyToUse: true,
      });
      cluster.apply({
        ...claim('restored', {
          dataSource: {
            apiGroup: 'snapshot.storage.k8s.io',
            kind: 'VolumeSnapshot',
            name: 'copy',
          },
        }),
        metadata: { name: 'restored', namespace: 'copy' },
      });
      expect(
        status(cluster.get('v1', 'PersistentVolumeClaim', 'copy', 'restored'))
          .phase,
      ).toBe('Bound');
      cluster.remove(copy()!);
      expect(copy()).toBeUndefined();
      expect(content('copy-content')).toBeDefined();
      expect(content(origin.metadata.name!)).toBeDefined();
    });

    it('reports a pre-provisioned content whose snapshot handle the driver does not know', () => {
      cluster.apply({
        apiVersion: S,
        kind: 'VolumeSnapshotContent',
        metadata: { name: 'stray' },
        spec: {
          source: { snapshotHandle: 'snapshot-unknown' },
          deletionPolicy: 'Retain',
          driver: 'hostpath.csi.k8s.io',
          volumeSnapshotRef: { namespace: 'orders', name: 'stray' },
        },
      });
      cluster.apply({
        apiVersion: S,
        kind: 'VolumeSnapshot',
        metadata: { name: 'stray', namespace: 'orders' },
        spec: { source: { volumeSnapshotContentName: 'stray' } },
      });
      expect(status(get('stray'))).toMatchObject({
        readyToUse: false,
        error: {
          message: expect.stringContaining('snapshot-unknown not found'),
        },
      });
    });

    it('leaves new claims Pending while volume provisioning is unavailable', () => {
      cluster.controllers.setVolumeProvisioningAvailable(false);
      cluster.apply(claim('waiting'));
      const phase = () =>
        status(cluster.get('v1', 'PersistentVolumeClaim', 'orders', 'waiting'))
          .phase;
      cluster.advance(HOUR);
      expect(phase()).toBe('Pending');
      cluster.controllers.setVolumeProvisioningAvailable(true);
      expect(phase()).toBe('Bound');
    });

    it('leaves a PVC from a snapshot that does not exist Pending until it is ready', () => {
      cluster.apply(
        claim('from-nothing', {
          dataSource: {
            apiGroup: 'snapshot.storage.k8s.io',
            kind: 'VolumeSnapshot',
            name: 'later',
          },
        }),
      );
      cluster.advance(HOUR);
      expect(
        status(
          cluster.get('v1', 'PersistentVolumeClaim', 'orders', 'from-nothing'),
        ).phase,
      ).toBe('Pending');
      cluster.apply(snapshot('later', 'orders-data'));
      cluster.advance(5_000);
      expect(
        status(
          cluster.get('v1', 'PersistentVolumeClaim', 'orders', 'from-nothing'),
        ).phase,
      ).toBe('Bound');
    });
  });

  describe('SnapScheduler SnapshotSchedule', () => {
    it('snapshots the selected PVCs at each tick and prunes beyond maxCount', () => {
      cluster = createTestCluster();
      cluster.apply(
        snapshotClass('csi-hostpath-snapclass', { isDefault: true }),
      );
      cluster.apply(claim('orders-data', {}, { app: 'orders' }));
      cluster.apply(claim('orders-wal', {}, { app: 'orders' }));
      cluster.apply(claim('other', {}, { app: 'other' }));
      cluster.apply({
        apiVersion: 'snapscheduler.backube/v1',
        kind: 'SnapshotSchedule',
        metadata: { name: 'orders-6h', namespace: 'orders' },
        spec: {
          schedule: '0 */6 * * *',
          claimSelector: { matchLabels: { app: 'orders' } },
          retention: { maxCount: 2 },
          snapshotTemplate: { labels: { team: 'orders' } },
        },
      });
      const scheduleStatus = () =>
        status(
          cluster.get(
            'snapscheduler.backube/v1',
            'SnapshotSchedule',
            'orders',
            'orders-6h',
          ),
        );
      expect(scheduleStatus()).toMatchObject({
        nextSnapshotTime: '2025-03-10T12:00:00Z',
        conditions: [
          { type: 'Reconciled', status: 'True', reason: 'ReconcileComplete' },
        ],
      });

      cluster.advance(2.5 * HOUR); // 12:00
      const names = () =>
        cluster.list(S, 'VolumeSnapshot', 'orders').map(s => s.metadata.name);
      expect(names()).toEqual([
        'orders-data-orders-6h-202503101200',
        'orders-wal-orders-6h-202503101200',
      ]);
      const [first] = cluster.list(S, 'VolumeSnapshot', 'orders');
      expect(first.metadata.labels).toEqual({
        team: 'orders',
        'snapscheduler.backube/schedule': 'orders-6h',
        'snapscheduler.backube/when': '202503101200',
      });
      expect(scheduleStatus()).toMatchObject({
        lastSnapshotTime: '2025-03-10T12:00:00Z',
        nextSnapshotTime: '2025-03-10T18:00:00Z',
      });

      cluster.advance(12 * HOUR); // 18:00 and 00:00
      expect(names()).toEqual([
        'orders-data-orders-6h-202503101800',
        'orders-data-orders-6h-202503110000',
        'orders-wal-orders-6h-202503101800',
        'orders-wal-orders-6h-202503110000',
      ]);
      cluster.advance(5_000);
      expect(
        cluster
          .list(S, 'VolumeSnapshot', 'orders')
          .every(s => status(s).readyToUse),
      ).toBe(true);
    });

    it('stays off when the SnapScheduler CRD is not served', () => {
      cluster = createTestCluster({
        withoutCrds: ['snapshotschedules.snapscheduler.backube'],
      });
      expect(() =>
        cluster.kind('snapscheduler.backube/v1', 'SnapshotSchedule'),
      ).toThrow();
      cluster.apply(claim('orders-data'));
      cluster.advance(HOUR);
    });
  });
});
