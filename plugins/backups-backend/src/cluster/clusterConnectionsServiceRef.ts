import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { backupsConfigServiceRef } from '../config/backupsConfigServiceRef';
import { ClusterConnections } from './ClusterConnections';

/**
 * The plugin's one set of connections to its clusters, shared by reconcile,
 * status, restores and drills.
 *
 * @public
 */
export const clusterConnectionsServiceRef =
  createServiceRef<ClusterConnections>({
    id: 'backups.cluster-connections',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: { config: backupsConfigServiceRef },
        factory: ({ config }) =>
          new ClusterConnections({
            requestTimeoutMs: config.reconcile.requestTimeoutMs,
          }),
      }),
  });
