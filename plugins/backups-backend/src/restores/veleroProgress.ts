import { RestoreRecord } from '@backups-for-backstage/plugin-backups-common';
import { CachedRestore } from '../cluster/watch/projections';

export const VELERO_FAILED_PHASES = [
  'Failed',
  'FailedValidation',
  'PartiallyFailed',
];

/**
 * A Velero restore's record advanced to what its Restore says now; the same
 * record when nothing changed. Pure, so that any replica that sees the
 * Restore change can apply it.
 */
export function advanceVeleroRestore(
  record: RestoreRecord,
  restore: CachedRestore | undefined,
  now: Date,
): RestoreRecord {
  if (record.state !== 'running' || !restore) return record;
  const steps = record.steps.map(step => ({ ...step }));
  const step = steps.find(s => s.name === 'velero-restore');
  if (!step) return record;
  const at = now.toISOString();
  const counts = {
    ...(restore.warnings !== undefined ? { warnings: restore.warnings } : {}),
    ...(restore.errors !== undefined ? { errors: restore.errors } : {}),
  };
  const items =
    restore.itemsRestored !== undefined && restore.totalItems !== undefined
      ? `${restore.itemsRestored} of ${restore.totalItems} items`
      : undefined;
  if (restore.phase === 'Completed') {
    step.state = 'succeeded';
    step.finishedAt = restore.completedAt ?? at;
    step.message = `Velero restored ${items ?? 'the backup'}${
      restore.warnings ? ` with ${restore.warnings} warning(s)` : ''
    }.`;
    return {
      ...record,
      ...counts,
      steps,
      state: 'completed',
      finishedAt: step.finishedAt,
      outcome: completedOutcome(record, restore),
    };
  }
  if (VELERO_FAILED_PHASES.includes(restore.phase)) {
    const why = veleroRestoreFailure(restore);
    step.state = 'failed';
    step.finishedAt = restore.completedAt ?? at;
    step.message = `${why}.`;
    return {
      ...record,
      ...counts,
      steps,
      state: 'failed',
      finishedAt: step.finishedAt,
      outcome: `${why}.`,
    };
  }
  const message = items ? `Velero has restored ${items}.` : undefined;
  if (
    step.state === 'running' &&
    step.message === message &&
    (!restore.startedAt || step.startedAt === restore.startedAt)
  ) {
    return record;
  }
  step.state = 'running';
  step.startedAt = restore.startedAt ?? step.startedAt ?? at;
  if (message) step.message = message;
  return { ...record, ...counts, steps };
}

function completedOutcome(record: RestoreRecord, restore: CachedRestore) {
  const { target } = record;
  if (target.mode === 'namespace') {
    return `Restored into the new namespace ${target.namespace} of cluster ${record.cluster}; the component's backup CronJobs were left out.`;
  }
  const policy = target.existingResourcePolicy ?? 'none';
  return `Restored in place into ${target.namespace} of cluster ${
    record.cluster
  }: objects that were missing were created; ${
    policy === 'update'
      ? 'existing ones were updated from the backup'
      : 'existing ones were left as they were'
  }${restore.warnings ? ` (${restore.warnings} warning(s))` : ''}.`;
}

/** Why Velero's Restore did not complete, in a sentence without its full stop. */
export function veleroRestoreFailure(restore: CachedRestore): string {
  if (restore.phase === 'FailedValidation') {
    return `Velero refused the restore: ${
      restore.validationErrors.join('; ') || 'validation failed'
    }`;
  }
  if (restore.phase === 'PartiallyFailed') {
    return `Velero restored only part of the backup (${
      restore.errors ?? 0
    } error(s), ${
      restore.warnings ?? 0
    } warning(s)); see velero restore describe ${restore.name} --details`;
  }
  return `Velero's restore failed${
    restore.failureReason ? `: ${restore.failureReason}` : ''
  }`;
}
