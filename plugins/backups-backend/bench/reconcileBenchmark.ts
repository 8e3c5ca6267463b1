/* eslint-disable no-console */
/**
 * Measures a fleet reconcile against a sandbox cluster: N opted-in components
 * with the velero and database layers (2 objects each), first run (everything
 * created) and steady state (nothing to write), with the requests the API
 * server answered, and a single-entity reconcile for comparison.
 *
 *   yarn workspace @backups-for-backstage/plugin-backups-backend bench [--entities 500] [--concurrency 4]
 *
 * Prints figures; it asserts nothing (timings are not tests).
 */
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { startSandbox } from '@backups-for-backstage/kube-sandbox';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { readBackupsConfig } from '../src/config/readBackupsConfig';
import { Reconciler } from '../src/reconcile/Reconciler';
import { reconcileFleet } from '../src/reconcile/reconcileFleet';

const { values } = parseArgs({
  options: {
    entities: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '4' },
  },
});
const ENTITIES = Number(values.entities);
const CONCURRENCY = Number(values.concurrency);

function component(index: number): Entity {
  const name = `svc-${String(index).padStart(4, '0')}`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': name,
        'backstage.io/kubernetes-namespace': 'shop',
        'backups/policy': 'gold',
        'backups/layers': 'velero,database',
        'backups/database': 'postgres',
        'backups/database-host': `${name}-db`,
        'backups/database-secret': `${name}-db-credentials`,
      },
    },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

async function main() {
  const sandbox = await startSandbox({
    fixtures: [
      path.resolve(__dirname, '../../../examples/sandbox/cluster.yaml'),
    ],
  });
  const config = readBackupsConfig(
    new ConfigReader({
      backups: {
        defaultCluster: 'bench',
        clusters: [
          {
            name: 'bench',
            url: sandbox.url,
            serviceAccountToken: sandbox.tokens.admin,
            skipTLSVerify: true,
          },
        ],
        policies: {
          gold: {
            rpo: '1h',
            rto: '30m',
            velero: { schedule: '0 * * * *' },
            database: { schedule: '*/30 * * * *' },
          },
        },
      },
    }),
  );
  const entities = Array.from({ length: ENTITIES }, (_, i) => component(i));
  const catalog = catalogServiceMock({ entities });
  const reconciler = new Reconciler({ config });
  const store = { record: async () => {}, delete: async () => {} };
  const logger = {
    info: () => {},
    warn: () => {},
    error: console.error,
    debug: () => {},
    child: () => logger,
  };
  const verbs = ['list', 'get', 'create', 'update', 'patch', 'delete'];
  const requests = () =>
    Object.fromEntries(
      verbs.map(verb => [verb, sandbox.server.countRequests([verb])]),
    );
  const delta = (
    before: Record<string, number>,
    after: Record<string, number>,
  ) =>
    verbs
      .map(verb => `${verb} ${after[verb] - before[verb]}`)
      .filter(entry => !entry.endsWith(' 0'))
      .join(', ') || 'none';

  async function fleetRun(label: string) {
    const before = requests();
    const startedAt = performance.now();
    const summary = await reconcileFleet({
      reconciler,
      catalog,
      credentials: { $$type: '@backstage/BackstageCredentials', principal: {} },
      store,
      logger,
      dryRun: false,
      concurrency: CONCURRENCY,
    });
    const ms = performance.now() - startedAt;
    console.log(
      `${label}: ${summary.succeeded}/${
        summary.entities
      } entities in ${ms.toFixed(0)} ms (${(ms / ENTITIES).toFixed(
        2,
      )} ms/entity); requests: ${delta(before, requests())}`,
    );
  }

  console.log(
    `${ENTITIES} entities × 2 objects, 1 sandbox cluster, concurrency ${CONCURRENCY}`,
  );
  await fleetRun('first run (creates)  ');
  await fleetRun('steady state         ');
  await fleetRun('steady state, again  ');

  const before = requests();
  const startedAt = performance.now();
  await reconciler.reconcileEntity({ entity: entities[0] });
  console.log(
    `one entity on demand: ${(performance.now() - startedAt).toFixed(
      1,
    )} ms; requests: ${delta(before, requests())}`,
  );
  await sandbox.stop();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
