import { KubeObject, ResourceType } from '../../resources/types';
import { SERVER_VERSION } from '../../server/discovery';
import { ObjectStore } from '../../store/ObjectStore';
import { formatGoDuration, parseGoDuration } from '../durations';
import { validLabelValue } from '../names';
import { Fields } from '../runtime';
import { AUTO_EXCLUDED } from './backupItems';
import {
  EXCLUDE_FROM_BACKUP_LABEL,
  isLocationAvailable,
  isReadOnly,
  STORAGE_LOCATION_LABEL,
  validateIncludesExcludes,
  validateScopedIncludesExcludes,
} from './common';

const DEFAULT_CSI_SNAPSHOT_TIMEOUT = '10m0s';
const DEFAULT_ITEM_OPERATION_TIMEOUT = '4h0m0s';
const DEFAULT_VGS_LABEL_KEY = 'velero.io/volume-group';

/** modifyResourceIncludeExclude: adds `name` to excluded<suffix> and drops it from included<suffix>. */
function withExcluded(spec: Fields, suffix: string, name: string) {
  const excluded: string[] = [...(spec[`excluded${suffix}`] ?? [])];
  if (!excluded.includes(name)) excluded.push(name);
  spec[`excluded${suffix}`] = excluded;
  const included: string[] | undefined = spec[`included${suffix}`];
  if (included) spec[`included${suffix}`] = included.filter(i => i !== name);
}

/** A Backup as the backup controller rewrites it before running it. */
export interface PreparedBackup {
  spec: Fields;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Non-empty: the Backup ends FailedValidation with these `validationErrors`. */
  errors: string[];
}

/**
 * Velero 1.18's prepareBackupRequest: the defaults it writes into the spec
 * (TTL, storage location, timeouts, auto-excluded kinds, namespaces labelled
 * `velero.io/exclude-from-backup`), the `velero.io/storage-location` label,
 * the source-cluster annotations, and the validation errors, with Velero's
 * messages.
 */
export function prepareBackup(
  store: ObjectStore,
  locations: ResourceType,
  backup: KubeObject,
  defaultTtlMs: number,
): PreparedBackup {
  const namespacesKind = store.registry.findKind('v1', 'Namespace')!;
  const spec = structuredClone((backup.spec ?? {}) as Fields);
  const labels = { ...(backup.metadata.labels ?? {}) };
  const annotations = { ...(backup.metadata.annotations ?? {}) };
  const errors: string[] = [];
  const namespace = backup.metadata.namespace!;
  const ttl =
    typeof spec.ttl === 'string' ? parseGoDuration(spec.ttl) : undefined;
  if (!ttl) spec.ttl = formatGoDuration(defaultTtlMs);
  if (!spec.volumeGroupSnapshotLabelKey)
    spec.volumeGroupSnapshotLabelKey = DEFAULT_VGS_LABEL_KEY;
  if (!spec.csiSnapshotTimeout || !parseGoDuration(spec.csiSnapshotTimeout)) {
    spec.csiSnapshotTimeout = DEFAULT_CSI_SNAPSHOT_TIMEOUT;
  }
  if (
    !spec.itemOperationTimeout ||
    !parseGoDuration(spec.itemOperationTimeout)
  ) {
    spec.itemOperationTimeout = DEFAULT_ITEM_OPERATION_TIMEOUT;
  }
  if (spec.defaultVolumesToRestic === true)
    spec.defaultVolumesToFsBackup = true;
  spec.defaultVolumesToFsBackup ??= false;
  spec.snapshotMoveData ??= false;

  let serverSpecified = false;
  if (!spec.storageLocation) {
    serverSpecified = true;
    const marked = store
      .objects(locations, { namespace })
      .find(
        location => (location.spec as Fields | undefined)?.default === true,
      );
    spec.storageLocation = marked?.metadata.name ?? 'default';
  }
  const location = store.get(locations, namespace, spec.storageLocation);
  if (!location) {
    const what = serverSpecified
      ? `the server default ${spec.storageLocation} does not exist`
      : `the default ${spec.storageLocation} was not found`;
    errors.push(
      `an existing backup storage location was not specified at backup creation time and ${what}. Please address this issue (see \`velero backup-location -h\` for options) and create a new backup. Error: backupstoragelocations.velero.io "${spec.storageLocation}" not found`,
    );
  } else {
    if (isReadOnly(location)) {
      errors.push(
        `backup can't be created because backup storage location ${location.metadata.name} is currently in read-only mode`,
      );
    }
    if (!isLocationAvailable(location)) {
      errors.push(
        `backup can't be created because BackupStorageLocation ${location.metadata.name} is in Unavailable status.`,
      );
    }
  }
  labels[STORAGE_LOCATION_LABEL] = validLabelValue(spec.storageLocation);
  annotations['velero.io/source-cluster-k8s-gitversion'] =
    SERVER_VERSION.gitVersion;
  annotations['velero.io/source-cluster-k8s-major-version'] =
    SERVER_VERSION.major;
  annotations['velero.io/source-cluster-k8s-minor-version'] =
    SERVER_VERSION.minor;
  annotations['velero.io/resource-timeout'] = '10m0s';

  const excludedByLabel = store
    .objects(namespacesKind, {
      labels: [
        { key: EXCLUDE_FROM_BACKUP_LABEL, operator: 'in', values: ['true'] },
      ],
    })
    .map(ns => ns.metadata.name!);
  if (excludedByLabel.length > 0) {
    spec.excludedNamespaces = [
      ...(spec.excludedNamespaces ?? []),
      ...excludedByLabel,
    ];
  }

  const scoped = [
    'includedClusterScopedResources',
    'excludedClusterScopedResources',
    'includedNamespaceScopedResources',
    'excludedNamespaceScopedResources',
  ].some(field => (spec[field] ?? []).length > 0);
  const old =
    (spec.includedResources ?? []).length > 0 ||
    (spec.excludedResources ?? []).length > 0 ||
    spec.includeClusterResources !== undefined;
  if (scoped && old) {
    errors.push(
      'include-resources, exclude-resources and include-cluster-resources are old filter parameters.\n' +
        'include-cluster-scoped-resources, exclude-cluster-scoped-resources, include-namespace-scoped-resources and exclude-namespace-scoped-resources are new filter parameters.\n' +
        'They cannot be used together',
    );
  }
  if (!scoped) {
    const problems = validateIncludesExcludes(
      spec.includedResources,
      spec.excludedResources,
    );
    problems.forEach(p =>
      errors.push(`Invalid included/excluded resource lists: ${p}`),
    );
    if (problems.length === 0) {
      AUTO_EXCLUDED.forEach(name => withExcluded(spec, 'Resources', name));
    }
  } else {
    const cluster = validateScopedIncludesExcludes(
      spec.includedClusterScopedResources,
      spec.excludedClusterScopedResources,
    );
    cluster.forEach(p =>
      errors.push(
        `Invalid cluster-scoped included/excluded resource lists: ${p}`,
      ),
    );
    const namespaced = validateScopedIncludesExcludes(
      spec.includedNamespaceScopedResources,
      spec.excludedNamespaceScopedResources,
    );
    namespaced.forEach(p =>
      errors.push(
        `Invalid namespace-scoped included/excluded resource lists: ${p}`,
      ),
    );
    if (cluster.length === 0) {
      withExcluded(spec, 'ClusterScopedResources', AUTO_EXCLUDED[1]);
    }
    if (namespaced.length === 0) {
      withExcluded(spec, 'NamespaceScopedResources', AUTO_EXCLUDED[0]);
    }
  }
  validateIncludesExcludes(
    spec.includedNamespaces,
    spec.excludedNamespaces,
  ).forEach(p =>
    errors.push(`Invalid included/excluded namespace lists: ${p}`),
  );
  if (spec.orLabelSelectors && spec.labelSelector) {
    errors.push(
      'encountered labelSelector as well as orLabelSelectors in backup spec, only one can be specified',
    );
  }
  return { spec, labels, annotations, errors };
}
