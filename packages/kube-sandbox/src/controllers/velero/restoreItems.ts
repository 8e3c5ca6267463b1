import { isDeepStrictEqual } from 'node:util';
import { ApiError } from '../../errors';
import { KubeObject, ResourceType } from '../../resources/types';
import { ObjectStore } from '../../store/ObjectStore';
import { LabelSelector, selectorMatches } from '../labelSelector';
import { validLabelValue } from '../names';
import { controllerOf, Fields } from '../runtime';
import { BackupItem } from './backupItems';
import {
  BACKUP_NAME_LABEL,
  NamespaceFilter,
  qualifiedName,
  resourceListHas,
  RESTORE_NAME_LABEL,
} from './common';

/** Velero's default restore order (the high priorities the sandbox serves). */
const PRIORITIES = [
  'namespaces',
  'volumesnapshotclasses.snapshot.storage.k8s.io',
  'volumesnapshotcontents.snapshot.storage.k8s.io',
  'volumesnapshots.snapshot.storage.k8s.io',
  'persistentvolumeclaims',
  'roles.rbac.authorization.k8s.io',
  'serviceaccounts',
  'rolebindings.rbac.authorization.k8s.io',
  'secrets',
  'configmaps',
  'pods',
  'services',
];

function priorityOf(resource: ResourceType): number {
  const index = PRIORITIES.indexOf(qualifiedName(resource));
  return index < 0 ? PRIORITIES.length : index;
}

/** A Pod or Job that Velero would not restore: finished, or (sandbox rule) owned by a controller. */
function skipped(item: BackupItem): boolean {
  const { resource, object } = item;
  const status = (object.status ?? {}) as Fields;
  if (resource.group === '' && resource.kind === 'Pod') {
    return (
      Boolean(controllerOf(object)) ||
      status.phase === 'Succeeded' ||
      status.phase === 'Failed'
    );
  }
  if (resource.group === 'batch' && resource.kind === 'Job') {
    return Boolean(controllerOf(object)) || Boolean(status.completionTime);
  }
  return false;
}

/** resetMetadataAndStatus plus the restore item actions that matter here. */
function restoredCopy(
  item: BackupItem,
  namespace: string | undefined,
  backupName: string,
  restoreName: string,
): KubeObject {
  const { resource } = item;
  const object = structuredClone(item.object);
  const {
    uid,
    resourceVersion,
    generation,
    creationTimestamp,
    deletionTimestamp,
    deletionGracePeriodSeconds,
    ownerReferences,
    generateName,
    selfLink,
    ...metadata
  } = object.metadata;
  const copy: KubeObject = {
    ...object,
    metadata: {
      ...metadata,
      ...(namespace ? { namespace } : {}),
      labels: {
        ...(metadata.labels ?? {}),
        [BACKUP_NAME_LABEL]: validLabelValue(backupName),
        [RESTORE_NAME_LABEL]: validLabelValue(restoreName),
      },
    },
  };
  delete copy.status;
  const spec = copy.spec as Fields | undefined;
  if (
    resource.group === '' &&
    resource.kind === 'PersistentVolumeClaim' &&
    spec
  ) {
    delete spec.volumeName;
    const annotations = { ...(copy.metadata.annotations ?? {}) };
    for (const key of Object.keys(annotations)) {
      if (
        key.startsWith('pv.kubernetes.io/') ||
        key.includes('storage-provisioner') ||
        key === 'volume.kubernetes.io/selected-node'
      ) {
        delete annotations[key];
      }
    }
    copy.metadata.annotations = Object.keys(annotations).length
      ? annotations
      : undefined;
  }
  if (
    resource.group === '' &&
    resource.kind === 'Service' &&
    spec &&
    spec.clusterIP !== 'None'
  ) {
    delete spec.clusterIP;
    delete spec.clusterIPs;
    for (const port of (spec.ports ?? []) as Fields[]) delete port.nodePort;
  }
  if (resource.group === '' && resource.kind === 'Pod' && spec)
    delete spec.nodeName;
  if (resource.group === 'batch' && resource.kind === 'Job' && spec) {
    delete spec.selector;
    const labels = spec.template?.metadata?.labels as
      | Record<string, string>
      | undefined;
    if (labels) {
      for (const key of [
        'controller-uid',
        'batch.kubernetes.io/controller-uid',
      ])
        delete labels[key];
    }
  }
  if (!copy.metadata.annotations) delete copy.metadata.annotations;
  return copy;
}

/** Whether an existing object already equals the backed-up one (no warning then). */
function sameAsBackedUp(existing: KubeObject, restored: KubeObject): boolean {
  function strip(object: KubeObject) {
    const labels = { ...(object.metadata.labels ?? {}) };
    delete labels[BACKUP_NAME_LABEL];
    delete labels[RESTORE_NAME_LABEL];
    const { metadata, status, ...rest } = object;
    return { ...rest, labels };
  }
  return isDeepStrictEqual(strip(existing), strip(restored));
}

/** Whether a Restore's filters take a kind (as for backups; cluster kinds need an all-namespaces restore or includeClusterResources). */
function resourceIncluded(
  spec: Fields,
  resource: ResourceType,
  namespaces: NamespaceFilter,
) {
  const includes: string[] = spec.includedResources ?? [];
  const excludes: string[] = spec.excludedResources ?? [];
  if (resourceListHas(excludes, resource)) return false;
  if (includes.length > 0 && !resourceListHas(includes, resource)) return false;
  if (
    resource.namespaced ||
    (resource.group === '' && resource.kind === 'Namespace')
  )
    return true;
  const includeCluster: boolean | undefined =
    spec.includeClusterResources ?? undefined;
  return includeCluster ?? namespaces.includeEverything();
}

function ensureNamespace(
  store: ObjectStore,
  name: string,
  captured: BackupItem | undefined,
  labels: Fields,
) {
  const namespacesKind = store.registry.findKind('v1', 'Namespace')!;
  if (store.get(namespacesKind, undefined, name)) return;
  const source = captured?.object;
  store.create(namespacesKind, undefined, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: { ...(source?.metadata.labels ?? {}), ...labels },
      ...(source?.metadata.annotations
        ? { annotations: source.metadata.annotations }
        : {}),
    },
  });
}

/**
 * Recreates a Backup's captured objects as a Restore's spec asks (filters,
 * namespace mapping, existingResourcePolicy) and returns the counts Velero
 * reports: items selected, restored (created or already there), warnings
 * (already there and different) and errors (refused by the API server).
 */
export function restoreBackupItems(
  store: ObjectStore,
  request: {
    restoreName: string;
    backupName: string;
    spec: Fields;
    items: BackupItem[];
  },
): { total: number; restored: number; warnings: number; errors: number } {
  const { restoreName, backupName, spec, items } = request;
  const namespaces = new NamespaceFilter(
    spec.includedNamespaces,
    spec.excludedNamespaces,
  );
  const mapping = (spec.namespaceMapping ?? {}) as Record<string, string>;
  const single: LabelSelector | undefined = spec.labelSelector ?? undefined;
  const anyOf: LabelSelector[] = spec.orLabelSelectors ?? [];
  const selected = (labels: Record<string, string> | undefined) => {
    if (single) return selectorMatches(single, labels);
    if (anyOf.length > 0) return anyOf.some(s => selectorMatches(s, labels));
    return true;
  };
  const restoreLabels = {
    [BACKUP_NAME_LABEL]: validLabelValue(backupName),
    [RESTORE_NAME_LABEL]: validLabelValue(restoreName),
  };
  const capturedNamespaces = new Map(
    items
      .filter(i => i.resource.group === '' && i.resource.kind === 'Namespace')
      .map(i => [i.object.metadata.name!, i]),
  );
  const chosen = items
    .filter(
      item =>
        !(item.resource.group === '' && item.resource.kind === 'Namespace'),
    )
    .filter(item => resourceIncluded(spec, item.resource, namespaces))
    .filter(
      item =>
        !item.resource.namespaced ||
        namespaces.shouldInclude(item.object.metadata.namespace!),
    )
    .filter(item => selected(item.object.metadata.labels))
    .filter(item => !skipped(item))
    .sort((a, b) => priorityOf(a.resource) - priorityOf(b.resource));

  let restored = 0;
  let warnings = 0;
  let errors = 0;
  const sourceNamespaces = new Set(
    chosen
      .filter(i => i.resource.namespaced)
      .map(i => i.object.metadata.namespace!),
  );
  for (const source of sourceNamespaces) {
    const target = mapping[source] ?? source;
    try {
      ensureNamespace(
        store,
        target,
        capturedNamespaces.get(source),
        restoreLabels,
      );
      restored += 1;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      errors += 1;
    }
  }
  for (const item of chosen) {
    const targetNamespace = item.resource.namespaced
      ? mapping[item.object.metadata.namespace!] ??
        item.object.metadata.namespace
      : undefined;
    const copy = restoredCopy(item, targetNamespace, backupName, restoreName);
    const name = copy.metadata.name!;
    const existing = store.get(item.resource, targetNamespace, name);
    try {
      if (!existing) {
        store.create(item.resource, targetNamespace, copy);
      } else if (!sameAsBackedUp(existing, copy)) {
        if (spec.existingResourcePolicy === 'update') {
          store.update(item.resource, targetNamespace, name, {
            ...copy,
            metadata: { ...existing.metadata, labels: copy.metadata.labels },
          });
        } else {
          warnings += 1;
        }
      }
      restored += 1;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      errors += 1;
    }
  }
  return {
    total: chosen.length + sourceNamespaces.size,
    restored,
    warnings,
    errors,
  };
}
