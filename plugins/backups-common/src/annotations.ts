/**
 * The catalog annotations that opt an entity into backups and tune its protection.
 *
 * @public
 */
export const BACKUPS_ANNOTATIONS = {
  policy: 'backups/policy',
  cluster: 'backups/cluster',
  layers: 'backups/layers',
  rpo: 'backups/rpo',
  rto: 'backups/rto',
  veleroSchedule: 'backups/velero-schedule',
  veleroTtl: 'backups/velero-ttl',
  veleroSnapshotVolumes: 'backups/velero-snapshot-volumes',
  database: 'backups/database',
  databaseHost: 'backups/database-host',
  databaseName: 'backups/database-name',
  databaseSecret: 'backups/database-secret',
  databaseSchedule: 'backups/database-schedule',
  databaseRetention: 'backups/database-retention',
  volumeSnapshotPvcs: 'backups/volume-snapshot-pvcs',
  volumeSnapshotSchedule: 'backups/volume-snapshot-schedule',
  volumeSnapshotRetention: 'backups/volume-snapshot-retention',
  volumeSnapshotClass: 'backups/volume-snapshot-class',
  drillSchedule: 'backups/drill-schedule',
  drillVerify: 'backups/drill-verify',
} as const;

/**
 * The name of one of the `backups/*` catalog annotations.
 *
 * @public
 */
export type BackupsAnnotation =
  (typeof BACKUPS_ANNOTATIONS)[keyof typeof BACKUPS_ANNOTATIONS];

/**
 * The prefix shared by every backups annotation.
 *
 * @public
 */
export const BACKUPS_ANNOTATION_PREFIX = 'backups/';

/**
 * The Kubernetes plugin's annotations, reused to find an entity's workload.
 *
 * @public
 */
export const KUBERNETES_ANNOTATIONS = {
  id: 'backstage.io/kubernetes-id',
  labelSelector: 'backstage.io/kubernetes-label-selector',
  namespace: 'backstage.io/kubernetes-namespace',
} as const;

/**
 * The namespace used when an entity has no `backstage.io/kubernetes-namespace`.
 *
 * @public
 */
export const DEFAULT_KUBERNETES_NAMESPACE = 'default';

/**
 * Labels and annotations put on every object the plugin manages in a cluster.
 *
 * @public
 */
export const MANAGED_OBJECT_LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  entityKind: 'backups/entity-kind',
  entityNamespace: 'backups/entity-namespace',
  entityName: 'backups/entity-name',
  layer: 'backups/layer',
  /** On a restore's objects and the namespace it restores into: the restore's id. */
  restore: 'backups/restore',
  /** On a drill's objects and its namespace: the drill's id. */
  drill: 'backups/drill',
} as const;

/**
 * Labels that mark a namespace as a copy made by a restore or a drill: the
 * reconciler never adopts, rewrites or deletes anything in it.
 *
 * @public
 */
export const COPY_NAMESPACE_LABELS = [
  MANAGED_OBJECT_LABELS.restore,
  MANAGED_OBJECT_LABELS.drill,
] as const;

/**
 * The value of the managed-by label on every object the plugin manages.
 *
 * @public
 */
export const MANAGED_BY_VALUE = 'backstage-backups';

/**
 * The annotation holding the full entity ref on every managed object.
 *
 * @public
 */
export const ENTITY_REF_ANNOTATION = 'backups/entity-ref';
