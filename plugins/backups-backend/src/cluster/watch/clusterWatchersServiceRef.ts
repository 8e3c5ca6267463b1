import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { backupsConfigServiceRef } from '../../config/backupsConfigServiceRef';
import { clusterConnectionsServiceRef } from '../clusterConnectionsServiceRef';
import { ClusterWatchers } from './ClusterWatchers';

/**
 * The plugin's watch caches of its clusters, started when the backend has
 * started and stopped when it shuts down.
 *
 * @public
 */
export const clusterWatchersServiceRef = createServiceRef<ClusterWatchers>({
  id: 'backups.cluster-watchers',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: backupsConfigServiceRef,
        connections: clusterConnectionsServiceRef,
        lifecycle: coreServices.lifecycle,
        logger: coreServices.logger,
      },
      factory({ config, connections, lifecycle, logger }) {
        const watchers = new ClusterWatchers({ config, connections, logger });
        lifecycle.addStartupHook(() => watchers.start());
        lifecycle.addShutdownHook(() => watchers.stop());
        return watchers;
      },
    }),
});
