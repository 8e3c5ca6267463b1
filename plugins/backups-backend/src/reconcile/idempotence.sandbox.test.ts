import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { readBackupsConfig } from '../config/readBackupsConfig';
import { ReconcileResultStore } from '../database/ReconcileResultStore';
import {
  sandboxBackupsConfigData,
  SandboxClusters,
  startSandboxClusters,
} from '../__testUtils__/sandboxClusters';
import { Reconciler } from './Reconciler';
import { reconcileFleet } from './reconcileFleet';

jest.setTimeout(60_000);

const EXAMPLE_ENTITIES: Entity[] = YAML.parseAllDocuments(
  fs.readFileSync(
    path.resolve(__dirname, '../../../../examples/entities.yaml'),
    'utf8',
  ),
).map(document => document.toJS());

/**
 * Reconcile is idempotent against an API server that defaults like
 * kube-apiserver (the sandbox replays a real v1.32's answers): the example
 * catalog, reconciled twice, writes nothing the second time, even when the
 * server adds defaults the planner has never heard of; a real change writes
 * exactly the changed object.
 */
describe.each([
  ['with SnapScheduler', []],
  ['without SnapScheduler', ['snapshotschedules.snapscheduler.backube']],
])('reconciling the example catalog %s', (_title, withoutCrds) => {
  let clusters: SandboxClusters;
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let store: ReconcileResultStore;

  beforeEach(async () => {
    clusters = await startSandboxClusters(['sandbox', 'sandbox-dr'], {
      withoutCrds,
    });
    store = await ReconcileResultStore.create({
      database: { getClient: async () => databases.init('SQLITE_3') },
    });
  });

  afterEach(() => clusters.stop());

  function run(entities: Entity[], configOverrides = {}) {
    const reconciler = new Reconciler({
      config: readBackupsConfig(
        new ConfigReader(
          sandboxBackupsConfigData(clusters.sandboxes, configOverrides),
        ),
      ),
    });
    return reconcileFleet({
      reconciler,
      catalog: catalogServiceMock({ entities }),
      credentials: { $$type: '@backstage/BackstageCredentials', principal: {} },
      store,
      logger: mockServices.logger.mock(),
      dryRun: false,
      concurrency: 4,
    });
  }

  async function results() {
    return (await store.list()).filter(
      record => record.result.state === 'planned',
    );
  }

  it('writes nothing on the second run', async () => {
    await run(EXAMPLE_ENTITIES);
    const created = (await results()).flatMap(record =>
      record.result.clusters.flatMap(cluster => cluster.created),
    );
    expect(created.length).toBeGreaterThanOrEqual(10);

    const before = clusters.writes();
    await run(EXAMPLE_ENTITIES);
    expect(clusters.writes()).toEqual(before);
    for (const record of await results()) {
      for (const cluster of record.result.clusters) {
        expect(cluster).toMatchObject({
          created: [],
          updated: [],
          deleted: [],
          objectErrors: [],
        });
      }
    }
  });

  it('writes nothing on the second run when the server adds defaults the planner has never heard of', async () => {
    for (const sandbox of Object.values(clusters.sandboxes)) {
      sandbox.store.addDefaulter((_resource, object) => {
        const spec = object.spec as Record<string, any> | undefined;
        if (!spec) return;
        spec.defaultedByANewerKubernetes ??= 'on';
        const podSpec = spec.jobTemplate?.spec?.template?.spec;
        if (podSpec) {
          podSpec.hostUsers ??= true;
          for (const container of podSpec.containers ?? []) {
            container.resizePolicy ??= [
              { resourceName: 'cpu', restartPolicy: 'NotRequired' },
            ];
            for (const variable of container.env ?? []) {
              variable.futureEnvDefault ??= 'x';
            }
          }
        }
        object.metadata.annotations = {
          ...object.metadata.annotations,
          'admission.example.com/mutated': 'true',
        };
      });
    }
    await run(EXAMPLE_ENTITIES);
    const before = clusters.writes();
    await run(EXAMPLE_ENTITIES);
    expect(clusters.writes()).toEqual(before);
  });

  it('writes exactly the changed object for a real change', async () => {
    await run(EXAMPLE_ENTITIES);
    const before = clusters.writes();
    const changed = EXAMPLE_ENTITIES.map(entity =>
      entity.metadata.name === 'orders'
        ? {
            ...entity,
            metadata: {
              ...entity.metadata,
              annotations: {
                ...entity.metadata.annotations,
                'backups/database-schedule': '*/20 * * * *',
              },
            },
          }
        : entity,
    );
    await run(changed);
    expect(clusters.writes()).toEqual({
      sandbox: before.sandbox + 1,
      'sandbox-dr': before['sandbox-dr'],
    });
    const orders = (await results()).find(
      record => record.result.entityRef === 'component:default/orders',
    )!;
    expect(orders.result.clusters[0].updated).toEqual([
      expect.objectContaining({
        kind: 'CronJob',
        changedFields: ['spec.schedule'],
      }),
    ]);
  });
});
