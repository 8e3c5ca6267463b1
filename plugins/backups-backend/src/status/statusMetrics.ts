import { MetricsService } from '@backstage/backend-plugin-api/alpha';
import {
  BackupLayer,
  ComplianceState,
  DrillState,
  EntityStatus,
  RestorePoint,
} from '@backups-for-backstage/plugin-backups-common';
import { LatestDrills } from './LatestDrills';

/** The fleet as the metrics read it: each entity's status and restore points. */
export type FleetSnapshot = Array<{
  status: EntityStatus;
  restorePoints: RestorePoint[];
}>;

/** How long one computation of the fleet serves the metrics collected together. */
const FLEET_REUSE_MS = 5_000;

/**
 * The status as metrics (Backstage's MetricsService, OpenTelemetry
 * underneath): the age of the newest good restore point per entity, layer
 * and cluster, the number of entities per compliance state, the on-demand
 * restore points by outcome, and the RTO each entity's newest finished drill
 * achieved. Observed at collection time, from the caches and the drill
 * records.
 */
export function registerStatusMetrics(options: {
  metrics: MetricsService;
  fleet: () => Promise<FleetSnapshot>;
  /** The newest finished drills, for the achieved RTO per entity. */
  latestDrills?: LatestDrills;
  now?: () => Date;
}): void {
  const { metrics, latestDrills } = options;
  const now = options.now ?? (() => new Date());
  const fleet = reusedFor(FLEET_REUSE_MS, options.fleet);

  metrics
    .createObservableGauge<{
      entity: string;
      layer: BackupLayer;
      cluster: string;
    }>('backups.restore_point.age_seconds', {
      description:
        'Age of the newest good restore point of an entity, per layer and cluster',
      unit: 's',
    })
    .addCallback(async result => {
      const time = now().getTime();
      for (const { status } of await fleet()) {
        for (const layer of status.layers) {
          if (!layer.lastSuccessAt) continue;
          result.observe(
            (time - new Date(layer.lastSuccessAt).getTime()) / 1000,
            {
              entity: status.entityRef,
              layer: layer.layer,
              cluster: layer.cluster,
            },
          );
        }
      }
    });

  metrics
    .createObservableGauge<{ state: ComplianceState }>('backups.entities', {
      description: 'Opted-in entities per compliance state',
    })
    .addCallback(async result => {
      const counts = new Map<ComplianceState, number>();
      for (const { status } of await fleet()) {
        counts.set(status.state, (counts.get(status.state) ?? 0) + 1);
      }
      for (const [state, count] of counts) result.observe(count, { state });
    });

  metrics
    .createObservableGauge<{ layer: BackupLayer; outcome: string }>(
      'backups.on_demand.restore_points',
      {
        description:
          'Restore points taken on demand (Back up now) that are held, by layer and outcome',
      },
    )
    .addCallback(async result => {
      const counts = new Map<string, number>();
      for (const { restorePoints } of await fleet()) {
        for (const point of restorePoints) {
          if (!point.onDemand) continue;
          const key = `${point.layer}|${point.outcome}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
      }
      for (const [key, count] of counts) {
        const [layer, outcome] = key.split('|');
        result.observe(count, { layer: layer as BackupLayer, outcome });
      }
    });

  if (latestDrills) {
    const drills = reusedFor(FLEET_REUSE_MS, async () =>
      latestDrills.latestFinished(
        (await fleet()).map(({ status }) => status.entityRef),
      ),
    );
    metrics
      .createObservableGauge<{ entity: string }>(
        'backups.drill.achieved_rto_seconds',
        {
          description:
            "The RTO the entity's newest finished drill achieved (none when it failed)",
          unit: 's',
        },
      )
      .addCallback(async result => {
        for (const [entity, drill] of await drills()) {
          if (drill.achievedRtoMs === undefined) continue;
          result.observe(drill.achievedRtoMs / 1000, { entity });
        }
      });
  }
}

/** One computation serves the calls of the next `ms` (the metrics collected together). */
function reusedFor<T>(ms: number, compute: () => Promise<T>): () => Promise<T> {
  let computed: { at: number; value: Promise<T> } | undefined;
  return () => {
    const at = Date.now();
    if (!computed || at - computed.at > ms) {
      computed = { at, value: compute() };
    }
    return computed.value;
  };
}

/** Counts the drills that ended, by entity and verdict. */
export function drillOutcomeCounter(metrics: MetricsService) {
  return metrics.createCounter<{
    entity: string;
    outcome: Exclude<DrillState, 'running'>;
  }>('backups.drill.outcomes', {
    description:
      'Drills that ended, by entity and verdict (passed, missed-target, failed)',
  });
}

/** What records a drill's verdict (see drillOutcomeCounter). */
export type DrillOutcomeCounter = ReturnType<typeof drillOutcomeCounter>;

/** Counts "Back up now" requests by layer and outcome. */
export function onDemandRequestCounter(metrics: MetricsService) {
  return metrics.createCounter<{
    layer: BackupLayer;
    outcome: 'started' | 'refused' | 'failed';
  }>('backups.on_demand.requests', {
    description:
      'Back up now requests: started, refused (bad input, one already running) or failed (the cluster)',
  });
}
