import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { clusterWatchersServiceRef } from '../cluster/watch/clusterWatchersServiceRef';
import { backupsConfigServiceRef } from '../config/backupsConfigServiceRef';
import { DumpRecordStore } from '../database/DumpRecordStore';
import { OperationStore } from '../database/OperationStore';
import { entityCacheServiceRef } from '../entities/entityCacheServiceRef';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
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
      },
      async factory({
        config,
        catalog,
        entities,
        watchers,
        database,
        logger,
        metrics,
      }) {
        const status = new DefaultStatusService({
          config,
          catalog,
          entities,
          watchers,
          dumps: await DumpRecordStore.create({ database }),
          drills: new StoredLatestDrills(
            await OperationStore.drills({
              database,
              maxConcurrent: config.drills.maxConcurrent,
            }),
          ),
          logger,
        });
        registerStatusMetrics({ metrics, fleet: () => status.fleet() });
        return status;
      },
    }),
});
