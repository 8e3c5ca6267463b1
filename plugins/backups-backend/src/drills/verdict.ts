import {
  BackupLayer,
  DrillLayerResult,
  DrillRecord,
  formatDuration,
} from '@backups-for-backstage/plugin-backups-common';

/**
 * A drill's verdict from what it measured. `failed` when a step failed
 * (naming it); otherwise the achieved RTO is start to verified, and the
 * achieved RPO the age of the freshest restore point among the layers that
 * hold data (the status's rule: layers are defence in depth, so one older
 * layer does not miss the RPO while a fresher one holds the same data);
 * `missed-target` when either is above its target, else `passed`.
 */
export function drillVerdict(options: {
  startedAt: string;
  /** When the last step succeeded; absent when one failed. */
  verifiedAt?: string;
  failure?: { step: string; why: string };
  layers: DrillLayerResult[];
  /** The layers whose restore points count for the RPO (see dataLayers). */
  dataLayers: BackupLayer[];
  targets: DrillRecord['targets'];
}): Pick<DrillRecord, 'state' | 'outcome' | 'failedStep' | 'achieved'> {
  const { layers, targets } = options;
  const counted = layers.filter(l => options.dataLayers.includes(l.layer));
  const ages = (counted.length > 0 ? counted : layers).map(l => l.ageMs);
  const rpoMs = ages.length > 0 ? Math.min(...ages) : undefined;
  if (options.failure || !options.verifiedAt) {
    const failure = options.failure ?? {
      step: 'verify',
      why: 'the drill ended before every step succeeded',
    };
    return {
      state: 'failed',
      failedStep: failure.step,
      outcome: `Failed at ${failure.step}: ${failure.why}.`,
      achieved: { ...(rpoMs !== undefined ? { rpoMs } : {}), layers },
    };
  }
  const rtoMs =
    new Date(options.verifiedAt).getTime() -
    new Date(options.startedAt).getTime();
  const achieved = { rtoMs, ...(rpoMs !== undefined ? { rpoMs } : {}), layers };
  const misses: string[] = [];
  if (rtoMs > targets.rtoMs) {
    misses.push(
      `it took ${formatDuration(rtoMs)} against an RTO of ${formatDuration(
        targets.rtoMs,
      )}`,
    );
  }
  if (rpoMs !== undefined && rpoMs > targets.rpoMs) {
    misses.push(
      `its freshest restore point was ${formatDuration(
        rpoMs,
      )} old against an RPO of ${formatDuration(targets.rpoMs)}`,
    );
  }
  if (misses.length > 0) {
    return {
      state: 'missed-target',
      outcome: `Restored and verified, but ${misses.join(' and ')}.`,
      achieved,
    };
  }
  return {
    state: 'passed',
    outcome: `Restored and verified in ${formatDuration(
      rtoMs,
    )} (RTO ${formatDuration(targets.rtoMs)}) from restore points ${
      rpoMs !== undefined ? `${formatDuration(rpoMs)} old` : 'of every layer'
    } (RPO ${formatDuration(targets.rpoMs)}).`,
    achieved,
  };
}
