import {
  CompoundEntityRef,
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ClusterReconcileResult,
  EntityReconcileResult,
  MANAGED_BY_VALUE,
  MANAGED_OBJECT_LABELS,
  ObjectError,
  ObjectRef,
} from '@backups-for-backstage/plugin-backups-common';
import * as k8s from '@kubernetes/client-node';
import { ClusterConnections, ServedApis } from '../cluster/ClusterConnections';
import {
  ClusterSnapshot,
  entitiesWithObjects,
  listEntityObjects,
  readClusters,
} from '../cluster/clusterSnapshot';
import {
  errorMessage,
  keyOf,
  LiveObjects,
  refOf,
  statusCode,
} from '../cluster/objects';
import { BackupsConfig, ClusterConfig } from '../config/readBackupsConfig';
import { ClusterFacts, EntityPlan, planEntity } from '../plan/planEntity';
import { PlannedObject } from '../plan/types';
import { differingPaths } from './diff';

export type {
  ClusterReconcileResult,
  EntityReconcileResult,
  ObjectError,
  ObjectRef,
  ObjectUpdate,
} from '@backups-for-backstage/plugin-backups-common';
export type { ClusterSnapshot } from '../cluster/clusterSnapshot';
export { managedSelector } from '../cluster/clusterSnapshot';
export { MANAGED_KINDS } from '../cluster/managedKinds';

interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

function emptyResult(
  cluster: string,
  targeted: boolean,
): ClusterReconcileResult {
  return {
    cluster,
    targeted,
    created: [],
    updated: [],
    deleted: [],
    unchanged: [],
    objectErrors: [],
  };
}

function failed(
  cluster: string,
  targeted: boolean,
  error: string,
): ClusterReconcileResult {
  return { ...emptyResult(cluster, targeted), error };
}

/**
 * Applies entities' plans to their clusters: creates what is missing, replaces
 * what differs, deletes managed objects no longer desired, and never touches
 * an object without the managed-by label. An unchanged plan makes no write.
 */
export class Reconciler {
  private readonly config: BackupsConfig;
  private readonly logger?: Logger;
  private readonly connections: ClusterConnections;

  constructor(options: {
    config: BackupsConfig;
    logger?: Logger;
    /** The plugin's shared connections; by default its own. */
    connections?: ClusterConnections;
  }) {
    this.config = options.config;
    this.logger = options.logger;
    this.connections =
      options.connections ??
      new ClusterConnections({
        requestTimeoutMs: options.config.reconcile.requestTimeoutMs,
      });
  }

  /**
   * Reads every cluster's managed objects once (a fleet run). A cluster that
   * fails here is reported as failed for every entity of the run.
   */
  async snapshot(): Promise<ClusterSnapshot> {
    return this.readClusters({ listObjects: true });
  }

  /** The entity refs that own managed objects in any cluster of a snapshot. */
  static entitiesWithObjects(snapshot: ClusterSnapshot): Set<string> {
    return entitiesWithObjects(snapshot);
  }

  /** Reconciles one catalog entity in every configured cluster. */
  async reconcileEntity(options: {
    entity: Entity;
    dryRun?: boolean;
    snapshot?: ClusterSnapshot;
  }): Promise<EntityReconcileResult> {
    return (await this.planAndReconcile(options)).result;
  }

  /**
   * The entity's plan and, as a dry run, its difference from the clusters:
   * what `reconcileEntity` would create, update and delete.
   */
  async preview(options: {
    entity: Entity;
  }): Promise<{ plan: EntityPlan; result: EntityReconcileResult }> {
    return this.planAndReconcile({ entity: options.entity, dryRun: true });
  }

  /**
   * Deletes an entity's managed objects in every configured cluster (the
   * entity was removed from the catalog, or its opt-in).
   */
  async deleteEntity(options: {
    entity: CompoundEntityRef | string;
    dryRun?: boolean;
    snapshot?: ClusterSnapshot;
  }): Promise<EntityReconcileResult> {
    const parsed = parseEntityRef(options.entity);
    const entity = {
      kind: parsed.kind,
      namespace: parsed.namespace || 'default',
      name: parsed.name,
    };
    const dryRun = options.dryRun ?? false;
    const clusters = await this.reconcileClusters({
      entity,
      desiredByCluster: new Map(),
      dryRun,
      snapshot: options.snapshot ?? (await this.discover()),
    });
    return {
      entityRef: stringifyEntityRef(entity),
      state: 'removed',
      dryRun,
      clusters,
    };
  }

  private async planAndReconcile(options: {
    entity: Entity;
    dryRun?: boolean;
    snapshot?: ClusterSnapshot;
  }): Promise<{ plan: EntityPlan; result: EntityReconcileResult }> {
    const { entity } = options;
    const dryRun = options.dryRun ?? false;
    const compound = getCompoundEntityRef(entity);
    const snapshot = options.snapshot ?? (await this.discover());

    const clusterFacts: Record<string, ClusterFacts> = {};
    for (const [name, cluster] of snapshot.clusters) {
      if ('served' in cluster) {
        clusterFacts[name] = {
          hasSnapScheduler: cluster.served.hasSnapScheduler,
        };
      }
    }
    const plan = planEntity({ entity, config: this.config, clusterFacts });
    const entityRef = plan.entityRef;
    if (plan.state === 'invalid') {
      this.logger?.warn(
        `Not reconciling ${entityRef}: ${plan.errors.length} annotation error(s)`,
      );
      return {
        plan,
        result: {
          entityRef,
          state: 'invalid',
          dryRun,
          errors: plan.errors,
          clusters: [],
        },
      };
    }
    const desiredByCluster = new Map<string, PlannedObject[]>();
    if (plan.state === 'planned') {
      for (const clusterPlan of plan.clusters) {
        desiredByCluster.set(clusterPlan.cluster, clusterPlan.objects);
      }
    }
    const clusters = await this.reconcileClusters({
      entity: compound,
      desiredByCluster,
      dryRun,
      snapshot,
    });
    return {
      plan,
      result: { entityRef, state: plan.state, dryRun, clusters },
    };
  }

  /** Discovery of every cluster, without listing objects (one entity). */
  private discover(): Promise<ClusterSnapshot> {
    return this.readClusters({ listObjects: false });
  }

  private readClusters(options: {
    listObjects: boolean;
  }): Promise<ClusterSnapshot> {
    return readClusters({
      connections: this.connections,
      clusters: this.config.clusters,
      listObjects: options.listObjects,
    });
  }

  private reconcileClusters(options: {
    entity: CompoundEntityRef;
    desiredByCluster: Map<string, PlannedObject[]>;
    dryRun: boolean;
    snapshot: ClusterSnapshot;
  }): Promise<ClusterReconcileResult[]> {
    const { entity, desiredByCluster, dryRun, snapshot } = options;
    const entityRef = stringifyEntityRef(entity);
    return Promise.all(
      this.config.clusters.map(async cluster => {
        const state = snapshot.clusters.get(cluster.name);
        const targeted = desiredByCluster.has(cluster.name);
        if (!state || 'error' in state) {
          return failed(
            cluster.name,
            targeted,
            state?.error ?? 'not discovered',
          );
        }
        return this.reconcileCluster({
          cluster,
          served: state.served,
          entity,
          // A fleet snapshot has every entity's objects; a single-entity run
          // lists them now.
          live: snapshot.listed
            ? state.objectsByEntity.get(entityRef) ?? new Map()
            : undefined,
          desired: desiredByCluster.get(cluster.name) ?? [],
          copyNamespaces: state.copyNamespaces,
          targeted,
          dryRun,
        });
      }),
    );
  }

  private async reconcileCluster(options: {
    cluster: ClusterConfig;
    served: ServedApis;
    entity: CompoundEntityRef;
    live?: LiveObjects;
    desired: PlannedObject[];
    copyNamespaces: Map<string, string>;
    targeted: boolean;
    dryRun: boolean;
  }): Promise<ClusterReconcileResult> {
    const { cluster, served, entity, desired, dryRun, copyNamespaces } =
      options;
    const result = emptyResult(cluster.name, options.targeted);
    const inCopy = (ref: ObjectRef) =>
      ref.namespace === undefined
        ? undefined
        : copyNamespaces.get(ref.namespace);
    try {
      const listed =
        options.live ??
        (await listEntityObjects({
          connections: this.connections,
          cluster,
          served,
          entity,
        }));
      // What a restore or drill made (or brought back) is theirs: never
      // adopted, rewritten or deleted here.
      const live: LiveObjects = new Map(
        [...listed].filter(([, object]) => !inCopy(refOf(object))),
      );
      const desiredKeys = new Set<string>();
      for (const object of desired) {
        const ref = refOf(object);
        desiredKeys.add(keyOf(ref));
        const copy = inCopy(ref);
        if (copy) {
          result.objectErrors.push({
            object: ref,
            message: `Namespace ${ref.namespace} is a copy made by a restore or drill (${copy}): nothing of it is reconciled.`,
          });
          continue;
        }
        try {
          await this.reconcileObject({
            object,
            ref,
            live,
            cluster,
            dryRun,
            result,
          });
        } catch (error) {
          const code = statusCode(error);
          if (code === undefined || code >= 500) throw error;
          result.objectErrors.push({
            object: ref,
            message: errorMessage(error),
          });
        }
      }
      for (const [key, object] of live) {
        if (desiredKeys.has(key)) continue;
        const ref = refOf(object);
        if (!dryRun) {
          // Keep dependents (e.g. a CronJob's Jobs: restore points).
          await this.connections.delete(cluster, ref, 'Orphan');
        }
        result.deleted.push(ref);
      }
      const writes =
        result.created.length + result.updated.length + result.deleted.length;
      if (!dryRun && writes > 0) {
        this.logger?.info(
          `Reconciled ${stringifyEntityRef(entity)} in ${cluster.name}: ${
            result.created.length
          } created, ${result.updated.length} updated, ${
            result.deleted.length
          } deleted`,
        );
      }
    } catch (error) {
      result.error = errorMessage(error);
      this.logger?.warn(
        `Reconcile of ${stringifyEntityRef(entity)} in ${
          cluster.name
        } failed: ${result.error}`,
      );
    }
    return result;
  }

  private async reconcileObject(options: {
    object: PlannedObject;
    ref: ObjectRef;
    live: LiveObjects;
    cluster: ClusterConfig;
    dryRun: boolean;
    result: ClusterReconcileResult;
  }): Promise<void> {
    const { object, ref, live, cluster, dryRun, result } = options;
    const existing = live.get(keyOf(ref));
    if (existing) {
      const changedFields = differingPaths(object, existing);
      if (changedFields.length === 0) {
        result.unchanged.push(ref);
        return;
      }
      if (!dryRun) {
        await this.connections.request(cluster, ({ objects }) =>
          objects.replace({
            ...object,
            // Kinds without a status subresource (Velero's) store the
            // status a replace sends: keep what their controller wrote.
            ...('status' in existing ? { status: existing.status } : {}),
            metadata: {
              ...object.metadata,
              resourceVersion: existing.metadata?.resourceVersion,
            },
          } as k8s.KubernetesObject),
        );
      }
      result.updated.push({ ...ref, changedFields });
      return;
    }
    // Create straight away: the name is free unless an object we do not
    // manage (which no managed-by listing shows) or one managed for another
    // entity holds it; the server's 409 says so, and only then do we look.
    // A dry run writes nothing, so it has to look first.
    if (dryRun) {
      const taken = await this.connections.read(cluster, ref);
      if (taken) {
        result.objectErrors.push(nameTakenError(ref, taken));
        return;
      }
    } else {
      try {
        await this.connections.request(cluster, ({ objects }) =>
          objects.create(object as k8s.KubernetesObject),
        );
      } catch (error) {
        if (statusCode(error) !== 409) throw error;
        const taken = await this.connections.read(cluster, ref);
        result.objectErrors.push(
          taken
            ? nameTakenError(ref, taken)
            : { object: ref, message: errorMessage(error) },
        );
        return;
      }
    }
    result.created.push(ref);
  }
}

/** Why a planned object could not be created: its name is taken. */
function nameTakenError(
  ref: ObjectRef,
  taken: k8s.KubernetesObject,
): ObjectError {
  const managedBy = taken.metadata?.labels?.[MANAGED_OBJECT_LABELS.managedBy];
  return {
    object: ref,
    message:
      managedBy === MANAGED_BY_VALUE
        ? `${ref.kind} ${ref.name} already exists and is managed for another entity; left alone`
        : `${ref.kind} ${ref.name} already exists and is not managed by ${MANAGED_BY_VALUE}; left alone`,
  };
}
