import {
  MANAGED_BY_VALUE,
  MANAGED_OBJECT_LABELS,
} from '@backups-for-backstage/plugin-backups-common';
import * as k8s from '@kubernetes/client-node';
import { ClusterConfig } from '../../config/readBackupsConfig';
import { ClusterConnections, ServedApis } from '../ClusterConnections';
import { errorMessage } from '../objects';
import {
  CachedBackup,
  CachedCronJob,
  CachedJob,
  CachedRestore,
  CachedSchedule,
  CachedSnapshot,
  CachedSnapshotSchedule,
  CachedStorageLocation,
  CachedClaim,
  CachedWorkload,
  projectBackup,
  projectCronJob,
  projectJob,
  projectRestore,
  projectSchedule,
  projectSnapshot,
  projectSnapshotSchedule,
  projectStorageLocation,
  projectClaim,
  projectWorkload,
  WATCHED_KINDS,
} from './projections';
import { CacheChange, CacheHealth, ResourceCache } from './ResourceCache';

const MANAGED = `${MANAGED_OBJECT_LABELS.managedBy}=${MANAGED_BY_VALUE}`;

/** Whether a cluster answers, as its caches see it. */
export interface ClusterHealth {
  cluster: string;
  reachable: boolean;
  synced: boolean;
  lastHeardAt?: Date;
  unreachableSince?: Date;
  error?: string;
}

export interface ClusterCachesOptions {
  connections: ClusterConnections;
  cluster: ClusterConfig;
  /** Raw pod changes (dump pods report their result in termination messages). */
  onPodChange?(change: CacheChange<CachedWorkload>): void;
  /** Any change of what the status reads, e.g. to push a refresh. */
  onChange?(kind: keyof typeof WATCHED_KINDS): void;
  now?: () => Date;
  logger?: { warn(message: string): void; info(message: string): void };
  retry?: { initialMs: number; maxMs: number };
  watchTimeoutSeconds?: number;
}

/**
 * One cluster as the status sees it, from watch caches: Velero's Schedules,
 * Backups, storage locations and our Restores in its namespace; the managed CronJobs, Jobs,
 * VolumeSnapshots and SnapshotSchedules; the pods and PVCs that workload
 * selectors must match. Kinds the cluster does not serve are left out.
 */
export class ClusterCaches {
  served?: ServedApis;
  backups?: ResourceCache<CachedBackup>;
  restores?: ResourceCache<CachedRestore>;
  schedules?: ResourceCache<CachedSchedule>;
  storageLocations?: ResourceCache<CachedStorageLocation>;
  cronJobs?: ResourceCache<CachedCronJob>;
  jobs?: ResourceCache<CachedJob>;
  pods?: ResourceCache<CachedWorkload>;
  claims?: ResourceCache<CachedClaim>;
  snapshots?: ResourceCache<CachedSnapshot>;
  snapshotSchedules?: ResourceCache<CachedSnapshotSchedule>;

  private stopped = false;
  private discoveryError?: { since: Date; message: string };
  private discoveryTimer?: NodeJS.Timeout;
  private readonly now: () => Date;

  constructor(private readonly options: ClusterCachesOptions) {
    this.now = options.now ?? (() => new Date());
  }

  get cluster(): ClusterConfig {
    return this.options.cluster;
  }

  /** Discovers what the cluster serves (retrying while it fails), then starts the caches. */
  async start(): Promise<void> {
    const { connections, cluster } = this.options;
    const maxMs = this.options.retry?.maxMs ?? 30_000;
    for (
      let delay = this.options.retry?.initialMs ?? 1000;
      !this.stopped;
      delay = Math.min(delay * 2, maxMs)
    ) {
      try {
        this.served = await connections.servedApis(cluster);
        this.discoveryError = undefined;
        break;
      } catch (error) {
        this.discoveryError ??= { since: this.now(), message: '' };
        this.discoveryError.message = errorMessage(error);
        await this.pause(delay);
      }
    }
    if (this.stopped || !this.served) return;
    this.startCaches(this.served);
  }

  private pause(ms: number): Promise<void> {
    return new Promise(resolve => {
      this.discoveryTimer = setTimeout(resolve, ms);
    });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.discoveryTimer);
    for (const cache of this.all()) cache.stop();
  }

  /** Resolves once every cache has its first list (false on timeout). */
  async synced(timeoutMs = 30_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.served && Date.now() < deadline && !this.stopped) {
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    const results = await Promise.all(
      this.all().map(cache => cache.synced(Math.max(0, deadline - Date.now()))),
    );
    return this.served !== undefined && results.every(Boolean);
  }

  /** Changes when any cache changes, or discovery does (see ResourceCache.generation). */
  get generation(): string {
    const discovery = this.served ? 'served' : this.discoveryError?.message;
    return `${discovery}|${this.all()
      .map(cache => cache.generation)
      .join(',')}`;
  }

  health(): ClusterHealth {
    const name = this.options.cluster.name;
    if (!this.served) {
      return {
        cluster: name,
        reachable: false,
        synced: false,
        unreachableSince: this.discoveryError?.since,
        error: this.discoveryError?.message ?? 'not discovered yet',
      };
    }
    const healths: CacheHealth[] = this.all().map(cache => cache.health());
    const failing = healths.filter(health => health.failingSince);
    const heard = healths
      .map(health => health.lastHeardAt?.getTime() ?? 0)
      .filter(time => time > 0);
    return {
      cluster: name,
      reachable: failing.length === 0,
      synced: healths.every(health => health.synced),
      ...(heard.length > 0
        ? { lastHeardAt: new Date(Math.min(...heard)) }
        : {}),
      ...(failing.length > 0
        ? {
            unreachableSince: new Date(
              Math.min(...failing.map(h => h.failingSince!.getTime())),
            ),
            error: failing[0].error,
          }
        : {}),
    };
  }

  private all(): ResourceCache<unknown>[] {
    return [
      this.backups,
      this.restores,
      this.schedules,
      this.storageLocations,
      this.cronJobs,
      this.jobs,
      this.pods,
      this.claims,
      this.snapshots,
      this.snapshotSchedules,
    ].filter(Boolean) as ResourceCache<unknown>[];
  }

  private startCaches(served: ServedApis) {
    const { cluster } = this.options;
    const serves = (kind: { apiVersion: string }) =>
      served.groupVersions.has(kind.apiVersion);
    const make = <T>(
      name: keyof typeof WATCHED_KINDS,
      options: {
        project: (object: k8s.KubernetesObject) => T | undefined;
        namespace?: string;
        labelSelector?: string;
        indexes?: Record<string, (item: T) => string | undefined>;
        onChange?: (change: CacheChange<T>) => void;
      },
    ): ResourceCache<T> | undefined => {
      const resource = WATCHED_KINDS[name];
      if (!serves(resource)) return undefined;
      const cache = new ResourceCache<T>({
        connections: this.options.connections,
        cluster,
        resource,
        now: this.now,
        logger: this.options.logger,
        retry: this.options.retry,
        watchTimeoutSeconds: this.options.watchTimeoutSeconds,
        ...options,
        onChange: change => {
          options.onChange?.(change);
          this.options.onChange?.(name);
        },
      });
      cache.start();
      return cache;
    };
    const velero = cluster.veleroNamespace;
    this.schedules = make('schedules', {
      project: projectSchedule,
      namespace: velero,
    });
    this.backups = make('backups', {
      project: projectBackup,
      namespace: velero,
      indexes: { schedule: backup => backup.schedule },
    });
    // Only the Restores this plugin made (labelled managed, with their id).
    this.restores = make('restores', {
      project: projectRestore,
      namespace: velero,
      labelSelector: MANAGED,
      indexes: {
        restore: restore => restore.restoreId,
        drill: restore => restore.drillId,
      },
    });
    this.storageLocations = make('storageLocations', {
      project: projectStorageLocation,
      namespace: velero,
    });
    this.cronJobs = make('cronJobs', {
      project: projectCronJob,
      labelSelector: MANAGED,
    });
    this.jobs = make('jobs', {
      project: projectJob,
      labelSelector: MANAGED,
      indexes: {
        cronJob: job => job.cronJob,
        entity: job => job.entityKey,
        restore: job => job.restoreId,
        drill: job => job.drillId,
      },
    });
    this.pods = make('pods', {
      project: projectWorkload,
      indexes: { namespace: pod => pod.namespace },
      onChange: change => this.options.onPodChange?.(change),
    });
    this.claims = make('claims', {
      project: projectClaim,
      indexes: {
        namespace: claim => claim.namespace,
        restore: claim => claim.restoreId,
        drill: claim => claim.drillId,
      },
    });
    this.snapshots = make('snapshots', {
      project: projectSnapshot,
      labelSelector: MANAGED,
      indexes: {
        entity: snapshot => snapshot.entityKey,
        restore: snapshot => snapshot.restoreId,
        drill: snapshot => snapshot.drillId,
      },
    });
    this.snapshotSchedules = make('snapshotSchedules', {
      project: projectSnapshotSchedule,
      labelSelector: MANAGED,
    });
  }
}
