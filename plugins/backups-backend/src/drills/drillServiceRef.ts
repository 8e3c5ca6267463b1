import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { clusterConnectionsServiceRef } from '../cluster/clusterConnectionsServiceRef';
import { clusterWatchersServiceRef } from '../cluster/watch/clusterWatchersServiceRef';
import { backupsConfigServiceRef } from '../config/backupsConfigServiceRef';
import { OperationStore } from '../database/OperationStore';
import { entityCacheServiceRef } from '../entities/entityCacheServiceRef';
import { backupsNotifierServiceRef } from '../notifications/backupsNotifierServiceRef';
import { drillOutcomeCounter } from '../status/statusMetrics';
import { statusServiceRef } from '../status/statusServiceRef';
import { DefaultDrillService } from './DefaultDrillService';
import { DrillService } from './DrillService';

/**
 * Disaster-recovery drills. Replace it with
 * `createServiceFactory({ service: drillServiceRef, … })` in tests.
 *
 * @public
 */
export const drillServiceRef = createServiceRef<DrillService>({
  id: 'backups.drills',
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
        auth: coreServices.auth,
        signals: signalsServiceRef,
        notifier: backupsNotifierServiceRef,
        metrics: metricsServiceRef,
      },
      async factory({ database, lifecycle, auth, config, metrics, ...deps }) {
        const drills = new DefaultDrillService({
          ...deps,
          config,
          outcomes: drillOutcomeCounter(metrics),
          store: await OperationStore.drills({
            database,
            maxConcurrent: config.drills.maxConcurrent,
          }),
          serviceCredentials: () => auth.getOwnServiceCredentials(),
        });
        lifecycle.addShutdownHook(() => drills.stop());
        return drills;
      },
    }),
});
