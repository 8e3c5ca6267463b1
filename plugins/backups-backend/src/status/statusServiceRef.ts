import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { clusterWatchersServiceRef } from '../cluster/watch/clusterWatchersServiceRef';
import { backupsConfigServiceRef } from '../config/backupsConfigServiceRef';
import { DumpRecordStore } from '../database/DumpRecordStore';
import { FailingLayerStore } from '../database/FailingLayerStore';
import { OperationStore } from '../database/OperationStore';
import { entityCacheServiceRef } from '../entities/entityCacheServiceRef';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { backupsNotifierServiceRef } from '../notifications/backupsNotifierServiceRef';
import {
  FAILING_LAYERS_TASK_ID,
  FailingLayerWatch,
} from '../notifications/FailingLayerWatch';
import { DefaultStatusService } from './DefaultStatusService';
import { StoredLatestDrills } from './LatestDrills';
import { registerStatusMetrics } from './statusMetrics';
import { StatusService } from './StatusService';

/**
 * Entity and fleet status. Replace it with
 * `createServiceFactory({ service: statusServiceRef, … })` in tests.
 *
 * @public
 */
export const statusServiceRef = createServiceRef<StatusService>({
  id: 'backups.status',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: backupsConfigServiceRef,
        catalog: catalogServiceRef,
        entities: entityCacheServiceRef,
        watchers: clusterWatchersServiceRef,
        database: coreServices.database,
        logger: coreServices.logger,
        metrics: metricsServiceRef,
        scheduler: coreServices.scheduler,
        notifier: backupsNotifierServiceRef,
      },
      async factory({
        config,
        catalog,
        entities,
        watchers,
        database,
        logger,
        metrics,
        scheduler,
        notifier,
      }) {
        const drills = new StoredLatestDrills(
          await OperationStore.drills({
            database,
            maxConcurrent: config.drills.maxConcurrent,
          }),
        );
        const status = new DefaultStatusService({
          config,
          catalog,
          entities,
          watchers,
          dumps: await DumpRecordStore.create({ database }),
          drills,
          logger,
        });
        registerStatusMetrics({
          metrics,
          fleet: () => status.fleet(),
          latestDrills: drills,
        });
        const failingLayers = new FailingLayerWatch({
          fleet: () => status.fleet(),
          store: await FailingLayerStore.create({ database }),
          notifier,
          logger,
        });
        await scheduler.scheduleTask({
          id: FAILING_LAYERS_TASK_ID,
          frequency: { minutes: 5 },
          timeout: { minutes: 5 },
          // The watch caches have listed every cluster by then.
          initialDelay: { minutes: 1 },
          fn: () => failingLayers.run(),
        });
        return status;
      },
    }),
});
