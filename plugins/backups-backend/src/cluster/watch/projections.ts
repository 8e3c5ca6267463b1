/**
 * What the status reads of each watched kind: a few fields per object, never
 * whole objects (a fleet's Backups, Jobs and snapshots stay in memory).
 */
import {
  ENTITY_REF_ANNOTATION,
  MANAGED_OBJECT_LABELS,
} from '@backups-for-backstage/plugin-backups-common';
import * as k8s from '@kubernetes/client-node';
import { WatchedKind } from './ResourceCache';

type Raw = k8s.KubernetesObject & Record<string, any>;

/** Set on restore points taken by "Back up now". */
export const ON_DEMAND_LABEL = 'backups/on-demand';
/** Velero's label on the Backups of a Schedule. */
export const VELERO_SCHEDULE_LABEL = 'velero.io/schedule-name';

export const WATCHED_KINDS = {
  backups: { apiVersion: 'velero.io/v1', kind: 'Backup', plural: 'backups' },
  schedules: {
    apiVersion: 'velero.io/v1',
    kind: 'Schedule',
    plural: 'schedules',
  },
  restores: {
    apiVersion: 'velero.io/v1',
    kind: 'Restore',
    plural: 'restores',
  },
  storageLocations: {
    apiVersion: 'velero.io/v1',
    kind: 'BackupStorageLocation',
    plural: 'backupstoragelocations',
  },
  cronJobs: { apiVersion: 'batch/v1', kind: 'CronJob', plural: 'cronjobs' },
  jobs: { apiVersion: 'batch/v1', kind: 'Job', plural: 'jobs' },
  pods: { apiVersion: 'v1', kind: 'Pod', plural: 'pods' },
  claims: {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    plural: 'persistentvolumeclaims',
  },
  snapshots: {
    apiVersion: 'snapshot.storage.k8s.io/v1',
    kind: 'VolumeSnapshot',
    plural: 'volumesnapshots',
  },
  snapshotSchedules: {
    apiVersion: 'snapscheduler.backube/v1',
    kind: 'SnapshotSchedule',
    plural: 'snapshotschedules',
  },
} satisfies Record<string, WatchedKind>;

/** A timestamp as ISO text, whether client-node parsed it into a Date or not. */
export function iso(value: unknown): string | undefined {
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'string' || value === '') return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

function labels(object: Raw): Record<string, string> {
  return object.metadata?.labels ?? {};
}

/** The managed labels of an entity as one key: `<kind>/<namespace>/<name>` (label values). */
export function entityKeyOfLabels(
  objectLabels: Record<string, string>,
): string | undefined {
  const kind = objectLabels[MANAGED_OBJECT_LABELS.entityKind];
  const namespace = objectLabels[MANAGED_OBJECT_LABELS.entityNamespace];
  const name = objectLabels[MANAGED_OBJECT_LABELS.entityName];
  return kind && namespace && name ? `${kind}/${namespace}/${name}` : undefined;
}

function entityRef(object: Raw): string | undefined {
  return object.metadata?.annotations?.[ENTITY_REF_ANNOTATION];
}

function number(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

export interface CachedBackup {
  name: string;
  schedule?: string;
  onDemand: boolean;
  /** Velero 1.18 never writes `New`: no phase yet is new. */
  phase: string;
  createdAt?: string;
  startedAt?: string;
  completedAt?: string;
  expiresAt?: string;
  itemsBackedUp?: number;
  totalItems?: number;
  /** Velero always captures the Namespace object of each included namespace. */
  includedNamespaces: number;
  errors?: number;
  warnings?: number;
  failureReason?: string;
}

export function projectBackup(object: Raw): CachedBackup {
  const status = object.status ?? {};
  const spec = object.spec ?? {};
  return {
    name: object.metadata!.name!,
    schedule: labels(object)[VELERO_SCHEDULE_LABEL],
    onDemand: labels(object)[ON_DEMAND_LABEL] === 'true',
    phase: status.phase ?? '',
    createdAt: iso(object.metadata?.creationTimestamp),
    startedAt: iso(status.startTimestamp),
    completedAt: iso(status.completionTimestamp),
    expiresAt: iso(status.expiration),
    itemsBackedUp: number(status.progress?.itemsBackedUp),
    totalItems: number(status.progress?.totalItems),
    includedNamespaces: Array.isArray(spec.includedNamespaces)
      ? spec.includedNamespaces.filter((ns: string) => ns !== '*').length
      : 0,
    errors: number(status.errors),
    warnings: number(status.warnings),
    failureReason: status.failureReason,
  };
}

export interface CachedRestore {
  name: string;
  /** Our restore's id (label `backups/restore`). */
  restoreId?: string;
  /** Our drill's id (label `backups/drill`). */
  drillId?: string;
  /** Velero's phase; none yet is new. */
  phase: string;
  startedAt?: string;
  completedAt?: string;
  itemsRestored?: number;
  totalItems?: number;
  errors?: number;
  warnings?: number;
  failureReason?: string;
  validationErrors: string[];
}

export function projectRestore(object: Raw): CachedRestore {
  const status = object.status ?? {};
  return {
    name: object.metadata!.name!,
    restoreId: labels(object)[MANAGED_OBJECT_LABELS.restore],
    drillId: labels(object)[MANAGED_OBJECT_LABELS.drill],
    phase: status.phase ?? '',
    startedAt: iso(status.startTimestamp),
    completedAt: iso(status.completionTimestamp),
    itemsRestored: number(status.progress?.itemsRestored),
    totalItems: number(status.progress?.totalItems),
    errors: number(status.errors),
    warnings: number(status.warnings),
    failureReason: status.failureReason,
    validationErrors: Array.isArray(status.validationErrors)
      ? status.validationErrors.map(String)
      : [],
  };
}

export interface CachedSchedule {
  name: string;
  entityRef?: string;
  schedule: string;
  storageLocation?: string;
  phase?: string;
  paused: boolean;
}

export function projectSchedule(object: Raw): CachedSchedule {
  return {
    name: object.metadata!.name!,
    entityRef: entityRef(object),
    schedule: object.spec?.schedule ?? '',
    storageLocation: object.spec?.template?.storageLocation,
    phase: object.status?.phase,
    paused: object.spec?.paused === true,
  };
}

export interface CachedStorageLocation {
  name: string;
  phase?: string;
  isDefault: boolean;
  message?: string;
}

export function projectStorageLocation(object: Raw): CachedStorageLocation {
  return {
    name: object.metadata!.name!,
    phase: object.status?.phase,
    isDefault: object.spec?.default === true,
    message: object.status?.message,
  };
}

export interface CachedCronJob {
  namespace: string;
  name: string;
  entityRef?: string;
  schedule: string;
  suspended: boolean;
}

export function projectCronJob(object: Raw): CachedCronJob {
  return {
    namespace: object.metadata!.namespace!,
    name: object.metadata!.name!,
    entityRef: entityRef(object),
    schedule: object.spec?.schedule ?? '',
    suspended: object.spec?.suspend === true,
  };
}

export interface CachedJob {
  namespace: string;
  name: string;
  entityKey?: string;
  layer?: string;
  /** The CronJob that made it. */
  cronJob?: string;
  /** The restore (label `backups/restore`) whose Job it is. */
  restoreId?: string;
  /** The drill (label `backups/drill`) whose Job it is. */
  drillId?: string;
  onDemand: boolean;
  createdAt?: string;
  startedAt?: string;
  completedAt?: string;
  active: number;
  outcome: 'running' | 'succeeded' | 'failed';
  failureMessage?: string;
}

export function projectJob(object: Raw): CachedJob {
  const status = object.status ?? {};
  const conditions: Array<Record<string, string>> = status.conditions ?? [];
  const failed = conditions.find(
    c => c.type === 'Failed' && c.status === 'True',
  );
  const complete = conditions.find(
    c => c.type === 'Complete' && c.status === 'True',
  );
  let outcome: CachedJob['outcome'] = 'running';
  if (failed) outcome = 'failed';
  else if (complete) outcome = 'succeeded';
  const owner = (object.metadata?.ownerReferences ?? []).find(
    ref => ref.kind === 'CronJob',
  );
  return {
    namespace: object.metadata!.namespace!,
    name: object.metadata!.name!,
    entityKey: entityKeyOfLabels(labels(object)),
    layer: labels(object)[MANAGED_OBJECT_LABELS.layer],
    cronJob: owner?.name,
    restoreId: labels(object)[MANAGED_OBJECT_LABELS.restore],
    drillId: labels(object)[MANAGED_OBJECT_LABELS.drill],
    onDemand:
      object.metadata?.annotations?.['cronjob.kubernetes.io/instantiate'] ===
      'manual',
    createdAt: iso(object.metadata?.creationTimestamp),
    startedAt: iso(status.startTime),
    completedAt: iso(status.completionTime) ?? iso(failed?.lastTransitionTime),
    active: number(status.active) ?? 0,
    outcome,
    failureMessage: failed
      ? [failed.reason, failed.message].filter(Boolean).join(': ')
      : undefined,
  };
}

export interface CachedWorkload {
  namespace: string;
  name: string;
  labels: Record<string, string>;
}

export function projectWorkload(object: Raw): CachedWorkload {
  return {
    namespace: object.metadata!.namespace!,
    name: object.metadata!.name!,
    labels: labels(object),
  };
}

export interface CachedClaim extends CachedWorkload {
  /** `Pending`, `Bound` or `Lost`; none yet is new. */
  phase: string;
  /** The restore (label `backups/restore`) that created it. */
  restoreId?: string;
  /** The drill (label `backups/drill`) that created it. */
  drillId?: string;
}

export function projectClaim(object: Raw): CachedClaim {
  return {
    ...projectWorkload(object),
    phase: object.status?.phase ?? '',
    restoreId: labels(object)[MANAGED_OBJECT_LABELS.restore],
    drillId: labels(object)[MANAGED_OBJECT_LABELS.drill],
  };
}

export interface CachedSnapshot {
  namespace: string;
  name: string;
  entityKey?: string;
  pvc?: string;
  onDemand: boolean;
  createdAt?: string;
  readyToUse: boolean;
  restoreSize?: string;
  error?: string;
  /** The restore (label `backups/restore`) whose copy it is. */
  restoreId?: string;
  /** The drill (label `backups/drill`) whose copy it is. */
  drillId?: string;
}

export function projectSnapshot(object: Raw): CachedSnapshot {
  const status = object.status ?? {};
  return {
    namespace: object.metadata!.namespace!,
    name: object.metadata!.name!,
    entityKey: entityKeyOfLabels(labels(object)),
    pvc: object.spec?.source?.persistentVolumeClaimName,
    onDemand: labels(object)[ON_DEMAND_LABEL] === 'true',
    createdAt:
      iso(status.creationTime) ?? iso(object.metadata?.creationTimestamp),
    readyToUse: status.readyToUse === true,
    restoreSize:
      typeof status.restoreSize === 'string' ? status.restoreSize : undefined,
    error: status.error?.message,
    restoreId: labels(object)[MANAGED_OBJECT_LABELS.restore],
    drillId: labels(object)[MANAGED_OBJECT_LABELS.drill],
  };
}

export interface CachedSnapshotSchedule {
  namespace: string;
  name: string;
  entityRef?: string;
  schedule: string;
  disabled: boolean;
}

export function projectSnapshotSchedule(object: Raw): CachedSnapshotSchedule {
  return {
    namespace: object.metadata!.namespace!,
    name: object.metadata!.name!,
    entityRef: entityRef(object),
    schedule: object.spec?.schedule ?? '',
    disabled: object.spec?.disabled === true,
  };
}
