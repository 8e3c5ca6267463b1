/* eslint-disable no-console */
/**
 * The status route under load, through a backend's real HTTP stack (auth, the
 * permission check, the router, the real catalog on SQLite), against a sandbox
 * cluster in a worker thread holding N opted-in components × P Velero Backups,
 * side by side with what it is measured against:
 *
 *   floor    credentials + permission check, nothing else
 *   intent   floor + the catalog look-up (no cluster state)
 *   status   ours: served from the watch caches
 *   naive    intent + a LIST of what one status needs, per request
 *   overview every entity's row, beside the catalog query listing them alone
 *
 * plus the caches' heap per restore point and the watch latency (a Backup
 * completing in the sandbox → the status route reporting it), at each
 * sandbox latency (a delay per API request, watch starts included).
 *
 *   yarn workspace @backups-for-backstage/plugin-backups-backend bench:status \
 *     [--entities 2000] [--points 100] [--concurrency 8] [--requests 3000] \
 *     [--latencies 0,20] [--samples 40]
 *
 * Prints figures; it asserts nothing (timings are not tests).
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { AddressInfo } from 'node:net';
import { stringify as toYaml } from 'yaml';
import { backupsPlugin } from '../../src/plugin';
import { readBackupsConfig } from '../../src/config/readBackupsConfig';
import { Reconciler } from '../../src/reconcile/Reconciler';
import { reconcileFleet } from '../../src/reconcile/reconcileFleet';
import { ClusterConnections } from '../../src/cluster/ClusterConnections';
import { benchRoutesPlugin } from './benchRoutes';
import { BenchEntity, LoadResponse } from './protocol';
import { LoadWorker, SandboxWorker } from './workers';

const { values } = parseArgs({
  options: {
    entities: { type: 'string', default: '2000' },
    points: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '8' },
    requests: { type: 'string', default: '3000' },
    latencies: { type: 'string', default: '0,20' },
    samples: { type: 'string', default: '40' },
    /** Only these rows, e.g. `status,overview` (for profiling). */
    only: { type: 'string' },
  },
});
const ENTITIES = Number(values.entities);
const POINTS = Number(values.points);
const CONCURRENCY = Number(values.concurrency);
const REQUESTS = Number(values.requests);
const LATENCIES = values.latencies!.split(',').map(Number);
const SAMPLES = Number(values.samples);
const ONLY = values.only?.split(',');
const wanted = (row: string) => !ONLY || ONLY.includes(row);

const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const gc = (globalThis as { gc?: () => void }).gc;

function benchEntities(): BenchEntity[] {
  return Array.from({ length: ENTITIES }, (_, i) => ({
    namespace: `team-${String(Math.floor(i / 100)).padStart(2, '0')}`,
    name: `svc-${String(i).padStart(4, '0')}`,
  }));
}

function component(entity: BenchEntity): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: entity.name,
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': entity.name,
        'backstage.io/kubernetes-namespace': entity.namespace,
        'backups/policy': 'bench',
      },
    },
    spec: { type: 'service', owner: entity.namespace, lifecycle: 'production' },
  };
}

function percentile(sorted: number[], p: number) {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

interface Figures {
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  apiRequestsPer100?: number;
  failures: string;
}

function figures(load: LoadResponse, apiRequests?: number): Figures {
  const sorted = [...load.latencies].sort((a, b) => a - b);
  const failures = Object.entries(load.failures)
    .map(([status, count]) => `${count}×${status}`)
    .join(' ');
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    rps: (load.latencies.length / load.elapsedMs) * 1000,
    ...(apiRequests !== undefined
      ? { apiRequestsPer100: (apiRequests / load.latencies.length) * 100 }
      : {}),
    failures: failures || 'none',
  };
}

const ms = (value: number) => value.toFixed(1).padStart(7);

function printTable(title: string, rows: Record<string, Figures>) {
  console.log(`\n${title}`);
  console.log(
    `  ${'route'.padEnd(34)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(
      7,
    )} ${'p99 ms'.padStart(7)} ${'req/s'.padStart(7)} ${'API req/100'.padStart(
      11,
    )}  failures`,
  );
  for (const [route, row] of Object.entries(rows)) {
    console.log(
      `  ${route.padEnd(34)} ${ms(row.p50)} ${ms(row.p95)} ${ms(row.p99)} ${ms(
        row.rps,
      )} ${(row.apiRequestsPer100 === undefined
        ? '-'
        : row.apiRequestsPer100.toFixed(1)
      ).padStart(11)}  ${row.failures}`,
    );
  }
}

async function main() {
  if (!gc) console.warn('run with --expose-gc for the memory figure');
  const entities = benchEntities();
  const sandbox = new SandboxWorker();
  const load = new LoadWorker();
  const started = await sandbox.call({ type: 'start', entities });
  if (started.type !== 'started') throw new Error('sandbox did not start');

  const backupsConfig = {
    defaultCluster: 'bench',
    clusters: [
      {
        name: 'bench',
        url: started.url,
        serviceAccountToken: started.token,
        skipTLSVerify: true,
      },
    ],
    policies: {
      bench: {
        rpo: '2h',
        rto: '1h',
        velero: { schedule: '0 * * * *', ttl: '720h' },
      },
    },
  };

  // The Schedules, created the way the plugin creates them.
  let at = performance.now();
  const components = entities.map(component);
  const summary = await reconcileFleet({
    reconciler: new Reconciler({
      config: readBackupsConfig(new ConfigReader({ backups: backupsConfig })),
      connections: new ClusterConnections({ requestTimeoutMs: 30_000 }),
    }),
    catalog: catalogServiceMock({ entities: components }),
    credentials: mockCredentials.service(),
    store: { record: async () => {}, delete: async () => {} },
    logger: {
      info: () => {},
      warn: () => {},
      error: console.error,
      debug: () => {},
      child() {
        return this;
      },
    } as any,
    dryRun: false,
    concurrency: 4,
  });
  console.log(
    `reconciled ${summary.succeeded}/${summary.entities} components in ${(
      (performance.now() - at) /
      1000
    ).toFixed(1)} s`,
  );

  const catalogFile = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'bench-status-')),
    'entities.yaml',
  );
  fs.writeFileSync(
    catalogFile,
    components.map(entity => toYaml(entity)).join('---\n'),
  );
  at = performance.now();
  const backend = await startTestBackend({
    features: [
      backupsPlugin,
      catalogPlugin,
      benchRoutesPlugin({ url: started.url, token: started.token }),
      mockServices.rootConfig.factory({
        data: {
          backups: backupsConfig,
          catalog: {
            rules: [{ allow: ['Component', 'Location'] }],
            locations: [{ type: 'file', target: catalogFile }],
          },
        },
      }),
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
    ],
  });
  const port = (backend.server.address() as AddressInfo).port;
  const base = `http://localhost:${port}/api`;
  const headers = { Authorization: mockCredentials.user.header() };
  const get = (url: string) => fetch(url, { headers });

  // The catalog ingests the components.
  for (;;) {
    const response = await get(
      `${base}/catalog/entities/by-query?filter=kind=component&limit=1`,
    );
    const body = await response.json();
    if (body.totalItems >= ENTITIES) break;
    await pause(500);
  }
  console.log(
    `catalog holds the ${ENTITIES} components after ${(
      (performance.now() - at) /
      1000
    ).toFixed(1)} s`,
  );

  // The plugin's own reconcile run, which leaves the fleet for the overview.
  at = performance.now();
  const run = await fetch(`${base}/bench/reconcile-run`, {
    method: 'POST',
    headers,
  });
  if (run.status !== 200) throw new Error(`reconcile run: ${run.status}`);
  console.log(
    `the plugin's reconcile run (unchanged objects, the fleet for the overview) took ${(
      (performance.now() - at) /
      1000
    ).toFixed(1)} s`,
  );

  const entityPath = (entity: BenchEntity) =>
    `entities/component/default/${entity.name}`;
  const restorePoints = async (entity: BenchEntity) => {
    const response = await get(
      `${base}/backups/${entityPath(entity)}/restore-points?layer=velero`,
    );
    if (response.status !== 200) return [];
    return (await response.json()).restorePoints as Array<{
      id: string;
      good: boolean;
    }>;
  };
  // The watch caches are synced when the first status knows its Schedule.
  for (;;) {
    const response = await get(
      `${base}/backups/${entityPath(entities[0])}/status`,
    );
    const body = await response.json();
    if (body.layers?.[0]?.configured) break;
    await pause(200);
  }

  // Memory: the caches' heap before and after the Backups arrive by watch.
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  at = performance.now();
  const seeded = await sandbox.call({
    type: 'seedBackups',
    perSchedule: POINTS,
  });
  const seededCount = seeded.type === 'count' ? seeded.count : 0;
  const last = entities[entities.length - 1];
  while ((await restorePoints(last)).length < POINTS) await pause(200);
  const deliveredS = (performance.now() - at) / 1000;
  gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  console.log(
    `${seededCount} Backups created in the sandbox and in the status's caches after ${deliveredS.toFixed(
      1,
    )} s; heap ${((heapAfter - heapBefore) / 1024 / 1024).toFixed(
      1,
    )} MiB more = ${((heapAfter - heapBefore) / seededCount).toFixed(
      0,
    )} bytes per restore point${gc ? '' : ' (without --expose-gc: rough)'}`,
  );

  const shuffled = [...entities].sort(() => Math.random() - 0.5);
  const urls = (route: string) =>
    shuffled.map(
      entity => `${base}/${route.replace('{entity}', entityPath(entity))}`,
    );
  async function measure(route: string, options: { requests?: number } = {}) {
    // A route that does not answer 200 measures nothing.
    const probe = await get(urls(route)[0]);
    if (probe.status !== 200) {
      throw new Error(
        `${route} answered ${probe.status}: ${await probe.text()}`,
      );
    }
    const before = await sandbox.countRequests();
    const result = await load.call({
      urls: urls(route),
      headers,
      requests: options.requests ?? REQUESTS,
      concurrency: CONCURRENCY,
    });
    return figures(result, (await sandbox.countRequests()) - before);
  }

  if (wanted('cold')) {
    printTable(
      `status with a cold entity cache (every request a catalog look-up), ${ENTITIES} requests`,
      {
        'GET …/status (cold)': await measure('backups/{entity}/status', {
          requests: ENTITIES,
        }),
      },
    );
  }

  const OVERVIEW_REQUESTS = 40;
  const ROWS: Array<{
    key: string;
    label: string;
    route: string;
    requests?: number;
  }> = [
    {
      key: 'floor',
      label: 'floor (auth + permission)',
      route: 'bench/floor/{entity}',
    },
    {
      key: 'intent',
      label: 'GET …/intent (+ catalog)',
      route: 'backups/{entity}/intent',
    },
    {
      key: 'status',
      label: 'GET …/status (ours)',
      route: 'backups/{entity}/status',
    },
    {
      key: 'naive',
      label: 'naive (+ LIST per request)',
      route: 'bench/naive/{entity}',
      requests: Math.min(REQUESTS, 1000),
    },
    {
      key: 'overview',
      label: `GET /overview, ${ENTITIES} rows`,
      route: `backups/overview?limit=${ENTITIES}`,
      requests: OVERVIEW_REQUESTS,
    },
    {
      key: 'catalog',
      label: 'catalog query, same entities',
      route: 'catalog/entities?filter=metadata.annotations.backups/policy',
      requests: OVERVIEW_REQUESTS,
    },
  ];

  async function watchLatency(latency: number): Promise<number[]> {
    // A Backup completes in the sandbox → the restore points say good.
    const latencies: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const entity = entities[Math.floor(Math.random() * entities.length)];
      const name = `${entity.name}-velero-bench-${latency}-${i}`;
      await sandbox.call({
        type: 'startBackup',
        schedule: `${entity.name}-velero`,
        name,
      });
      while (!(await restorePoints(entity)).some(point => point.id === name)) {
        await pause(5);
      }
      const completed = await sandbox.call({ type: 'completeBackup', name });
      const completedAt = completed.type === 'completed' ? completed.at : NaN;
      for (;;) {
        const point = (await restorePoints(entity)).find(p => p.id === name);
        if (point?.good) break;
      }
      latencies.push(performance.timeOrigin + performance.now() - completedAt);
    }
    return latencies.sort((a, b) => a - b);
  }

  for (const latency of LATENCIES) {
    await sandbox.call({ type: 'setLatency', ms: latency });
    // Warm-up round, not counted: JIT, keep-alive connections.
    await measure('bench/floor/{entity}', { requests: 500 });
    const byKey: Record<string, Figures> = {};
    const rows: Record<string, Figures> = {};
    for (const row of ROWS.filter(r => wanted(r.key))) {
      byKey[row.key] = await measure(row.route, { requests: row.requests });
      rows[row.label] = byKey[row.key];
    }
    printTable(
      `sandbox latency ${latency} ms; ${ENTITIES} components × ${POINTS} restore points, concurrency ${CONCURRENCY}`,
      rows,
    );
    const ratio = (
      label: string,
      a: string,
      b: string,
      target: string,
      digits = 2,
    ) => {
      if (byKey[a] && byKey[b]) {
        console.log(
          `  ${label.padEnd(28)} = ${(byKey[a].p95 / byKey[b].p95).toFixed(
            digits,
          )} (target ${target})`,
        );
      }
    };
    ratio('status p95 / intent p95', 'status', 'intent', '≤ 1.2');
    ratio('naive p95 / status p95', 'naive', 'status', '≥ 10', 1);
    ratio('overview p95 / catalog p95', 'overview', 'catalog', '≤ 1.5');
    if (wanted('watch')) {
      const latencies = await watchLatency(latency);
      console.log(
        `  watch latency: p50 ${percentile(latencies, 50).toFixed(
          1,
        )} ms, p95 ${percentile(latencies, 95).toFixed(
          1,
        )} ms over ${SAMPLES} Backups (target p95 ≤ 1000 ms)`,
      );
    }
  }

  // Stopping a test backend with a catalog waits for its processing loop;
  // the figures are printed, so the process need not wait.
  await sandbox.call({ type: 'stop' });
  process.exit(0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
