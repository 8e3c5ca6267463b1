import {
  CompoundEntityRef,
  Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  AnnotationError,
  MANAGED_BY_VALUE,
  MANAGED_OBJECT_LABELS,
} from '@backups-for-backstage/plugin-backups-common';
import * as k8s from '@kubernetes/client-node';
import { BackupsConfig, ClusterConfig } from '../config/readBackupsConfig';
import { labelValue } from '../plan/naming';
import { ClusterFacts, planEntity } from '../plan/planEntity';
import { PlannedObject } from '../plan/types';
import { kubeConfigForCluster } from './kubeConfigForCluster';

/** Identifies one Kubernetes object. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** A problem with one object (e.g. its name is taken by an unmanaged object). */
export interface ObjectError {
  object: ObjectRef;
  message: string;
}

/** What reconcile did (or, in a dry run, would do) in one cluster. */
export interface ClusterReconcileResult {
  cluster: string;
  created: ObjectRef[];
  updated: ObjectRef[];
  deleted: ObjectRef[];
  unchanged: ObjectRef[];
  /** Per-object problems; the other objects were still reconciled. */
  objectErrors: ObjectError[];
  /** Set when the cluster could not be reconciled (unreachable, 5xx, ...). */
  error?: string;
}

/** What reconcile did for one entity. */
export interface EntityReconcileResult {
  entityRef: string;
  /** The plan's state; `invalid` entities get nothing applied or deleted. */
  state: 'planned' | 'not-opted-in' | 'invalid' | 'removed';
  dryRun: boolean;
  /** The annotation errors of an invalid entity. */
  errors?: AnnotationError[];
  clusters: ClusterReconcileResult[];
}

/** The kinds the planner can produce: the only kinds reconcile lists or deletes. */
export const MANAGED_KINDS: ReadonlyArray<{
  apiVersion: string;
  kind: string;
}> = [
  { apiVersion: 'velero.io/v1', kind: 'Schedule' },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
  { apiVersion: 'v1', kind: 'ServiceAccount' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
  { apiVersion: 'snapscheduler.backube/v1', kind: 'SnapshotSchedule' },
];

const SNAPSCHEDULER_GROUP = 'snapscheduler.backube';

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

function refOf(object: {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
}): ObjectRef {
  return {
    apiVersion: object.apiVersion!,
    kind: object.kind!,
    ...(object.metadata?.namespace
      ? { namespace: object.metadata.namespace }
      : {}),
    name: object.metadata!.name!,
  };
}

function keyOf(ref: ObjectRef): string {
  return `${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;
}

function statusCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

function errorMessage(error: unknown): string {
  const code = statusCode(error);
  if (code !== undefined) {
    const body = (error as { body?: unknown }).body;
    let message: string | undefined;
    if (typeof body === 'string') {
      try {
        message = JSON.parse(body)?.message;
      } catch {
        message = body;
      }
    } else if (body && typeof body === 'object') {
      message = (body as { message?: string }).message;
    }
    return `HTTP ${code}${message ? `: ${message}` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Whether every field the desired value sets equals the live value. Objects
 * are compared by the desired object's own keys (the server adds defaults and
 * status); arrays and scalars are compared whole.
 */
export function matchesDesired(desired: unknown, live: unknown): boolean {
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) return false;
    return desired.every((item, index) => deepEqual(item, live[index]));
  }
  if (desired && typeof desired === 'object') {
    if (!live || typeof live !== 'object' || Array.isArray(live)) return false;
    return Object.entries(desired as Record<string, unknown>).every(
      ([key, value]) =>
        value === undefined ||
        matchesDesired(value, (live as Record<string, unknown>)[key]),
    );
  }
  return normalize(desired) === normalize(live);
}

function normalize(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) {
    return (
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, index) => deepEqual(item, b[index]))
    );
  }
  if (a && typeof a === 'object' && !(a instanceof Date)) {
    if (!b || typeof b !== 'object' || Array.isArray(b)) return false;
    const aKeys = Object.keys(a).filter(
      key => (a as Record<string, unknown>)[key] !== undefined,
    );
    const bKeys = Object.keys(b).filter(
      key => (b as Record<string, unknown>)[key] !== undefined,
    );
    return (
      aKeys.length === bKeys.length &&
      aKeys.every(key =>
        deepEqual(
          (a as Record<string, unknown>)[key],
          (b as Record<string, unknown>)[key],
        ),
      )
    );
  }
  return normalize(a) === normalize(b);
}

/**
 * Applies entities' plans to their clusters: creates what is missing, replaces
 * what differs, deletes managed objects no longer desired, and never touches
 * an object without the managed-by label. An unchanged plan makes no write.
 */
export class Reconciler {
  private readonly config: BackupsConfig;
  private readonly logger?: Logger;
  private readonly clients = new Map<string, k8s.KubeConfig>();

  constructor(options: { config: BackupsConfig; logger?: Logger }) {
    this.config = options.config;
    this.logger = options.logger;
  }

  /** Reconciles one catalog entity in every configured cluster. */
  async reconcileEntity(options: {
    entity: Entity;
    dryRun?: boolean;
  }): Promise<EntityReconcileResult> {
    const { entity } = options;
    const dryRun = options.dryRun ?? false;
    const compound = getCompoundEntityRef(entity);
    const entityRef = stringifyEntityRef(compound);

    // Facts first (SnapScheduler), per cluster; a failed discovery is that
    // cluster's error and leaves the others alone.
    const discovery = new Map<
      string,
      { served: Set<string> } | { error: string }
    >();
    await Promise.all(
      this.config.clusters.map(async cluster => {
        try {
          discovery.set(cluster.name, {
            served: await this.servedGroupVersions(cluster),
          });
        } catch (error) {
          discovery.set(cluster.name, { error: errorMessage(error) });
        }
      }),
    );
    const clusterFacts: Record<string, ClusterFacts> = {};
    for (const [name, facts] of discovery) {
      if ('served' in facts) {
        clusterFacts[name] = {
          hasSnapScheduler: [...facts.served].some(groupVersion =>
            groupVersion.startsWith(`${SNAPSCHEDULER_GROUP}/`),
          ),
        };
      }
    }

    const plan = planEntity({ entity, config: this.config, clusterFacts });
    if (plan.state === 'invalid') {
      this.logger?.warn(
        `Not reconciling ${entityRef}: ${plan.errors.length} annotation error(s)`,
      );
      return {
        entityRef,
        state: 'invalid',
        dryRun,
        errors: plan.errors,
        clusters: [],
      };
    }
    const desiredByCluster = new Map<string, PlannedObject[]>();
    if (plan.state === 'planned') {
      for (const clusterPlan of plan.clusters) {
        desiredByCluster.set(clusterPlan.cluster, clusterPlan.objects);
      }
    }
    const clusters = await Promise.all(
      this.config.clusters.map(cluster => {
        const facts = discovery.get(cluster.name)!;
        if ('error' in facts) {
          return Promise.resolve(failed(cluster.name, facts.error));
        }
        return this.reconcileCluster({
          cluster,
          served: facts.served,
          entity: compound,
          desired: desiredByCluster.get(cluster.name) ?? [],
          dryRun,
        });
      }),
    );
    return { entityRef, state: plan.state, dryRun, clusters };
  }

  /**
   * Deletes an entity's managed objects in every configured cluster (the
   * entity was removed from the catalog).
   */
  async deleteEntity(options: {
    entity: CompoundEntityRef;
    dryRun?: boolean;
  }): Promise<EntityReconcileResult> {
    const dryRun = options.dryRun ?? false;
    const entity = {
      kind: options.entity.kind,
      namespace: options.entity.namespace || 'default',
      name: options.entity.name,
    };
    const clusters = await Promise.all(
      this.config.clusters.map(async cluster => {
        let served: Set<string>;
        try {
          served = await this.servedGroupVersions(cluster);
        } catch (error) {
          return failed(cluster.name, errorMessage(error));
        }
        return this.reconcileCluster({
          cluster,
          served,
          entity,
          desired: [],
          dryRun,
        });
      }),
    );
    return {
      entityRef: stringifyEntityRef(entity),
      state: 'removed',
      dryRun,
      clusters,
    };
  }

  private kubeConfig(cluster: ClusterConfig): k8s.KubeConfig {
    let kubeConfig = this.clients.get(cluster.name);
    if (!kubeConfig) {
      kubeConfig = kubeConfigForCluster(cluster);
      this.clients.set(cluster.name, kubeConfig);
    }
    return kubeConfig;
  }

  private async servedGroupVersions(
    cluster: ClusterConfig,
  ): Promise<Set<string>> {
    const apis = this.kubeConfig(cluster).makeApiClient(k8s.ApisApi);
    const groups = await apis.getAPIVersions();
    const served = new Set<string>(['v1']);
    for (const group of groups.groups ?? []) {
      for (const version of group.versions ?? []) {
        served.add(version.groupVersion);
      }
    }
    return served;
  }

  private async reconcileCluster(options: {
    cluster: ClusterConfig;
    served: Set<string>;
    entity: CompoundEntityRef;
    desired: PlannedObject[];
    dryRun: boolean;
  }): Promise<ClusterReconcileResult> {
    const { cluster, served, entity, desired, dryRun } = options;
    const result: ClusterReconcileResult = {
      cluster: cluster.name,
      created: [],
      updated: [],
      deleted: [],
      unchanged: [],
      objectErrors: [],
    };
    try {
      const objects = k8s.KubernetesObjectApi.makeApiClient(
        this.kubeConfig(cluster),
      );
      const selector = managedSelector(entity);
      const live = new Map<string, k8s.KubernetesObject>();
      for (const { apiVersion, kind } of MANAGED_KINDS) {
        if (!served.has(apiVersion)) continue;
        const list = await objects.list(
          apiVersion,
          kind,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          selector,
        );
        for (const item of list.items) {
          // The selector asks the server; the label is checked again here so
          // that an unmanaged object can never be touched.
          if (
            item.metadata?.labels?.[MANAGED_OBJECT_LABELS.managedBy] !==
            MANAGED_BY_VALUE
          ) {
            continue;
          }
          const object = { ...item, apiVersion, kind };
          live.set(keyOf(refOf(object)), object);
        }
      }

      const desiredKeys = new Set<string>();
      for (const object of desired) {
        const ref = refOf(object);
        const key = keyOf(ref);
        desiredKeys.add(key);
        const existing = live.get(key);
        try {
          if (existing) {
            if (matchesDesired(object, existing)) {
              result.unchanged.push(ref);
              continue;
            }
            if (!dryRun) {
              await objects.replace({
                ...object,
                metadata: {
                  ...object.metadata,
                  resourceVersion: existing.metadata?.resourceVersion,
                },
              } as k8s.KubernetesObject);
            }
            result.updated.push(ref);
            continue;
          }
          const taken = await objects
            .read({
              apiVersion: ref.apiVersion,
              kind: ref.kind,
              metadata: { name: ref.name, namespace: ref.namespace },
            })
            .catch(error => {
              if (statusCode(error) === 404) return undefined;
              throw error;
            });
          if (taken) {
            const managedBy =
              taken.metadata?.labels?.[MANAGED_OBJECT_LABELS.managedBy];
            result.objectErrors.push({
              object: ref,
              message:
                managedBy === MANAGED_BY_VALUE
                  ? `${ref.kind} ${ref.name} already exists and is managed for another entity; left alone`
                  : `${ref.kind} ${ref.name} already exists and is not managed by ${MANAGED_BY_VALUE}; left alone`,
            });
            continue;
          }
          if (!dryRun) {
            await objects.create(object as k8s.KubernetesObject);
          }
          result.created.push(ref);
        } catch (error) {
          if (statusCode(error) === undefined || statusCode(error)! >= 500) {
            throw error;
          }
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
          await objects
            .delete(
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
            )
            .catch(error => {
              if (statusCode(error) !== 404) throw error;
            });
        }
        result.deleted.push(ref);
      }
      if (
        !dryRun &&
        result.created.length + result.updated.length + result.deleted.length >
          0
      ) {
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
}

function failed(cluster: string, error: string): ClusterReconcileResult {
  return {
    cluster,
    created: [],
    updated: [],
    deleted: [],
    unchanged: [],
    objectErrors: [],
    error,
  };
}
