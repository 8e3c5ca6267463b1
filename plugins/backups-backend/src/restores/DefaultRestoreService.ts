import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  MANAGED_OBJECT_LABELS,
  RestoreList,
  RestorePoint,
  RestoreRecord,
  RestoreRequest,
  restoreSignalChannel,
  RestoreStep,
} from '@backups-for-backstage/plugin-backups-common';
import { SignalsService } from '@backstage/plugin-signals-node';
import * as k8s from '@kubernetes/client-node';
import { requester } from '../auth/requester';
import { randomBytes } from 'node:crypto';
import { ClusterConnections } from '../cluster/ClusterConnections';
import { ClusterWatchers } from '../cluster/watch/ClusterWatchers';
import { CachedJob } from '../cluster/watch/projections';
import { errorMessage, refOf, statusCode } from '../cluster/objects';
import { BackupsConfig } from '../config/readBackupsConfig';
import { RestoreStore } from '../database/OperationStore';
import { EntityCache } from '../entities/EntityCache';
import {
  planRestoreNamespace,
  planVeleroRestore,
} from '../plan/restores/planVeleroRestore';
import { PlanContext, PlannedObject } from '../plan/types';
import { BackupsNotifier } from '../notifications/BackupsNotifier';
import { StatusService } from '../status/StatusService';
import { RestoreService } from './RestoreService';
import { advanceVeleroRestore } from './veleroProgress';
import { advanceDatabaseRestore, terminationError } from './jobProgress';
import { planRestoreJob } from '../plan/restores/planRestoreJob';
import { planContextOf } from '../plan/planContextOf';
import { reachableCaches } from '../cluster/watch/reachableCaches';
import { ClusterCaches } from '../cluster/watch/ClusterCaches';
import { readSnapshotSource } from './snapshotSource';
import {
  planVolumeRestore,
  restoredClaimName,
} from '../plan/restores/planVolumeRestore';
import { advanceVolumeRestore } from './volumeProgress';
import { failRecord } from './endRecord';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** The watched kinds whose changes may advance a restore. */
const FOLLOWED_KINDS = new Set(['restores', 'jobs', 'claims', 'snapshots']);
/** How long a failed restore Job waits for its pod's report of why. */
const POD_REPORT_WAIT_MS = 3000;

/**
 * Restores: checks the request against the entity's restore points and the
 * cluster, claims the entity in the database (one restore or drill at a
 * time), creates the objects, and advances the record as the watch caches
 * see the Restore change, in whichever replica sees it.
 */
export class DefaultRestoreService implements RestoreService {
  private readonly now: () => Date;
  /** Saves and follows, one after the other (see follow). */
  private queue: Promise<void> = Promise.resolve();
  /** Restore pods' own reports of why they failed, by restore id. */
  private readonly podErrors = new Map<string, string>();
  /** When a restore's Job was first seen failed without its pod's report. */
  private readonly failedSince = new Map<string, number>();
  /** Clusters whose follow is queued and not started yet (events come in bursts). */
  private readonly queuedFollows = new Map<string, Promise<void>>();
  private readonly sweep: NodeJS.Timeout;

  constructor(
    private readonly options: {
      config: BackupsConfig;
      entities: EntityCache;
      status: StatusService;
      watchers: ClusterWatchers;
      connections: ClusterConnections;
      store: RestoreStore;
      logger: LoggerService;
      signals?: SignalsService;
      /** Told of each restore that ends (its owners hear of a failed one). */
      notifier?: BackupsNotifier;
      now?: () => Date;
      /**
       * How often running restores are looked at without a watch event (a
       * PVC that never binds sends none). Default 15 seconds.
       */
      sweepIntervalMs?: number;
    },
  ) {
    this.now = options.now ?? (() => new Date());
    options.watchers.onChange((cluster, kind) => {
      if (FOLLOWED_KINDS.has(kind)) void this.follow(cluster);
    });
    this.sweep = setInterval(() => {
      for (const cluster of options.config.clusters) {
        void this.follow(cluster.name);
      }
    }, options.sweepIntervalMs ?? 15_000);
    this.sweep.unref();
    options.watchers.onPodChange((cluster, pod) =>
      this.notePodError(cluster, pod),
    );
  }

  async createRestore(options: {
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials;
    request: RestoreRequest;
  }): Promise<RestoreRecord> {
    const { request, credentials } = options;
    const entity = await this.options.entities.require(
      options.entityRef,
      options.credentials,
    );
    const entityRef = stringifyEntityRef(entity);
    const ctx = planContextOf({
      entity,
      config: this.options.config,
      cluster: request.cluster,
      doing: 'restoring it',
    });
    if (!ctx.intent.layers.includes(request.layer)) {
      throw new InputError(
        `layer: ${entityRef} has no ${
          request.layer
        } layer; its layers are ${ctx.intent.layers.join(', ')}`,
      );
    }
    const { restorePoints } = await this.options.status.getRestorePoints({
      entityRef: options.entityRef,
      credentials,
      layer: request.layer,
    });
    const point = restorePoints.find(
      p => p.id === request.restorePoint && p.cluster === ctx.cluster.name,
    );
    if (!point) {
      throw new InputError(
        `restorePoint: ${entityRef} has no ${request.layer} restore point ${request.restorePoint} in cluster ${ctx.cluster.name}; GET …/restore-points?layer=${request.layer} lists them`,
      );
    }
    if (!point.good) {
      throw new InputError(
        `restorePoint: ${point.id} is not a good restore point${
          point.reason ? ` (${point.reason})` : ''
        }; choose one that is`,
      );
    }
    const id = randomBytes(4).toString('hex');
    const inPlace = request.target.mode === 'in-place';
    if (inPlace && request.confirm !== entity.metadata.name) {
      throw new InputError(
        `confirm: a restore in place needs confirm set to the component's name, "${entity.metadata.name}"`,
      );
    }
    const now = this.now().toISOString();
    const base = {
      id,
      entityRef,
      layer: request.layer,
      cluster: ctx.cluster.name,
      restorePoint: { id: point.id, time: point.time },
      requestedBy: requester(credentials),
      requestedAt: now,
      ...(request.reason ? { reason: request.reason } : {}),
      state: 'running' as const,
      created: [],
    };
    const prepare = { base, ctx, request, point, now };
    let prepared: PreparedRestore;
    if (request.layer === 'velero')
      prepared = await this.veleroRestore(prepare);
    else if (request.layer === 'database') {
      prepared = this.databaseRestore(prepare);
    } else prepared = await this.volumeRestore(prepare);
    await this.options.store.begin(prepared.record);
    return this.apply(prepared.record, prepared.objects);
  }

  /** A Velero restore: to a new namespace, or in place. */
  private async veleroRestore(
    options: PrepareOptions,
  ): Promise<PreparedRestore> {
    const { base, ctx, request, point, now } = options;
    const inPlace = request.target.mode === 'in-place';
    const namespace = await this.targetNamespace(options);
    const record: RestoreRecord = {
      ...base,
      target: {
        mode: request.target.mode,
        namespace,
        ...(inPlace
          ? {
              existingResourcePolicy:
                request.target.existingResourcePolicy ?? 'none',
            }
          : {}),
      },
      steps: [
        ...(inPlace ? [] : [namespaceStep(namespace, base.id, now)]),
        {
          name: 'velero-restore',
          title: `Velero restores the backup ${base.restorePoint.id} into ${namespace}`,
          state: inPlace ? 'running' : 'pending',
          ...(inPlace ? { startedAt: now } : {}),
        },
      ],
    };
    const label = MANAGED_OBJECT_LABELS.restore;
    return {
      record,
      objects: [
        ...this.namespaceObjects(record, ctx),
        {
          object: planVeleroRestore(ctx, {
            id: record.id,
            label,
            backupName: point.id,
            mode: record.target.mode,
            namespace,
            existingResourcePolicy: record.target.existingResourcePolicy,
          }),
        },
      ],
    };
  }

  /**
   * A PVC `<pvc>-restore-<id>` from a VolumeSnapshot: in a new namespace
   * (through a copy of the snapshot there), or in place beside the old PVC.
   */
  private async volumeRestore(
    options: PrepareOptions,
  ): Promise<PreparedRestore> {
    const { base, ctx, request, point, now } = options;
    const inPlace = request.target.mode === 'in-place';
    const namespace = await this.targetNamespace(options);
    const source = await readSnapshotSource({
      connections: this.options.connections,
      cluster: this.clusterConfig(ctx.cluster.name),
      ctx,
      point,
      withContent: !inPlace,
    });
    const claim = restoredClaimName(source.claim.name, base.id);
    const record: RestoreRecord = {
      ...base,
      target: {
        mode: request.target.mode,
        namespace,
        claim,
        sourceClaim: source.claim.name,
      },
      steps: [
        ...(inPlace
          ? []
          : [
              namespaceStep(namespace, base.id, now),
              {
                name: 'snapshot-copy',
                title: `Make the snapshot ${point.id} available in ${namespace} (a VolumeSnapshotContent with deletionPolicy Retain naming the same storage snapshot, and a VolumeSnapshot bound to it)`,
                state: 'pending' as const,
              },
            ]),
        {
          name: 'claim',
          title: inPlace
            ? `Create the PVC ${claim} beside ${source.claim.name} from the snapshot ${point.id} and wait until it is Bound`
            : `Create the PVC ${claim} from the copy and wait until it is Bound`,
          state: inPlace ? 'running' : 'pending',
          ...(inPlace ? { startedAt: now } : {}),
        },
      ],
    };
    const planned = planVolumeRestore(ctx, {
      id: record.id,
      label: MANAGED_OBJECT_LABELS.restore,
      mode: record.target.mode,
      namespace,
      snapshot: source.snapshot,
      claim: source.claim,
    });
    return {
      record,
      objects: [
        ...this.namespaceObjects(record, ctx),
        ...planned.map(object => ({
          object,
          ...(object.kind === 'VolumeSnapshot'
            ? { completes: 'snapshot-copy' }
            : {}),
        })),
      ],
    };
  }

  /** The target of a Velero or volume restore: the source namespace, or a new one checked. */
  private async targetNamespace(options: PrepareOptions): Promise<string> {
    const { base, ctx, request } = options;
    const source = ctx.intent.workload.namespace;
    if (request.target.mode === 'in-place') {
      reachableCaches(this.options.watchers, ctx.cluster.name);
      return source;
    }
    const namespace =
      request.target.namespace ?? `${source}-restore-${base.id}`;
    this.checkNewNamespace(ctx, namespace);
    const caches = reachableCaches(this.options.watchers, ctx.cluster.name);
    await this.requireEmpty(ctx, namespace, caches);
    return namespace;
  }

  /** The namespace a restore to a new namespace creates first. */
  private namespaceObjects(
    record: RestoreRecord,
    ctx: PlanContext,
  ): PreparedRestore['objects'] {
    if (record.target.mode !== 'namespace') return [];
    return [
      {
        object: planRestoreNamespace(ctx, {
          id: record.id,
          label: MANAGED_OBJECT_LABELS.restore,
          namespace: record.target.namespace,
        }),
        completes: 'namespace',
      },
    ];
  }

  /**
   * A dump loaded by the restore Job: into a new database on the same server
   * (`<db>_restore_<id>`), or in place into the component's own.
   */
  private databaseRestore(options: PrepareOptions): PreparedRestore {
    const { base, ctx, request, point, now } = options;
    if (request.target.namespace !== undefined) {
      throw new InputError(
        'target.namespace: a database restore loads the dump into a new database on the same server (or in place), not into a namespace; leave it out',
      );
    }
    if (!point.file || !point.sha256) {
      throw new InputError(
        `restorePoint: ${point.id} has no recorded file and sha256 to restore from`,
      );
    }
    const { databases } = ctx.intent.database!;
    const inPlace = request.target.mode === 'in-place';
    if (!inPlace && databases.length !== 1) {
      throw new InputError(
        `target.mode: the dumps of ${base.entityRef} hold ${
          databases.length === 0
            ? 'every database of the server'
            : `${databases.length} databases`
        }; such a dump can only be restored in place`,
      );
    }
    reachableCaches(this.options.watchers, ctx.cluster.name);
    const database = inPlace
      ? databases.join(', ') || 'every database of the server'
      : `${databases[0]}_restore_${base.id}`;
    const record: RestoreRecord = {
      ...base,
      target: {
        mode: request.target.mode,
        namespace: ctx.intent.workload.namespace,
        database,
      },
      steps: [
        {
          name: 'restore-job',
          title: `Load the dump ${point.id} into ${
            inPlace
              ? `the database ${database}`
              : `the new database ${database}`
          }, its sha256 checked first`,
          state: 'running',
          startedAt: now,
        },
      ],
    };
    return {
      record,
      objects: [
        {
          object: planRestoreJob(ctx, {
            id: record.id,
            label: MANAGED_OBJECT_LABELS.restore,
            restoreFile: point.file!,
            sha256: point.sha256!,
            ...(inPlace ? {} : { database }),
          }),
        },
      ],
    };
  }

  async getRestore(options: { id: string }): Promise<RestoreRecord> {
    const record = await this.options.store.get(options.id);
    if (!record) throw new NotFoundError(`No restore ${options.id}`);
    return record;
  }

  async listRestores(options: {
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials;
  }): Promise<RestoreList> {
    const entity = await this.options.entities.require(
      options.entityRef,
      options.credentials,
    );
    const entityRef = stringifyEntityRef(entity);
    return {
      entityRef,
      restores: await this.options.store.list({ entityRef }),
    };
  }

  /** Creates the restore's objects in order; the record says how it went. */
  private async apply(
    record: RestoreRecord,
    objects: PreparedRestore['objects'],
  ): Promise<RestoreRecord> {
    const cluster = this.clusterConfig(record.cluster);
    let current = record;
    let creating = objects[0]?.object;
    try {
      for (const { object, completes } of objects) {
        creating = object;
        await this.options.connections.request(cluster, ({ objects: api }) =>
          api.create(object as k8s.KubernetesObject),
        );
        current = { ...current, created: [...current.created, refOf(object)] };
        if (completes) current = this.completeStep(current, completes);
      }
    } catch (error) {
      const message = `Cluster ${record.cluster} refused the ${creating.kind} ${
        creating.metadata.name
      }: ${errorMessage(error)}`;
      current = failRecord(current, message, this.iso());
      const failed = current;
      await this.serially(() => this.save(failed));
      const code = statusCode(error);
      if (code === undefined || code >= 500) {
        throw new ServiceUnavailableError(`${message}; nothing was restored`);
      }
      throw new InputError(`${message}; nothing was restored`);
    }
    const applied = current;
    await this.serially(() => this.save(applied));
    // What the restore runs may have moved on before the record was saved.
    await this.follow(record.cluster);
    return (await this.options.store.get(record.id)) ?? current;
  }

  /** Marks a step done and starts the next one. */
  private completeStep(record: RestoreRecord, name: string): RestoreRecord {
    const at = this.iso();
    const index = record.steps.findIndex(step => step.name === name);
    return {
      ...record,
      steps: record.steps.map((step, i) => {
        if (i === index) return { ...step, state: 'succeeded', finishedAt: at };
        if (i === index + 1)
          return { ...step, state: 'running', startedAt: at };
        return step;
      }),
    };
  }

  /**
   * Advances every running restore of a cluster to what its objects say now.
   * One at a time in this backend (watch events come in bursts), and only
   * over a record nobody saved since it was read (another replica).
   */
  private follow(clusterName: string): Promise<void> {
    const queued = this.queuedFollows.get(clusterName);
    if (queued) return queued;
    const follow = this.serially(() => {
      this.queuedFollows.delete(clusterName);
      return this.followNow(clusterName);
    });
    this.queuedFollows.set(clusterName, follow);
    return follow;
  }

  /** Stops the periodic look at running restores (backend shutdown). */
  stop(): void {
    clearInterval(this.sweep);
  }

  private serially<T>(run: () => Promise<T>): Promise<T> {
    const result = this.queue.then(run);
    this.queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private async followNow(clusterName: string): Promise<void> {
    const caches = this.options.watchers.caches(clusterName);
    if (!caches) return;
    try {
      const running = await this.options.store.listRunning();
      for (const { record, revision } of running) {
        if (record.cluster !== clusterName) continue;
        const job =
          record.layer === 'database'
            ? caches.jobs?.lookup('restore', record.id)[0]
            : undefined;
        if (job && this.awaitPodReport(record, job, clusterName)) continue;
        let next: RestoreRecord;
        if (record.layer === 'database') {
          next = advanceDatabaseRestore(
            record,
            job,
            this.podErrors.get(record.id),
            this.now(),
          );
        } else if (record.layer === 'velero') {
          next = advanceVeleroRestore(
            record,
            caches.restores?.lookup('restore', record.id)[0],
            this.now(),
          );
        } else {
          const inTarget = <T extends { namespace: string }>(
            items?: readonly T[],
          ) => items?.find(item => item.namespace === record.target.namespace);
          next = advanceVolumeRestore(
            record,
            {
              claim: inTarget(caches.claims?.lookup('restore', record.id)),
              copy: inTarget(caches.snapshots?.lookup('restore', record.id)),
            },
            {
              now: this.now(),
              bindTimeoutMs: this.options.config.restores.bindTimeoutMs,
            },
          );
        }
        if (next !== record) await this.save(next, { revision });
      }
    } catch (error) {
      this.options.logger.warn(
        `Could not follow the restores of cluster ${clusterName}: ${errorMessage(
          error,
        )}`,
      );
    }
  }

  /**
   * A failed Job says little (BackoffLimitExceeded); its pod's report says
   * why, and its watch event may come a moment after the Job's. Waits a few
   * seconds of real time for it, then concludes without it.
   */
  private awaitPodReport(
    record: RestoreRecord,
    job: CachedJob,
    clusterName: string,
  ): boolean {
    if (job.outcome !== 'failed' || this.podErrors.has(record.id)) {
      return false;
    }
    const since = this.failedSince.get(record.id) ?? Date.now();
    this.failedSince.set(record.id, since);
    if (Date.now() - since >= POD_REPORT_WAIT_MS) {
      this.failedSince.delete(record.id);
      return false;
    }
    setTimeout(() => void this.follow(clusterName), POD_REPORT_WAIT_MS).unref();
    return true;
  }

  /** What a restore pod reported when it failed (`{"error": …}` in its termination message). */
  private notePodError(cluster: string, pod: k8s.KubernetesObject) {
    const id = pod.metadata?.labels?.[MANAGED_OBJECT_LABELS.restore];
    if (!id) return;
    const error = terminationError(pod);
    if (error && this.podErrors.get(id) !== error) {
      if (this.podErrors.size > 1000) this.podErrors.clear();
      this.podErrors.set(id, error);
      void this.follow(cluster);
    }
  }

  private async save(
    record: RestoreRecord,
    options: { revision?: number } = {},
  ): Promise<void> {
    const saved = await this.options.store.update(record, options);
    if (!saved) return;
    // A record ends once: the save that ended it is the one that tells.
    if (record.state !== 'running') {
      await this.options.notifier?.restoreEnded(record);
    }
    await this.options.signals
      ?.publish({
        recipients: { type: 'broadcast' },
        channel: restoreSignalChannel(record.entityRef),
        message: { id: record.id, state: record.state },
      })
      .catch(error =>
        this.options.logger.warn(
          `Could not signal restore ${record.id}: ${errorMessage(error)}`,
        ),
      );
  }

  private checkNewNamespace(ctx: PlanContext, namespace: string) {
    const refuse = (why: string) => {
      throw new InputError(`target.namespace: ${why}`);
    };
    if (namespace.length > 63 || !DNS_LABEL.test(namespace)) {
      refuse(
        `"${namespace}" is not a DNS label (lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)`,
      );
    }
    if (
      namespace.startsWith('kube-') ||
      namespace === ctx.cluster.veleroNamespace ||
      namespace === 'default'
    ) {
      refuse(
        `${namespace} is a system namespace (kube-*, default, Velero's ${ctx.cluster.veleroNamespace}); restores never go there`,
      );
    }
    if (namespace === ctx.intent.workload.namespace) {
      refuse(
        `${namespace} is the component's own namespace: ask for mode in-place to restore there`,
      );
    }
  }

  /** A namespace that exists must hold no pod and no PVC (nothing is overwritten). */
  private async requireEmpty(
    ctx: PlanContext,
    namespace: string,
    caches: ClusterCaches,
  ) {
    const cluster = this.clusterConfig(ctx.cluster.name);
    const exists = await this.options.connections
      .request(cluster, ({ api }) =>
        api(k8s.CoreV1Api).readNamespace({ name: namespace }),
      )
      .then(
        () => true,
        error => {
          if (statusCode(error) === 404) return false;
          throw new ServiceUnavailableError(
            `Cluster ${
              ctx.cluster.name
            } did not answer whether namespace ${namespace} exists: ${errorMessage(
              error,
            )}`,
          );
        },
      );
    if (!exists) return;
    const pods = caches.pods?.lookup('namespace', namespace).length ?? 0;
    const claims = caches.claims?.lookup('namespace', namespace).length ?? 0;
    throw new InputError(
      `target.namespace: ${namespace} already exists in cluster ${
        ctx.cluster.name
      }${
        pods + claims > 0
          ? ` and holds ${pods} pod(s) and ${claims} PVC(s)`
          : ''
      }; name a new namespace (the default is <namespace>-restore-<id>)`,
    );
  }

  private clusterConfig(name: string) {
    return this.options.config.clusters.find(c => c.name === name)!;
  }

  private iso(): string {
    return this.now().toISOString();
  }
}

interface PrepareOptions {
  base: Omit<RestoreRecord, 'target' | 'steps'>;
  ctx: PlanContext;
  request: RestoreRequest;
  point: RestorePoint;
  now: string;
}

/** A restore's first record, and what it creates, in order, with the step each one completes. */
interface PreparedRestore {
  record: RestoreRecord;
  objects: Array<{ object: PlannedObject; completes?: string }>;
}

/** The first step of a restore to a new namespace. */
function namespaceStep(
  namespace: string,
  id: string,
  now: string,
): RestoreStep {
  return {
    name: 'namespace',
    title: `Create the namespace ${namespace}, labelled ${MANAGED_OBJECT_LABELS.restore}=${id}`,
    state: 'running',
    startedAt: now,
  };
}
