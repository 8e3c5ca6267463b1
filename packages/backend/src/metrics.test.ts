import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  startSandbox,
  Sandbox,
  eventually,
} from '@backups-for-backstage/kube-sandbox';
import { createServer } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import backupsPlugin from '@backups-for-backstage/plugin-backups-backend';
// The exporter the example backend preloads (src/instrumentation.js).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startPrometheusExporter } = require('./prometheus');

jest.setTimeout(60_000);

function freePort(): Promise<number> {
  return new Promise(resolve => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const ORDERS = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'orders',
      'backstage.io/kubernetes-namespace': 'shop',
      'backups/policy': 'gold',
      'backups/layers': 'velero',
    },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

/**
 * The example backend's metrics, scraped in Prometheus format: the backups
 * plugin's status gauges, its on-demand backup counter and its drill
 * metrics.
 */
describe('the example backend exports the backups metrics for Prometheus', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let sandbox: Sandbox;
  let exporter: { url: string; stop(): Promise<void> };

  beforeAll(async () => {
    exporter = startPrometheusExporter({ port: await freePort() });
    sandbox = await startSandbox({
      // Real time, as the backend's: Backups and Restores take half a second.
      controllers: { backupDurationMs: 500, restoreDurationMs: 500 },
      fixtures: [
        path.resolve(__dirname, '../../../examples/sandbox/cluster.yaml'),
      ],
    });
    sandbox.clock.run(1);
  });

  afterAll(async () => {
    await sandbox?.stop();
    await exporter?.stop();
  });

  it('scrapes entity states, restore point ages, on-demand requests and drill outcomes', async () => {
    const backend = await startTestBackend({
      features: [
        backupsPlugin,
        mockServices.database.factory({
          knex: await databases.init('SQLITE_3'),
        }),
        catalogServiceMock.factory({ entities: [ORDERS] }),
        mockServices.rootConfig.factory({
          data: {
            backups: {
              defaultCluster: 'sandbox',
              clusters: [
                {
                  name: 'sandbox',
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
                },
              },
            },
          },
        }),
        mockServices.scheduler.factory({
          includeInitialDelayedTasksOnStartup: true,
        }),
      ],
    });
    try {
      const backedUp = await eventually(async () => {
        const response = await request(backend.server)
          .post('/api/backups/entities/component/default/orders/backups')
          .send({ layer: 'velero' });
        expect(response.status).toBe(202);
        return response;
      }, 20_000);
      expect(backedUp.body.created[0].kind).toBe('Backup');

      const scraped = await eventually(async () => {
        const text = await (await fetch(exporter.url)).text();
        expect(text).toMatch(
          /backups_restore_point_age_seconds\{[^}]*layer="velero"[^}]*\} \d/,
        );
        return text;
      }, 20_000);
      expect(scraped).toMatch(
        /backups_on_demand_requests_total\{[^}]*layer="velero",outcome="started"[^}]*\} 1/,
      );
      expect(scraped).toMatch(
        /backups_entities\{[^}]*state="(protected|at-risk)"[^}]*\} 1/,
      );
      expect(scraped).toMatch(
        /backups_on_demand_restore_points\{[^}]*layer="velero",outcome="good"[^}]*\} 1/,
      );
      expect(scraped).toContain(
        'entity="component:default/orders",layer="velero",cluster="sandbox"',
      );

      // A drill of that backup: its verdict counted, the RTO it achieved.
      const started = await request(backend.server)
        .post('/api/backups/entities/component/default/orders/drills')
        .send({});
      expect(started.status).toBe(202);
      const drilled = await eventually(async () => {
        const drill = await request(backend.server).get(
          `/api/backups/drills/${started.body.id}`,
        );
        expect(drill.body.state).not.toBe('running');
        return drill.body;
      }, 40_000);
      expect(drilled.state).toBe('passed');
      const afterDrill = await eventually(async () => {
        const text = await (await fetch(exporter.url)).text();
        expect(text).toContain('backups_drill_achieved_rto_seconds{');
        return text;
      }, 20_000);
      expect(afterDrill).toMatch(
        /backups_drill_outcomes_total\{[^}]*entity="component:default\/orders",outcome="passed"[^}]*\} 1/,
      );
      const rto = afterDrill.match(
        /backups_drill_achieved_rto_seconds\{[^}]*entity="component:default\/orders"[^}]*\} ([\d.]+)/,
      );
      expect(Number(rto?.[1])).toBeCloseTo(drilled.achieved.rtoMs / 1000, 3);
    } finally {
      await backend.stop();
    }
  });
});
