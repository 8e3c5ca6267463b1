import { AnnotationError, BackupLayer } from '../types';

/**
 * Identifies one Kubernetes object.
 *
 * @public
 */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/**
 * A problem with one object (e.g. its name is taken by an unmanaged object).
 *
 * @public
 */
export interface ObjectError {
  object: ObjectRef;
  message: string;
}

/**
 * An object that differs from its plan, and where.
 *
 * @public
 */
export interface ObjectUpdate extends ObjectRef {
  /** Dotted paths of the planned fields whose live value differs. */
  changedFields: string[];
}

/**
 * What reconcile did (or, in a dry run, would do) in one cluster.
 *
 * @public
 */
export interface ClusterReconcileResult {
  cluster: string;
  /**
   * Whether the entity wants objects in this cluster. Untargeted clusters are
   * reconciled too, to delete what the entity left there.
   */
  targeted: boolean;
  created: ObjectRef[];
  updated: ObjectUpdate[];
  deleted: ObjectRef[];
  unchanged: ObjectRef[];
  /** Per-object problems; the other objects were still reconciled. */
  objectErrors: ObjectError[];
  /** Set when the cluster could not be reconciled (unreachable, 5xx, timeout). */
  error?: string;
}

/**
 * What reconcile did for one entity.
 *
 * @public
 */
export interface EntityReconcileResult {
  entityRef: string;
  /**
   * The plan's state; `invalid` entities get nothing applied or deleted;
   * `removed`: the entity left the catalog (or the opt-in), its objects go.
   */
  state: 'planned' | 'not-opted-in' | 'invalid' | 'removed';
  dryRun: boolean;
  /** The annotation errors of an invalid entity. */
  errors?: AnnotationError[];
  clusters: ClusterReconcileResult[];
}

/**
 * What started a reconcile.
 *
 * @public
 */
export type ReconcileTrigger = 'schedule' | 'request';

/**
 * A recorded reconcile of one entity: the answer of `POST
 * /entities/{ref}/reconcile`.
 *
 * @public
 */
export interface ReconcileRecord {
  trigger: ReconcileTrigger;
  startedAt: string;
  finishedAt: string;
  /** False when the entity had annotation errors or any cluster or object failed. */
  succeeded: boolean;
  result: EntityReconcileResult;
}

/**
 * Whether a result is free of annotation errors, object errors and errors of
 * the clusters the entity targets. An unreachable cluster the entity does not
 * target only delays the clean-up of what it left there (retried every run).
 *
 * @public
 */
export function isSuccessful(result: EntityReconcileResult): boolean {
  return (
    result.state !== 'invalid' &&
    result.clusters.every(
      cluster =>
        !(cluster.error && cluster.targeted) &&
        cluster.objectErrors.length === 0,
    )
  );
}

/**
 * A Kubernetes object the plan wants in a cluster.
 *
 * @public
 */
export interface PlannedObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  [field: string]: unknown;
}

/**
 * What one cluster should hold for an entity.
 *
 * @public
 */
export interface ClusterPlan {
  cluster: string;
  objects: PlannedObject[];
  /** The Job a restore of the database layer runs (not applied by reconcile). */
  restoreJob?: PlannedObject;
}

/**
 * An entity's plan: per cluster the desired objects, or why there are none.
 *
 * @public
 */
export type EntityPlan =
  | { state: 'not-opted-in'; entityRef: string }
  | { state: 'invalid'; entityRef: string; errors: AnnotationError[] }
  | {
      state: 'planned';
      entityRef: string;
      layers: BackupLayer[];
      clusters: ClusterPlan[];
    };

/**
 * An entity's desired objects and what applying them would change: the
 * answer of `GET /entities/{ref}/plan`.
 *
 * @public
 */
export interface EntityPlanPreview {
  entityRef: string;
  /** The plan: per cluster the desired objects, or the annotation errors. */
  plan: EntityPlan;
  /** A dry run of reconcile: what would be created, updated and deleted. */
  diff: EntityReconcileResult;
  /** The latest recorded reconcile of the entity, if any. */
  lastReconcile?: ReconcileRecord;
}
