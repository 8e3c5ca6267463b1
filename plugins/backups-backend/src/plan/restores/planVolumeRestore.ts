import { createHash } from 'node:crypto';
import {
  MANAGED_OBJECT_LABELS,
  parseQuantity,
  RestoreMode,
} from '@backups-for-backstage/plugin-backups-common';
import { managedMetadata, NAME_LIMITS, objectName } from '../naming';
import { PlanContext, PlannedObject } from '../types';

const SNAPSHOT_API = 'snapshot.storage.k8s.io/v1';

/** The VolumeSnapshot restored from, as the cluster holds it. */
export interface SnapshotSource {
  namespace: string;
  name: string;
  /** `status.restoreSize`: the smallest claim it restores into. */
  restoreSize?: string;
  /** Its bound content, which a copy in another namespace points at. */
  content?: {
    snapshotHandle: string;
    driver: string;
    volumeSnapshotClassName?: string;
    sourceVolumeMode?: string;
  };
}

/** The PVC the snapshot copies, when it still exists: the new claim is shaped like it. */
export interface ClaimShape {
  name: string;
  storageClassName?: string;
  accessModes?: string[];
  volumeMode?: string;
  storage?: string;
}

export interface VolumeRestoreTarget {
  /** Our restore's (or drill's) id: names the objects, labels them. */
  id: string;
  label:
    | typeof MANAGED_OBJECT_LABELS.restore
    | typeof MANAGED_OBJECT_LABELS.drill;
  mode: RestoreMode;
  /** For `namespace`: the (new) namespace the claim is made in. */
  namespace?: string;
  snapshot: SnapshotSource;
  /** The snapshotted PVC's name, and its spec when it still exists. */
  claim: ClaimShape;
}

/**
 * The objects that restore a VolumeSnapshot into a new PVC `<pvc>-restore-<id>`.
 * In place, the claim is made beside the old one, from the snapshot itself:
 * no PVC is ever overwritten. In another namespace, Kubernetes restores only
 * from a VolumeSnapshot of the claim's own namespace, so the snapshot is made
 * available there first, as a pre-provisioned copy: a VolumeSnapshotContent
 * naming the same storage snapshot (`deletionPolicy: Retain`, so deleting
 * the copy never deletes the original's data) and a VolumeSnapshot bound to
 * it. The namespace itself is planned by planRestoreNamespace.
 */
export function planVolumeRestore(
  ctx: PlanContext,
  target: VolumeRestoreTarget,
): PlannedObject[] {
  const toNewNamespace = target.mode === 'namespace';
  if (toNewNamespace && (!target.namespace || !target.snapshot.content)) {
    throw new Error(
      'A volume restore to a new namespace needs the namespace and the snapshot content',
    );
  }
  const namespace = toNewNamespace
    ? target.namespace!
    : target.snapshot.namespace;
  const metadata = (name: string, inNamespace?: string) => {
    const result = managedMetadata(ctx, 'volume-snapshot', {
      name,
      namespace: inNamespace,
    });
    result.labels[target.label] = target.id;
    return result;
  };
  const copies: PlannedObject[] = [];
  if (toNewNamespace) {
    const content = target.snapshot.content!;
    const contentName = objectName(
      ctx,
      `restore-${target.id}`,
      NAME_LIMITS.subdomain,
    );
    copies.push(
      {
        apiVersion: SNAPSHOT_API,
        kind: 'VolumeSnapshotContent',
        metadata: metadata(contentName),
        spec: {
          source: { snapshotHandle: content.snapshotHandle },
          driver: content.driver,
          deletionPolicy: 'Retain',
          ...(content.volumeSnapshotClassName
            ? { volumeSnapshotClassName: content.volumeSnapshotClassName }
            : {}),
          ...(content.sourceVolumeMode
            ? { sourceVolumeMode: content.sourceVolumeMode }
            : {}),
          volumeSnapshotRef: { namespace, name: target.snapshot.name },
        },
      },
      {
        apiVersion: SNAPSHOT_API,
        kind: 'VolumeSnapshot',
        metadata: metadata(target.snapshot.name, namespace),
        spec: { source: { volumeSnapshotContentName: contentName } },
      },
    );
  }
  const { claim } = target;
  return [
    ...copies,
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: metadata(restoredClaimName(claim.name, target.id), namespace),
      spec: {
        accessModes: claim.accessModes?.length
          ? claim.accessModes
          : ['ReadWriteOnce'],
        ...(claim.storageClassName
          ? { storageClassName: claim.storageClassName }
          : {}),
        ...(claim.volumeMode ? { volumeMode: claim.volumeMode } : {}),
        resources: {
          requests: {
            storage: largerQuantity(claim.storage, target.snapshot.restoreSize),
          },
        },
        dataSource: {
          apiGroup: 'snapshot.storage.k8s.io',
          kind: 'VolumeSnapshot',
          name: target.snapshot.name,
        },
      },
    },
  ];
}

/** `<pvc>-restore-<id>`, shortened with a hash when the PVC's name is long. */
export function restoredClaimName(pvc: string, id: string): string {
  const suffix = `-restore-${id}`;
  const exact = `${pvc}${suffix}`;
  if (exact.length <= NAME_LIMITS.subdomain) return exact;
  const digest = createHash('sha256').update(pvc).digest('hex').slice(0, 8);
  const room = NAME_LIMITS.subdomain - suffix.length - digest.length - 1;
  return `${pvc.slice(0, room).replace(/[-.]+$/, '')}-${digest}${suffix}`;
}

/** The claim's request: at least the snapshot's restore size. */
function largerQuantity(
  request: string | undefined,
  restoreSize: string | undefined,
): string {
  if (!request) return restoreSize ?? '1Gi';
  if (!restoreSize) return request;
  const a = parseQuantity(request);
  const b = parseQuantity(restoreSize);
  return a !== undefined && b !== undefined && b > a ? restoreSize : request;
}
