/**
 * What the watch caches and the recorded dumps say of one entity, per layer
 * and cluster: its runner (Schedule, CronJob, SnapshotSchedule), its restore
 * points, its runs and the problems that put it at risk. No request to a
 * cluster is made here.
 */
import { parseEntityRef } from '@backstage/catalog-model';
import {
  BackupLayer,
  LabelSelectorRequirement,
  parseQuantity,
  ProtectionIntent,
  RestorePoint,
  RunOutcome,
  VolumeSnapshotIntent,
} from '@backups-for-backstage/plugin-backups-common';
import { ClusterCaches } from '../cluster/watch/ClusterCaches';
import {
  CachedBackup,
  CachedSnapshot,
  CachedWorkload,
} from '../cluster/watch/projections';
import { DumpRecord } from '../database/DumpRecordStore';
import { matchesLabelSelector } from '../plan/labelSelector';
import { entityLabelKey } from '../plan/naming';
import {
  ClusterPlan,
  PlannedObject,
} from '@backups-for-backstage/plugin-backups-common';
import { ClusterObservation, LayerObservation } from './compliance';
import { byNewestTime } from './textOrder';

function matchesAny(
  items: readonly CachedWorkload[],
  requirements: LabelSelectorRequirement[],
): boolean {
  return items.some(item => matchesLabelSelector(requirements, item.labels));
}

/**
 * The restore points of a cache's lookup list, newest first, made once per
 * list: a cache hands out the same list until one of its items changes, and a
 * fleet's status reads the same lists on every request. Shared: read-only.
 */
const pointsOfList = new WeakMap<
  readonly object[],
  Map<string, RestorePoint[]>
>();

function restorePointsOf<T extends object>(
  items: readonly T[],
  key: string,
  make: (items: readonly T[]) => Array<RestorePoint | undefined>,
): RestorePoint[] {
  let byKey = pointsOfList.get(items);
  if (!byKey) pointsOfList.set(items, (byKey = new Map()));
  let points = byKey.get(key);
  if (!points) {
    points = make(items)
      .filter((point): point is RestorePoint => point !== undefined)
      .sort(byNewestTime);
    byKey.set(key, points);
  }
  return points;
}

/** The PVCs a volume-snapshot intent selects in a namespace, from the cache. */
export function selectedClaims(
  snapshotIntent: VolumeSnapshotIntent,
  namespace: string,
  caches: ClusterCaches,
): CachedWorkload[] {
  const claims = caches.claims?.lookup('namespace', namespace) ?? [];
  const { pvcs } = snapshotIntent;
  return pvcs.type === 'names'
    ? claims.filter(claim => pvcs.names.includes(claim.name))
    : claims.filter(claim =>
        matchesLabelSelector(pvcs.requirements, claim.labels),
      );
}

function runnerOf(plan: ClusterPlan, layer: BackupLayer, kinds: string[]) {
  return plan.objects.find(
    (object: PlannedObject) =>
      object.metadata.labels['backups/layer'] === layer &&
      kinds.includes(object.kind),
  );
}

/** A Velero Backup as a restore point. */
export function backupRestorePoint(
  cluster: string,
  backup: CachedBackup,
): RestorePoint | undefined {
  if (backup.phase === 'Deleting') return undefined;
  const finished = [
    'Completed',
    'PartiallyFailed',
    'Failed',
    'FailedValidation',
  ];
  const items = backup.itemsBackedUp ?? 0;
  let outcome: RunOutcome = 'running';
  let reason: string | undefined;
  if (backup.phase === 'Completed') {
    outcome = items > backup.includedNamespaces ? 'good' : 'empty';
    if (outcome === 'empty') {
      reason = `it holds no item besides the ${backup.includedNamespaces} namespace object(s) Velero always captures: the selector matched nothing`;
    }
  } else if (finished.includes(backup.phase)) {
    outcome = 'failed';
    reason = `Velero ended it ${backup.phase}${
      backup.failureReason ? `: ${backup.failureReason}` : ''
    }`;
  }
  return {
    layer: 'velero',
    cluster,
    id: backup.name,
    time: backup.completedAt ?? backup.startedAt ?? backup.createdAt ?? '',
    ...(backup.startedAt ? { startedAt: backup.startedAt } : {}),
    ...(backup.completedAt ? { finishedAt: backup.completedAt } : {}),
    // Velero 1.18 never writes `New`: a Backup without a phase is new.
    phase: backup.phase || 'New',
    outcome,
    good: outcome === 'good',
    ...(reason ? { reason } : {}),
    ...(backup.itemsBackedUp !== undefined ? { items } : {}),
    ...(backup.totalItems !== undefined
      ? { totalItems: backup.totalItems }
      : {}),
    ...(backup.expiresAt ? { expiresAt: backup.expiresAt } : {}),
    onDemand: backup.onDemand,
    object: { apiVersion: 'velero.io/v1', kind: 'Backup', name: backup.name },
  };
}

/** A recorded dump as a restore point; undefined for a failed one. */
export function dumpRestorePoint(record: DumpRecord): RestorePoint | undefined {
  if (!record.succeeded) return undefined;
  const empty = !record.bytes || !record.sha256;
  return {
    layer: 'database',
    cluster: record.cluster,
    id: record.file?.split('/').pop() ?? record.podName,
    time: record.finishedAt,
    ...(record.startedAt ? { startedAt: record.startedAt } : {}),
    finishedAt: record.finishedAt,
    phase: 'Succeeded',
    outcome: empty ? 'empty' : 'good',
    good: !empty,
    ...(empty
      ? {
          reason: !record.bytes
            ? 'the dump is 0 bytes'
            : 'the dump has no sha256 to verify it with',
        }
      : {}),
    ...(record.bytes !== undefined ? { bytes: record.bytes } : {}),
    ...(record.sha256 ? { sha256: record.sha256 } : {}),
    ...(record.file ? { file: record.file } : {}),
    ...(record.retention?.maxAgeSeconds
      ? {
          expiresAt: new Date(
            new Date(record.finishedAt).getTime() +
              record.retention.maxAgeSeconds * 1000,
          ).toISOString(),
        }
      : {}),
    onDemand: record.onDemand,
  };
}

/** A VolumeSnapshot as a restore point. */
export function snapshotRestorePoint(
  cluster: string,
  snapshot: CachedSnapshot,
): RestorePoint {
  const bytes = parseQuantity(snapshot.restoreSize);
  let outcome: RunOutcome = 'running';
  let phase = 'Pending';
  let reason: string | undefined;
  if (snapshot.error) {
    outcome = 'failed';
    phase = 'Failed';
    reason = `the snapshot failed: ${snapshot.error}`;
  } else if (snapshot.readyToUse) {
    phase = 'Ready';
    outcome = bytes === 0 ? 'empty' : 'good';
    if (outcome === 'empty') reason = 'the snapshot restores to 0 bytes';
  }
  return {
    layer: 'volume-snapshot',
    cluster,
    id: snapshot.name,
    time: snapshot.createdAt ?? '',
    phase,
    outcome,
    good: outcome === 'good',
    ...(reason ? { reason } : {}),
    ...(bytes !== undefined ? { bytes } : {}),
    ...(snapshot.pvc ? { pvc: snapshot.pvc } : {}),
    onDemand: snapshot.onDemand,
    object: {
      apiVersion: 'snapshot.storage.k8s.io/v1',
      kind: 'VolumeSnapshot',
      namespace: snapshot.namespace,
      name: snapshot.name,
    },
  };
}

function observeVelero(
  intent: ProtectionIntent,
  plan: ClusterPlan,
  caches: ClusterCaches,
): LayerObservation {
  const cluster = plan.cluster;
  const planned = runnerOf(plan, 'velero', ['Schedule']);
  const name = planned?.metadata.name ?? '';
  const veleroNamespace = caches.cluster.veleroNamespace;
  const base = {
    layer: 'velero' as const,
    cluster,
    runner: `Velero Schedule ${name}`,
    schedule: intent.velero?.schedule ?? '',
  };
  if (!caches.schedules || !caches.backups) {
    return {
      ...base,
      configured: false,
      restorePoints: [],
      runs: [],
      problems: [
        `Velero is not installed in cluster ${cluster} (it does not serve velero.io/v1).`,
      ],
    };
  }
  const schedule = caches.schedules.items.get(`${veleroNamespace}/${name}`);
  const restorePoints = restorePointsOf(
    caches.backups.lookup('schedule', name),
    cluster,
    backups => backups.map(backup => backupRestorePoint(cluster, backup)),
  );
  const problems: string[] = [];
  if (schedule?.phase === 'FailedValidation') {
    problems.push(
      `Velero refuses the Schedule ${name} in cluster ${cluster} (FailedValidation).`,
    );
  }
  const locations = caches.storageLocations
    ? [...caches.storageLocations.items.values()]
    : [];
  const location = schedule?.storageLocation
    ? locations.find(bsl => bsl.name === schedule.storageLocation)
    : locations.find(bsl => bsl.isDefault);
  if (location?.phase === 'Unavailable') {
    problems.push(
      `The BackupStorageLocation ${
        location.name
      } in cluster ${cluster} is Unavailable${
        location.message ? ` (${location.message})` : ''
      }: Velero cannot store backups there.`,
    );
  }
  const { requirements, labelSelector, namespace } = intent.workload;
  if (requirements && caches.pods) {
    const pods = caches.pods.lookup('namespace', namespace);
    if (!matchesAny(pods, requirements)) {
      problems.push(
        `The workload selector ${labelSelector} matches no pod in namespace ${namespace} of cluster ${cluster}: its Velero backups hold nothing of the workload.`,
      );
    }
  }
  return {
    ...base,
    configured: schedule !== undefined,
    restorePoints,
    runs: restorePoints,
    problems,
  };
}

function observeDatabase(
  intent: ProtectionIntent,
  plan: ClusterPlan,
  caches: ClusterCaches,
  dumps: DumpRecord[],
): LayerObservation {
  const cluster = plan.cluster;
  const planned = runnerOf(plan, 'database', ['CronJob']);
  const name = planned?.metadata.name ?? '';
  const namespace = intent.workload.namespace;
  const recorded = dumps.filter(dump => dump.cluster === cluster);
  const restorePoints = recorded
    .map(dumpRestorePoint)
    .filter((point): point is RestorePoint => point !== undefined);
  const runs: LayerObservation['runs'] = recorded.map(dump => ({
    time: dump.finishedAt,
    outcome: dump.succeeded
      ? dumpRestorePoint(dump)!.outcome
      : ('failed' as const),
  }));
  const recordedJobs = new Set(recorded.map(dump => dump.jobName));
  for (const job of caches.jobs?.lookup('cronJob', name) ?? []) {
    if (job.namespace !== namespace || recordedJobs.has(job.name)) continue;
    if (job.outcome === 'running') {
      runs.push({
        time: job.startedAt ?? job.createdAt ?? '',
        outcome: 'running',
      });
    } else if (job.outcome === 'failed') {
      // A Job that failed before a pod could report (image, quota, deadline).
      runs.push({
        time: job.completedAt ?? job.createdAt ?? '',
        outcome: 'failed',
      });
    }
  }
  return {
    layer: 'database',
    cluster,
    runner: `dump CronJob ${name}`,
    configured: caches.cronJobs?.items.has(`${namespace}/${name}`) ?? false,
    schedule: intent.database?.schedule ?? '',
    restorePoints,
    runs,
    problems: [],
  };
}

function observeSnapshots(
  intent: ProtectionIntent,
  plan: ClusterPlan,
  caches: ClusterCaches,
  entityKey: string,
): LayerObservation {
  const cluster = plan.cluster;
  const snapshotIntent = intent.volumeSnapshot!;
  const namespace = intent.workload.namespace;
  const planned = runnerOf(plan, 'volume-snapshot', [
    'SnapshotSchedule',
    'CronJob',
  ]);
  const name = planned?.metadata.name ?? '';
  const key = `${namespace}/${name}`;
  const configured =
    planned?.kind === 'SnapshotSchedule'
      ? caches.snapshotSchedules?.items.has(key) ?? false
      : caches.cronJobs?.items.has(key) ?? false;
  const restorePoints = restorePointsOf(
    caches.snapshots?.lookup('entity', entityKey) ?? [],
    `${cluster} ${namespace}`,
    snapshots =>
      snapshots
        .filter(snapshot => snapshot.namespace === namespace)
        .map(snapshot => snapshotRestorePoint(cluster, snapshot)),
  );
  const runs: LayerObservation['runs'] = [...restorePoints];
  for (const job of caches.jobs?.lookup('cronJob', name) ?? []) {
    if (job.namespace === namespace && job.outcome === 'failed') {
      runs.push({
        time: job.completedAt ?? job.createdAt ?? '',
        outcome: 'failed',
      });
    }
  }
  const problems: string[] = [];
  const { pvcs } = snapshotIntent;
  if (
    caches.claims &&
    selectedClaims(snapshotIntent, namespace, caches).length === 0
  ) {
    problems.push(
      `${
        pvcs.type === 'names'
          ? `The PVCs ${pvcs.names.join(', ')} do not exist`
          : `The PVC selector ${pvcs.labelSelector} matches no PVC`
      } in namespace ${namespace} of cluster ${cluster}: there is nothing to snapshot.`,
    );
  }
  if (!caches.snapshots) {
    problems.push(
      `Cluster ${cluster} does not serve CSI VolumeSnapshots (snapshot.storage.k8s.io/v1).`,
    );
  }
  return {
    layer: 'volume-snapshot',
    cluster,
    runner:
      planned?.kind === 'SnapshotSchedule'
        ? `SnapshotSchedule ${name}`
        : `snapshot CronJob ${name}`,
    configured,
    schedule: snapshotIntent.schedule,
    restorePoints,
    runs,
    problems,
  };
}

/** Every layer of the entity in every cluster its plan targets, and those clusters' health. */
export function observeEntity(options: {
  intent: ProtectionIntent;
  clusterPlans: ClusterPlan[];
  caches: (cluster: string) => ClusterCaches | undefined;
  dumps: DumpRecord[];
}): { layers: LayerObservation[]; clusters: ClusterObservation[] } {
  const { intent } = options;
  const entityKey = entityLabelKey(parseEntityRef(intent.entityRef));
  const layers: LayerObservation[] = [];
  const clusters: ClusterObservation[] = [];
  for (const plan of options.clusterPlans) {
    const caches = options.caches(plan.cluster);
    if (!caches) {
      clusters.push({
        cluster: plan.cluster,
        reachable: false,
        error: 'not configured for watching',
      });
      continue;
    }
    const health = caches.health();
    clusters.push(health);
    for (const layer of intent.layers) {
      if (layer === 'velero') layers.push(observeVelero(intent, plan, caches));
      if (layer === 'database') {
        layers.push(observeDatabase(intent, plan, caches, options.dumps));
      }
      if (layer === 'volume-snapshot') {
        layers.push(observeSnapshots(intent, plan, caches, entityKey));
      }
    }
  }
  return { layers, clusters };
}
