import {
  CompoundEntityRef,
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  AnnotationError,
  ENTITY_REF_ANNOTATION,
  MANAGED_BY_VALUE,
  MANAGED_OBJECT_LABELS,
} from '@backups-for-backstage/plugin-backups-common';
import * as k8s from '@kubernetes/client-node';
import { BackupsConfig, ClusterConfig } from '../config/readBackupsConfig';
import { labelValue } from '../plan/naming';
import { ClusterFacts, EntityPlan, planEntity } from '../plan/planEntity';
import { PlannedObject } from '../plan/types';
import {
  ClusterConnections,
  groupByEntity,
  LiveObjects,
  ServedApis,
} from './ClusterConnections';
import {
  differingPaths,
  errorMessage,
  keyOf,
  ObjectRef,
  refOf,
  statusCode,
} from './objects';

export type { ObjectRef } from './objects';
export { MANAGED_KINDS } from './ClusterConnections';

/** A problem with one object (e.g. its name is taken by an unmanaged object). */
export interface ObjectError {
  object: ObjectRef;
  message: string;
}

/** An object that differs from its plan, and where. */
export interface ObjectUpdate extends ObjectRef {
  /** Dotted paths of the planned fields whose live value differs. */
  changedFields: string[];
}

/** What reconcile did (or, in a dry run, would do) in one cluster. */
export interface ClusterReconcileResult {
  cluster: string;
  /**
   * Whether the entity wants objects in this cluster. Untargeted clusters are
   * reconciled too, to delete what the entity left there.
   */
  targeted: boolean;
  created: ObjectRef[];
  updated: ObjectUpdate[];
  deleted: ObjectRef[];
  unchanged: ObjectRef[];
  /** Per-object problems; the other objects were still reconciled. */
  objectErrors: ObjectError[];
  /** Set when the cluster could not be reconciled (unreachable, 5xx, timeout). */
  error?: string;
}

/** What reconcile did for one entity. */
export interface EntityReconcileResult {
  entityRef: string;
  /**
   * The plan's state; `invalid` entities get nothing applied or deleted;
   * `removed`: the entity left the catalog (or the opt-in), its objects go.
   */
  state: 'planned' | 'not-opted-in' | 'invalid' | 'removed';
  dryRun: boolean;
  /** The annotation errors of an invalid entity. */
  errors?: AnnotationError[];
  clusters: ClusterReconcileResult[];
}

/**
 * Every managed object of every cluster, read once for a whole reconcile run
 * so that each entity does not list them again.
 */
export interface ClusterSnapshot {
  /** Whether `objectsByEntity` holds every managed object (a fleet run). */
  listed: boolean;
  clusters: Map<
    string,
    | { served: ServedApis; objectsByEntity: Map<string, LiveObjects> }
    | { error: string }
  >;
}

interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

/** The label selector of an entity's managed objects. */
export function managedSelector(entity: CompoundEntityRef): string {
  return [
    `${MANAGED_OBJECT_LABELS.managedBy}=${MANAGED_BY_VALUE}`,
    `${MANAGED_OBJECT_LABELS.entityKind}=${labelValue(
      entity.kind.toLowerCase(),
    )}`,
    `${MANAGED_OBJECT_LABELS.entityNamespace}=${labelValue(entity.namespace)}`,
    `${MANAGED_OBJECT_LABELS.entityName}=${labelValue(entity.name)}`,
  ].join(',');
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

  constructor(options: { config: BackupsConfig; logger?: Logger }) {
    this.config = options.config;
    this.logger = options.logger;
    this.connections = new ClusterConnections({
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
    const refs = new Set<string>();
    for (const cluster of snapshot.clusters.values()) {
      if ('objectsByEntity' in cluster) {
        for (const ref of cluster.objectsByEntity.keys()) refs.add(ref);
      }
    }
    return refs;
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

  private async readClusters(options: {
    listObjects: boolean;
  }): Promise<ClusterSnapshot> {
    const clusters: ClusterSnapshot['clusters'] = new Map();
    await Promise.all(
      this.config.clusters.map(async cluster => {
        try {
          const served = await this.connections.servedApis(cluster);
          const objects = options.listObjects
            ? await this.connections.listManaged({
                cluster,
                served,
                selector: `${MANAGED_OBJECT_LABELS.managedBy}=${MANAGED_BY_VALUE}`,
              })
            : [];
          clusters.set(cluster.name, {
            served,
            objectsByEntity: groupByEntity(objects),
          });
        } catch (error) {
          clusters.set(cluster.name, { error: errorMessage(error) });
        }
      }),
    );
    return { listed: options.listObjects, clusters };
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
          targeted,
          dryRun,
        });
      }),
    );
  }

  private async listLive(options: {
    cluster: ClusterConfig;
    served: ServedApis;
    entity: CompoundEntityRef;
  }): Promise<LiveObjects> {
    const objects = await this.connections.listManaged({
      cluster: options.cluster,
      served: options.served,
      selector: managedSelector(options.entity),
    });
    const entityRef = stringifyEntityRef(options.entity);
    // Labels may be shortened with a hash; the annotation has the full ref.
    const owned = objects.filter(object => {
      const owner = object.metadata?.annotations?.[ENTITY_REF_ANNOTATION];
      return owner === undefined || owner === entityRef;
    });
    return new Map(owned.map(object => [keyOf(refOf(object)), object]));
  }

  private async reconcileCluster(options: {
    cluster: ClusterConfig;
    served: ServedApis;
    entity: CompoundEntityRef;
    live?: LiveObjects;
    desired: PlannedObject[];
    targeted: boolean;
    dryRun: boolean;
  }): Promise<ClusterReconcileResult> {
    const { cluster, served, entity, desired, dryRun } = options;
    const result = emptyResult(cluster.name, options.targeted);
    const api = this.connections.objectApi(cluster);
    try {
      const live =
        options.live ?? (await this.listLive({ cluster, served, entity }));
      const desiredKeys = new Set<string>();
      for (const object of desired) {
        const ref = refOf(object);
        desiredKeys.add(keyOf(ref));
        try {
          await this.reconcileObject({
            object,
            ref,
            live,
            api,
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
          await this.connections
            .request(() =>
              api.delete(
                {
                  apiVersion: ref.apiVersion,
                  kind: ref.kind,
                  metadata: { name: ref.name, namespace: ref.namespace },
                },
                undefined,
                undefined,
                undefined,
                undefined,
                // Keep dependents (e.g. a CronJob's Jobs: restore points).
                'Orphan',
              ),
            )
            .catch(error => {
              if (statusCode(error) !== 404) throw error;
            });
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
    api: k8s.KubernetesObjectApi;
    dryRun: boolean;
    result: ClusterReconcileResult;
  }): Promise<void> {
    const { object, ref, live, api, dryRun, result } = options;
    const existing = live.get(keyOf(ref));
    if (existing) {
      const changedFields = differingPaths(object, existing);
      if (changedFields.length === 0) {
        result.unchanged.push(ref);
        return;
      }
      if (!dryRun) {
        await this.connections.request(() =>
          api.replace({
            ...object,
            // Kinds without a status subresource (Velero's) store the status
            // a replace sends: keep what their controller wrote.
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
      const taken = await this.readObject(api, ref);
      if (taken) {
        result.objectErrors.push(nameTakenError(ref, taken));
        return;
      }
    } else {
      try {
        await this.connections.request(() =>
          api.create(object as k8s.KubernetesObject),
        );
      } catch (error) {
        if (statusCode(error) !== 409) throw error;
        const taken = await this.readObject(api, ref);
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

  private readObject(
    api: k8s.KubernetesObjectApi,
    ref: ObjectRef,
  ): Promise<k8s.KubernetesObject | undefined> {
    return this.connections
      .request(() =>
        api.read({
          apiVersion: ref.apiVersion,
          kind: ref.kind,
          metadata: { name: ref.name, namespace: ref.namespace },
        }),
      )
      .catch(error => {
        if (statusCode(error) === 404) return undefined;
        throw error;
      });
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
