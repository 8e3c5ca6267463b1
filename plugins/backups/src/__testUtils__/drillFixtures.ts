import {
  DrillRecord,
  DrillSummary,
} from '@backups-for-backstage/plugin-backups-common';
import { ago } from './statusFixtures';

const MINUTE = 60_000;

/**
 * A drill of `component:default/orders` started now, its Velero restore
 * running; `overrides` make it another.
 */
export function drillRecord(overrides: Partial<DrillRecord> = {}): DrillRecord {
  return {
    id: 'dddd1234',
    entityRef: 'component:default/orders',
    cluster: 'prod-eu',
    namespace: 'drill-orders-dddd1234',
    requestedBy: 'user:default/guest',
    trigger: 'manual',
    requestedAt: new Date().toISOString(),
    state: 'running',
    steps: [
      { name: 'namespace', title: 'Create the namespace', state: 'succeeded' },
      {
        name: 'velero-restore',
        title: 'Velero restores the newest good backup',
        state: 'running',
      },
      {
        name: 'cleanup',
        title: 'Delete what the drill created',
        state: 'pending',
      },
    ],
    targets: { rtoMs: 30 * MINUTE, rpoMs: 60 * MINUTE },
    achieved: { layers: [] },
    created: [],
    ...overrides,
  };
}

/** A drill that failed at its Velero restore 2 days ago; `overrides` make it another. */
export function drillSummary(
  overrides: Partial<DrillSummary> = {},
): DrillSummary {
  return {
    id: 'dddd1234',
    state: 'failed',
    requestedAt: ago(2 * 24 * 60 * MINUTE + 5 * MINUTE),
    finishedAt: ago(2 * 24 * 60 * MINUTE),
    targetRtoMs: 30 * MINUTE,
    failedStep: 'velero-restore',
    failedStepTitle: 'Velero restores the newest good backup',
    outcome: "Failed at velero-restore: Velero's restore failed.",
    ...overrides,
  };
}
