import { ServiceUnavailableError } from '@backstage/errors';
import { ClusterCaches } from './ClusterCaches';
import { ClusterWatchers } from './ClusterWatchers';

/** A cluster's watch caches, when the cluster answers; 503 naming it otherwise. */
export function reachableCaches(
  watchers: ClusterWatchers,
  clusterName: string,
): ClusterCaches {
  const caches = watchers.caches(clusterName);
  const health = caches?.health();
  if (!caches || !health?.reachable || !caches.served) {
    throw new ServiceUnavailableError(
      `Cluster ${clusterName} does not answer${
        health?.error ? ` (${health.error})` : ''
      }; try again when it does`,
    );
  }
  return caches;
}
