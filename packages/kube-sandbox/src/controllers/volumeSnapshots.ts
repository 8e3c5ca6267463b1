import { KubeObject, ResourceType } from '../resources/types';
import { StoreEvent } from '../store/ObjectStore';
import { randomHex } from './names';
import {
  isClaimBound,
  SANDBOX_CSI_DRIVER,
  snapshotSourceOf,
} from './persistentVolumeClaims';
import { formatBinaryQuantity, parseQuantity } from './quantity';
import {
  Controller,
  ControllerRuntime,
  Fields,
  keyOf,
  parseTimestamp,
  sameResource,
} from './runtime';

const GROUP = 'snapshot.storage.k8s.io';
const API_VERSION = `${GROUP}/v1`;
export const AS_SOURCE_FINALIZER =
  'snapshot.storage.kubernetes.io/volumesnapshot-as-source-protection';
export const BOUND_FINALIZER =
  'snapshot.storage.kubernetes.io/volumesnapshot-bound-protection';
export const CONTENT_FINALIZER =
  'snapshot.storage.kubernetes.io/volumesnapshotcontent-bound-protection';
const DEFAULT_CLASS_ANNOTATION =
  'snapshot.storage.kubernetes.io/is-default-class';

/** The name external-snapshotter gives a dynamically provisioned snapshot's content. */
export function contentNameFor(snapshot: KubeObject): string {
  return `snapcontent-${snapshot.metadata.uid}`;
}

interface SnapshotClass {
  name?: string;
  driver: string;
  deletionPolicy: string;
}

/**
 * external-snapshotter's common controller and CSI sidecar, simulated: a
 * VolumeSnapshot of a bound PVC gets a VolumeSnapshotContent
 * `snapcontent-<snapshot uid>` and status `boundVolumeSnapshotContentName`,
 * `creationTime`, `readyToUse: false`; `snapshotReadyAfterMs` later
 * `readyToUse: true` and `restoreSize` (the claim's request). The snapshot
 * class is the one named, or the default class (annotation
 * `snapshot.storage.kubernetes.io/is-default-class: "true"`), as the real
 * controller requires when the VolumeSnapshotClass kind is served. Problems
 * are reported in `status.error` with the real messages and retried when the
 * claim or a class changes. Deleting a snapshot deletes its content when the
 * deletion policy is Delete.
 */
export function volumeSnapshotController(
  rt: ControllerRuntime,
  options: { snapshotReadyAfterMs: number },
): Controller | undefined {
  const snapshots = rt.kind(API_VERSION, 'VolumeSnapshot');
  const contents = rt.kind(API_VERSION, 'VolumeSnapshotContent');
  if (!snapshots || !contents) return undefined;
  return snapshotController(rt, options, snapshots, contents);
}

function snapshotController(
  rt: ControllerRuntime,
  options: { snapshotReadyAfterMs: number },
  snapshots: ResourceType,
  contents: ResourceType,
): Controller {
  const classes = rt.kind(API_VERSION, 'VolumeSnapshotClass');
  const claims = rt.kind('v1', 'PersistentVolumeClaim')!;

  const enqueue = (namespace: string, name: string) =>
    rt.enqueue(`volumesnapshot/${namespace}/${name}`, () =>
      reconcile(namespace, name),
    );

  function reportError(
    snapshot: KubeObject,
    message: string,
    setReadyToFalse: boolean,
  ) {
    const status = (snapshot.status ?? {}) as Fields;
    if (status.error?.message === message) return;
    rt.writeStatus(snapshots, snapshot, {
      ...status,
      error: { message, time: rt.timestamp() },
      ...(setReadyToFalse ? { readyToUse: false } : {}),
    });
  }

  /** The class to use, or an error message (and whether readyToUse goes false). */
  function resolveClass(
    snapshot: KubeObject,
    pvcName: string,
  ): SnapshotClass | { error: string } {
    const className: string | undefined = (snapshot.spec as Fields)
      .volumeSnapshotClassName;
    if (!classes) {
      return {
        name: className,
        driver: SANDBOX_CSI_DRIVER,
        deletionPolicy: 'Delete',
      };
    }
    if (className) {
      const found = rt.store.get(classes, undefined, className);
      if (!found) {
        return {
          error: `Failed to get snapshot class with error volumesnapshotclass.${GROUP} "${className}" not found`,
        };
      }
      return {
        name: className,
        driver: found.driver as string,
        deletionPolicy: found.deletionPolicy as string,
      };
    }
    const pvc = rt.store.get(claims, snapshot.metadata.namespace, pvcName);
    const prefix = 'Failed to set default snapshot class with error';
    if (!pvc) {
      return {
        error: `${prefix} failed to retrieve PVC ${pvcName} from the lister: ${JSON.stringify(
          `persistentvolumeclaim "${pvcName}" not found`,
        )}`,
      };
    }
    if (!isClaimBound(pvc)) {
      return {
        error: `${prefix} the PVC ${pvcName} is not yet bound to a PV, will not attempt to take a snapshot`,
      };
    }
    const defaults = rt.store
      .objects(classes)
      .filter(
        c => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true',
      );
    if (defaults.length === 0)
      return { error: `${prefix} cannot find default snapshot class` };
    if (defaults.length > 1) {
      return {
        error: `${prefix} ${defaults.length} default snapshot classes were found`,
      };
    }
    const [found] = defaults;
    return {
      name: found.metadata.name,
      driver: found.driver as string,
      deletionPolicy: found.deletionPolicy as string,
    };
  }

  function makeReady(namespace: string, name: string, uid: string) {
    const snapshot = rt.store.get(snapshots, namespace, name);
    if (
      !snapshot ||
      snapshot.metadata.uid !== uid ||
      snapshot.metadata.deletionTimestamp
    )
      return;
    const status = (snapshot.status ?? {}) as Fields;
    const content = rt.store.get(
      contents,
      undefined,
      status.boundVolumeSnapshotContentName,
    );
    if (!content) return;
    const pvcName: string = (snapshot.spec as Fields).source
      ?.persistentVolumeClaimName;
    const pvc = rt.store.get(claims, namespace, pvcName);
    const bytes = parseQuantity(
      (pvc?.spec as Fields | undefined)?.resources?.requests?.storage,
    );
    const contentStatus: Fields = {
      ...((content.status ?? {}) as Fields),
      readyToUse: true,
    };
    if (bytes !== undefined) contentStatus.restoreSize = bytes;
    rt.writeStatus(contents, content, contentStatus);
    const next: Fields = { ...status, readyToUse: true };
    delete next.error;
    if (bytes !== undefined) next.restoreSize = formatBinaryQuantity(bytes);
    rt.writeStatus(snapshots, snapshot, next);
  }

  function scheduleReady(snapshot: KubeObject, content: KubeObject) {
    const created =
      parseTimestamp(content.metadata.creationTimestamp) ?? rt.now();
    const { namespace, name, uid } = snapshot.metadata;
    rt.at(
      `volumesnapshot-ready/${uid}`,
      new Date(created.getTime() + options.snapshotReadyAfterMs),
      () => makeReady(namespace!, name!, uid!),
    );
  }

  function withFinalizers(snapshot: KubeObject, add: string[]) {
    const finalizers = snapshot.metadata.finalizers ?? [];
    const missing = add.filter(f => !finalizers.includes(f));
    if (missing.length === 0) return snapshot;
    return rt.update(snapshots, {
      ...snapshot,
      metadata: {
        ...snapshot.metadata,
        finalizers: [...finalizers, ...missing],
      },
    });
  }

  function provision(snapshot: KubeObject) {
    const spec = snapshot.spec as Fields;
    const { namespace, name } = snapshot.metadata;
    const pvcName: string | undefined = spec.source?.persistentVolumeClaimName;
    if (!pvcName) {
      reportError(
        snapshot,
        `PVC source for snapshot ${namespace}/${name} is missing`,
        true,
      );
      return;
    }
    const resolved = resolveClass(snapshot, pvcName);
    if ('error' in resolved) {
      reportError(snapshot, resolved.error, false);
      return;
    }
    let current = snapshot;
    if (classes && resolved.name && !spec.volumeSnapshotClassName) {
      current = rt.update(snapshots, {
        ...snapshot,
        spec: { ...spec, volumeSnapshotClassName: resolved.name },
      });
    }
    const pvc = rt.store.get(claims, namespace, pvcName);
    const prefix = 'Failed to create snapshot content with error';
    if (!pvc) {
      reportError(
        current,
        `${prefix} snapshot controller failed to update ${name} on API server: cannot get claim from snapshot`,
        true,
      );
      return;
    }
    if (!isClaimBound(pvc)) {
      reportError(
        current,
        `${prefix} failed to get input parameters to create snapshot ${name}: ${JSON.stringify(
          `the PVC ${pvcName} is not yet bound to a PV, will not attempt to take a snapshot`,
        )}`,
        true,
      );
      return;
    }
    const pvcSpec = (pvc.spec ?? {}) as Fields;
    const created = rt.createOrGet(contents, undefined, {
      apiVersion: API_VERSION,
      kind: 'VolumeSnapshotContent',
      metadata: {
        name: contentNameFor(current),
        finalizers: [CONTENT_FINALIZER],
      },
      spec: {
        volumeSnapshotRef: {
          kind: 'VolumeSnapshot',
          namespace,
          name,
          uid: current.metadata.uid,
          apiVersion: API_VERSION,
          resourceVersion: current.metadata.resourceVersion,
        },
        source: {
          volumeHandle: pvcSpec.volumeName ?? `pvc-${pvc.metadata.uid}`,
        },
        ...(resolved.name ? { volumeSnapshotClassName: resolved.name } : {}),
        deletionPolicy: resolved.deletionPolicy ?? 'Delete',
        driver: resolved.driver ?? SANDBOX_CSI_DRIVER,
        sourceVolumeMode: pvcSpec.volumeMode ?? 'Filesystem',
      },
    })!;
    const now = rt.now();
    const content = rt.writeStatus(contents, created, {
      creationTime: Math.floor(now.getTime() / 1000) * 1_000_000_000,
      readyToUse: false,
      snapshotHandle: `snapshot-${randomHex(32)}`,
    });
    current = withFinalizers(current, [AS_SOURCE_FINALIZER, BOUND_FINALIZER]);
    const status = { ...((current.status ?? {}) as Fields) };
    delete status.error;
    rt.writeStatus(snapshots, current, {
      ...status,
      boundVolumeSnapshotContentName: content.metadata.name,
      creationTime: rt.timestamp(now),
      readyToUse: false,
    });
    scheduleReady(current, content);
  }

  const usedAsSource = (snapshot: KubeObject) =>
    rt.store
      .objects(claims, { namespace: snapshot.metadata.namespace })
      .some(
        pvc =>
          !isClaimBound(pvc) &&
          snapshotSourceOf(pvc) === snapshot.metadata.name,
      );

  function deleteContent(
    contentName: string | undefined,
    snapshotUid: string | undefined,
  ) {
    const content = contentName
      ? rt.store.get(contents, undefined, contentName)
      : undefined;
    if (
      !content ||
      (content.spec as Fields).volumeSnapshotRef?.uid !== snapshotUid
    )
      return;
    const finalizers = (content.metadata.finalizers ?? []).filter(
      f => f !== CONTENT_FINALIZER,
    );
    const released = rt.update(contents, {
      ...content,
      metadata: {
        ...content.metadata,
        finalizers: finalizers.length ? finalizers : undefined,
      },
    });
    if ((released.spec as Fields).deletionPolicy !== 'Retain') {
      rt.deleteQuietly(contents, released);
    }
  }

  function finalize(snapshot: KubeObject) {
    rt.cancel(`volumesnapshot-ready/${snapshot.metadata.uid}`);
    if (usedAsSource(snapshot)) return; // kept until the claims restored from it are bound
    const status = (snapshot.status ?? {}) as Fields;
    deleteContent(
      status.boundVolumeSnapshotContentName ?? contentNameFor(snapshot),
      snapshot.metadata.uid,
    );
    const ours = [AS_SOURCE_FINALIZER, BOUND_FINALIZER];
    const finalizers = (snapshot.metadata.finalizers ?? []).filter(
      f => !ours.includes(f),
    );
    if (finalizers.length !== (snapshot.metadata.finalizers ?? []).length) {
      rt.update(snapshots, {
        ...snapshot,
        metadata: {
          ...snapshot.metadata,
          finalizers: finalizers.length ? finalizers : undefined,
        },
      });
    }
  }

  function reconcile(namespace: string, name: string) {
    const snapshot = rt.store.get(snapshots, namespace, name);
    if (!snapshot) return;
    if (snapshot.metadata.deletionTimestamp) {
      finalize(snapshot);
      return;
    }
    const status = (snapshot.status ?? {}) as Fields;
    if (status.readyToUse === true) return;
    const spec = (snapshot.spec ?? {}) as Fields;
    const preProvisioned: string | undefined =
      spec.source?.volumeSnapshotContentName;
    const contentName: string | undefined =
      status.boundVolumeSnapshotContentName ?? preProvisioned;
    if (!contentName) {
      provision(snapshot);
      return;
    }
    const content = rt.store.get(contents, undefined, contentName);
    if (!content) {
      reportError(snapshot, 'VolumeSnapshotContent is missing', true);
      return;
    }
    if (preProvisioned && !status.boundVolumeSnapshotContentName) {
      const contentStatus = describePreProvisioned(content);
      if (contentStatus.error) {
        reportError(snapshot, contentStatus.error.message, true);
        return;
      }
      const bound = withFinalizers(snapshot, [BOUND_FINALIZER]);
      const next: Fields = {
        ...status,
        boundVolumeSnapshotContentName: contentName,
        creationTime: rt.timestamp(
          typeof contentStatus.creationTime === 'number'
            ? new Date(contentStatus.creationTime / 1_000_000)
            : rt.now(),
        ),
        readyToUse: contentStatus.readyToUse ?? true,
      };
      if (typeof contentStatus.restoreSize === 'number') {
        next.restoreSize = formatBinaryQuantity(contentStatus.restoreSize);
      }
      delete next.error;
      rt.writeStatus(snapshots, bound, next);
      return;
    }
    scheduleReady(snapshot, content);
  }

  /**
   * What the CSI sidecar learns of a pre-provisioned content from the driver
   * (ListSnapshots by its snapshotHandle): the storage snapshot a dynamically
   * provisioned content of this sandbox holds under that handle, written to
   * the content's status once; an error when no such snapshot exists.
   */
  function describePreProvisioned(content: KubeObject): Fields {
    const current = (content.status ?? {}) as Fields;
    const handle: string | undefined = (content.spec as Fields).source
      ?.snapshotHandle;
    if (!handle || current.snapshotHandle) return current;
    const origin = rt.store
      .objects(contents)
      .find(
        other =>
          other.metadata.name !== content.metadata.name &&
          (other.status as Fields | undefined)?.snapshotHandle === handle,
      );
    if (!origin) {
      return {
        error: {
          message: `Failed to check and update snapshot content: failed to list snapshot for content ${content.metadata.name}: "rpc error: code = NotFound desc = snapshot ${handle} not found"`,
        },
      };
    }
    const originStatus = (origin.status ?? {}) as Fields;
    const next: Fields = {
      snapshotHandle: handle,
      creationTime: originStatus.creationTime,
      readyToUse: originStatus.readyToUse === true,
      ...(typeof originStatus.restoreSize === 'number'
        ? { restoreSize: originStatus.restoreSize }
        : {}),
    };
    rt.writeStatus(contents, content, next);
    return next;
  }

  function enqueueWhere(
    namespace: string | undefined,
    predicate: (s: KubeObject) => boolean,
  ) {
    for (const snapshot of rt.store.objects(snapshots, { namespace })) {
      if (predicate(snapshot))
        enqueue(snapshot.metadata.namespace!, snapshot.metadata.name!);
    }
  }

  return {
    onEvent(event: StoreEvent) {
      const object = event.object;
      if (sameResource(snapshots, event.resource)) {
        if (event.type === 'DELETED') {
          rt.cancel(`volumesnapshot-ready/${object.metadata.uid}`);
          const status = (object.status ?? {}) as Fields;
          rt.enqueue(`volumesnapshot-gone/${object.metadata.uid}`, () =>
            deleteContent(
              status.boundVolumeSnapshotContentName ?? contentNameFor(object),
              object.metadata.uid,
            ),
          );
        } else {
          enqueue(object.metadata.namespace!, object.metadata.name!);
        }
        return;
      }
      if (sameResource(claims, event.resource)) {
        const pvcName = object.metadata.name;
        const source = snapshotSourceOf(object);
        enqueueWhere(
          object.metadata.namespace,
          s =>
            (s.metadata.deletionTimestamp !== undefined &&
              s.metadata.name === source) ||
            ((s.status as Fields | undefined)?.readyToUse !== true &&
              (s.spec as Fields | undefined)?.source
                ?.persistentVolumeClaimName === pvcName),
        );
        return;
      }
      if (
        classes &&
        sameResource(classes, event.resource) &&
        event.type !== 'DELETED'
      ) {
        enqueueWhere(
          undefined,
          s =>
            !(s.status as Fields | undefined)?.boundVolumeSnapshotContentName,
        );
      }
    },
    resync() {
      for (const snapshot of rt.store.objects(snapshots)) {
        rt.enqueue(`volumesnapshot/${keyOf(snapshot)}`, () =>
          reconcile(snapshot.metadata.namespace!, snapshot.metadata.name!),
        );
      }
    },
  };
}
