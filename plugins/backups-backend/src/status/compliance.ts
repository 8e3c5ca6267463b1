/**
 * The compliance rules of SPEC.md ("Compliance of a layer", "achieved RPO"),
 * pure: what is observed of each layer in each cluster, and the time, in; the
 * states and the sentences a person can act on, out.
 */
import {
  BackupLayer,
  ClusterStatus,
  ComplianceState,
  describeSchedule,
  EntityStatus,
  formatDuration,
  LAYER_RUN_NOUNS,
  LayerStatus,
  nextRun,
  ProtectionIntent,
  RestorePoint,
  RunOutcome,
  scheduleGraceMs,
  schedulePeriodMs,
} from '@backups-for-backstage/plugin-backups-common';
import { byNewestTime } from './textOrder';

/** What is known of one layer of an entity in one cluster. */
export interface LayerObservation {
  layer: BackupLayer;
  cluster: string;
  /** The object that runs the layer, e.g. `Schedule orders-velero`. */
  runner: string;
  /** Whether that object is in the cluster. */
  configured: boolean;
  schedule: string;
  restorePoints: RestorePoint[];
  /** Every run seen (finished or running), any order. */
  runs: Array<{ time: string; outcome: RunOutcome }>;
  /** Problems found in the cluster that put the layer at risk, as sentences. */
  problems: string[];
}

/** What is known of one cluster's connection. */
export interface ClusterObservation {
  cluster: string;
  reachable: boolean;
  lastHeardAt?: Date;
  unreachableSince?: Date;
  error?: string;
}

export interface ComplianceOptions {
  now: Date;
  /** How many failed runs in a row make a layer failing (default 3). */
  failingAfter: number;
}

const SEVERITY: Record<LayerStatus['state'], number> = {
  protected: 0,
  'at-risk': 1,
  unprotected: 2,
  failing: 3,
};

const RECENT_MS = 7 * 24 * 3600 * 1000;

function age(now: Date, time: string | Date): string {
  return formatDuration(now.getTime() - new Date(time).getTime());
}

/** The newest of `items` (times are ISO 8601 in UTC, so text order is time order). */
function newest<T extends { time: string }>(
  items: readonly T[],
): T | undefined {
  let found: T | undefined;
  for (const item of items) if (!found || item.time > found.time) found = item;
  return found;
}

function newestFirst<T extends { time: string }>(items: T[]): T[] {
  // Lists often come in order already; checking is cheaper than sorting.
  const sorted = items.every(
    (item, i) => i === 0 || items[i - 1].time >= item.time,
  );
  return sorted ? items : [...items].sort(byNewestTime);
}

/**
 * What the rules read of a layer's runs (newest first), in one pass: a fleet's
 * status reads a hundred runs per layer on every request.
 */
function readRuns(
  runs: LayerObservation['runs'],
  failingAfter: number,
  recentSince: string,
) {
  let finishedCount = 0;
  let running = false;
  let recentCount = 0;
  const lastFinished: LayerObservation['runs'] = [];
  for (const run of runs) {
    if (run.time >= recentSince) recentCount += 1;
    if (run.outcome === 'running') {
      running = true;
      continue;
    }
    finishedCount += 1;
    if (lastFinished.length < Math.max(1, failingAfter)) lastFinished.push(run);
  }
  return { finishedCount, lastFinished, running, recentCount };
}

function readGood(points: RestorePoint[]) {
  let goodCount = 0;
  let newestGood: RestorePoint | undefined;
  for (const point of points) {
    if (!point.good) continue;
    goodCount += 1;
    if (!newestGood || point.time > newestGood.time) newestGood = point;
  }
  return { goodCount, newestGood };
}

/** Runs as the status answers them (time and outcome), made once per list. */
const briefRunsOf = new WeakMap<
  LayerObservation['runs'],
  LayerStatus['recentRuns']
>();
function briefRuns(runs: LayerObservation['runs']): LayerStatus['recentRuns'] {
  let brief = briefRunsOf.get(runs);
  if (!brief) {
    brief = runs.map(run => ({ time: run.time, outcome: run.outcome }));
    briefRunsOf.set(runs, brief);
  }
  return brief;
}

/** The layers that hold the entity's data, whose freshest copy is its achieved RPO. */
export function dataLayers(intent: ProtectionIntent): BackupLayer[] {
  const data = intent.layers.filter(
    layer =>
      layer === 'database' ||
      layer === 'volume-snapshot' ||
      (layer === 'velero' && intent.velero?.snapshotVolumes),
  );
  // A component without data: its Velero backups are its copy.
  return data.length > 0 ? data : intent.layers;
}

function layerSchedule(
  intent: ProtectionIntent,
  layer: BackupLayer,
): string | undefined {
  if (layer === 'velero') return intent.velero?.schedule;
  if (layer === 'database') return intent.database?.schedule;
  return intent.volumeSnapshot?.schedule;
}

/**
 * Problems of the intent itself: a policy or override whose data layers can
 * never meet the RPO (every data layer runs less often than the RPO).
 */
export function intentWarnings(
  intent: ProtectionIntent,
  now: Date = new Date(),
): string[] {
  const periods = dataLayers(intent).map(layer => ({
    layer,
    periodMs: schedulePeriodMs(layerSchedule(intent, layer) ?? '', now),
  }));
  const rpo = intent.targets.rpo;
  if (
    periods.length > 0 &&
    periods.every(({ periodMs }) => periodMs && periodMs > rpo.milliseconds)
  ) {
    const slowest = periods
      .map(
        ({ layer, periodMs }) =>
          `${LAYER_RUN_NOUNS[layer]}s every ${formatDuration(periodMs!)}`,
      )
      .join(', ');
    return [
      `The RPO of ${rpo.text} can never be met: the data is copied less often than that (${slowest}). Shorten a schedule or relax backups/rpo.`,
    ];
  }
  return [];
}

/** The state of one layer in one cluster, with its reasons. */
export function layerStatus(
  observation: LayerObservation,
  options: ComplianceOptions,
): LayerStatus {
  const { layer, cluster, schedule, now } = { ...observation, ...options };
  const noun = LAYER_RUN_NOUNS[layer];
  const periodMs = schedulePeriodMs(schedule, now) ?? 0;
  const graceMs = scheduleGraceMs(periodMs);
  const runs = newestFirst(observation.runs);
  const { finishedCount, lastFinished, running, recentCount } = readRuns(
    runs,
    options.failingAfter,
    new Date(now.getTime() - RECENT_MS).toISOString(),
  );
  const { goodCount, newestGood } = readGood(observation.restorePoints);
  const lastAttempt = runs[0];
  const next = nextRun(schedule, now);

  const reasons: string[] = [];
  let state = 'protected' as LayerStatus['state'];
  const raise = (to: LayerStatus['state'], reason: string) => {
    if (SEVERITY[to] > SEVERITY[state]) state = to;
    reasons.push(reason);
  };

  const lastFailures = lastFinished.slice(0, options.failingAfter);
  if (!observation.configured) {
    raise(
      'unprotected',
      `The ${observation.runner} is not in cluster ${cluster}: reconcile creates it (see the plan for errors).`,
    );
  } else if (
    lastFailures.length === options.failingAfter &&
    lastFailures.every(run => run.outcome === 'failed')
  ) {
    raise(
      'failing',
      `The last ${
        options.failingAfter
      } ${noun}s in ${cluster} failed (the latest ${age(
        now,
        lastFailures[0].time,
      )} ago).`,
    );
  }
  if (observation.configured && !newestGood) {
    if (finishedCount === 0) {
      raise(
        'unprotected',
        `No ${noun} has been taken in ${cluster} yet${
          next ? `; the first is due in ${age(next, now)}` : ''
        }.`,
      );
    } else if (state !== 'failing') {
      raise(
        'at-risk',
        `No ${noun} in ${cluster} holds anything restorable yet.`,
      );
    }
  }
  const newestFinished = lastFinished[0];
  if (newestFinished?.outcome === 'empty') {
    const point = observation.restorePoints.find(
      p => p.time === newestFinished.time,
    );
    raise(
      'at-risk',
      `The latest ${noun} in ${cluster} (${age(
        now,
        newestFinished.time,
      )} ago) holds nothing${point?.reason ? `: ${point.reason}` : ''}.`,
    );
  }
  for (const problem of observation.problems) raise('at-risk', problem);
  if (newestGood) {
    const ageMs = now.getTime() - new Date(newestGood.time).getTime();
    if (ageMs > periodMs + graceMs) {
      raise(
        'at-risk',
        `The newest good ${noun} in ${cluster} is ${formatDuration(
          ageMs,
        )} old: the schedule (${describeSchedule(
          schedule,
        )}) should have made one within ${formatDuration(periodMs + graceMs)}.`,
      );
    } else if (state === 'protected') {
      reasons.push(
        `The newest good ${noun} in ${cluster} is ${formatDuration(
          ageMs,
        )} old, on schedule (${describeSchedule(schedule)}).`,
      );
    }
  }

  return {
    layer,
    cluster,
    configured: observation.configured,
    schedule,
    scheduleDescription: describeSchedule(schedule),
    ...(next ? { nextRunAt: next.toISOString() } : {}),
    periodMs,
    graceMs,
    ...(newestGood ? { lastSuccessAt: newestGood.time } : {}),
    ...(lastAttempt
      ? {
          lastAttemptAt: lastAttempt.time,
          lastAttemptOutcome: lastAttempt.outcome,
        }
      : {}),
    running,
    restorePointCount: goodCount,
    state,
    reasons,
    recentRuns: briefRuns(runs).slice(0, recentCount),
  };
}

function clusterStatus(
  observation: ClusterObservation,
  dataAsOf: string | undefined,
  now: Date,
): ClusterStatus {
  return {
    cluster: observation.cluster,
    reachable: observation.reachable,
    ...(observation.lastHeardAt
      ? { lastHeardAt: observation.lastHeardAt.toISOString() }
      : {}),
    ...(observation.unreachableSince
      ? { unreachableSince: observation.unreachableSince.toISOString() }
      : {}),
    ...(observation.error ? { error: observation.error } : {}),
    ...(dataAsOf
      ? {
          dataAsOf,
          dataAgeMs: now.getTime() - new Date(dataAsOf).getTime(),
        }
      : {}),
  };
}

/**
 * An opted-in, valid entity's status: each layer's, its achieved RPO (the age
 * of the freshest good copy of its data, across the data layers and clusters)
 * against the target, and its clusters' reachability.
 */
export function entityStatus(options: {
  entityRef: string;
  intent: ProtectionIntent;
  layers: LayerObservation[];
  clusters: ClusterObservation[];
  compliance: ComplianceOptions;
}): EntityStatus {
  const { intent, compliance } = options;
  const { now } = compliance;
  const layers = options.layers.map(o => layerStatus(o, compliance));
  const data = new Set(dataLayers(intent));
  const freshest = newest(
    options.layers
      .filter(o => data.has(o.layer))
      .flatMap(o => o.restorePoints.filter(p => p.good)),
  );
  const rpo = intent.targets.rpo;
  const achievedMs = freshest
    ? now.getTime() - new Date(freshest.time).getTime()
    : undefined;
  const met = achievedMs !== undefined && achievedMs <= rpo.milliseconds;

  let state: LayerStatus['state'] = layers.reduce<LayerStatus['state']>(
    (worst, layer) =>
      SEVERITY[layer.state] > SEVERITY[worst] ? layer.state : worst,
    'protected',
  );
  const reasons: string[] = [];
  if (freshest && !met) {
    if (state === 'protected') state = 'at-risk';
    reasons.push(
      `The freshest good copy of the data is ${formatDuration(
        achievedMs!,
      )} old, beyond the RPO of ${rpo.text} (${
        LAYER_RUN_NOUNS[freshest.layer]
      } in ${freshest.cluster}).`,
    );
  }
  const summary: Record<LayerStatus['state'], string> = {
    protected: freshest
      ? `Protected: the freshest good copy of the data is ${formatDuration(
          achievedMs!,
        )} old, within the RPO of ${rpo.text}.`
      : 'Protected.',
    'at-risk': 'At risk: a backup is overdue, empty or off target.',
    unprotected: 'Unprotected: a layer has no backup in its cluster yet.',
    failing: 'Failing: backups of a layer fail one after the other.',
  };
  reasons.unshift(summary[state]);
  for (const layer of layers) {
    if (layer.state !== 'protected') reasons.push(...layer.reasons);
  }

  const clusters = options.clusters.map(observation => {
    const inCluster = newest(
      options.layers
        .filter(o => o.cluster === observation.cluster && data.has(o.layer))
        .flatMap(o => o.restorePoints.filter(p => p.good)),
    );
    if (!observation.reachable) {
      const since = observation.unreachableSince ?? observation.lastHeardAt;
      reasons.push(
        `Cluster ${observation.cluster} does not answer${
          since ? ` since ${since.toISOString()} (${age(now, since)} ago)` : ''
        }${
          observation.error ? `: ${observation.error}` : ''
        }. What is shown for it is what was last known${
          inCluster
            ? `; its freshest good copy of the data is ${age(
                now,
                inCluster.time,
              )} old`
            : ''
        }.`,
      );
    }
    return clusterStatus(observation, inCluster?.time, now);
  });

  return {
    entityRef: options.entityRef,
    state: state as ComplianceState,
    reasons,
    policy: intent.policy,
    rpo: {
      target: rpo.text,
      targetMs: rpo.milliseconds,
      ...(achievedMs !== undefined ? { achievedMs } : {}),
      ...(freshest
        ? {
            achievedBy: {
              layer: freshest.layer,
              cluster: freshest.cluster,
              time: freshest.time,
            },
          }
        : {}),
      met,
    },
    rto: {
      target: intent.targets.rto.text,
      targetMs: intent.targets.rto.milliseconds,
    },
    layers,
    clusters,
    warnings: intentWarnings(intent, now),
    generatedAt: now.toISOString(),
  };
}
