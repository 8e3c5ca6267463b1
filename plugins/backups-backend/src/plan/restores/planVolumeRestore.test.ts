import { planContextFor } from '../__testUtils__/planContext';
import { planVolumeRestore, restoredClaimName } from './planVolumeRestore';

const ctx = planContextFor();
const SNAPSHOT = {
  namespace: 'shop',
  name: 'orders-data-20261202110000',
  restoreSize: '20Gi',
  content: {
    snapshotHandle: 'snapshot-1234',
    driver: 'hostpath.csi.k8s.io',
    volumeSnapshotClassName: 'csi-hostpath-snapclass',
    sourceVolumeMode: 'Filesystem',
  },
};
const target = {
  id: 'abcd1234',
  label: 'backups/restore' as const,
  snapshot: SNAPSHOT,
  claim: {
    name: 'orders-data',
    storageClassName: 'fast',
    accessModes: ['ReadWriteOnce'],
    storage: '10Gi',
  },
};

describe('planVolumeRestore', () => {
  it('in place: one PVC beside the old one, from the snapshot, at least its restore size', () => {
    const [pvc, ...rest] = planVolumeRestore(ctx, {
      ...target,
      mode: 'in-place',
    });
    expect(rest).toEqual([]);
    expect(pvc.metadata).toMatchObject({
      name: 'orders-data-restore-abcd1234',
      namespace: 'shop',
      labels: {
        'app.kubernetes.io/managed-by': 'backstage-backups',
        'backups/layer': 'volume-snapshot',
        'backups/restore': 'abcd1234',
      },
    });
    expect(pvc.spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'fast',
      resources: { requests: { storage: '20Gi' } },
      dataSource: {
        apiGroup: 'snapshot.storage.k8s.io',
        kind: 'VolumeSnapshot',
        name: SNAPSHOT.name,
      },
    });
  });

  it('to a new namespace: a Retain copy of the content, a snapshot bound to it, and the PVC there', () => {
    const objects = planVolumeRestore(ctx, {
      ...target,
      mode: 'namespace',
      namespace: 'shop-copy',
      claim: { name: 'orders-data' },
    });
    expect(objects.map(o => [o.kind, o.metadata.namespace])).toEqual([
      ['VolumeSnapshotContent', undefined],
      ['VolumeSnapshot', 'shop-copy'],
      ['PersistentVolumeClaim', 'shop-copy'],
    ]);
    const [content, snapshot, pvc] = objects;
    expect(content.spec).toEqual({
      source: { snapshotHandle: 'snapshot-1234' },
      driver: 'hostpath.csi.k8s.io',
      deletionPolicy: 'Retain',
      volumeSnapshotClassName: 'csi-hostpath-snapclass',
      sourceVolumeMode: 'Filesystem',
      volumeSnapshotRef: { namespace: 'shop-copy', name: SNAPSHOT.name },
    });
    expect(snapshot.spec).toEqual({
      source: { volumeSnapshotContentName: content.metadata.name },
    });
    // The PVC it copies is gone: shaped by the snapshot alone.
    expect(pvc.spec).toMatchObject({
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '20Gi' } },
    });
    expect((pvc.spec as any).storageClassName).toBeUndefined();
  });

  it('needs the namespace and the content for a new namespace', () => {
    expect(() =>
      planVolumeRestore(ctx, {
        ...target,
        mode: 'namespace',
        namespace: 'shop-copy',
        snapshot: { ...SNAPSHOT, content: undefined },
      }),
    ).toThrow('needs the namespace and the snapshot content');
  });

  it('keeps long claim names within 253 characters, unique per PVC', () => {
    const long = `data-${'x'.repeat(250)}`;
    const name = restoredClaimName(long, 'abcd1234');
    expect(name.length).toBeLessThanOrEqual(253);
    expect(name).toMatch(/-[0-9a-f]{8}-restore-abcd1234$/);
    expect(restoredClaimName(`${long}y`, 'abcd1234')).not.toBe(name);
  });
});
