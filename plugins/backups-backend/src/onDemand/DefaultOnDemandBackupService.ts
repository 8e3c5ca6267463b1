import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  BackupLayer,
  LAYER_RUN_NOUNS,
  OnDemandBackup,
  parseProtectionIntent,
  PlannedObject,
  ProtectionIntent,
} from '@backups-for-backstage/plugin-backups-common';
import * as k8s from '@kubernetes/client-node';
import { ClusterConnections } from '../cluster/ClusterConnections';
import { ClusterCaches } from '../cluster/watch/ClusterCaches';
import { ClusterWatchers } from '../cluster/watch/ClusterWatchers';
import { refOf, statusCode, errorMessage } from '../cluster/objects';
import { BackupsConfig, toIntentContext } from '../config/readBackupsConfig';
import { EntityCache } from '../entities/EntityCache';
import { planEntity } from '../plan/planEntity';
import { selectedClaims } from '../status/observe';
import { entityLabelKey } from '../plan/naming';
import {
  backupFromSchedule,
  jobFromCronJob,
  snapshotOfClaim,
} from './backupObjects';
import { OnDemandBackupService } from './OnDemandBackupService';
import { onDemandRequestCounter } from '../status/statusMetrics';

const FINISHED_VELERO_PHASES = [
  'Completed',
  'PartiallyFailed',
  'Failed',
  'FailedValidation',
  'Deleting',
];

/**
 * Back up now: reads the layer's runner (Schedule, CronJob) from the cluster,
 * checks in the watch caches that nothing runs for the layer, and creates
 * the Backup, the Job or the VolumeSnapshots.
 */
export class DefaultOnDemandBackupService implements OnDemandBackupService {
  private readonly now: () => Date;

  constructor(
    private readonly options: {
      config: BackupsConfig;
      entities: EntityCache;
      watchers: ClusterWatchers;
      connections: ClusterConnections;
      /** Counts requests by layer and outcome. */
      requests?: ReturnType<typeof onDemandRequestCounter>;
      now?: () => Date;
    },
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async createBackup(options: {
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials;
    layer: BackupLayer;
    cluster?: string;
  }): Promise<OnDemandBackup> {
    try {
      const backup = await this.start(options);
      this.options.requests?.add(1, {
        layer: options.layer,
        outcome: 'started',
      });
      return backup;
    } catch (error) {
      const refused =
        error instanceof InputError ||
        error instanceof ConflictError ||
        error instanceof NotFoundError;
      this.options.requests?.add(1, {
        layer: options.layer,
        outcome: refused ? 'refused' : 'failed',
      });
      throw error;
    }
  }

  private async start(options: {
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials;
    layer: BackupLayer;
    cluster?: string;
  }): Promise<OnDemandBackup> {
    const { config, watchers } = this.options;
    const entity = await this.options.entities.get(
      options.entityRef,
      options.credentials,
    );
    const entityRef = stringifyEntityRef(options.entityRef);
    if (!entity)
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    const parsed = parseProtectionIntent(entity, toIntentContext(config));
    if (parsed.state !== 'valid') {
      throw new InputError(
        parsed.state === 'invalid'
          ? `${entityRef} has invalid backups annotations; fix them before backing it up`
          : `${entityRef} has not opted in (no backups/policy annotation)`,
      );
    }
    const intent = parsed.intent;
    if (!intent.layers.includes(options.layer)) {
      throw new InputError(
        `${entityRef} has no ${
          options.layer
        } layer; its layers are ${intent.layers.join(', ')}`,
      );
    }
    const cluster = options.cluster ?? intent.clusters[0];
    if (!intent.clusters.includes(cluster)) {
      throw new InputError(
        `${entityRef} is not backed up in cluster ${cluster}; its clusters are ${intent.clusters.join(
          ', ',
        )}`,
      );
    }
    const caches = watchers.caches(cluster);
    const health = caches?.health();
    if (!caches || !health?.reachable || !caches.served) {
      throw new ServiceUnavailableError(
        `Cluster ${cluster} does not answer${
          health?.error ? ` (${health.error})` : ''
        }; try again when it does`,
      );
    }
    const plan = planEntity({
      entity,
      config,
      clusterFacts: {
        [cluster]: { hasSnapScheduler: caches.served.hasSnapScheduler },
      },
    });
    const clusterPlan =
      plan.state === 'planned'
        ? plan.clusters.find(p => p.cluster === cluster)
        : undefined;
    const runner = clusterPlan?.objects.find(
      object => object.metadata.labels['backups/layer'] === options.layer,
    );
    if (!runner) {
      throw new InputError(
        `Nothing is planned for ${options.layer} in ${cluster}`,
      );
    }
    const objects = await this.objectsToCreate({
      intent,
      layer: options.layer,
      caches,
      runner,
    });
    const created = [];
    for (const object of objects) {
      await this.options.connections
        .request(caches.cluster, ({ objects: api }) => api.create(object))
        .catch(error => {
          if (statusCode(error) === 409) {
            throw new ConflictError(
              `A ${LAYER_RUN_NOUNS[options.layer]} named ${
                object.metadata?.name
              } was just started; wait for it`,
            );
          }
          throw new ServiceUnavailableError(
            `Cluster ${cluster} refused the ${
              LAYER_RUN_NOUNS[options.layer]
            }: ${errorMessage(error)}`,
          );
        });
      created.push(refOf(object));
    }
    return { entityRef, layer: options.layer, cluster, created };
  }

  private async objectsToCreate(options: {
    intent: ProtectionIntent;
    layer: BackupLayer;
    caches: ClusterCaches;
    runner: PlannedObject;
  }): Promise<k8s.KubernetesObject[]> {
    const { intent, layer, caches, runner } = options;
    const name = runner.metadata.name;
    const namespace = runner.metadata.namespace;
    const noun = LAYER_RUN_NOUNS[layer];
    const running = (what: string) =>
      new ConflictError(
        `A ${noun} of ${intent.entityRef} is already running (${what}); wait for it to finish`,
      );
    if (layer === 'velero') {
      const inProgress = (caches.backups?.lookup('schedule', name) ?? []).find(
        backup => !FINISHED_VELERO_PHASES.includes(backup.phase),
      );
      if (inProgress) throw running(`Backup ${inProgress.name}`);
      const schedule = await this.readRunner(caches, runner);
      return [backupFromSchedule(schedule, this.now())];
    }
    if (layer === 'database') {
      const active = (caches.jobs?.lookup('cronJob', name) ?? []).find(
        job => job.namespace === namespace && job.outcome === 'running',
      );
      if (active) throw running(`Job ${active.name}`);
      return [jobFromCronJob(await this.readRunner(caches, runner))];
    }
    const entityKey = entityLabelKey(parseEntityRef(intent.entityRef));
    const workloadNamespace = intent.workload.namespace;
    // A restore's copy in another namespace is not a snapshot in progress.
    const pending = (caches.snapshots?.lookup('entity', entityKey) ?? []).find(
      snapshot =>
        snapshot.namespace === workloadNamespace &&
        !snapshot.readyToUse &&
        !snapshot.error,
    );
    if (pending) throw running(`VolumeSnapshot ${pending.name}`);
    const snapshotIntent = intent.volumeSnapshot!;
    const claims = selectedClaims(
      snapshotIntent,
      workloadNamespace,
      caches,
    ).map(claim => claim.name);
    if (claims.length === 0) {
      throw new ConflictError(
        `No PVC of ${intent.entityRef} exists in namespace ${workloadNamespace} of ${caches.cluster.name}: there is nothing to snapshot`,
      );
    }
    const { labels } = runner.metadata;
    const entityLabels = Object.fromEntries(
      Object.entries(labels).filter(([key]) => key !== 'backups/layer'),
    );
    return claims.map(claim =>
      snapshotOfClaim({
        claim,
        namespace: workloadNamespace,
        entityRef: intent.entityRef,
        entityLabels,
        className: snapshotIntent.className,
        now: this.now(),
      }),
    );
  }

  private async readRunner(caches: ClusterCaches, runner: PlannedObject) {
    try {
      return await this.options.connections.request(
        caches.cluster,
        ({ objects }) =>
          objects.read({
            apiVersion: runner.apiVersion,
            kind: runner.kind,
            metadata: {
              name: runner.metadata.name,
              namespace: runner.metadata.namespace,
            },
          }),
      );
    } catch (error) {
      if (statusCode(error) === 404) {
        throw new ConflictError(
          `The ${runner.kind} ${runner.metadata.name} is not in cluster ${caches.cluster.name} yet: reconcile ${runner.metadata.annotations['backups/entity-ref']} first`,
        );
      }
      throw new ServiceUnavailableError(
        `Cluster ${caches.cluster.name} does not answer: ${errorMessage(
          error,
        )}`,
      );
    }
  }
}
