import { BackupLayer } from '../types';
import { ObjectRef } from './reconcile';

/**
 * Where a restore puts the data: a new place beside the original (a new
 * namespace, database or PVC), or the original itself.
 *
 * @public
 */
export type RestoreMode = 'namespace' | 'in-place';

/**
 * The restore modes, the default first.
 *
 * @public
 */
export const RESTORE_MODES: readonly RestoreMode[] = ['namespace', 'in-place'];

/**
 * What Velero does with an object that already exists in the target: `none`
 * leaves it (Velero's default, and ours), `update` patches it.
 *
 * @public
 */
export type ExistingResourcePolicy = 'none' | 'update';

/**
 * The body of `POST /entities/{ref}/restores`.
 *
 * @public
 */
export interface RestoreRequest {
  layer: BackupLayer;
  /** The restore point's id, as `GET …/restore-points` lists it. */
  restorePoint: string;
  /** The restore point's cluster, when the entity has several. */
  cluster?: string;
  target: {
    mode: RestoreMode;
    /** For `namespace`: the new namespace (default `<namespace>-restore-<id>`). */
    namespace?: string;
    /** For an in-place Velero restore (default `none`). */
    existingResourcePolicy?: ExistingResourcePolicy;
  };
  /** For `in-place`: the entity's name, typed by the person asking. */
  confirm?: string;
  /** Why, for the history and the audit log. */
  reason?: string;
}

/**
 * A restore's state.
 *
 * @public
 */
export type RestoreState = 'running' | 'completed' | 'failed';

/**
 * One step of a restore, as it advances.
 *
 * @public
 */
export interface RestoreStep {
  name: string;
  /** The step in words. */
  title: string;
  state: 'pending' | 'running' | 'succeeded' | 'failed';
  startedAt?: string;
  finishedAt?: string;
  /** What happened, in a sentence, when there is something to say. */
  message?: string;
}

/**
 * A restore and its progress (`GET /restores/{id}`).
 *
 * @public
 */
export interface RestoreRecord {
  id: string;
  entityRef: string;
  layer: BackupLayer;
  cluster: string;
  restorePoint: { id: string; time: string };
  target: {
    mode: RestoreMode;
    /** Where it restores to; for the database layer, where its Job runs. */
    namespace: string;
    existingResourcePolicy?: ExistingResourcePolicy;
    /** Database layer: the database the dump is loaded into. */
    database?: string;
    /** Volume-snapshot layer: the new PVC (`<pvc>-restore-<id>`) and the one the snapshot copies. */
    claim?: string;
    sourceClaim?: string;
  };
  /** The user (or service) that asked. */
  requestedBy: string;
  requestedAt: string;
  reason?: string;
  state: RestoreState;
  steps: RestoreStep[];
  finishedAt?: string;
  /** The outcome, or why it failed, in a sentence. */
  outcome?: string;
  /** Velero's counts, when it has reported them. */
  warnings?: number;
  errors?: number;
  /** What the restore created in the cluster. */
  created: ObjectRef[];
}

/**
 * An entity's restores, newest first (`GET /entities/{ref}/restores`).
 *
 * @public
 */
export interface RestoreList {
  entityRef: string;
  restores: RestoreRecord[];
}

/**
 * The signal channel on which the backend announces that one of an entity's
 * restores advanced (message `{id, state}`); the tab refreshes on it.
 *
 * @public
 */
export function restoreSignalChannel(entityRef: string): string {
  return `backups:restores:${entityRef}`;
}
