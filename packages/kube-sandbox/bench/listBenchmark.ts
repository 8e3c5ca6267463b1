/* eslint-disable no-console */
/**
 * Measures the sandbox the way the plugin loads it: start-up time, and the
 * latency of labelled LIST requests through @kubernetes/client-node with
 * 2,000 namespaces × 10 objects and 100 Velero Backups per Schedule.
 *
 *   yarn workspace @backups-for-backstage/kube-sandbox bench [--namespaces 2000] [--requests 500]
 *
 * Prints figures; it asserts nothing (timings are not tests).
 */
import * as k8s from '@kubernetes/client-node';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { startSandbox } from '../src';

const { values } = parseArgs({
  options: {
    namespaces: { type: 'string', default: '2000' },
    schedules: { type: 'string', default: '200' },
    backupsPerSchedule: { type: 'string', default: '100' },
    requests: { type: 'string', default: '500' },
  },
});
const NAMESPACES = Number(values.namespaces);
const SCHEDULES = Number(values.schedules);
const BACKUPS_PER_SCHEDULE = Number(values.backupsPerSchedule);
const REQUESTS = Number(values.requests);

function percentile(sorted: number[], p: number) {
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

async function measure(
  label: string,
  call: (i: number) => Promise<{ items: unknown[] }>,
) {
  for (let i = 0; i < 20; i++) await call(i); // warm-up
  const times: number[] = [];
  let items = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const start = performance.now();
    const list = await call(i);
    times.push(performance.now() - start);
    items += list.items.length;
  }
  times.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(58)} p50 ${percentile(times, 50)
      .toFixed(2)
      .padStart(6)} ms  p95 ${percentile(times, 95)
      .toFixed(2)
      .padStart(6)} ms  p99 ${percentile(times, 99)
      .toFixed(2)
      .padStart(6)} ms  (${(items / REQUESTS).toFixed(0)} items/answer)`,
  );
}

async function main() {
  let start = performance.now();
  const sandbox = await startSandbox({ port: 0 });
  console.log(
    `start-up (empty, CRDs loaded, listening): ${(
      performance.now() - start
    ).toFixed(0)} ms`,
  );

  start = performance.now();
  const { store, registry } = sandbox;
  const namespaces = registry.findKind('v1', 'Namespace')!;
  const configMaps = registry.findKind('v1', 'ConfigMap')!;
  const pvcs = registry.findKind('v1', 'PersistentVolumeClaim')!;
  const schedules = registry.findKind('velero.io/v1', 'Schedule')!;
  const backups = registry.findKind('velero.io/v1', 'Backup')!;
  for (let n = 0; n < NAMESPACES; n++) {
    const namespace = `team-${n}`;
    store.create(namespaces, undefined, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace },
    });
    for (let i = 0; i < 10; i++) {
      const resource = i < 8 ? configMaps : pvcs;
      store.create(resource, namespace, {
        apiVersion: 'v1',
        kind: resource.kind,
        metadata: {
          name: `object-${i}`,
          labels: {
            'backstage.io/kubernetes-id': `service-${n}`,
            tier: i % 2 ? 'db' : 'web',
          },
        },
        ...(i < 8
          ? { data: { index: String(i) } }
          : {
              spec: {
                accessModes: ['ReadWriteOnce'],
                resources: { requests: { storage: '1Gi' } },
              },
            }),
      });
    }
  }
  store.create(namespaces, undefined, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'velero' },
  });
  for (let s = 0; s < SCHEDULES; s++) {
    const schedule = `service-${s}-velero`;
    store.create(schedules, 'velero', {
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { name: schedule },
      spec: {
        schedule: '0 * * * *',
        paused: true,
        template: { includedNamespaces: [`team-${s}`] },
      },
    });
    for (let b = 0; b < BACKUPS_PER_SCHEDULE; b++) {
      store.create(backups, 'velero', {
        apiVersion: 'velero.io/v1',
        kind: 'Backup',
        metadata: {
          name: `${schedule}-${String(20260101000000 + b * 10000)}`,
          labels: { 'velero.io/schedule-name': schedule },
        },
        spec: {
          includedNamespaces: [`team-${s}`],
          ttl: '720h0m0s',
          storageLocation: 'default',
        },
        // Finished Backups, as a Schedule leaves them: the controllers let them be.
        status: {
          phase: 'Completed',
          startTimestamp: '2026-01-01T00:00:00Z',
          completionTimestamp: '2026-01-01T00:01:00Z',
          expiration: '2099-01-01T00:00:00Z',
          progress: { totalItems: 11, itemsBackedUp: 11 },
        },
      });
    }
  }
  const total = NAMESPACES * 11 + 1 + SCHEDULES * (1 + BACKUPS_PER_SCHEDULE);
  console.log(
    `seeded ${total} objects (${NAMESPACES} namespaces × 10, ${SCHEDULES} schedules × ${BACKUPS_PER_SCHEDULE} backups) in ${(
      performance.now() - start
    ).toFixed(0)} ms; heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(
      0,
    )} MiB`,
  );

  const kubeConfig = new k8s.KubeConfig();
  kubeConfig.loadFromFile(sandbox.kubeconfigPath);
  const core = kubeConfig.makeApiClient(k8s.CoreV1Api);
  const custom = kubeConfig.makeApiClient(k8s.CustomObjectsApi);
  const pick = (i: number, n: number) => (i * 7919) % n;

  await measure('LIST configmaps, all namespaces, by kubernetes-id', i =>
    core.listConfigMapForAllNamespaces({
      labelSelector: `backstage.io/kubernetes-id=service-${pick(
        i,
        NAMESPACES,
      )}`,
    }),
  );
  await measure(
    'LIST configmaps in one namespace, by kubernetes-id + tier',
    i =>
      core.listNamespacedConfigMap({
        namespace: `team-${pick(i, NAMESPACES)}`,
        labelSelector: `backstage.io/kubernetes-id=service-${pick(
          i,
          NAMESPACES,
        )},tier in (db,web)`,
      }),
  );
  await measure('LIST configmaps, all namespaces, set-based (no index)', i =>
    core.listConfigMapForAllNamespaces({
      labelSelector: `backstage.io/kubernetes-id in (service-${pick(
        i,
        NAMESPACES,
      )},none),tier`,
    }),
  );
  await measure('LIST PVCs, all namespaces, by kubernetes-id', i =>
    core.listPersistentVolumeClaimForAllNamespaces({
      labelSelector: `backstage.io/kubernetes-id=service-${pick(
        i,
        NAMESPACES,
      )}`,
    }),
  );
  await measure(
    `LIST velero backups by schedule-name (${BACKUPS_PER_SCHEDULE} each)`,
    i =>
      custom.listNamespacedCustomObject({
        group: 'velero.io',
        version: 'v1',
        namespace: 'velero',
        plural: 'backups',
        labelSelector: `velero.io/schedule-name=service-${pick(
          i,
          SCHEDULES,
        )}-velero`,
      }) as Promise<{ items: unknown[] }>,
  );
  await sandbox.stop();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
