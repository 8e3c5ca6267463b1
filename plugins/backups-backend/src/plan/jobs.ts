import { Retention } from '@backups-for-backstage/plugin-backups-common';

/**
 * What the CronJobs we plan (database dumps, volume snapshots) share: how
 * they are scheduled and how locked down their pods are.
 */

/** A run missed by more than this (controller down) is skipped, not run late. */
export const STARTING_DEADLINE_SECONDS = 600;

/** One run at a time, missed runs skipped past the deadline, a few Jobs kept to look at. */
export const CRON_JOB_POLICY = {
  concurrencyPolicy: 'Forbid',
  startingDeadlineSeconds: STARTING_DEADLINE_SECONDS,
  successfulJobsHistoryLimit: 3,
  failedJobsHistoryLimit: 3,
} as const;

/** The pod part of the restricted Pod Security Standard. */
export const RESTRICTED_POD_SECURITY_CONTEXT = {
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
} as const;

/** The container part of the restricted Pod Security Standard, read-only root. */
export const RESTRICTED_CONTAINER_SECURITY_CONTEXT = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};

/** RETENTION_COUNT or RETENTION_MAX_AGE_SECONDS, as the dump and snapshot scripts read them. */
export function retentionEnvironment(
  retention: Retention,
): Array<{ name: string; value: string }> {
  if (retention.type === 'count') {
    return [{ name: 'RETENTION_COUNT', value: String(retention.count) }];
  }
  return [
    {
      name: 'RETENTION_MAX_AGE_SECONDS',
      value: String(
        Math.max(1, Math.ceil(retention.maxAge.milliseconds / 1000)),
      ),
    },
  ];
}
