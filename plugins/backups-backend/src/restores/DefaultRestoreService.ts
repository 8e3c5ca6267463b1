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
  RestoreRecord,
  RestoreRequest,
  restoreSignalChannel,
} from '@backups-for-backstage/plugin-backups-common';
import { SignalsService } from '@backstage/plugin-signals-node';
import * as k8s from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { ClusterConnections } from '../cluster/ClusterConnections';
import { ClusterWatchers } from '../cluster/watch/ClusterWatchers';
import { errorMessage, refOf, statusCode } from '../cluster/objects';
import { BackupsConfig } from '../config/readBackupsConfig';
import { RestoreStore } from '../database/RestoreStore';
import { EntityCache } from '../entities/EntityCache';
import { planContexts } from '../plan/planEntity';
import {
  planRestoreNamespace,
  planVeleroRestore,
} from '../plan/restores/planVeleroRestore';
import { PlanContext } from '../plan/types';
import { StatusService } from '../status/StatusService';
import { RestoreService } from './RestoreService';
import { advanceVeleroRestore } from './veleroProgress';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Restores: checks the request against the entity's restore points and the
 * cluster, claims the entity in the database (one restore or drill at a
 * time), creates the objects, and advances the record as the watch caches
 * see the Restore change, in whichever replica sees it.
 */
export class DefaultRestoreService implements RestoreService {
  private readonly now: () => Date;

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
      if (kind === 'restores') void this.follow(cluster);
    });
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
    if (request.layer !== 'velero') {
      throw new InputError(
        `layer: restores of the ${request.layer} layer are not available in this version; the velero layer can be restored`,
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
    const source = ctx.intent.workload.namespace;
    const id = randomBytes(4).toString('hex');
    const inPlace = request.target.mode === 'in-place';
    if (inPlace && request.confirm !== entity.metadata.name) {
      throw new InputError(
        `confirm: a restore in place needs confirm set to the component's name, "${entity.metadata.name}"`,
      );
    }
    const namespace = inPlace
      ? source
      : request.target.namespace ?? `${source}-restore-${id}`;
    if (!inPlace) this.checkNewNamespace(ctx, namespace);
    const caches = this.reachableCaches(ctx.cluster.name);
    if (!inPlace) await this.requireEmpty(ctx, namespace, caches);

    const now = this.now().toISOString();
    const record: RestoreRecord = {
      id,
      entityRef,
      layer: request.layer,
      cluster: ctx.cluster.name,
      restorePoint: { id: point.id, time: point.time },
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
      requestedBy: requester(credentials),
      requestedAt: now,
      ...(request.reason ? { reason: request.reason } : {}),
      state: 'running',
      steps: [
        ...(inPlace
          ? []
          : [
              {
                name: 'namespace',
                title: `Create the namespace ${namespace}, labelled ${MANAGED_OBJECT_LABELS.restore}=${id}`,
                state: 'running' as const,
                startedAt: now,
              },
            ]),
        {
          name: 'velero-restore',
          title: `Velero restores the backup ${point.id} into ${namespace}`,
          state: inPlace ? 'running' : 'pending',
          ...(inPlace ? { startedAt: now } : {}),
        },
      ],
      created: [],
    };
    await this.options.store.begin(record);
    return this.apply(record, ctx, point.id);
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

  /** Creates the namespace (to a new one) and the Restore; the record says how it went. */
  private async apply(
    record: RestoreRecord,
    ctx: PlanContext,
    backupName: string,
  ): Promise<RestoreRecord> {
    const cluster = this.options.config.clusters.find(
      c => c.name === record.cluster,
    )!;
    const create = (object: k8s.KubernetesObject) =>
      this.options.connections.request(cluster, ({ objects }) =>
        objects.create(object),
      );
    let current = record;
    try {
      if (record.target.mode === 'namespace') {
        const namespace = planRestoreNamespace(ctx, {
          id: record.id,
          label: MANAGED_OBJECT_LABELS.restore,
          namespace: record.target.namespace,
        });
        await create(namespace as k8s.KubernetesObject);
        current = {
          ...current,
          created: [...current.created, refOf(namespace)],
          steps: current.steps.map(step => {
            if (step.name === 'namespace') {
              return { ...step, state: 'succeeded', finishedAt: this.iso() };
            }
            if (step.name === 'velero-restore') {
              return { ...step, state: 'running', startedAt: this.iso() };
            }
            return step;
          }),
        };
      }
      const restore = planVeleroRestore(ctx, {
        id: record.id,
        label: MANAGED_OBJECT_LABELS.restore,
        backupName,
        mode: record.target.mode,
        namespace: record.target.namespace,
        existingResourcePolicy: record.target.existingResourcePolicy,
      });
      await create(restore as k8s.KubernetesObject);
      current = { ...current, created: [...current.created, refOf(restore)] };
    } catch (error) {
      const message = `Cluster ${record.cluster} refused ${
        current.created.length === 0 && record.target.mode === 'namespace'
          ? `the namespace ${record.target.namespace}`
          : 'the Velero Restore'
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
      await this.save(current);
      const code = statusCode(error);
      if (code === undefined || code >= 500) {
        throw new ServiceUnavailableError(`${message}; nothing was restored`);
      }
      throw new InputError(`${message}; nothing was restored`);
    }
    await this.save(current);
    // The Restore may have moved on before the record was saved.
    await this.follow(record.cluster);
    return (await this.options.store.get(record.id)) ?? current;
  }

  /** Advances every running restore of a cluster to what its Restore says now. */
  private async follow(clusterName: string): Promise<void> {
    const caches = this.options.watchers.caches(clusterName);
    if (!caches?.restores) return;
    try {
      const running = await this.options.store.listRunning();
      for (const record of running) {
        if (record.cluster !== clusterName || record.layer !== 'velero') {
          continue;
        }
        const [restore] = caches.restores.lookup('restore', record.id);
        const next = advanceVeleroRestore(record, restore, this.now());
        if (next !== record) await this.save(next);
      }
    } catch (error) {
      this.options.logger.warn(
        `Could not follow the restores of cluster ${clusterName}: ${errorMessage(
          error,
        )}`,
      );
    }
  }

  private async save(record: RestoreRecord): Promise<void> {
    await this.options.store.update(record);
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
