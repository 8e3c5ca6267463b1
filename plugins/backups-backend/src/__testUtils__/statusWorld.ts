import {
  mockCredentials,
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JobOutcome, KubeObject } from '@backups-for-backstage/kube-sandbox';
import { createHash } from 'node:crypto';
import { ClusterConnections } from '../cluster/ClusterConnections';
import { ClusterWatchers } from '../cluster/watch/ClusterWatchers';
import { BackupsConfig, readBackupsConfig } from '../config/readBackupsConfig';
import { DumpRecordStore } from '../database/DumpRecordStore';
import { EntityCache } from '../entities/EntityCache';
import { Reconciler } from '../reconcile/Reconciler';
import { DefaultOnDemandBackupService } from '../onDemand/DefaultOnDemandBackupService';
import { DefaultStatusService } from '../status/DefaultStatusService';
import { StoredLatestDrills } from '../status/LatestDrills';
import { DrillStore, OperationStore } from '../database/OperationStore';
import { DefaultRestoreService } from '../restores/DefaultRestoreService';
import { DefaultDrillService } from '../drills/DefaultDrillService';
import { SentNotificationStore } from '../database/SentNotificationStore';
import { FailingLayerStore } from '../database/FailingLayerStore';
import { DefaultBackupsNotifier } from '../notifications/DefaultBackupsNotifier';
import { FailingLayerWatch } from '../notifications/FailingLayerWatch';
import { DrillOutcomeCounter } from '../status/statusMetrics';
import { RecordingNotificationService } from './recordingNotifications';
import {
  sandboxBackupsConfigData,
  SandboxClusters,
  startSandboxClusters,
} from './sandboxClusters';

/** What a dump Job's pod reports in the sandbox: a real-looking dump, or `empty`/`failed`. */
export type DumpBehaviour = 'good' | 'empty' | 'failed';

/**
 * The report the dump script writes to the termination log, for a Job the
 * sandbox runs (it runs no script).
 */
export function dumpReport(
  job: KubeObject,
  behaviour: DumpBehaviour,
  times: { startedAt: Date; finishedAt: Date },
): string {
  if (behaviour === 'failed') {
    return JSON.stringify({ error: 'pg_dump: connection refused' });
  }
  const file = `default/component/x/dump-${job.metadata.name}.pgdump`;
  return JSON.stringify({
    file,
    bytes: behaviour === 'empty' ? 0 : 123_456,
    sha256: createHash('sha256').update(file).digest('hex'),
    startedAt: times.startedAt.toISOString(),
    finishedAt: times.finishedAt.toISOString(),
  });
}

/**
 * How a database restore Job's pod ends in the sandbox: as the restore script
 * reports success, a dump that is not the one recorded, or (drills) a
 * backups/drill-verify query that found nothing.
 */
export type RestoreBehaviour = 'good' | 'bad-sha256' | 'verify-empty';

const RESTORE_ERRORS: Record<Exclude<RestoreBehaviour, 'good'>, string> = {
  'bad-sha256': 'sha256 mismatch: the dump is not the one recorded',
  'verify-empty': 'backups/drill-verify found nothing in the restored database',
};

export interface StatusWorld {
  clusters: SandboxClusters;
  config: BackupsConfig;
  connections: ClusterConnections;
  watchers: ClusterWatchers;
  dumps: DumpRecordStore;
  status: DefaultStatusService;
  entities: EntityCache;
  restores: DefaultRestoreService;
  drills: DefaultDrillService;
  /** The drill records both the drill service and the status service read. */
  drillStore: DrillStore;
  onDemand: DefaultOnDemandBackupService;
  catalog: ReturnType<typeof catalogServiceMock>;
  /** What was sent to owners through the notifications service (its test double). */
  notifications: RecordingNotificationService;
  /** The look for layers that turned failing (scheduled in the plugin). */
  failingLayers: FailingLayerWatch;
  /** The drill outcomes counted (`backups.drill.outcomes`), as added. */
  drillOutcomes: Array<Parameters<DrillOutcomeCounter['add']>[1]>;
  /** How dump Jobs end from now on. */
  setDumps(behaviour: DumpBehaviour): void;
  /** How database restore Jobs (of restores and drills) end from now on. */
  setRestores(behaviour: RestoreBehaviour): void;
  reconcile(): Promise<void>;
  /** Advances every sandbox's clock. */
  advance(ms: number): void;
  /** An object as the sandbox of cluster `a` (or the one named) holds it. */
  stored(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
    cluster?: string,
  ): any;
  stop(): Promise<void>;
}

/**
 * Sandbox clusters seeded with the example workloads, the entities reconciled
 * into them, and a status service reading them through real watch caches and
 * a real database; all on the sandbox's simulated clock.
 */
export async function startStatusWorld(options: {
  entities: Entity[];
  clusterNames?: string[];
  databases: TestDatabases;
  databaseId?: TestDatabaseId;
  configOverrides?: Record<string, unknown>;
  withoutCrds?: string[];
}): Promise<StatusWorld> {
  let dumpBehaviour: DumpBehaviour = 'good';
  // The sandbox calls jobOutcome when a pod starts; it runs JOB_MS.
  const JOB_MS = 30_000;
  let clock = () => new Date();
  let restoreBehaviour: RestoreBehaviour = 'good';
  const jobOutcome = (job: KubeObject): JobOutcome => {
    const layer = job.metadata.labels?.['backups/layer'];
    if (layer !== 'database') return { succeeded: true };
    const drill = job.metadata.labels?.['backups/drill'];
    if (job.metadata.labels?.['backups/restore'] || drill) {
      // What the restore script reports (it runs no script here).
      // Only a drill's Job runs backups/drill-verify.
      const fails =
        restoreBehaviour === 'bad-sha256' ||
        (restoreBehaviour === 'verify-empty' && drill);
      if (fails) {
        const error =
          RESTORE_ERRORS[restoreBehaviour as Exclude<RestoreBehaviour, 'good'>];
        return {
          succeeded: false,
          terminationMessage: JSON.stringify({ error }),
        };
      }
      return {
        succeeded: true,
        terminationMessage: JSON.stringify({
          file: 'restored',
          restoredAt: clock().toISOString(),
          bytes: 123_456,
          ...(drill ? { verifiedRows: 1, scratchDropped: true } : {}),
        }),
      };
    }
    return {
      succeeded: dumpBehaviour !== 'failed',
      terminationMessage: dumpReport(job, dumpBehaviour, {
        startedAt: clock(),
        finishedAt: new Date(clock().getTime() + JOB_MS),
      }),
    };
  };
  const clusters = await startSandboxClusters(options.clusterNames ?? ['a'], {
    withoutCrds: options.withoutCrds,
    startTime: new Date('2026-12-01T00:00:00Z'),
    controllers: { jobOutcome, jobDurationMs: JOB_MS },
  });
  const first = Object.values(clusters.sandboxes)[0];
  const now = () => first.clock.now();
  clock = now;
  const config = readBackupsConfig(
    new ConfigReader(
      sandboxBackupsConfigData(clusters.sandboxes, options.configOverrides),
    ),
  );
  const connections = new ClusterConnections({ requestTimeoutMs: 5000 });
  const watchers = new ClusterWatchers({
    config,
    connections,
    now,
    retry: { initialMs: 50, maxMs: 200 },
  });
  const knex = await options.databases.init(options.databaseId ?? 'SQLITE_3');
  const dumps = await DumpRecordStore.create({
    database: { getClient: async () => knex },
  });
  const catalog = catalogServiceMock({ entities: options.entities });
  const entities = new EntityCache({ catalog, ttlMs: 0 });
  const drillStore = await OperationStore.drills({
    database: { getClient: async () => knex },
    maxConcurrent: config.drills.maxConcurrent,
  });
  const notifications = new RecordingNotificationService();
  const notifier = new DefaultBackupsNotifier({
    notifications,
    sent: await SentNotificationStore.create({
      database: { getClient: async () => knex },
    }),
    logger: mockServices.logger.mock(),
    now,
  });
  const drillOutcomes: StatusWorld['drillOutcomes'] = [];
  const status = new DefaultStatusService({
    config,
    catalog,
    entities,
    watchers,
    dumps,
    drills: new StoredLatestDrills(drillStore),
    logger: mockServices.logger.mock(),
    now,
  });
  const restores = new DefaultRestoreService({
    config,
    entities,
    status,
    watchers,
    connections,
    store: await OperationStore.restores({
      database: { getClient: async () => knex },
    }),
    logger: mockServices.logger.mock(),
    notifier,
    now,
    sweepIntervalMs: 100,
  });
  const drills = new DefaultDrillService({
    config,
    entities,
    status,
    watchers,
    connections,
    store: drillStore,
    logger: mockServices.logger.mock(),
    notifier,
    outcomes: { add: (_count, attributes) => drillOutcomes.push(attributes) },
    serviceCredentials: async () => mockCredentials.service(),
    now,
    sweepIntervalMs: 100,
  });
  watchers.start();
  const reconciler = new Reconciler({ config, connections });
  const world: StatusWorld = {
    clusters,
    config,
    connections,
    watchers,
    dumps,
    status,
    entities,
    restores,
    drills,
    drillStore,
    onDemand: new DefaultOnDemandBackupService({
      config,
      entities,
      watchers,
      connections,
      now,
    }),
    catalog,
    notifications,
    failingLayers: new FailingLayerWatch({
      fleet: () => status.fleet(),
      store: await FailingLayerStore.create({
        database: { getClient: async () => knex },
      }),
      notifier,
      logger: mockServices.logger.mock(),
      now,
    }),
    drillOutcomes,
    setDumps: behaviour => {
      dumpBehaviour = behaviour;
    },
    setRestores: behaviour => {
      restoreBehaviour = behaviour;
    },
    async reconcile() {
      const snapshot = await reconciler.snapshot();
      for (const entity of options.entities) {
        await reconciler.reconcileEntity({ entity, snapshot });
      }
    },
    stored(apiVersion, kind, namespace, name, cluster = 'a') {
      const sandbox = clusters.sandboxes[cluster];
      return sandbox.store.get(
        sandbox.registry.findKind(apiVersion, kind)!,
        namespace,
        name,
      );
    },
    advance(ms) {
      for (const sandbox of Object.values(clusters.sandboxes)) {
        sandbox.clock.advance(ms);
      }
    },
    async stop() {
      restores.stop();
      drills.stop();
      watchers.stop();
      await clusters.stop();
    },
  };
  await watchers.synced(10_000);
  return world;
}
