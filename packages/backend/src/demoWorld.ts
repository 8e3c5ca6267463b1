/*
 * The example portal's sandbox clusters as a world that agrees with the
 * clock: they start a week in the past, wait until the backups plugin has
 * reconciled the example catalog into them, run that week at full speed
 * (Schedules, dump CronJobs and snapshot jobs fire, some fail, some hold
 * nothing), then run in real time, so that the first look at the Backups tab
 * tells a true story in the backend's own time.
 */
import type {
  JobOutcome,
  KubeObject,
  Sandbox,
} from '@backups-for-backstage/kube-sandbox';
import { createHash } from 'node:crypto';

const HOUR = 3600_000;
const MANAGED = 'app.kubernetes.io/managed-by';

interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

/** How long the simulated work takes once the world runs in real time. */
export const DEMO_DURATIONS = {
  jobDurationMs: 20_000,
  backupDurationMs: 30_000,
  restoreDurationMs: 15_000,
  snapshotReadyAfterMs: 5_000,
};

function env(job: KubeObject, name: string): string | undefined {
  const spec = job.spec as any;
  const containers = [
    ...(spec?.template?.spec?.initContainers ?? []),
    ...(spec?.template?.spec?.containers ?? []),
  ];
  for (const container of containers) {
    const found = (container.env ?? []).find((e: any) => e.name === name);
    if (found?.value !== undefined) return found.value;
  }
  return undefined;
}

/** What a dump's pod reports, as the dump script would. */
function dumpReport(job: KubeObject, startedAt: Date, durationMs: number) {
  const file = `${env(job, 'ENTITY_DIR') ?? 'demo'}/dump-${startedAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}.pgdump`;
  const digest = createHash('sha256').update(file).digest('hex');
  return JSON.stringify({
    file,
    bytes: 40_000_000 + (parseInt(digest.slice(0, 6), 16) % 20_000_000),
    sha256: digest,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date(startedAt.getTime() + durationMs).toISOString(),
  });
}

/**
 * How the demo's Jobs end: dumps report a dump (the payments dumps of the
 * last hour before now fail, so the tab shows a failing layer), snapshot
 * jobs make the VolumeSnapshots the snapshot script would.
 */
export function demoJobOutcome(options: {
  sandbox: () => Sandbox;
  /** When the seeded week ends (the wall clock at start-up). */
  seedEnd: Date;
}) {
  return (job: KubeObject): JobOutcome => {
    const sandbox = options.sandbox();
    const now = sandbox.clock.now();
    const layer = job.metadata.labels?.['backups/layer'];
    const entity = job.metadata.labels?.['backups/entity-name'];
    if (layer === 'database') {
      const failing =
        entity === 'payments' &&
        now.getTime() > options.seedEnd.getTime() - HOUR &&
        now.getTime() <= options.seedEnd.getTime();
      return failing
        ? {
            succeeded: false,
            terminationMessage: JSON.stringify({
              error:
                'mysqldump: Got error: 1045: Access denied for user payments',
            }),
          }
        : {
            succeeded: true,
            terminationMessage: dumpReport(
              job,
              now,
              DEMO_DURATIONS.jobDurationMs,
            ),
          };
    }
    if (layer === 'volume-snapshot') {
      // The snapshot script, simulated: one VolumeSnapshot per named PVC.
      sandbox.clock.at(new Date(now.getTime() + 1000), () =>
        createSnapshots(sandbox, job),
      );
    }
    return { succeeded: true };
  };
}

function createSnapshots(sandbox: Sandbox, job: KubeObject) {
  const kind = sandbox.registry.findKind(
    'snapshot.storage.k8s.io/v1',
    'VolumeSnapshot',
  );
  if (!kind) return;
  const namespace = job.metadata.namespace!;
  const stamp = sandbox.clock
    .now()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
    .toLowerCase();
  const labels = Object.fromEntries(
    Object.entries(job.metadata.labels ?? {}).filter(([key]) =>
      [
        MANAGED,
        'backups/entity-kind',
        'backups/entity-namespace',
        'backups/entity-name',
        'backups/layer',
      ].includes(key),
    ),
  );
  for (const pvc of (env(job, 'PVC_NAMES') ?? '').split(',').filter(Boolean)) {
    try {
      sandbox.store.create(kind, namespace, {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshot',
        metadata: {
          name: `${pvc}-${stamp}`,
          labels: { ...labels, 'backups/pvc': pvc },
          annotations: { 'backups/entity-ref': env(job, 'ENTITY_REF') ?? '' },
        },
        spec: {
          source: { persistentVolumeClaimName: pvc },
          ...(env(job, 'SNAPSHOT_CLASS')
            ? { volumeSnapshotClassName: env(job, 'SNAPSHOT_CLASS') }
            : {}),
        },
      });
    } catch {
      // A name taken (two runs in one second) is skipped, as the script's retry would.
    }
  }
  const keep = Number(env(job, 'RETENTION_COUNT') ?? 10);
  const ours = sandbox.store
    .objects(kind, { namespace })
    .filter(
      s =>
        s.metadata.labels?.['backups/entity-name'] ===
        labels['backups/entity-name'],
    )
    .sort((a, b) =>
      a.metadata.creationTimestamp! < b.metadata.creationTimestamp! ? 1 : -1,
    );
  for (const old of ours.slice(keep)) {
    try {
      sandbox.store.delete(kind, namespace, old.metadata.name!);
    } catch {
      // gone already
    }
  }
}

function managedObjects(sandbox: Sandbox): number {
  let count = 0;
  for (const [apiVersion, kind] of [
    ['velero.io/v1', 'Schedule'],
    ['batch/v1', 'CronJob'],
  ]) {
    const type = sandbox.registry.findKind(apiVersion, kind);
    if (type) {
      count += sandbox.store
        .objects(type)
        .filter(
          object => object.metadata.labels?.[MANAGED] === 'backstage-backups',
        ).length;
    }
  }
  return count;
}

const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Waits for the first reconcile, runs the sandboxes' clocks from a week ago
 * to now an hour at a time (letting the backend's watches keep up), then in
 * real time.
 */
export async function runDemoWorld(options: {
  sandboxes: Sandbox[];
  logger: Logger;
  speed: number;
  /** Give up waiting for the first reconcile after this long. */
  reconcileTimeoutMs?: number;
}): Promise<void> {
  const { sandboxes, logger } = options;
  const deadline = Date.now() + (options.reconcileTimeoutMs ?? 180_000);
  while (
    sandboxes.some(sandbox => managedObjects(sandbox) === 0) &&
    Date.now() < deadline
  ) {
    await pause(500);
  }
  // Objects of the last entities of the first reconcile: a little more time.
  await pause(3000);
  logger.info('kube-sandbox: replaying the past week of backups');
  const started = Date.now();
  for (;;) {
    const behind = Date.now() - sandboxes[0].clock.now().getTime();
    if (behind < 1000) break;
    const step = Math.min(behind, HOUR);
    for (const sandbox of sandboxes) sandbox.clock.advance(step);
    // Let the watches carry the hour's events to the backend.
    await pause(20);
  }
  logger.info(
    `kube-sandbox: the past week replayed in ${(
      (Date.now() - started) /
      1000
    ).toFixed(1)} s; now running at ${options.speed}x real time`,
  );
  for (const sandbox of sandboxes) sandbox.clock.run(options.speed);
}
