import {
  formatDuration,
  RestoreRecord,
} from '@backups-for-backstage/plugin-backups-common';
import { CachedClaim, CachedSnapshot } from '../cluster/watch/projections';
import { completeRecord, failRecord } from './endRecord';

/** What a volume restore's objects say now, from the watch caches. */
export interface VolumeRestoreObjects {
  claim?: CachedClaim;
  /** The snapshot's copy in the target namespace (restores to a new namespace). */
  copy?: CachedSnapshot;
}

/**
 * A volume-snapshot restore's record advanced to what its claim says now:
 * completed once the new PVC is Bound, failed when it is Lost, when the
 * snapshot's copy reports an error, or when the claim has not bound within
 * `bindTimeoutMs` of its step's start; the same record when nothing changed.
 */
export function advanceVolumeRestore(
  record: RestoreRecord,
  objects: VolumeRestoreObjects,
  options: { now: Date; bindTimeoutMs: number },
): RestoreRecord {
  const step = record.steps.find(s => s.name === 'claim');
  if (record.state !== 'running' || step?.state !== 'running') return record;
  const at = options.now.toISOString();
  const { claim, copy } = objects;
  const { namespace } = record.target;
  const claimName = record.target.claim!;
  if (claim?.phase === 'Bound') {
    return completeRecord(record, boundOutcome(record), at);
  }
  let why: string | undefined;
  if (claim?.phase === 'Lost') {
    why = `The PVC ${claimName} in namespace ${namespace} lost its volume`;
  } else if (copy?.error) {
    why = `The copy of the snapshot ${copy.name} in namespace ${namespace} cannot be used: ${copy.error}`;
  } else {
    const waited =
      options.now.getTime() - new Date(step.startedAt ?? at).getTime();
    if (waited >= options.bindTimeoutMs) {
      why = `The PVC ${claimName} in namespace ${namespace} did not bind within ${formatDuration(
        options.bindTimeoutMs,
      )} (${
        claim ? `still ${claim.phase || 'new'}` : 'it is gone'
      }): its storage class or CSI driver did not provision a volume from the snapshot; \`kubectl describe pvc ${claimName} -n ${namespace}\` says why. What the restore created is left in place`;
    }
  }
  return why ? failRecord(record, why, at) : record;
}

function boundOutcome(record: RestoreRecord): string {
  const { claim, sourceClaim, namespace } = record.target;
  const snapshot = record.restorePoint.id;
  if (record.target.mode === 'namespace') {
    return `The PVC ${claim} in namespace ${namespace} is Bound to a volume restored from the snapshot ${snapshot}; the component's namespace was not touched. Mount it from a workload in ${namespace}; when you are done, delete the namespace and then the VolumeSnapshotContent copy (its Retain policy keeps the original snapshot's data).`;
  }
  return `The PVC ${claim} is Bound beside ${sourceClaim} in namespace ${namespace}, restored from the snapshot ${snapshot}; no PVC was overwritten. To switch: scale the workload that mounts ${sourceClaim} to 0, point its volume's claimName at ${claim} (a StatefulSet's volumeClaimTemplates cannot change: recreate it, or copy the data across), start it again, and delete ${sourceClaim} once you no longer need it.`;
}
