import { KubeObject } from '../resources/types';
import { StoreEvent } from '../store/ObjectStore';
import {
  Controller,
  ControllerRuntime,
  Fields,
  keyOf,
  sameResource,
} from './runtime';

export const SANDBOX_CSI_DRIVER = 'sandbox.csi.k8s.io';
const SNAPSHOT_GROUP = 'snapshot.storage.k8s.io';

/** The VolumeSnapshot a claim is restored from (`dataSourceRef` or `dataSource`), if any. */
export function snapshotSourceOf(pvc: KubeObject): string | undefined {
  const spec = (pvc.spec ?? {}) as Fields;
  const source = (spec.dataSourceRef ?? spec.dataSource) as Fields | undefined;
  if (source?.kind === 'VolumeSnapshot' && source.apiGroup === SNAPSHOT_GROUP) {
    return source.name;
  }
  return undefined;
}

function claimSourceOf(pvc: KubeObject): string | undefined {
  const spec = (pvc.spec ?? {}) as Fields;
  const source = (spec.dataSourceRef ?? spec.dataSource) as Fields | undefined;
  return source?.kind === 'PersistentVolumeClaim' && !source.apiGroup
    ? source.name
    : undefined;
}

export function isClaimBound(pvc: KubeObject | undefined): boolean {
  return (pvc?.status as Fields | undefined)?.phase === 'Bound';
}

/**
 * The PersistentVolume binder and a CSI provisioner, simulated: a claim is
 * provisioned and Bound at once (`spec.volumeName: pvc-<uid>`, capacity = the
 * request). A claim whose data source is a VolumeSnapshot stays Pending until
 * that snapshot exists and is readyToUse; one cloned from another claim waits
 * for that claim to be Bound. While provisioning is unavailable (a CSI
 * provisioner that is down or out of capacity), new claims stay Pending.
 */
export function persistentVolumeClaimController(
  rt: ControllerRuntime,
): Controller & { setProvisioningAvailable(available: boolean): void } {
  const claims = rt.kind('v1', 'PersistentVolumeClaim')!;
  const snapshots = rt.kind(`${SNAPSHOT_GROUP}/v1`, 'VolumeSnapshot');

  let provisioning = true;

  const enqueue = (namespace: string, name: string) =>
    rt.enqueue(`pvc/${namespace}/${name}`, () => reconcile(namespace, name));

  function sourceReady(pvc: KubeObject): boolean {
    const namespace = pvc.metadata.namespace;
    const snapshotName = snapshotSourceOf(pvc);
    if (snapshotName !== undefined) {
      const snapshot =
        snapshots && rt.store.get(snapshots, namespace, snapshotName);
      return (snapshot?.status as Fields | undefined)?.readyToUse === true;
    }
    const claimName = claimSourceOf(pvc);
    if (claimName !== undefined) {
      return isClaimBound(rt.store.get(claims, namespace, claimName));
    }
    return true;
  }

  function reconcile(namespace: string, name: string) {
    const pvc = rt.store.get(claims, namespace, name);
    if (!pvc || pvc.metadata.deletionTimestamp || isClaimBound(pvc)) return;
    const spec = (pvc.spec ?? {}) as Fields;
    if (!provisioning || !sourceReady(pvc)) {
      if ((pvc.status as Fields | undefined)?.phase !== 'Pending') {
        rt.writeStatus(claims, pvc, {
          ...((pvc.status as Fields) ?? {}),
          phase: 'Pending',
        });
      }
      return;
    }
    const volumeName = spec.volumeName || `pvc-${pvc.metadata.uid}`;
    const bound = rt.update(claims, {
      ...pvc,
      metadata: {
        ...pvc.metadata,
        annotations: {
          ...(pvc.metadata.annotations ?? {}),
          'pv.kubernetes.io/bind-completed': 'yes',
          'pv.kubernetes.io/bound-by-controller': 'yes',
          'volume.beta.kubernetes.io/storage-provisioner': SANDBOX_CSI_DRIVER,
          'volume.kubernetes.io/storage-provisioner': SANDBOX_CSI_DRIVER,
        },
      },
      spec: { ...spec, volumeName },
    });
    rt.writeStatus(claims, bound, {
      phase: 'Bound',
      accessModes: spec.accessModes ?? ['ReadWriteOnce'],
      capacity: { storage: spec.resources?.requests?.storage ?? '1Gi' },
    });
  }

  function resync() {
    for (const pvc of rt.store.objects(claims)) {
      rt.enqueue(`pvc/${keyOf(pvc)}`, () =>
        reconcile(pvc.metadata.namespace!, pvc.metadata.name!),
      );
    }
  }

  return {
    setProvisioningAvailable(available: boolean) {
      provisioning = available;
      if (available) resync();
    },
    onEvent(event: StoreEvent) {
      if (sameResource(claims, event.resource)) {
        const pvc = event.object;
        if (event.type !== 'DELETED' && !isClaimBound(pvc)) {
          enqueue(pvc.metadata.namespace!, pvc.metadata.name!);
        }
        if (event.type !== 'DELETED' && isClaimBound(pvc)) {
          // Claims cloned from this one may bind now.
          for (const other of rt.store.objects(claims, {
            namespace: pvc.metadata.namespace,
          })) {
            if (
              !isClaimBound(other) &&
              claimSourceOf(other) === pvc.metadata.name
            ) {
              enqueue(other.metadata.namespace!, other.metadata.name!);
            }
          }
        }
        return;
      }
      if (
        snapshots &&
        sameResource(snapshots, event.resource) &&
        event.type !== 'DELETED'
      ) {
        const snapshot = event.object;
        if ((snapshot.status as Fields | undefined)?.readyToUse !== true)
          return;
        for (const pvc of rt.store.objects(claims, {
          namespace: snapshot.metadata.namespace,
        })) {
          if (
            !isClaimBound(pvc) &&
            snapshotSourceOf(pvc) === snapshot.metadata.name
          ) {
            enqueue(pvc.metadata.namespace!, pvc.metadata.name!);
          }
        }
      }
    },
    resync,
  };
}
