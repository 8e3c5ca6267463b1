import { RestoreRecord } from '@backups-for-backstage/plugin-backups-common';
import * as k8s from '@kubernetes/client-node';
import { CachedJob } from '../cluster/watch/projections';
import { completeRecord, failRecord } from './endRecord';

/**
 * A database restore's record advanced to what its Job says now (and what
 * its pod reported, when it failed); the same record when nothing changed.
 */
export function advanceDatabaseRestore(
  record: RestoreRecord,
  job: CachedJob | undefined,
  podError: string | undefined,
  now: Date,
): RestoreRecord {
  if (record.state !== 'running' || !job || job.outcome === 'running') {
    return record;
  }
  const at = job.completedAt ?? now.toISOString();
  const { database } = record.target;
  if (job.outcome === 'succeeded') {
    return completeRecord(
      record,
      record.target.mode === 'in-place'
        ? `Loaded the dump ${record.restorePoint.id} into ${database} in place, after checking its sha256.`
        : `Loaded the dump ${record.restorePoint.id} into the new database ${database} on the component's server, after checking its sha256; the component's own database was not touched.`,
      at,
    );
  }
  // A Job's own failure says little (BackoffLimitExceeded); its pod says why,
  // and reports before the Job controller marks the Job failed.
  return failRecord(
    record,
    `The restore Job ${job.name} failed: ${
      podError ?? job.failureMessage ?? 'see its pod log'
    }`,
    at,
  );
}

/** The `error` a finished pod wrote to its termination log, if any. */
export function terminationError(
  pod: k8s.KubernetesObject,
): string | undefined {
  return terminationReports(pod).find(
    (report): report is { error: string } => typeof report.error === 'string',
  )?.error;
}

/**
 * The JSON reports a finished pod's containers wrote to their termination
 * logs (the scripts' `{"file", …}` or `{"error"}`), init containers first.
 */
export function terminationReports(
  pod: k8s.KubernetesObject,
): Array<Record<string, unknown>> {
  const status = (pod as k8s.V1Pod).status;
  const statuses = [
    ...(status?.initContainerStatuses ?? []),
    ...(status?.containerStatuses ?? []),
  ];
  const reports: Array<Record<string, unknown>> = [];
  for (const container of statuses) {
    const message = container.state?.terminated?.message;
    if (!message) continue;
    try {
      const parsed = JSON.parse(message);
      if (parsed && typeof parsed === 'object') reports.push(parsed);
    } catch {
      // Not a report of ours.
    }
  }
  return reports;
}
