import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
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
} from '@backups-for-backstage/plugin-backups-common';
import { SignalsService } from '@backstage/plugin-signals-node';
import * as k8s from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { ClusterConnections } from '../cluster/ClusterConnections';
import { ClusterWatchers } from '../cluster/watch/ClusterWatchers';
import { CachedJob } from '../cluster/watch/projections';
import { errorMessage, refOf, statusCode } from '../cluster/objects';
import { BackupsConfig } from '../config/readBackupsConfig';
import { RestoreStore } from '../database/RestoreStore';
import { EntityCache } from '../entities/EntityCache';
import { planContexts } from '../plan/planEntity';
import {
  planRestoreNamespace,
  planVeleroRestore,
} from '../plan/restores/planVeleroRestore';
import { PlanContext, PlannedObject } from '../plan/types';
import { StatusService } from '../status/StatusService';
import { RestoreService } from './RestoreService';
import { advanceVeleroRestore } from './veleroProgress';
import { advanceDatabaseRestore, terminationError } from './jobProgress';
import { planRestoreJob } from '../plan/restores/planRestoreJob';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
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
      now?: () => Date;
    },
  ) {
    this.now = options.now ?? (() => new Date());
    options.watchers.onChange((cluster, kind) => {
      if (kind === 'restores' || kind === 'jobs') void this.follow(cluster);
    });
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
    const ctx = this.contextOf(entity, request.cluster);
    if (!ctx.intent.layers.includes(request.layer)) {
      throw new InputError(
        `layer: ${entityRef} has no ${
          request.layer
        } layer; its layers are ${ctx.intent.layers.join(', ')}`,
      );
    }
    if (request.layer === 'volume-snapshot') {
      throw new InputError(
        `layer: restores of the volume-snapshot layer are not available in this version; the velero and database layers can be restored`,
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
    const record: RestoreRecord =
      request.layer === 'velero'
        ? await this.veleroRecord({ base, ctx, request, now })
        : this.databaseRecord({ base, ctx, request, point, now });
    await this.options.store.begin(record);
    return this.apply(record, this.objectsOf(record, ctx, point));
  }

  /** A Velero restore: to a new (empty, new) namespace, or in place. */
  private async veleroRecord(options: {
    base: Omit<RestoreRecord, 'target' | 'steps'>;
    ctx: PlanContext;
    request: RestoreRequest;
    now: string;
  }): Promise<RestoreRecord> {
    const { base, ctx, request, now } = options;
    const source = ctx.intent.workload.namespace;
    const inPlace = request.target.mode === 'in-place';
    const namespace = inPlace
      ? source
      : request.target.namespace ?? `${source}-restore-${base.id}`;
    if (!inPlace) this.checkNewNamespace(ctx, namespace);
    const caches = this.reachableCaches(ctx.cluster.name);
    if (!inPlace) await this.requireEmpty(ctx, namespace, caches);
    return {
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
        ...(inPlace
          ? []
          : [
              {
                name: 'namespace',
                title: `Create the namespace ${namespace}, labelled ${MANAGED_OBJECT_LABELS.restore}=${base.id}`,
                state: 'running' as const,
                startedAt: now,
              },
            ]),
        {
          name: 'velero-restore',
          title: `Velero restores the backup ${base.restorePoint.id} into ${namespace}`,
          state: inPlace ? 'running' : 'pending',
          ...(inPlace ? { startedAt: now } : {}),
        },
      ],
    };
  }

  /**
   * A dump loaded by the restore Job: into a new database on the same server
   * (`<db>_restore_<id>`), or in place into the component's own.
   */
  private databaseRecord(options: {
    base: Omit<RestoreRecord, 'target' | 'steps'>;
    ctx: PlanContext;
    request: RestoreRequest;
    point: RestorePoint;
    now: string;
  }): RestoreRecord {
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
    this.reachableCaches(ctx.cluster.name);
    const database = inPlace
      ? databases.join(', ') || 'every database of the server'
      : `${databases[0]}_restore_${base.id}`;
    return {
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
  }

  /** What a restore creates, in order, and the step each one completes. */
  private objectsOf(
    record: RestoreRecord,
    ctx: PlanContext,
    point: RestorePoint,
  ): Array<{ object: PlannedObject; completes?: string }> {
    const label = MANAGED_OBJECT_LABELS.restore;
    if (record.layer === 'database') {
      const inPlace = record.target.mode === 'in-place';
      return [
        {
          object: planRestoreJob(ctx, {
            id: record.id,
            label,
            restoreFile: point.file!,
            sha256: point.sha256!,
            ...(inPlace ? {} : { database: record.target.database }),
          }),
        },
      ];
    }
    return [
      ...(record.target.mode === 'namespace'
        ? [
            {
              object: planRestoreNamespace(ctx, {
                id: record.id,
                label,
                namespace: record.target.namespace,
              }),
              completes: 'namespace',
            },
          ]
        : []),
      {
        object: planVeleroRestore(ctx, {
          id: record.id,
          label,
          backupName: point.id,
          mode: record.target.mode,
          namespace: record.target.namespace,
          existingResourcePolicy: record.target.existingResourcePolicy,
        }),
      },
    ];
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
    objects: Array<{ object: PlannedObject; completes?: string }>,
  ): Promise<RestoreRecord> {
    const cluster = this.options.config.clusters.find(
      c => c.name === record.cluster,
    )!;
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
      current = {
        ...current,
        state: 'failed',
        finishedAt: this.iso(),
        outcome: `${message}.`,
        steps: current.steps.map(step =>
          step.state === 'running'
            ? { ...step, state: 'failed', finishedAt: this.iso(), message }
            : step,
        ),
      };
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
    return this.serially(() => this.followNow(clusterName));
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
        const next =
          record.layer === 'database'
            ? advanceDatabaseRestore(
                record,
                job,
                this.podErrors.get(record.id),
                this.now(),
              )
            : advanceVeleroRestore(
                record,
                caches.restores?.lookup('restore', record.id)[0],
                this.now(),
              );
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

  private contextOf(entity: Entity, clusterName?: string): PlanContext {
    const entityRef = stringifyEntityRef(entity);
    const planned = planContexts({ entity, config: this.options.config });
    if (planned.state !== 'planned') {
      throw new InputError(
        planned.state === 'invalid'
          ? `${entityRef} has invalid backups annotations; fix them before restoring it`
          : `${entityRef} has not opted in (no backups/policy annotation)`,
      );
    }
    const ctx = clusterName
      ? planned.contexts.find(c => c.cluster.name === clusterName)
      : planned.contexts[0];
    if (!ctx) {
      throw new InputError(
        `cluster: ${entityRef} is not backed up in cluster ${clusterName}; its clusters are ${planned.intent.clusters.join(
          ', ',
        )}`,
      );
    }
    return ctx;
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

  private reachableCaches(clusterName: string) {
    const caches = this.options.watchers.caches(clusterName);
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

  /** A namespace that exists must hold no pod and no PVC (nothing is overwritten). */
  private async requireEmpty(
    ctx: PlanContext,
    namespace: string,
    caches: ReturnType<DefaultRestoreService['reachableCaches']>,
  ) {
    const cluster = this.options.config.clusters.find(
      c => c.name === ctx.cluster.name,
    )!;
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

  private iso(): string {
    return this.now().toISOString();
  }
}

function requester(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? principal.subject ?? principal.type;
}
