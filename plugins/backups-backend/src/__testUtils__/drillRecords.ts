import { DrillRecord } from '@backups-for-backstage/plugin-backups-common';

const MINUTE = 60_000;

/**
 * A drill of `component:default/orders` in cluster `a` that failed at its
 * Velero restore (`overrides` make it another), as the drill service
 * records it.
 */
export function drillRecord(overrides: Partial<DrillRecord> = {}): DrillRecord {
  const id = overrides.id ?? 'd1';
  return {
    id,
    entityRef: 'component:default/orders',
    cluster: 'a',
    namespace: `drill-orders-${id}`,
    requestedBy: 'user:default/guest',
    trigger: 'manual',
    requestedAt: '2026-12-02T03:00:00.000Z',
    state: 'failed',
    steps: [
      { name: 'namespace', title: 'Create the namespace', state: 'succeeded' },
      {
        name: 'velero-restore',
        title: 'Velero restores the newest good backup',
        state: 'failed',
        message: "Velero's restore failed",
      },
      {
        name: 'cleanup',
        title: 'Delete what the drill created',
        state: 'succeeded',
      },
    ],
    finishedAt: '2026-12-02T03:04:00.000Z',
    outcome: "Failed at velero-restore: Velero's restore failed.",
    failedStep: 'velero-restore',
    verdict: 'failed',
    targets: { rtoMs: 30 * MINUTE, rpoMs: 60 * MINUTE },
    achieved: { rpoMs: 20 * MINUTE, layers: [] },
    created: [],
    cleanedUpAt: '2026-12-02T03:04:00.000Z',
    ...overrides,
  };
}

/** The next day's drill of the same entity, which passed in 12 minutes. */
export function passedDrillRecord(
  overrides: Partial<DrillRecord> = {},
): DrillRecord {
  return drillRecord({
    id: 'd2',
    requestedAt: '2026-12-03T03:00:00.000Z',
    state: 'passed',
    verdict: 'passed',
    finishedAt: '2026-12-03T03:14:00.000Z',
    outcome: 'Restored and verified in 12 min (RTO 30 min).',
    failedStep: undefined,
    achieved: { rtoMs: 12 * MINUTE, rpoMs: 20 * MINUTE, layers: [] },
    ...overrides,
  });
}
