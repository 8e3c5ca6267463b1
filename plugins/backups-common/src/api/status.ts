import { AnnotationError, BackupLayer } from '../types';
import { DrillSummary } from './drills';
import { ObjectRef } from './reconcile';

/**
 * How well an entity (or one of its layers) is protected, worst last:
 * `protected`, `at-risk` (overdue, empty, a target missed, storage
 * unavailable), `unprotected` (wanted but not in the cluster, or never ran),
 * `failing` (the last attempts failed); and for the entity itself
 * `not-opted-in` and `invalid` (bad annotations).
 *
 * @public
 */
export type ComplianceState =
  | 'protected'
  | 'at-risk'
  | 'unprotected'
  | 'failing'
  | 'not-opted-in'
  | 'invalid';

/**
 * The states of an opted-in entity, best first.
 *
 * @public
 */
export const COMPLIANCE_STATES: readonly ComplianceState[] = [
  'protected',
  'at-risk',
  'unprotected',
  'failing',
  'not-opted-in',
  'invalid',
];

/**
 * How one backup run ended: a good copy, a copy that holds nothing, a
 * failure, or still running.
 *
 * @public
 */
export type RunOutcome = 'good' | 'empty' | 'failed' | 'running';

/**
 * One copy of an entity's data in one layer and cluster: a Velero Backup, a
 * database dump, or a VolumeSnapshot.
 *
 * @public
 */
export interface RestorePoint {
  layer: BackupLayer;
  cluster: string;
  /** The Backup, dump file or VolumeSnapshot name; unique per layer and cluster. */
  id: string;
  /** When the copy was taken (its completion, or creation while running). */
  time: string;
  startedAt?: string;
  finishedAt?: string;
  /** Velero's phase, `Succeeded`/`Failed` for a dump, `Ready`/`Pending`/`Failed` for a snapshot. */
  phase: string;
  outcome: RunOutcome;
  /** Whether it counts as a copy to restore from (finished, not empty). */
  good: boolean;
  /** Why it does not count, in a sentence, when it does not. */
  reason?: string;
  /** Velero: items backed up, of the total. */
  items?: number;
  totalItems?: number;
  /** Dumps and snapshots: size in bytes. */
  bytes?: number;
  /** Dumps: the sha256 of the file and its path in the dump storage. */
  sha256?: string;
  file?: string;
  /** Snapshots: the PVC it copies. */
  pvc?: string;
  /** When its retention removes it, when that is known. */
  expiresAt?: string;
  /** Taken on demand (Back up now) rather than by the schedule. */
  onDemand: boolean;
  /** The object that holds it in the cluster, when there is one. */
  object?: ObjectRef;
}

/**
 * One run of a layer, for the timeline.
 *
 * @public
 */
export interface LayerRun {
  time: string;
  outcome: RunOutcome;
}

/**
 * One layer of an entity in one cluster.
 *
 * @public
 */
export interface LayerStatus {
  layer: BackupLayer;
  cluster: string;
  /** Whether the Schedule, CronJob or SnapshotSchedule is in the cluster. */
  configured: boolean;
  schedule: string;
  /** The schedule in words. */
  scheduleDescription: string;
  nextRunAt?: string;
  /** One period of the schedule, and the grace added before a run is overdue. */
  periodMs: number;
  graceMs: number;
  lastSuccessAt?: string;
  lastAttemptAt?: string;
  lastAttemptOutcome?: RunOutcome;
  /** Whether a run is in progress. */
  running: boolean;
  /** Good restore points held. */
  restorePointCount: number;
  state: Exclude<ComplianceState, 'not-opted-in' | 'invalid'>;
  /** Sentences a person can act on, most important first. */
  reasons: string[];
  /** The runs of the last 7 days, newest first. */
  recentRuns: LayerRun[];
}

/**
 * Whether a cluster answers, and how old what is known of it is.
 *
 * @public
 */
export interface ClusterStatus {
  cluster: string;
  reachable: boolean;
  /** When the plugin last heard from the cluster. */
  lastHeardAt?: string;
  /** Set while the cluster does not answer: since when, and what failed. */
  unreachableSince?: string;
  error?: string;
  /** The age of the freshest good copy of the data in this cluster. */
  dataAgeMs?: number;
  dataAsOf?: string;
}

/**
 * The recovery point objective: the target, and what is achieved (the age of
 * the freshest good copy of the data).
 *
 * @public
 */
export interface RpoStatus {
  target: string;
  targetMs: number;
  achievedMs?: number;
  /** The copy that achieves it. */
  achievedBy?: { layer: BackupLayer; cluster: string; time: string };
  met: boolean;
}

/**
 * The answer of `GET /entities/{ref}/status`.
 *
 * @public
 */
export interface EntityStatus {
  entityRef: string;
  state: ComplianceState;
  /** Sentences a person can act on; the first one sums the state up. */
  reasons: string[];
  /** Present for opted-in, valid entities. */
  policy?: string;
  rpo?: RpoStatus;
  rto?: { target: string; targetMs: number };
  layers: LayerStatus[];
  clusters: ClusterStatus[];
  /** Problems of the intent itself (e.g. a policy that can never meet its RPO). */
  warnings: string[];
  /** The annotation errors of an invalid entity. */
  errors?: AnnotationError[];
  /** The newest finished drill, once one has run. */
  lastDrill?: DrillSummary;
  /** When this status was computed. */
  generatedAt: string;
}

/**
 * The answer of `GET /entities/{ref}/restore-points`, newest first.
 *
 * @public
 */
export interface RestorePointList {
  entityRef: string;
  layer?: BackupLayer;
  restorePoints: RestorePoint[];
}

/**
 * The answer of `POST /entities/{ref}/backups`: what was created.
 *
 * @public
 */
export interface OnDemandBackup {
  entityRef: string;
  layer: BackupLayer;
  cluster: string;
  created: ObjectRef[];
}

/**
 * One opted-in entity of the fleet (`GET /overview`).
 *
 * @public
 */
export interface OverviewRow {
  entityRef: string;
  title?: string;
  owner?: string;
  policy?: string;
  state: ComplianceState;
  /** The first reason of the entity's state. */
  summary: string;
  /** The newest good restore point per layer, any cluster. */
  newestGood: Partial<Record<BackupLayer, string>>;
  rpo?: { target: string; targetMs: number; achievedMs?: number };
  /** The newest finished drill, once one has run. */
  lastDrill?: DrillSummary;
}

/**
 * A page of the fleet.
 *
 * @public
 */
export interface OverviewPage {
  items: OverviewRow[];
  totalCount: number;
  offset: number;
  limit: number;
  /** How many rows of the whole fleet (after the filters) are in each state. */
  stateCounts: Partial<Record<ComplianceState, number>>;
  /**
   * When the list of entities was read from the catalog, if it is that of the
   * last reconcile run rather than of this request (statuses are current).
   */
  entitiesAsOf?: string;
}
