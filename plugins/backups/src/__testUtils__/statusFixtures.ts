import {
  BackupLayer,
  ComplianceState,
  EntityStatus,
  LayerStatus,
  RestorePoint,
  RestorePointList,
} from '@backups-for-backstage/plugin-backups-common';

export const NOW = new Date();
const MINUTE = 60_000;

export function ago(ms: number): string {
  return new Date(NOW.getTime() - ms).toISOString();
}

export function layerStatus(
  layer: BackupLayer,
  overrides: Partial<LayerStatus> = {},
): LayerStatus {
  return {
    layer,
    cluster: 'prod-eu',
    configured: true,
    schedule: '0 * * * *',
    scheduleDescription: 'Every hour',
    nextRunAt: new Date(NOW.getTime() + 20 * MINUTE).toISOString(),
    periodMs: 60 * MINUTE,
    graceMs: 15 * MINUTE,
    lastSuccessAt: ago(40 * MINUTE),
    lastAttemptAt: ago(40 * MINUTE),
    lastAttemptOutcome: 'good',
    running: false,
    restorePointCount: 24,
    state: 'protected',
    reasons: [`The newest good ${layer} run is 40 min old, on schedule.`],
    recentRuns: [
      { time: ago(40 * MINUTE), outcome: 'good' },
      { time: ago(100 * MINUTE), outcome: 'empty' },
      { time: ago(160 * MINUTE), outcome: 'failed' },
    ],
    ...overrides,
  };
}

/** The status of `component:default/orders` in `state`, every layer alike. */
export function entityStatus(
  state: ComplianceState,
  overrides: Partial<EntityStatus> = {},
): EntityStatus {
  const layerState = [
    'protected',
    'at-risk',
    'unprotected',
    'failing',
  ].includes(state)
    ? (state as LayerStatus['state'])
    : 'protected';
  return {
    entityRef: 'component:default/orders',
    state,
    reasons: [`Summary of ${state}.`],
    policy: 'gold',
    rpo: {
      target: '1h',
      targetMs: 60 * MINUTE,
      achievedMs: 10 * MINUTE,
      achievedBy: {
        layer: 'database',
        cluster: 'prod-eu',
        time: ago(10 * MINUTE),
      },
      met: true,
    },
    rto: { target: '30m', targetMs: 30 * MINUTE },
    layers: (['velero', 'database', 'volume-snapshot'] as BackupLayer[]).map(
      layer => layerStatus(layer, { state: layerState }),
    ),
    clusters: [
      {
        cluster: 'prod-eu',
        reachable: true,
        lastHeardAt: ago(1000),
        dataAgeMs: 10 * MINUTE,
        dataAsOf: ago(10 * MINUTE),
      },
    ],
    warnings: [],
    generatedAt: NOW.toISOString(),
    ...overrides,
  };
}

export function restorePoint(
  layer: BackupLayer,
  overrides: Partial<RestorePoint> = {},
): RestorePoint {
  return {
    layer,
    cluster: 'prod-eu',
    id: `${layer}-point`,
    time: ago(40 * MINUTE),
    phase: layer === 'velero' ? 'Completed' : 'Succeeded',
    outcome: 'good',
    good: true,
    onDemand: false,
    ...(layer === 'velero' ? { items: 42, totalItems: 42 } : { bytes: 2048 }),
    ...overrides,
  };
}

export function restorePointList(points: RestorePoint[]): RestorePointList {
  return { entityRef: 'component:default/orders', restorePoints: points };
}
