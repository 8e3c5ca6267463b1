import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { clusterWatchersServiceRef } from '../cluster/watch/clusterWatchersServiceRef';
import { backupsConfigServiceRef } from '../config/backupsConfigServiceRef';
import { DumpRecordStore } from '../database/DumpRecordStore';
import { entityCacheServiceRef } from '../entities/entityCacheServiceRef';
import { DefaultStatusService } from './DefaultStatusService';
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
      },
      async factory({ config, catalog, entities, watchers, database, logger }) {
        return new DefaultStatusService({
          config,
          catalog,
          entities,
          watchers,
          dumps: await DumpRecordStore.create({ database }),
          logger,
        });
      },
    }),
});
