import * as k8s from '@kubernetes/client-node';
import { ClusterConfig } from '../../config/readBackupsConfig';
import { ClusterConnections } from '../ClusterConnections';
import { errorMessage, statusCode } from '../objects';

/** A kind as the API serves it: what a list and a watch need. */
export interface WatchedKind {
  apiVersion: string;
  kind: string;
  /** The plural resource name, for the watch path. */
  plural: string;
}

/** A change to a cached item, after projection. */
export interface CacheChange<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  item: T;
  /** The raw object, for listeners that need more than the projection. */
  object: k8s.KubernetesObject;
}

/** Whether a cache is in step with its cluster. */
export interface CacheHealth {
  /** The first list has been read. */
  synced: boolean;
  /** When the cluster last answered (a list, the start of a watch, an event). */
  lastHeardAt?: Date;
  /** Set while the cluster fails: since when and why. */
  failingSince?: Date;
  error?: string;
}

export interface ResourceCacheOptions<T> {
  connections: ClusterConnections;
  cluster: ClusterConfig;
  resource: WatchedKind;
  /** Only this namespace (e.g. Velero's), else all. */
  namespace?: string;
  labelSelector?: string;
  /** What to keep of an object (never whole objects); undefined to skip it. */
  project(object: k8s.KubernetesObject): T | undefined;
  /** Secondary keys to look items up by (e.g. a Schedule's name for Backups). */
  indexes?: Record<string, (item: T) => string | undefined>;
  onChange?(change: CacheChange<T>): void;
  /** Items per list page (default 500). */
  pageSize?: number;
  /** A watch is closed by the server after about this long, then resumed (default 300 s). */
  watchTimeoutSeconds?: number;
  /** Retry delays after a failure (default 1 s doubling to 30 s). */
  retry?: { initialMs: number; maxMs: number };
  now?: () => Date;
  logger?: { warn(message: string): void };
}

class Gone extends Error {}

function keyOf(object: k8s.KubernetesObject): string {
  const { namespace, name } = object.metadata ?? {};
  return namespace ? `${namespace}/${name}` : `${name}`;
}

/**
 * The items of one kind in one cluster, kept current by list-then-watch:
 * resumes a closed watch from the last resourceVersion (bookmarks keep it
 * fresh), lists again on 410 Gone, retries with back-off while the cluster
 * fails, and keeps only the projection of each object. Reads never touch the
 * cluster.
 */
export class ResourceCache<T> {
  readonly items = new Map<string, T>();
  /** Per index, per value: the items by key, and the list lookups hand out. */
  private readonly indexes = new Map<
    string,
    Map<string, { byKey: Map<string, T>; list?: readonly T[] }>
  >();
  private resourceVersion?: string;
  private stopped = true;
  private watch?: AbortController;
  private sleeping?: { timer: NodeJS.Timeout; wake(): void };
  private readonly state: CacheHealth = { synced: false };
  private readonly syncedWaiters: Array<() => void> = [];
  private readonly now: () => Date;
  private changes = 0;

  constructor(private readonly options: ResourceCacheOptions<T>) {
    this.now = options.now ?? (() => new Date());
    for (const name of Object.keys(options.indexes ?? {})) {
      this.indexes.set(name, new Map());
    }
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.watch?.abort();
    if (this.sleeping) {
      clearTimeout(this.sleeping.timer);
      this.sleeping.wake();
    }
  }

  health(): CacheHealth {
    return { ...this.state };
  }

  /**
   * Counts changes: of an item, of being synced or failing. What is computed
   * from the cache stays true while it is the same (its `lastHeardAt` aside).
   */
  get generation(): number {
    return this.changes;
  }

  /** Resolves once the first list is in (or after `timeoutMs`, whichever is first). */
  async synced(timeoutMs = 30_000): Promise<boolean> {
    if (this.state.synced) return true;
    return new Promise(resolve => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.syncedWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /**
   * The items whose index `name` is `value`. The list is shared until the
   * next change to that value's items (status reads it on every request), so
   * it is read-only.
   */
  lookup(name: string, value: string): readonly T[] {
    const entry = this.indexes.get(name)?.get(value);
    if (!entry) return [];
    entry.list ??= [...entry.byKey.values()];
    return entry.list;
  }

  private async run() {
    const retry = this.options.retry ?? { initialMs: 1000, maxMs: 30_000 };
    let delay = retry.initialMs;
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) await this.relist();
        await this.watchOnce();
        delay = retry.initialMs;
      } catch (error) {
        if (error instanceof Gone) {
          this.resourceVersion = undefined;
          continue;
        }
        if (this.stopped) break;
        this.fail(error);
        await this.sleep(delay);
        delay = Math.min(delay * 2, retry.maxMs);
      }
    }
  }

  private heard() {
    this.state.lastHeardAt = this.now();
    if (this.state.failingSince) this.changes += 1;
    delete this.state.failingSince;
    delete this.state.error;
  }

  private fail(error: unknown) {
    const message = errorMessage(error);
    if (!this.state.failingSince) {
      this.state.failingSince = this.now();
      this.options.logger?.warn(
        `Watch of ${this.options.resource.plural} in ${this.options.cluster.name} failed: ${message}`,
      );
    }
    if (this.state.error !== message) this.changes += 1;
    this.state.error = message;
  }

  private async relist() {
    const { connections, cluster, resource, namespace, labelSelector } =
      this.options;
    const seen = new Map<string, k8s.KubernetesObject>();
    const listPage = (continueToken?: string) =>
      connections.request(cluster, ({ objects }) =>
        objects.list(
          resource.apiVersion,
          resource.kind,
          namespace,
          undefined,
          undefined,
          undefined,
          undefined,
          labelSelector,
          this.options.pageSize ?? 500,
          continueToken,
        ),
      );
    let page = await listPage();
    for (;;) {
      for (const object of page.items) seen.set(keyOf(object), object);
      const next = page.metadata?._continue;
      if (!next) break;
      page = await listPage(next);
    }
    const resourceVersion = page.metadata?.resourceVersion;
    for (const key of [...this.items.keys()]) {
      if (!seen.has(key)) this.remove(key);
    }
    for (const [key, object] of seen) {
      this.put(key, object, this.items.has(key) ? 'MODIFIED' : 'ADDED');
    }
    this.resourceVersion = resourceVersion;
    this.heard();
    if (!this.state.synced) {
      this.changes += 1;
      this.state.synced = true;
      this.syncedWaiters.splice(0).forEach(wake => wake());
    }
  }

  private watchOnce(): Promise<void> {
    const { connections, cluster, resource, namespace, labelSelector } =
      this.options;
    const [group, version] = resource.apiVersion.includes('/')
      ? resource.apiVersion.split('/')
      : ['', resource.apiVersion];
    const path = `${group ? `/apis/${group}/${version}` : `/api/${version}`}${
      namespace ? `/namespaces/${namespace}` : ''
    }/${resource.plural}`;
    const timeoutSeconds = this.options.watchTimeoutSeconds ?? 300;
    return new Promise<void>((resolve, reject) => {
      let gone = false;
      // A connection that went silent (no event, no bookmark) is given up.
      let silence: NodeJS.Timeout | undefined;
      const listen = () => {
        clearTimeout(silence);
        silence = setTimeout(
          () => this.watch?.abort(),
          (timeoutSeconds + 60) * 1000,
        );
      };
      new k8s.Watch(connections.kubeConfig(cluster))
        .watch(
          path,
          {
            resourceVersion: this.resourceVersion,
            allowWatchBookmarks: true,
            timeoutSeconds,
            ...(labelSelector ? { labelSelector } : {}),
          },
          (type: string, object: any) => {
            listen();
            this.heard();
            if (type === 'ERROR') {
              if (object?.code === 410) gone = true;
              this.watch?.abort();
              return;
            }
            const seenVersion = object?.metadata?.resourceVersion;
            if (type !== 'BOOKMARK') {
              const itemKey = keyOf(object);
              if (type === 'DELETED') this.remove(itemKey, object);
              else this.put(itemKey, object, type as 'ADDED' | 'MODIFIED');
            }
            if (seenVersion) this.resourceVersion = seenVersion;
          },
          (error: unknown) => {
            clearTimeout(silence);
            if (gone || statusCode(error) === 410) reject(new Gone());
            else if (error && !this.stopped) reject(error);
            else resolve();
          },
        )
        .then(controller => {
          this.watch = controller;
          if (!controller.signal.aborted) {
            listen();
            this.heard();
          }
        }, reject);
    });
  }

  private put(
    key: string,
    object: k8s.KubernetesObject,
    type: 'ADDED' | 'MODIFIED',
  ) {
    const item = this.options.project(object);
    if (item === undefined) {
      this.remove(key, object);
      return;
    }
    this.changes += 1;
    this.unindex(key);
    this.items.set(key, item);
    this.index(key, item);
    this.options.onChange?.({ type, item, object });
  }

  private remove(key: string, object?: k8s.KubernetesObject) {
    const item = this.items.get(key);
    if (item === undefined) return;
    this.changes += 1;
    this.unindex(key);
    this.items.delete(key);
    if (object) this.options.onChange?.({ type: 'DELETED', item, object });
  }

  private index(key: string, item: T) {
    for (const [name, indexOf] of Object.entries(this.options.indexes ?? {})) {
      const value = indexOf(item);
      if (value === undefined) continue;
      const byValue = this.indexes.get(name)!;
      let entry = byValue.get(value);
      if (!entry) byValue.set(value, (entry = { byKey: new Map() }));
      entry.byKey.set(key, item);
      entry.list = undefined;
    }
  }

  private unindex(key: string) {
    const item = this.items.get(key);
    if (item === undefined) return;
    for (const [name, indexOf] of Object.entries(this.options.indexes ?? {})) {
      const value = indexOf(item);
      if (value === undefined) continue;
      const entry = this.indexes.get(name)!.get(value);
      if (!entry) continue;
      entry.byKey.delete(key);
      entry.list = undefined;
      if (entry.byKey.size === 0) this.indexes.get(name)!.delete(value);
    }
  }

  private sleep(ms: number) {
    return new Promise<void>(resolve => {
      const timer = setTimeout(() => {
        this.sleeping = undefined;
        resolve();
      }, ms);
      this.sleeping = { timer, wake: resolve };
    });
  }
}
