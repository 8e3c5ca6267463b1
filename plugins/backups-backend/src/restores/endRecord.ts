import { RestoreRecord } from '@backups-for-backstage/plugin-backups-common';

/** The record ended as completed: every step not done yet succeeded at `at`. */
export function completeRecord(
  record: RestoreRecord,
  outcome: string,
  at: string,
): RestoreRecord {
  return {
    ...record,
    state: 'completed',
    finishedAt: at,
    steps: record.steps.map(step =>
      step.state === 'succeeded'
        ? step
        : { ...step, state: 'succeeded', finishedAt: step.finishedAt ?? at },
    ),
    outcome,
  };
}

/**
 * The record ended as failed: the running step failed at `at` with `why`
 * (a sentence without its full stop), which is also the outcome.
 */
export function failRecord(
  record: RestoreRecord,
  why: string,
  at: string,
): RestoreRecord {
  return {
    ...record,
    state: 'failed',
    finishedAt: at,
    steps: record.steps.map(step =>
      step.state === 'running'
        ? { ...step, state: 'failed', finishedAt: at, message: `${why}.` }
        : step,
    ),
    outcome: `${why}.`,
  };
}
