import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { clusterConnectionsServiceRef } from '../cluster/clusterConnectionsServiceRef';
import { backupsConfigServiceRef } from '../config/backupsConfigServiceRef';
import { entityCacheServiceRef } from '../entities/entityCacheServiceRef';
import { ReconcileResultStore } from '../database/ReconcileResultStore';
import { Reconciler } from '../reconcile/Reconciler';
import { BackupsService } from './BackupsService';
import { DefaultBackupsService } from './DefaultBackupsService';

/**
 * Intent, plan and reconcile of entities. Replace it with
 * `createServiceFactory({ service: backupsServiceRef, … })` in tests or to
 * change how entities are read and reconciled.
 *
 * @public
 */
export const backupsServiceRef = createServiceRef<BackupsService>({
  id: 'backups.service',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: backupsConfigServiceRef,
        connections: clusterConnectionsServiceRef,
        catalog: catalogServiceRef,
        entities: entityCacheServiceRef,
        database: coreServices.database,
        auth: coreServices.auth,
        logger: coreServices.logger,
      },
      async factory({
        config,
        connections,
        catalog,
        entities,
        database,
        auth,
        logger,
      }) {
        return new DefaultBackupsService({
          catalog,
          entities,
          auth,
          logger,
          config,
          reconciler: new Reconciler({ config, logger, connections }),
          store: await ReconcileResultStore.create({ database }),
        });
      },
    }),
});
