import { KubeObject, ResourceType } from '../../resources/types';
import { ObjectStore } from '../../store/ObjectStore';
import { LabelSelector, selectorMatches } from '../labelSelector';
import { Fields } from '../runtime';
import {
  EXCLUDE_FROM_BACKUP_LABEL,
  NamespaceFilter,
  qualifiedName,
  resourceListHas,
} from './common';

/** One object a Backup captured: the kind and a private copy. */
export interface BackupItem {
  resource: ResourceType;
  object: KubeObject;
}

/** Kinds Velero never collects directly (backup_controller.go autoExclude… lists). */
export const AUTO_EXCLUDED = [
  'volumesnapshots.snapshot.storage.k8s.io',
  'volumesnapshotcontents.snapshot.storage.k8s.io',
];

function usesScopedFilters(spec: Fields): boolean {
  return [
    spec.includedClusterScopedResources,
    spec.excludedClusterScopedResources,
    spec.includedNamespaceScopedResources,
    spec.excludedNamespaceScopedResources,
  ].some(list => Array.isArray(list) && list.length > 0);
}

/** Whether a Backup's resource filters take a kind (GlobalIncludesExcludes / ScopeIncludesExcludes). */
function resourceIncluded(
  spec: Fields,
  resource: ResourceType,
  namespaces: NamespaceFilter,
) {
  if (AUTO_EXCLUDED.includes(qualifiedName(resource))) return false;
  const isNamespace = resource.group === '' && resource.kind === 'Namespace';
  if (usesScopedFilters(spec)) {
    if (resource.namespaced) {
      const excludes: string[] = spec.excludedNamespaceScopedResources ?? [];
      const includes: string[] = spec.includedNamespaceScopedResources ?? [];
      if (resourceListHas(excludes, resource)) return false;
      return includes.length === 0 || resourceListHas(includes, resource);
    }
    if (isNamespace) return true;
    const excludes: string[] = spec.excludedClusterScopedResources ?? [];
    const includes: string[] = spec.includedClusterScopedResources ?? [];
    if (resourceListHas(excludes, resource)) return false;
    if (resourceListHas(includes, resource)) return true;
    // All namespace-scoped kinds of all namespaces: a full backup takes every cluster-scoped kind.
    const nsIncludes: string[] = spec.includedNamespaceScopedResources ?? [];
    return (
      namespaces.includeEverything() &&
      (nsIncludes.length === 0 || nsIncludes.includes('*'))
    );
  }
  const includeCluster: boolean | undefined =
    spec.includeClusterResources ?? undefined;
  if (!resource.namespaced && includeCluster === false && !isNamespace)
    return false;
  if (!resource.namespaced && !isNamespace && includeCluster === undefined) {
    if (!namespaces.includeEverything()) return false;
  }
  const includes: string[] = spec.includedResources ?? [];
  const excludes: string[] = spec.excludedResources ?? [];
  if (resourceListHas(excludes, resource)) return false;
  return includes.length === 0 || resourceListHas(includes, resource);
}

function isActiveNamespace(namespace: KubeObject): boolean {
  const phase = (namespace.status as Fields | undefined)?.phase;
  return (
    !namespace.metadata.deletionTimestamp &&
    (phase === undefined || phase === 'Active')
  );
}

/**
 * What a Velero 1.18 Backup collects from the store (pkg/backup/item_collector.go):
 * namespaced objects of every served kind in the included namespaces that
 * match `labelSelector` (or any of `orLabelSelectors`) and the resource
 * filters; Namespace objects that match the selector, are named by the
 * namespace filter, or hold a collected item; cluster-scoped objects only when
 * `includeClusterResources` is true, or unset for an all-namespaces backup;
 * plus the PVCs that collected pods mount (the pod backup item action). Events
 * and Velero's own kinds are collected like any other kind, as Velero does;
 * VolumeSnapshots and VolumeSnapshotContents are auto-excluded. Included
 * namespaces that do not exist are returned as errors.
 */
export function collectBackupItems(
  store: ObjectStore,
  spec: Fields,
): { items: BackupItem[]; errors: string[] } {
  const registry = store.registry;
  const namespaceKind = registry.findKind('v1', 'Namespace')!;
  const claimKind = registry.findKind('v1', 'PersistentVolumeClaim')!;
  const namespaces = new NamespaceFilter(
    spec.includedNamespaces,
    spec.excludedNamespaces,
  );
  const single: LabelSelector | undefined = spec.labelSelector ?? undefined;
  const anyOf: LabelSelector[] = spec.orLabelSelectors ?? [];
  const hasSelector = single !== undefined || anyOf.length > 0;
  function selected(labels: Record<string, string> | undefined) {
    if (single) return selectorMatches(single, labels);
    if (anyOf.length > 0)
      return anyOf.some(selector => selectorMatches(selector, labels));
    return true;
  }

  const activeNamespaces = store
    .objects(namespaceKind)
    .filter(isActiveNamespace)
    .filter(ns => namespaces.shouldInclude(ns.metadata.name!));
  const tracked = new Set<string>();
  for (const ns of activeNamespaces) {
    const matchesSelector = hasSelector && selected(ns.metadata.labels);
    const byName = !(namespaces.includeEverything() && hasSelector);
    if (matchesSelector || byName) tracked.add(ns.metadata.name!);
  }

  const items = new Map<string, BackupItem>();
  function add(resource: ResourceType, object: KubeObject) {
    // Objects labelled velero.io/exclude-from-backup=true are never backed up.
    if (object.metadata.labels?.[EXCLUDE_FROM_BACKUP_LABEL] === 'true') return;
    const key = `${qualifiedName(resource)}/${
      object.metadata.namespace ?? ''
    }/${object.metadata.name}`;
    // The store never changes a stored object in place (every write stores a
    // fresh one), so the object as it is now is the Backup's private copy.
    if (!items.has(key)) items.set(key, { resource, object });
  }

  for (const resource of registry.all()) {
    if (!resource.namespaced || !resourceIncluded(spec, resource, namespaces))
      continue;
    for (const ns of activeNamespaces) {
      for (const object of store.objects(resource, {
        namespace: ns.metadata.name,
      })) {
        if (!selected(object.metadata.labels)) continue;
        add(resource, object);
        tracked.add(ns.metadata.name!);
      }
    }
  }

  // Pods bring the claims they mount (velero's pod action returns them as additional items).
  if (resourceIncluded(spec, claimKind, namespaces)) {
    for (const item of [...items.values()]) {
      if (item.resource.kind !== 'Pod' || item.resource.group !== '') continue;
      const volumes = ((item.object.spec as Fields | undefined)?.volumes ??
        []) as Fields[];
      for (const volume of volumes) {
        const claimName = volume.persistentVolumeClaim?.claimName;
        const claim =
          claimName &&
          store.get(claimKind, item.object.metadata.namespace, claimName);
        if (claim) add(claimKind, claim);
      }
    }
  }

  for (const resource of registry.all()) {
    if (resource.namespaced || !resourceIncluded(spec, resource, namespaces))
      continue;
    if (resource === namespaceKind) {
      for (const ns of activeNamespaces) {
        if (tracked.has(ns.metadata.name!)) add(resource, ns);
      }
      continue;
    }
    for (const object of store.objects(resource)) {
      if (selected(object.metadata.labels)) add(resource, object);
    }
  }
  // Velero logs an error (and the Backup ends PartiallyFailed) for each
  // included namespace that does not exist.
  const errors = namespaces.includes
    .filter(name => !/[*?[]/.test(name))
    .filter(name => !activeNamespaces.some(ns => ns.metadata.name === name))
    .map(
      name =>
        `fail to get the namespace ${name} specified in backup.Spec.IncludedNamespaces`,
    );
  return { items: [...items.values()], errors };
}
