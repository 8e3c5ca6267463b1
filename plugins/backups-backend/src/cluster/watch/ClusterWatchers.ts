import * as k8s from '@kubernetes/client-node';
import { BackupsConfig } from '../../config/readBackupsConfig';
import { ClusterConnections } from '../ClusterConnections';
import { ClusterCaches } from './ClusterCaches';
import { WATCHED_KINDS } from './projections';

type PodListener = (cluster: string, pod: k8s.KubernetesObject) => void;
type ChangeListener = (
  cluster: string,
  kind: keyof typeof WATCHED_KINDS,
) => void;

/**
 * The watch caches of every configured cluster, started with the plugin and
 * stopped with it; what status, restores and drills read instead of listing.
 */
export class ClusterWatchers {
  private readonly byCluster = new Map<string, ClusterCaches>();
  private readonly podListeners = new Set<PodListener>();
  private readonly changeListeners = new Set<ChangeListener>();

  constructor(options: {
    config: BackupsConfig;
    connections: ClusterConnections;
    logger?: { warn(message: string): void; info(message: string): void };
    now?: () => Date;
    retry?: { initialMs: number; maxMs: number };
    watchTimeoutSeconds?: number;
  }) {
    for (const cluster of options.config.clusters) {
      this.byCluster.set(
        cluster.name,
        new ClusterCaches({
          connections: options.connections,
          cluster,
          now: options.now,
          logger: options.logger,
          retry: options.retry,
          watchTimeoutSeconds: options.watchTimeoutSeconds,
          onPodChange: change =>
            this.podListeners.forEach(listener =>
              listener(cluster.name, change.object),
            ),
          onChange: kind =>
            this.changeListeners.forEach(listener =>
              listener(cluster.name, kind),
            ),
        }),
      );
    }
  }

  start(): void {
    for (const caches of this.byCluster.values()) void caches.start();
  }

  stop(): void {
    for (const caches of this.byCluster.values()) caches.stop();
  }

  /** Resolves once every cluster that answers has its first lists. */
  async synced(timeoutMs = 30_000): Promise<boolean> {
    const results = await Promise.all(
      [...this.byCluster.values()].map(caches => caches.synced(timeoutMs)),
    );
    return results.every(Boolean);
  }

  caches(cluster: string): ClusterCaches | undefined {
    return this.byCluster.get(cluster);
  }

  all(): ClusterCaches[] {
    return [...this.byCluster.values()];
  }

  /** Every pod change of every cluster (dump pods report their dumps). */
  onPodChange(listener: PodListener): () => void {
    this.podListeners.add(listener);
    return () => this.podListeners.delete(listener);
  }

  /** Any change the status depends on. */
  onChange(listener: ChangeListener): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }
}
