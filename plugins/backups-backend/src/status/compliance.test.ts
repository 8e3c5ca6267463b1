import {
  BackupLayer,
  ProtectionIntent,
  RestorePoint,
  RunOutcome,
} from '@backups-for-backstage/plugin-backups-common';
import {
  entityStatus,
  intentWarnings,
  LayerObservation,
  layerStatus,
} from './compliance';

const NOW = new Date('2026-12-02T12:00:00Z');
const MIN = 60 * 1000;
const HOUR = 60 * MIN;
const compliance = { now: NOW, failingAfter: 3 };

function ago(ms: number) {
  return new Date(NOW.getTime() - ms).toISOString();
}

function point(
  layer: BackupLayer,
  agoMs: number,
  outcome: RunOutcome = 'good',
): RestorePoint {
  return {
    layer,
    cluster: 'a',
    id: `${layer}-${agoMs}`,
    time: ago(agoMs),
    phase: outcome === 'good' ? 'Completed' : 'Failed',
    outcome,
    good: outcome === 'good',
    onDemand: false,
    ...(outcome === 'empty'
      ? { reason: 'the selector matched no item besides the namespace' }
      : {}),
  };
}

function observation(
  layer: BackupLayer,
  schedule: string,
  points: RestorePoint[],
  extra: Partial<LayerObservation> = {},
): LayerObservation {
  return {
    layer,
    cluster: 'a',
    runner: `${layer} runner`,
    configured: true,
    schedule,
    restorePoints: points,
    runs: points.map(p => ({ time: p.time, outcome: p.outcome })),
    problems: [],
    ...extra,
  };
}

const gold: ProtectionIntent = {
  entityRef: 'component:default/orders',
  policy: 'gold',
  clusters: ['a'],
  layers: ['velero', 'database', 'volume-snapshot'],
  targets: {
    rpo: { text: '1h', milliseconds: HOUR },
    rto: { text: '30m', milliseconds: 30 * MIN },
  },
  workload: { namespace: 'shop' },
  velero: { schedule: '0 * * * *', ttl: '168h', snapshotVolumes: true },
  database: {
    engine: 'postgres',
    host: 'db',
    port: 5432,
    databases: [],
    secretName: 's',
    schedule: '*/30 * * * *',
    retention: { type: 'count', count: 48 },
  },
  volumeSnapshot: {
    pvcs: { type: 'names', names: ['data'] },
    schedule: '0 */6 * * *',
    retention: { type: 'count', count: 10 },
  },
  drill: {},
};

describe('layerStatus', () => {
  it('is protected with a fresh good copy, and says how old it is', () => {
    const status = layerStatus(
      observation('database', '*/30 * * * *', [point('database', 10 * MIN)]),
      compliance,
    );
    expect(status).toMatchObject({
      state: 'protected',
      restorePointCount: 1,
      lastSuccessAt: ago(10 * MIN),
      periodMs: 30 * MIN,
      graceMs: 15 * MIN,
    });
    expect(status.reasons[0]).toContain('10 min old, on schedule');
  });

  it('is unprotected when it never ran, or its runner is not in the cluster', () => {
    expect(
      layerStatus(observation('velero', '0 * * * *', []), compliance),
    ).toMatchObject({ state: 'unprotected' });
    expect(
      layerStatus(
        observation('velero', '0 * * * *', [], { configured: false }),
        compliance,
      ).reasons[0],
    ).toContain('is not in cluster a');
  });

  it('is at risk when overdue: older than one period plus the grace', () => {
    // hourly: 1 h + 15 min
    expect(
      layerStatus(
        observation('velero', '0 * * * *', [point('velero', 74 * MIN)]),
        compliance,
      ).state,
    ).toBe('protected');
    const overdue = layerStatus(
      observation('velero', '0 * * * *', [point('velero', 76 * MIN)]),
      compliance,
    );
    expect(overdue.state).toBe('at-risk');
    expect(overdue.reasons[0]).toMatch(/1 h 16 min old.*within 1 h 15 min/);
  });

  it('is at risk when the newest backup holds nothing, even with an older good one', () => {
    const status = layerStatus(
      observation('velero', '0 * * * *', [
        point('velero', 10 * MIN, 'empty'),
        point('velero', 70 * MIN),
      ]),
      compliance,
    );
    expect(status.state).toBe('at-risk');
    expect(status.reasons[0]).toContain(
      'holds nothing: the selector matched no item besides the namespace',
    );
  });

  it('is failing when the last 3 runs failed, and not with 2', () => {
    const runs = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        point('database', (i + 1) * 30 * MIN, 'failed'),
      );
    expect(
      layerStatus(
        observation('database', '*/30 * * * *', [
          ...runs(2),
          point('database', 100 * MIN),
        ]),
        compliance,
      ).state,
    ).toBe('at-risk');
    expect(
      layerStatus(observation('database', '*/30 * * * *', runs(3)), compliance)
        .state,
    ).toBe('failing');
  });

  it('is at risk for a problem found in the cluster', () => {
    expect(
      layerStatus(
        observation('velero', '0 * * * *', [point('velero', 5 * MIN)], {
          problems: ['The BackupStorageLocation default is Unavailable.'],
        }),
        compliance,
      ),
    ).toMatchObject({
      state: 'at-risk',
      reasons: ['The BackupStorageLocation default is Unavailable.'],
    });
  });
});

describe('entityStatus', () => {
  const layers = (snapshotAgo: number, dumpAgo: number) => [
    observation('velero', '0 * * * *', [point('velero', 20 * MIN)]),
    observation('database', '*/30 * * * *', [point('database', dumpAgo)]),
    observation('volume-snapshot', '0 */6 * * *', [
      point('volume-snapshot', snapshotAgo),
    ]),
  ];

  it('takes the achieved RPO from the freshest data copy: fresh dumps and a 5-hour-old snapshot are protected', () => {
    const status = entityStatus({
      entityRef: gold.entityRef,
      intent: gold,
      layers: layers(5 * HOUR, 10 * MIN),
      clusters: [{ cluster: 'a', reachable: true }],
      compliance,
    });
    expect(status.state).toBe('protected');
    expect(status.rpo).toMatchObject({
      targetMs: HOUR,
      achievedMs: 10 * MIN,
      met: true,
      achievedBy: { layer: 'database' },
    });
  });

  it('is at risk when the dumps are overdue, naming the layer', () => {
    const status = entityStatus({
      entityRef: gold.entityRef,
      intent: gold,
      layers: layers(5 * HOUR, 50 * MIN),
      clusters: [{ cluster: 'a', reachable: true }],
      compliance,
    });
    expect(status.state).toBe('at-risk');
    expect(status.reasons.join(' ')).toContain('newest good database dump');
  });

  it('is at risk when the freshest copy is older than the RPO', () => {
    const status = entityStatus({
      entityRef: gold.entityRef,
      intent: {
        ...gold,
        targets: {
          ...gold.targets,
          rpo: { text: '5m', milliseconds: 5 * MIN },
        },
      },
      layers: layers(5 * HOUR, 10 * MIN),
      clusters: [{ cluster: 'a', reachable: true }],
      compliance,
    });
    expect(status.state).toBe('at-risk');
    expect(status.rpo?.met).toBe(false);
    expect(status.reasons).toContain(
      'The freshest good copy of the data is 10 min old, beyond the RPO of 5m (database dump in a).',
    );
  });

  it('names an unreachable cluster, since when, and the age of its data', () => {
    const status = entityStatus({
      entityRef: gold.entityRef,
      intent: gold,
      layers: layers(5 * HOUR, 10 * MIN),
      clusters: [
        {
          cluster: 'a',
          reachable: false,
          unreachableSince: new Date(NOW.getTime() - 4 * MIN),
          error: 'connect ECONNREFUSED',
        },
      ],
      compliance,
    });
    expect(status.clusters[0]).toMatchObject({
      reachable: false,
      dataAgeMs: 10 * MIN,
    });
    expect(status.reasons.join(' ')).toContain(
      'Cluster a does not answer since 2026-12-02T11:56:00.000Z (4 min ago): connect ECONNREFUSED.',
    );
  });
});

describe('intentWarnings', () => {
  it('warns when no data layer runs often enough for the RPO', () => {
    expect(intentWarnings(gold, NOW)).toEqual([]);
    const slow = {
      ...gold,
      layers: ['volume-snapshot'] as BackupLayer[],
    };
    expect(intentWarnings(slow, NOW)).toEqual([
      'The RPO of 1h can never be met: the data is copied less often than that (volume snapshots every 6 h). Shorten a schedule or relax backups/rpo.',
    ]);
  });
});
