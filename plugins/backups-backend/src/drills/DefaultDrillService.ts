import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  BackupLayer,
  DrillList,
  DrillRecord,
  drillSignalChannel,
  formatDuration,
  MANAGED_BY_VALUE,
  MANAGED_OBJECT_LABELS,
  ObjectRef,
  RestorePoint,
  RestoreStep,
} from '@backups-for-backstage/plugin-backups-common';
import { SignalsService } from '@backstage/plugin-signals-node';
import * as k8s from '@kubernetes/client-node';
import { requester } from '../auth/requester';
import { randomBytes } from 'node:crypto';
import { ClusterConnections } from '../cluster/ClusterConnections';
import { errorMessage, refOf, statusCode } from '../cluster/objects';
import { ClusterWatchers } from '../cluster/watch/ClusterWatchers';
import { reachableCaches } from '../cluster/watch/reachableCaches';
import { BackupsConfig, ClusterConfig } from '../config/readBackupsConfig';
import { DrillStore } from '../database/OperationStore';
import { EntityCache } from '../entities/EntityCache';
import { planContextOf } from '../plan/planContextOf';
import {
  planRestoreNamespace,
  planVeleroRestore,
} from '../plan/restores/planVeleroRestore';
import { planVolumeRestore } from '../plan/restores/planVolumeRestore';
import { planRestoreJob } from '../plan/restores/planRestoreJob';
import { terminationReports } from '../restores/jobProgress';
import { PlanContext, PlannedObject } from '../plan/types';
import { readSnapshotSource } from '../restores/snapshotSource';
import {
  VELERO_FAILED_PHASES,
  veleroRestoreFailure,
} from '../restores/veleroProgress';
import { dataLayers } from '../status/compliance';
import { BackupsNotifier } from '../notifications/BackupsNotifier';
import { DrillOutcomeCounter } from '../status/statusMetrics';
import { StatusService } from '../status/StatusService';
import { drillDatabaseName, drillNamespaceName } from './drillNamespace';
import { DrillService } from './DrillService';
import { drillVerdict } from './verdict';

const LABEL = MANAGED_OBJECT_LABELS.drill;
/** The watched kinds whose changes may advance a drill. */
const FOLLOWED_KINDS = new Set([
  'restores',
  'jobs',
  'claims',
  'snapshots',
  'pods',
]);
/**
 * The kinds a drill creates: what the leftover sweep looks for, labelled
 * managed and `backups/drill`.
 */
const DRILL_KINDS: ReadonlyArray<{ apiVersion: string; kind: string }> = [
  { apiVersion: 'v1', kind: 'Namespace' },
  { apiVersion: 'velero.io/v1', kind: 'Restore' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotContent' },
];
const DRILL_SELECTOR = `${MANAGED_OBJECT_LABELS.managedBy}=${MANAGED_BY_VALUE},${LABEL}`;
/** How many steps one look at a drill may take (those that end at once). */
const MAX_TRANSITIONS = 8;

/**
 * Drills as state machines in the plugin database. Each look at a running
 * drill (on a watch event, and every few seconds) takes its current step
 * one move further — start it, or see whether what it waits for happened —
 * and saves the record over the revision it read, so that any replica can
 * move any drill on, and creating an object a second time finds it there.
 * Whatever happens, the last step deletes what the drill created (only
 * objects labelled with its id), and the entity stays held until then.
 */
export class DefaultDrillService implements DrillService {
  private readonly now: () => Date;
  private queue: Promise<void> = Promise.resolve();
  private readonly queuedTicks = new Map<string, Promise<void>>();
  private readonly sweep: NodeJS.Timeout;
  private readonly leftoverSweep: NodeJS.Timeout;

  constructor(
    private readonly options: {
      config: BackupsConfig;
      entities: EntityCache;
      status: StatusService;
      watchers: ClusterWatchers;
      connections: ClusterConnections;
      store: DrillStore;
      logger: LoggerService;
      signals?: SignalsService;
      /** Told of each drill that ends (its owners hear of a failed or missed-target one). */
      notifier?: BackupsNotifier;
      /** Counts the drills that end, by verdict. */
      outcomes?: DrillOutcomeCounter;
      /** Credentials of this backend, to read a drill's entity after a restart. */
      serviceCredentials: () => Promise<BackstageCredentials>;
      now?: () => Date;
      /** How often running drills are looked at without a watch event. Default 5 s. */
      sweepIntervalMs?: number;
      /** How often what ended or unknown drills left in the clusters is deleted. Default 10 min (and once at start). */
      leftoverSweepIntervalMs?: number;
    },
  ) {
    this.now = options.now ?? (() => new Date());
    options.watchers.onChange((cluster, kind) => {
      if (FOLLOWED_KINDS.has(kind)) void this.tick(cluster);
    });
    this.sweep = setInterval(() => {
      for (const cluster of options.config.clusters)
        void this.tick(cluster.name);
    }, options.sweepIntervalMs ?? 5_000);
    this.sweep.unref();
    const sweepLeftovers = () => {
      for (const cluster of options.config.clusters) {
        this.sweepLeftovers(cluster.name).catch(error =>
          options.logger.warn(
            `Could not delete what drills left in cluster ${
              cluster.name
            }: ${errorMessage(error)}`,
          ),
        );
      }
    };
    this.leftoverSweep = setInterval(
      sweepLeftovers,
      options.leftoverSweepIntervalMs ?? 10 * 60_000,
    );
    this.leftoverSweep.unref();
    setImmediate(sweepLeftovers).unref();
  }

  stop(): void {
    clearInterval(this.sweep);
    clearInterval(this.leftoverSweep);
  }

  /**
   * Deletes the objects labelled managed and `backups/drill` whose drill is
   * over or unknown to the plugin database: what a backend that died in the
   * middle of a clean-up left behind. Objects of running drills stay.
   */
  async sweepLeftovers(clusterName: string): Promise<ObjectRef[]> {
    const cluster = this.clusterConfig(clusterName);
    const deleted: ObjectRef[] = [];
    const running = new Map<string, boolean>();
    const isRunning = async (id: string) => {
      if (!running.has(id)) {
        const record = await this.options.store.get(id);
        running.set(id, record?.state === 'running');
      }
      return running.get(id)!;
    };
    for (const { apiVersion, kind } of DRILL_KINDS) {
      const items = await this.options.connections
        .listLabelled(cluster, {
          apiVersion,
          kind,
          labelSelector: DRILL_SELECTOR,
        })
        .catch(error => {
          // A kind the cluster does not serve holds nothing of ours.
          if (statusCode(error) === 404) return [];
          throw error;
        });
      for (const item of items) {
        const labels = item.metadata?.labels ?? {};
        const id = labels[LABEL];
        if (labels[MANAGED_OBJECT_LABELS.managedBy] !== MANAGED_BY_VALUE) {
          continue;
        }
        if (!id || item.metadata?.deletionTimestamp || (await isRunning(id))) {
          continue;
        }
        const ref = refOf({ ...item, apiVersion, kind });
        await this.options.connections.delete(cluster, ref, 'Background');
        this.options.logger.info(
          `Deleted the ${kind} ${ref.name} left by drill ${id}, which is over or unknown`,
        );
        deleted.push(ref);
      }
    }
    return deleted;
  }

  async startDrill(options: {
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials;
    cluster?: string;
    reason?: string;
    /**
     * For a scheduled drill: the run of the entity's drill schedule it is
     * started for (trigger `schedule`, requested by `schedule`).
     */
    scheduledFor?: Date;
  }): Promise<DrillRecord> {
    const { credentials } = options;
    const entity = await this.options.entities.require(
      options.entityRef,
      credentials,
    );
    const entityRef = stringifyEntityRef(entity);
    const ctx = planContextOf({
      entity,
      config: this.options.config,
      cluster: options.cluster,
      doing: 'drilling it',
    });
    const cluster = ctx.cluster.name;
    reachableCaches(this.options.watchers, cluster);
    const { restorePoints } = await this.options.status.getRestorePoints({
      entityRef: options.entityRef,
      credentials,
    });
    const now = this.now();
    const layers = ctx.intent.layers.map(layer => {
      const point = restorePoints.find(
        p => p.layer === layer && p.cluster === cluster && p.good,
      );
      if (!point) {
        throw new InputError(
          `${entityRef} has no good ${layer} restore point in cluster ${cluster}; a drill restores the newest good one of each layer (${ctx.intent.layers.join(
            ', ',
          )})`,
        );
      }
      return {
        layer,
        restorePoint: {
          id: point.id,
          time: point.time,
          ...(point.file ? { file: point.file } : {}),
          ...(point.sha256 ? { sha256: point.sha256 } : {}),
        },
        ageMs: Math.max(0, now.getTime() - new Date(point.time).getTime()),
      };
    });
    const id = randomBytes(4).toString('hex');
    const namespace = drillNamespaceName({
      prefix: this.options.config.drills.namespacePrefix,
      entityRef,
      entityName: entity.metadata.name,
      id,
    });
    const record: DrillRecord = {
      id,
      entityRef,
      cluster,
      namespace,
      ...(options.scheduledFor
        ? {
            requestedBy: 'schedule',
            trigger: 'schedule' as const,
            scheduledFor: options.scheduledFor.toISOString(),
          }
        : { requestedBy: requester(credentials), trigger: 'manual' as const }),
      requestedAt: now.toISOString(),
      ...(options.reason ? { reason: options.reason } : {}),
      state: 'running',
      steps: drillSteps({ ctx, namespace, id, layers: ctx.intent.layers }),
      targets: {
        rtoMs: ctx.intent.targets.rto.milliseconds,
        rpoMs: ctx.intent.targets.rpo.milliseconds,
      },
      achieved: { layers },
      created: [],
    };
    await this.options.store.begin(record);
    await this.tick(cluster);
    return (await this.options.store.get(id)) ?? record;
  }

  async getDrill(options: { id: string }): Promise<DrillRecord> {
    const record = await this.options.store.get(options.id);
    if (!record) throw new NotFoundError(`No drill ${options.id}`);
    return record;
  }

  async listDrills(options: {
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials;
  }): Promise<DrillList> {
    const entity = await this.options.entities.require(
      options.entityRef,
      options.credentials,
    );
    const entityRef = stringifyEntityRef(entity);
    return { entityRef, drills: await this.options.store.list({ entityRef }) };
  }

  /** Moves every running drill of a cluster on; one look at a time in this backend. */
  private tick(clusterName: string): Promise<void> {
    const queued = this.queuedTicks.get(clusterName);
    if (queued) return queued;
    const tick = this.queue.then(async () => {
      this.queuedTicks.delete(clusterName);
      await this.tickNow(clusterName);
    });
    this.queue = tick.catch(() => undefined);
    this.queuedTicks.set(clusterName, tick);
    return tick;
  }

  private async tickNow(clusterName: string) {
    let running: Awaited<ReturnType<DrillStore['listRunning']>>;
    try {
      running = await this.options.store.listRunning();
    } catch (error) {
      this.options.logger.warn(
        `Could not read the running drills: ${errorMessage(error)}`,
      );
      return;
    }
    for (const { record, revision } of running) {
      if (record.cluster !== clusterName) continue;
      try {
        const ctx = await this.contextOf(record);
        let next = record;
        for (let i = 0; i < MAX_TRANSITIONS; i++) {
          const moved = await this.transition(next, ctx);
          if (moved === next) break;
          next = moved;
        }
        if (next !== record) await this.save(next, revision);
      } catch (error) {
        this.options.logger.warn(
          `Could not move drill ${record.id} of ${
            record.entityRef
          } on: ${errorMessage(error)}`,
        );
      }
    }
  }

  /** The drill one move further, or the same record when nothing changed. */
  private async transition(
    record: DrillRecord,
    ctx: PlanContext,
  ): Promise<DrillRecord> {
    if (record.state !== 'running') return record;
    // Once the verdict is in, only the clean-up is left to run.
    const index = record.steps.findIndex(
      s =>
        (s.state === 'running' || s.state === 'pending') &&
        (!record.verdict || s.name === 'cleanup'),
    );
    if (index < 0) return record;
    const step = record.steps[index];
    const now = this.now();
    const { timeoutMs } = this.options.config.drills;
    if (
      step.name !== 'cleanup' &&
      now.getTime() - new Date(record.requestedAt).getTime() >= timeoutMs
    ) {
      return this.fail(
        ctx,
        record,
        step.name,
        `the drill timed out after ${formatDuration(timeoutMs)}${
          step.message ? ` (${step.message.replace(/\.$/, '')})` : ''
        }`,
      );
    }
    if (step.state === 'pending') return this.start(ctx, record, index);
    return this.observe(ctx, record, index);
  }

  private async start(
    ctx: PlanContext,
    record: DrillRecord,
    index: number,
  ): Promise<DrillRecord> {
    const step = record.steps[index];
    const running = this.withStep(record, index, {
      state: 'running',
      startedAt: this.iso(),
    });
    switch (step.name) {
      case 'namespace': {
        const created = await this.create(running, [
          planRestoreNamespace(ctx, {
            id: record.id,
            label: LABEL,
            namespace: record.namespace,
          }),
        ]);
        return 'failed' in created
          ? this.fail(ctx, running, step.name, created.failed)
          : this.succeed(ctx, created.record, index);
      }
      case 'velero-restore': {
        const created = await this.create(running, [
          planVeleroRestore(ctx, {
            id: record.id,
            label: LABEL,
            backupName: this.pointOf(record, 'velero').id,
            mode: 'namespace',
            namespace: record.namespace,
          }),
        ]);
        return 'failed' in created
          ? this.fail(ctx, running, step.name, created.failed)
          : created.record;
      }
      case 'volume-claim': {
        const point = this.pointOf(record, 'volume-snapshot');
        const source = await readSnapshotSource({
          connections: this.options.connections,
          cluster: this.clusterConfig(record.cluster),
          ctx,
          point: { ...point, layer: 'volume-snapshot' } as RestorePoint,
          withContent: true,
        }).catch((error: Error) => ({ error }));
        if ('error' in source) {
          return this.fail(ctx, running, step.name, errorMessage(source.error));
        }
        const created = await this.create(
          running,
          planVolumeRestore(ctx, {
            id: record.id,
            label: LABEL,
            mode: 'namespace',
            namespace: record.namespace,
            snapshot: source.snapshot,
            claim: source.claim,
          }),
        );
        return 'failed' in created
          ? this.fail(ctx, running, step.name, created.failed)
          : created.record;
      }
      case 'database': {
        const job = this.planDatabaseJob(ctx, record);
        if ('failed' in job) {
          return this.fail(ctx, running, step.name, job.failed);
        }
        const created = await this.create(running, [job.object]);
        return 'failed' in created
          ? this.fail(ctx, running, step.name, created.failed)
          : created.record;
      }
      case 'cleanup':
        await this.deleteCreated(running);
        return running;
      default:
        return running;
    }
  }

  private async observe(
    ctx: PlanContext,
    record: DrillRecord,
    index: number,
  ): Promise<DrillRecord> {
    const step = record.steps[index];
    const caches = this.options.watchers.caches(record.cluster);
    switch (step.name) {
      case 'velero-restore': {
        const restore = caches?.restores?.lookup('drill', record.id)[0];
        if (!restore) return record;
        if (restore.phase === 'Completed') {
          const items =
            restore.itemsRestored !== undefined
              ? `${restore.itemsRestored} of ${restore.totalItems} items`
              : 'the backup';
          return this.succeed(ctx, record, index, `Velero restored ${items}.`);
        }
        if (VELERO_FAILED_PHASES.includes(restore.phase)) {
          return this.fail(
            ctx,
            record,
            step.name,
            veleroRestoreFailure(restore),
          );
        }
        return record;
      }
      case 'workloads-ready':
        return this.observeWorkloads(ctx, record, index);
      case 'database':
        return this.observeDatabaseJob(ctx, record, index);
      case 'volume-claim': {
        const inDrill = <T extends { namespace: string }>(
          items?: readonly T[],
        ) => items?.find(item => item.namespace === record.namespace);
        const claim = inDrill(caches?.claims?.lookup('drill', record.id));
        const copy = inDrill(caches?.snapshots?.lookup('drill', record.id));
        if (claim?.phase === 'Bound') {
          return this.succeed(
            ctx,
            record,
            index,
            `The PVC ${claim.name} is Bound.`,
          );
        }
        if (claim?.phase === 'Lost') {
          return this.fail(
            ctx,
            record,
            step.name,
            `the PVC ${claim.name} lost its volume`,
          );
        }
        if (copy?.error) {
          return this.fail(
            ctx,
            record,
            step.name,
            `the copy of the snapshot ${copy.name} cannot be used: ${copy.error}`,
          );
        }
        const { bindTimeoutMs } = this.options.config.restores;
        const waited =
          this.now().getTime() -
          new Date(step.startedAt ?? record.requestedAt).getTime();
        if (waited >= bindTimeoutMs) {
          return this.fail(
            ctx,
            record,
            step.name,
            `the PVC ${
              claim?.name ?? 'restored from the snapshot'
            } did not bind within ${formatDuration(bindTimeoutMs)} (${
              claim ? `still ${claim.phase || 'new'}` : 'it is gone'
            })`,
          );
        }
        return record;
      }
      case 'cleanup':
        return this.observeCleanup(ctx, record, index);
      default:
        return record;
    }
  }

  /**
   * The restore Job of the database layer in drill mode: the newest good
   * dump into the scratch database `<db>_drill_<id>` on the component's
   * server, checked with backups/drill-verify read-only, then dropped.
   */
  private planDatabaseJob(
    ctx: PlanContext,
    record: DrillRecord,
  ): { object: PlannedObject } | { failed: string } {
    const point = this.pointOf(record, 'database');
    if (!point.file || !point.sha256) {
      return {
        failed: `the dump ${point.id} has no recorded file and sha256 to restore from`,
      };
    }
    const { databases } = ctx.intent.database!;
    if (databases.length !== 1) {
      return {
        failed: `the dumps of ${record.entityRef} hold ${
          databases.length === 0
            ? 'every database of the server'
            : `${databases.length} databases`
        }; a drill loads a single-database dump into a scratch database`,
      };
    }
    return {
      object: planRestoreJob(ctx, {
        id: record.id,
        label: LABEL,
        restoreFile: point.file,
        sha256: point.sha256,
        database: drillDatabaseName({ database: databases[0], id: record.id }),
        drill: { verify: ctx.intent.drill?.verify },
      }),
    };
  }

  /** Done when the drill's restore Job ended: what its pod reported says how. */
  private async observeDatabaseJob(
    ctx: PlanContext,
    record: DrillRecord,
    index: number,
  ): Promise<DrillRecord> {
    const job = this.options.watchers
      .caches(record.cluster)
      ?.jobs?.lookup('drill', record.id)[0];
    if (!job || job.outcome === 'running') return record;
    const pods = await this.options.connections.request(
      this.clusterConfig(record.cluster),
      ({ api }) =>
        api(k8s.CoreV1Api).listNamespacedPod({
          namespace: job.namespace,
          labelSelector: `${LABEL}=${record.id}`,
        }),
    );
    const reports = pods.items.flatMap(terminationReports);
    const point = this.pointOf(record, 'database');
    const database = drillDatabaseName({
      database: ctx.intent.database!.databases[0],
      id: record.id,
    });
    if (job.outcome === 'succeeded') {
      const rows = reports.find(r => typeof r.verifiedRows === 'number')
        ?.verifiedRows as number | undefined;
      return this.succeed(
        ctx,
        record,
        index,
        `Loaded the dump ${
          point.id
        } into the scratch database ${database} after checking its sha256; backups/drill-verify found ${
          rows ?? 'some'
        } row(s) read-only; ${database} was dropped.`,
      );
    }
    const error = reports.find(r => typeof r.error === 'string')?.error;
    return this.fail(
      ctx,
      record,
      'database',
      `the drill's restore Job ${job.name} failed: ${
        (error as string | undefined) ?? job.failureMessage ?? 'see its pod log'
      }`,
    );
  }

  /** The Deployments and StatefulSets Velero brought back, all Ready. */
  private async observeWorkloads(
    ctx: PlanContext,
    record: DrillRecord,
    index: number,
  ): Promise<DrillRecord> {
    const cluster = this.clusterConfig(record.cluster);
    const namespace = record.namespace;
    const [deployments, statefulSets] = await this.options.connections.request(
      cluster,
      ({ api }) =>
        Promise.all([
          api(k8s.AppsV1Api).listNamespacedDeployment({ namespace }),
          api(k8s.AppsV1Api).listNamespacedStatefulSet({ namespace }),
        ]),
    );
    const workloads = [...deployments.items, ...statefulSets.items];
    if (workloads.length === 0) {
      return this.fail(
        ctx,
        record,
        'workloads-ready',
        `Velero restored no Deployment or StatefulSet into ${namespace}: the backup holds nothing that runs the component`,
      );
    }
    const ready = workloads.filter(
      w => (w.status?.readyReplicas ?? 0) >= (w.spec?.replicas ?? 1),
    );
    const message = `${ready.length} of ${workloads.length} workload(s) Ready.`;
    if (ready.length === workloads.length) {
      return this.succeed(ctx, record, index, message);
    }
    const step = record.steps[index];
    return step.message === message
      ? record
      : this.withStep(record, index, { message });
  }

  /** Done when the drill namespace is gone; deletes again what is still there. */
  private async observeCleanup(
    ctx: PlanContext,
    record: DrillRecord,
    index: number,
  ): Promise<DrillRecord> {
    const cluster = this.clusterConfig(record.cluster);
    const namespace = await this.options.connections.read(cluster, {
      apiVersion: 'v1',
      kind: 'Namespace',
      name: record.namespace,
    });
    if (namespace && namespace.metadata?.labels?.[LABEL] === record.id) {
      if (!namespace.metadata.deletionTimestamp)
        await this.deleteCreated(record);
      return record;
    }
    const at = this.iso();
    const done = this.succeed(
      ctx,
      record,
      index,
      `Deleted what the drill created: ${
        record.created.map(ref => `${ref.kind} ${ref.name}`).join(', ') ||
        'nothing'
      }.`,
    );
    return {
      ...done,
      state: done.verdict ?? 'failed',
      finishedAt: at,
      cleanedUpAt: at,
    };
  }

  /** Creates the objects in order; one that exists already and carries this drill's label counts as created. */
  private async create(
    record: DrillRecord,
    objects: PlannedObject[],
  ): Promise<{ record: DrillRecord } | { failed: string }> {
    const cluster = this.clusterConfig(record.cluster);
    let current = record;
    for (const object of objects) {
      const ref = refOf(object);
      try {
        await this.options.connections.request(cluster, ({ objects: api }) =>
          api.create(object as k8s.KubernetesObject),
        );
      } catch (error) {
        const code = statusCode(error);
        const existing =
          code === 409
            ? await this.options.connections.read(cluster, ref)
            : undefined;
        if (existing?.metadata?.labels?.[LABEL] !== record.id) {
          if (code === undefined || code >= 500) throw error;
          return {
            failed: `cluster ${record.cluster} refused the ${ref.kind} ${
              ref.name
            }: ${errorMessage(error)}`,
          };
        }
      }
      if (!current.created.some(c => sameRef(c, ref))) {
        current = { ...current, created: [...current.created, ref] };
      }
    }
    return { record: current };
  }

  /**
   * Deletes what the drill created that is cluster-wide or outside its
   * namespace (its Velero Restore, a snapshot content copy) and the
   * namespace itself, which takes everything in it along: each only when it
   * still carries this drill's label.
   */
  private async deleteCreated(record: DrillRecord) {
    const cluster = this.clusterConfig(record.cluster);
    const outside = record.created.filter(
      ref => ref.kind === 'Namespace' || ref.namespace !== record.namespace,
    );
    for (const ref of outside.reverse()) {
      const live = await this.options.connections.read(cluster, ref);
      if (live?.metadata?.labels?.[LABEL] !== record.id) continue;
      await this.options.connections.delete(cluster, ref, 'Background');
    }
  }

  /**
   * Marks a step succeeded; when it was the last one before the clean-up,
   * the drill is verified: its verdict is decided now (the RTO ends here).
   */
  private succeed(
    ctx: PlanContext,
    record: DrillRecord,
    index: number,
    message?: string,
  ): DrillRecord {
    const at = this.iso();
    const next = this.withStep(record, index, {
      state: 'succeeded',
      finishedAt: at,
      ...(message ? { message } : {}),
    });
    const restoring = next.steps.filter(s => s.name !== 'cleanup');
    if (next.verdict || !restoring.every(s => s.state === 'succeeded')) {
      return next;
    }
    const verdict = drillVerdict({
      startedAt: record.requestedAt,
      verifiedAt: at,
      layers: record.achieved.layers,
      dataLayers: dataLayers(ctx.intent),
      targets: record.targets,
    });
    return {
      ...next,
      ...verdict,
      verdict: verdict.state as DrillRecord['verdict'],
      state: 'running',
    };
  }

  /** Fails a step with `why` (no full stop): the verdict is failed, and the clean-up comes next. */
  private fail(
    ctx: PlanContext,
    record: DrillRecord,
    stepName: string,
    why: string,
  ): DrillRecord {
    const at = this.iso();
    const verdict = drillVerdict({
      startedAt: record.requestedAt,
      failure: { step: stepName, why },
      layers: record.achieved.layers,
      dataLayers: dataLayers(ctx.intent),
      targets: record.targets,
    });
    return {
      ...record,
      ...verdict,
      verdict: 'failed',
      state: 'running',
      steps: record.steps.map(step => {
        if (step.name === stepName) {
          return {
            ...step,
            state: 'failed',
            finishedAt: at,
            message: `${capitalize(why)}.`,
          };
        }
        if (step.state === 'pending' && step.name !== 'cleanup') {
          return {
            ...step,
            message: `Not run: the drill failed at ${stepName}.`,
          };
        }
        return step;
      }),
    };
  }

  private withStep(
    record: DrillRecord,
    index: number,
    change: Partial<RestoreStep>,
  ): DrillRecord {
    return {
      ...record,
      steps: record.steps.map((step, i) =>
        i === index ? { ...step, ...change } : step,
      ),
    };
  }

  private pointOf(record: DrillRecord, layer: BackupLayer) {
    return record.achieved.layers.find(l => l.layer === layer)!.restorePoint;
  }

  /** The drill's entity planned in its cluster (from the entity cache, or the catalog after a restart). */
  private async contextOf(record: DrillRecord): Promise<PlanContext> {
    const entity = await this.options.entities.require(
      parseEntityRef(record.entityRef),
      await this.options.serviceCredentials(),
    );
    return planContextOf({
      entity,
      config: this.options.config,
      cluster: record.cluster,
      doing: 'drilling it',
    });
  }

  private async save(record: DrillRecord, revision: number) {
    const saved = await this.options.store.update(record, { revision });
    if (!saved) return;
    // Saved over the running record this look read: the replica whose save
    // won is the one that tells, once.
    if (record.state !== 'running') {
      await this.options.notifier?.drillEnded(record);
      this.options.outcomes?.add(1, {
        entity: record.entityRef,
        outcome: record.state,
      });
    }
    await this.options.signals
      ?.publish({
        recipients: { type: 'broadcast' },
        channel: drillSignalChannel(record.entityRef),
        message: { id: record.id, state: record.state },
      })
      .catch(error =>
        this.options.logger.warn(
          `Could not signal drill ${record.id}: ${errorMessage(error)}`,
        ),
      );
  }

  private clusterConfig(name: string): ClusterConfig {
    return this.options.config.clusters.find(c => c.name === name)!;
  }

  private iso(): string {
    return this.now().toISOString();
  }
}

/** The steps of a drill of these layers, in order; the clean-up always last. */
function drillSteps(options: {
  ctx: PlanContext;
  namespace: string;
  id: string;
  layers: BackupLayer[];
}): RestoreStep[] {
  const { namespace, layers } = options;
  const step = (name: string, title: string): RestoreStep => ({
    name,
    title,
    state: 'pending',
  });
  return [
    step(
      'namespace',
      `Create the namespace ${namespace}, labelled ${LABEL}=${options.id}`,
    ),
    ...(layers.includes('velero')
      ? [
          step(
            'velero-restore',
            `Velero restores the newest good backup into ${namespace}, without the component's backup CronJobs`,
          ),
          step(
            'workloads-ready',
            `The Deployments and StatefulSets that came back are Ready`,
          ),
        ]
      : []),
    ...(layers.includes('database')
      ? [
          step(
            'database',
            `Load the newest good dump into the scratch database ${drillDatabaseName(
              {
                database: options.ctx.intent.database?.databases[0] ?? 'all',
                id: options.id,
              },
            )}, run backups/drill-verify read-only, drop it`,
          ),
        ]
      : []),
    ...(layers.includes('volume-snapshot')
      ? [
          step(
            'volume-claim',
            `A PVC from the newest ready snapshot binds in ${namespace}`,
          ),
        ]
      : []),
    step(
      'cleanup',
      `Delete ${namespace} and everything else the drill created`,
    ),
  ];
}

function sameRef(a: ObjectRef, b: ObjectRef): boolean {
  return (
    a.apiVersion === b.apiVersion &&
    a.kind === b.kind &&
    a.name === b.name &&
    a.namespace === b.namespace
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
