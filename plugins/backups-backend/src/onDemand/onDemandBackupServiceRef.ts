import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { clusterConnectionsServiceRef } from '../cluster/clusterConnectionsServiceRef';
import { clusterWatchersServiceRef } from '../cluster/watch/clusterWatchersServiceRef';
import { backupsConfigServiceRef } from '../config/backupsConfigServiceRef';
import { entityCacheServiceRef } from '../entities/entityCacheServiceRef';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { onDemandRequestCounter } from '../status/statusMetrics';
import { DefaultOnDemandBackupService } from './DefaultOnDemandBackupService';
import { OnDemandBackupService } from './OnDemandBackupService';

/**
 * Back up now. Replace it with
 * `createServiceFactory({ service: onDemandBackupServiceRef, … })` in tests.
 *
 * @public
 */
export const onDemandBackupServiceRef = createServiceRef<OnDemandBackupService>(
  {
    id: 'backups.on-demand',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          config: backupsConfigServiceRef,
          entities: entityCacheServiceRef,
          watchers: clusterWatchersServiceRef,
          connections: clusterConnectionsServiceRef,
          metrics: metricsServiceRef,
        },
        factory: ({ metrics, ...deps }) =>
          new DefaultOnDemandBackupService({
            ...deps,
            requests: onDemandRequestCounter(metrics),
          }),
      }),
  },
);
