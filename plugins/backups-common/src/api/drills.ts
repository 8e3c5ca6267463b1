import { BackupLayer } from '../types';
import { ObjectRef } from './reconcile';
import { RestoreStep } from './restores';

/**
 * Where a drill is: still running, or its verdict.
 *
 * - `passed`: every layer came back, within the RTO and the RPO targets;
 * - `failed`: a step failed (the record names it and why);
 * - `missed-target`: everything came back, but slower than the RTO or from a
 *   restore point older than the RPO.
 *
 * @public
 */
export type DrillState = 'running' | 'passed' | 'failed' | 'missed-target';

/**
 * The verdicts of a drill, in order of severity.
 *
 * @public
 */
export const DRILL_VERDICTS: readonly Exclude<DrillState, 'running'>[] = [
  'passed',
  'missed-target',
  'failed',
];

/**
 * The restore point a drill used for one layer, and how old it was.
 *
 * @public
 */
export interface DrillLayerResult {
  layer: BackupLayer;
  restorePoint: {
    id: string;
    time: string;
    /** Dumps: the file the drill loads, and the sha256 recorded when it was made. */
    file?: string;
    sha256?: string;
  };
  /** The restore point's age when the drill started: the RPO achieved for this layer. */
  ageMs: number;
}

/**
 * A disaster-recovery drill and its progress (`GET /drills/{id}`).
 *
 * @public
 */
export interface DrillRecord {
  id: string;
  entityRef: string;
  cluster: string;
  /** The scratch namespace `<namespacePrefix><entity>-<id>`, labelled `backups/drill=<id>`. */
  namespace: string;
  /** Who asked (a user or service), or `schedule` for a scheduled drill. */
  requestedBy: string;
  trigger: 'manual' | 'schedule';
  /** For a scheduled drill: the run of its schedule it was started for. */
  scheduledFor?: string;
  /** When the drill started: its RTO is measured from here. */
  requestedAt: string;
  reason?: string;
  state: DrillState;
  steps: RestoreStep[];
  finishedAt?: string;
  /** The verdict, or why the drill failed, in a sentence. */
  outcome?: string;
  /** The step that failed, when one did. */
  failedStep?: string;
  /**
   * The verdict, once the restores ended: `state` takes it when everything
   * the drill created is gone (the entity stays held until then).
   */
  verdict?: Exclude<DrillState, 'running'>;
  targets: { rtoMs: number; rpoMs: number };
  achieved: {
    /** Drill start to verified; absent until every step succeeded. */
    rtoMs?: number;
    /** The age of the freshest restore point used (the entity's achieved RPO). */
    rpoMs?: number;
    layers: DrillLayerResult[];
  };
  /** What the drill created in the cluster (deleted again when it ends). */
  created: ObjectRef[];
  /** Set once everything the drill created is gone. */
  cleanedUpAt?: string;
}

/**
 * What an entity's newest finished drill showed, in its status
 * (`EntityStatus.lastDrill`) and its fleet row (`OverviewRow.lastDrill`): the
 * verdict, when, the RTO achieved against the drill's target, and the step
 * that failed. The whole record is at `GET /drills/{id}`.
 *
 * @public
 */
export interface DrillSummary {
  id: string;
  /** The verdict (a drill still running is not summed up here). */
  state: Exclude<DrillState, 'running'>;
  /** When the drill started. */
  requestedAt: string;
  /** When it ended: everything it created was deleted. */
  finishedAt?: string;
  /** Drill start to verified; absent when a step failed. */
  achievedRtoMs?: number;
  /** The RTO the drill was held to. */
  targetRtoMs: number;
  /** The step that failed (its name, as in `DrillRecord.steps`), and its title. */
  failedStep?: string;
  failedStepTitle?: string;
  /** The verdict, or why the drill failed, in a sentence. */
  outcome?: string;
}

/**
 * An entity's drills, newest first (`GET /entities/{ref}/drills`).
 *
 * @public
 */
export interface DrillList {
  entityRef: string;
  drills: DrillRecord[];
}

/**
 * The signal channel on which the backend announces that one of an entity's
 * drills advanced (message `{id, state}`).
 *
 * @public
 */
export function drillSignalChannel(entityRef: string): string {
  return `backups:drills:${entityRef}`;
}
