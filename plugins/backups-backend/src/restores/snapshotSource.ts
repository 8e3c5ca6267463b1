import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { RestorePoint } from '@backups-for-backstage/plugin-backups-common';
import * as k8s from '@kubernetes/client-node';
import { ClusterConnections } from '../cluster/ClusterConnections';
import { errorMessage, statusCode } from '../cluster/objects';
import { ClusterConfig } from '../config/readBackupsConfig';
import { ClaimShape, SnapshotSource } from '../plan/restores/planVolumeRestore';
import { PlanContext } from '../plan/types';

/**
 * The snapshot to restore from as the cluster holds it: its restore size
 * and bound content (for a copy in another namespace), and the spec of the
 * PVC it copies when that still exists (after a disaster it may not).
 */
export async function readSnapshotSource(options: {
  connections: ClusterConnections;
  cluster: ClusterConfig;
  ctx: PlanContext;
  point: RestorePoint;
  /** Also read its bound content, for a copy in another namespace. */
  withContent: boolean;
}): Promise<{ snapshot: SnapshotSource; claim: ClaimShape }> {
  const { cluster, ctx, point } = options;
  const namespace = point.object?.namespace ?? ctx.intent.workload.namespace;
  const read = (object: k8s.KubernetesObject) =>
    options.connections
      .request(cluster, ({ objects }) => objects.read(object as any))
      .then(
        found => found as any,
        error => {
          if (statusCode(error) === 404) return undefined;
          throw new ServiceUnavailableError(
            `Cluster ${ctx.cluster.name} did not answer for the ${
              object.kind
            } ${object.metadata?.name}: ${errorMessage(error)}`,
          );
        },
      );
  const snapshot = await read({
    apiVersion: 'snapshot.storage.k8s.io/v1',
    kind: 'VolumeSnapshot',
    metadata: { name: point.id, namespace },
  });
  const pvcName: string | undefined =
    snapshot?.spec?.source?.persistentVolumeClaimName ?? point.pvc;
  if (!snapshot || !pvcName) {
    throw new InputError(
      `restorePoint: the VolumeSnapshot ${
        point.id
      } is no longer in namespace ${namespace} of cluster ${ctx.cluster.name}${
        snapshot ? ' or names no PVC' : ''
      }; choose another restore point`,
    );
  }
  let content: SnapshotSource['content'];
  if (options.withContent) {
    const contentName = snapshot.status?.boundVolumeSnapshotContentName;
    const bound = contentName
      ? await read({
          apiVersion: 'snapshot.storage.k8s.io/v1',
          kind: 'VolumeSnapshotContent',
          metadata: { name: contentName },
        })
      : undefined;
    const handle = bound?.status?.snapshotHandle;
    if (!handle) {
      throw new InputError(
        `restorePoint: the VolumeSnapshot ${point.id} has no bound VolumeSnapshotContent with a snapshot handle, so it cannot be copied to another namespace; restore it in place (a new PVC beside the old one)`,
      );
    }
    content = {
      snapshotHandle: handle,
      driver: bound.spec.driver,
      volumeSnapshotClassName: bound.spec.volumeSnapshotClassName,
      sourceVolumeMode: bound.spec.sourceVolumeMode,
    };
  }
  const pvc = await read({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: pvcName, namespace },
  });
  return {
    snapshot: {
      namespace,
      name: point.id,
      restoreSize: snapshot.status?.restoreSize,
      content,
    },
    claim: {
      name: pvcName,
      storageClassName: pvc?.spec?.storageClassName,
      accessModes: pvc?.spec?.accessModes,
      volumeMode: pvc?.spec?.volumeMode,
      storage: pvc?.spec?.resources?.requests?.storage,
    },
  };
}
