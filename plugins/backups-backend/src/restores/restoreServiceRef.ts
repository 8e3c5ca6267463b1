import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { clusterConnectionsServiceRef } from '../cluster/clusterConnectionsServiceRef';
import { clusterWatchersServiceRef } from '../cluster/watch/clusterWatchersServiceRef';
import { backupsConfigServiceRef } from '../config/backupsConfigServiceRef';
import { OperationStore } from '../database/OperationStore';
import { entityCacheServiceRef } from '../entities/entityCacheServiceRef';
import { backupsNotifierServiceRef } from '../notifications/backupsNotifierServiceRef';
import { statusServiceRef } from '../status/statusServiceRef';
import { DefaultRestoreService } from './DefaultRestoreService';
import { RestoreService } from './RestoreService';

/**
 * Restores. Replace it with
 * `createServiceFactory({ service: restoreServiceRef, … })` in tests.
 *
 * @public
 */
export const restoreServiceRef = createServiceRef<RestoreService>({
  id: 'backups.restores',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: backupsConfigServiceRef,
        entities: entityCacheServiceRef,
        status: statusServiceRef,
        watchers: clusterWatchersServiceRef,
        connections: clusterConnectionsServiceRef,
        database: coreServices.database,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        signals: signalsServiceRef,
        notifier: backupsNotifierServiceRef,
      },
      async factory({ database, lifecycle, ...deps }) {
        const restores = new DefaultRestoreService({
          ...deps,
          store: await OperationStore.restores({ database }),
        });
        lifecycle.addShutdownHook(() => restores.stop());
        return restores;
      },
    }),
});
