/**
 * The three layers of protection, from whole-application to storage.
 *
 * @public
 */
export const BACKUP_LAYERS = ['velero', 'database', 'volume-snapshot'] as const;

/**
 * One layer of protection.
 *
 * @public
 */
export type BackupLayer = (typeof BACKUP_LAYERS)[number];

/**
 * The database engines whose logical dumps the plugin can schedule.
 *
 * @public
 */
export const DATABASE_ENGINES = ['postgres', 'mysql', 'mongodb'] as const;

/**
 * A database engine.
 *
 * @public
 */
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number];

/**
 * A duration as written (`4h`) and in milliseconds.
 *
 * @public
 */
export interface DurationValue {
  text: string;
  milliseconds: number;
}

/**
 * How many restore points to keep: a count, or everything younger than an age.
 *
 * @public
 */
export type Retention =
  | { type: 'count'; count: number }
  | { type: 'age'; maxAge: DurationValue };

/**
 * A label selector requirement, as Kubernetes models them.
 *
 * @public
 */
export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

/**
 * The pods and resources of an entity in a cluster.
 *
 * @public
 */
export interface WorkloadSelector {
  namespace: string;
  /** The selector as written, e.g. `backstage.io/kubernetes-id=orders`. */
  labelSelector?: string;
  /** The same selector parsed; absent when the entity names no workload. */
  requirements?: LabelSelectorRequirement[];
}

/**
 * @public
 */
export interface VeleroIntent {
  schedule: string;
  ttl: string;
  snapshotVolumes: boolean;
}

/**
 * @public
 */
export interface DatabaseIntent {
  engine: DatabaseEngine;
  host: string;
  port: number;
  /** Empty means every database on the server. */
  databases: string[];
  secretName: string;
  schedule: string;
  retention: Retention;
}

/**
 * The PVCs to snapshot: by name or by label selector.
 *
 * @public
 */
export type PvcSelection =
  | { type: 'names'; names: string[] }
  | {
      type: 'selector';
      labelSelector: string;
      requirements: LabelSelectorRequirement[];
    };

/**
 * @public
 */
export interface VolumeSnapshotIntent {
  pvcs: PvcSelection;
  schedule: string;
  retention: Retention;
  className?: string;
}

/**
 * @public
 */
export interface DrillIntent {
  /** A 5-field cron, or undefined when automatic drills are off. */
  schedule?: string;
  verify?: string;
}

/**
 * What an entity asked to be protected by: the policy with its annotations
 * applied, validated.
 *
 * @public
 */
export interface ProtectionIntent {
  entityRef: string;
  policy: string;
  clusters: string[];
  layers: BackupLayer[];
  targets: { rpo: DurationValue; rto: DurationValue };
  workload: WorkloadSelector;
  velero?: VeleroIntent;
  database?: DatabaseIntent;
  volumeSnapshot?: VolumeSnapshotIntent;
  drill: DrillIntent;
}

/**
 * One bad annotation: its name, its value and what would be allowed.
 *
 * @public
 */
export interface AnnotationError {
  annotation: string;
  /** Absent when the annotation is required but missing. */
  value?: string;
  /** A full sentence naming the annotation, the value and what is allowed. */
  message: string;
  allowed: string;
}

/**
 * The answer of `GET /entities/{ref}/intent`, and of the intent parser.
 *
 * @public
 */
export type ProtectionIntentResult =
  | {
      state: 'not-opted-in';
      entityRef: string;
      /** `backups/*` annotations present although `backups/policy` is not. */
      ignoredAnnotations: string[];
    }
  | { state: 'invalid'; entityRef: string; errors: AnnotationError[] }
  | { state: 'valid'; entityRef: string; intent: ProtectionIntent };

/**
 * A protection tier from `backups.policies` in app-config.
 *
 * @public
 */
export interface BackupPolicy {
  rpo: string;
  rto: string;
  velero?: { schedule: string; ttl?: string; snapshotVolumes?: boolean };
  database?: { schedule: string; retention?: string | number };
  volumeSnapshots?: {
    schedule: string;
    retention?: string | number;
    className?: string;
  };
  drill?: { schedule: string };
}

/**
 * What the intent parser needs to know of the configuration.
 *
 * @public
 */
export interface IntentContext {
  policies: Record<string, BackupPolicy>;
  clusterNames: string[];
  defaultCluster?: string;
}
