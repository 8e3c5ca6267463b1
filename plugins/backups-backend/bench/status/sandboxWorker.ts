/**
 * The benchmark's cluster: a sandbox API server in a worker thread of its own,
 * so that the API server's work does not run on the backend's event loop (a
 * real one runs on other machines). Driven by messages from the benchmark.
 */
import { startSandbox, Sandbox } from '@backups-for-backstage/kube-sandbox';
import { MANAGED_OBJECT_LABELS } from '@backups-for-backstage/plugin-backups-common';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import {
  BenchEntity,
  SandboxRequest,
  SandboxResponse,
  VELERO_NAMESPACE,
} from './protocol';

let sandbox: Sandbox;

const HOUR = 3600_000;
const stamp = (time: Date) =>
  time.toISOString().replace(/[-:T]/g, '').slice(0, 14);

function resource(apiVersion: string, kind: string) {
  return sandbox.registry.findKind(apiVersion, kind)!;
}

function start(entities: BenchEntity[]) {
  const namespaces = [...new Set(entities.map(entity => entity.namespace))];
  for (const name of namespaces) {
    sandbox.store.create(resource('v1', 'Namespace'), undefined, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    });
  }
  // One running pod per component, so that every selector matches.
  for (const entity of entities) {
    sandbox.store.create(resource('v1', 'Pod'), entity.namespace, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${entity.name}-0`,
        labels: { 'backstage.io/kubernetes-id': entity.name },
      },
      spec: { containers: [{ name: 'app', image: 'example/app:1.0' }] },
    });
  }
}

function backup(options: {
  schedule: { name: string; labels: Record<string, string>; spec: any };
  name: string;
  createdAt: Date;
  phase: 'InProgress' | 'Completed';
}) {
  const { schedule, createdAt } = options;
  const completedAt = new Date(createdAt.getTime() + 40_000);
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Backup',
    metadata: {
      name: options.name,
      labels: {
        ...schedule.labels,
        'velero.io/schedule-name': schedule.name,
        'velero.io/storage-location': 'default',
      },
    },
    spec: schedule.spec.template,
    status: {
      phase: options.phase,
      version: 1,
      formatVersion: '1.1.0',
      startTimestamp: createdAt.toISOString(),
      expiration: new Date(createdAt.getTime() + 30 * 24 * HOUR).toISOString(),
      ...(options.phase === 'Completed'
        ? {
            completionTimestamp: completedAt.toISOString(),
            progress: { itemsBackedUp: 8, totalItems: 8 },
          }
        : { progress: { itemsBackedUp: 2, totalItems: 8 } }),
    },
  };
}

function schedules() {
  return sandbox.store
    .objects(resource('velero.io/v1', 'Schedule'), {
      namespace: VELERO_NAMESPACE,
    })
    .map(object => ({
      name: object.metadata.name!,
      labels: Object.fromEntries(
        Object.entries(object.metadata.labels ?? {}).filter(([key]) =>
          Object.values(MANAGED_OBJECT_LABELS).includes(key as any),
        ),
      ),
      spec: object.spec as any,
    }));
}

/** `perSchedule` hourly Backups for every Schedule, the newest 10 minutes old. */
function seedBackups(perSchedule: number): number {
  const now = Date.now();
  const newest = Math.floor((now - 10 * 60_000) / HOUR) * HOUR;
  let count = 0;
  for (const schedule of schedules()) {
    for (let i = perSchedule - 1; i >= 0; i--) {
      const createdAt = new Date(newest - i * HOUR);
      sandbox.store.create(
        resource('velero.io/v1', 'Backup'),
        VELERO_NAMESPACE,
        {
          ...backup({
            schedule,
            name: `${schedule.name}-${stamp(createdAt)}`,
            createdAt,
            phase: 'Completed',
          }),
        },
      );
      count += 1;
    }
  }
  return count;
}

function startBackup(scheduleName: string, name: string) {
  const schedule = schedules().find(s => s.name === scheduleName)!;
  sandbox.store.create(
    resource('velero.io/v1', 'Backup'),
    VELERO_NAMESPACE,
    backup({ schedule, name, createdAt: new Date(), phase: 'InProgress' }),
  );
}

function completeBackup(name: string): number {
  const type = resource('velero.io/v1', 'Backup');
  const existing = sandbox.store.getOrThrow(type, VELERO_NAMESPACE, name);
  const at = performance.timeOrigin + performance.now();
  sandbox.store.update(type, VELERO_NAMESPACE, name, {
    ...existing,
    status: {
      ...(existing.status as object),
      phase: 'Completed',
      completionTimestamp: new Date().toISOString(),
      progress: { itemsBackedUp: 8, totalItems: 8 },
    },
  });
  return at;
}

async function handle(request: SandboxRequest): Promise<SandboxResponse> {
  switch (request.type) {
    case 'start':
      sandbox = await startSandbox({
        simulate: false,
        startTime: new Date(),
        // Enough to resume a watch; a fleet's history is not the point here.
        watchHistorySize: 20_000,
        fixtures: [
          path.resolve(__dirname, '../../../../examples/sandbox/cluster.yaml'),
        ],
      });
      sandbox.clock.run(1);
      start(request.entities);
      return { type: 'started', url: sandbox.url, token: sandbox.tokens.admin };
    case 'seedBackups':
      return { type: 'count', count: seedBackups(request.perSchedule) };
    case 'setLatency':
      sandbox.server.setLatency(request.ms);
      return { type: 'ok' };
    case 'startBackup':
      startBackup(request.schedule, request.name);
      return { type: 'ok' };
    case 'completeBackup':
      return { type: 'completed', at: completeBackup(request.name) };
    case 'countRequests':
      return {
        type: 'count',
        count: sandbox.server.countRequests(['get', 'list', 'watch']),
      };
    case 'stop':
      await sandbox.stop();
      return { type: 'ok' };
    default:
      throw new Error(`unknown request ${JSON.stringify(request)}`);
  }
}

parentPort!.on('message', ({ id, request }) => {
  handle(request).then(
    response => parentPort!.postMessage({ id, response }),
    error =>
      parentPort!.postMessage({ id, error: String(error?.stack ?? error) }),
  );
});
