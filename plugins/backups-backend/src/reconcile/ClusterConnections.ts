import {
  ENTITY_REF_ANNOTATION,
  MANAGED_BY_VALUE,
  MANAGED_OBJECT_LABELS,
} from '@backups-for-backstage/plugin-backups-common';
import * as k8s from '@kubernetes/client-node';
import { ClusterConfig } from '../config/readBackupsConfig';
import { kubeConfigForCluster } from './kubeConfigForCluster';
import { keyOf, refOf } from './objects';

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

/** Managed objects keyed by `keyOf(refOf(object))`. */
export type LiveObjects = Map<string, k8s.KubernetesObject>;

/** What a cluster serves that changes the plan. */
export interface ServedApis {
  groupVersions: Set<string>;
  hasSnapScheduler: boolean;
}

/**
 * A KubeConfig whose every request is aborted after `timeoutMs`, so that a
 * hanging API server fails that cluster's reconcile instead of stalling it.
 */
class TimeoutKubeConfig extends k8s.KubeConfig {
  constructor(private readonly timeoutMs: number) {
    super();
  }

  override async applySecurityAuthentication(
    context: Parameters<k8s.KubeConfig['applySecurityAuthentication']>[0],
  ): Promise<void> {
    await super.applySecurityAuthentication(context);
    context.setSignal(AbortSignal.timeout(this.timeoutMs));
  }
}

function withTimeout(cluster: ClusterConfig, timeoutMs: number) {
  const kubeConfig = new TimeoutKubeConfig(timeoutMs);
  const loaded = kubeConfigForCluster(cluster);
  kubeConfig.loadFromOptions({
    clusters: loaded.clusters,
    users: loaded.users,
    contexts: loaded.contexts,
    currentContext: loaded.getCurrentContext(),
  });
  return kubeConfig;
}

function describeFailure(error: unknown, timeoutMs: number): unknown {
  const name = (error as { name?: string; type?: string })?.name;
  const type = (error as { type?: string })?.type;
  if (name === 'AbortError' || name === 'TimeoutError' || type === 'aborted') {
    return new Error(`no answer within ${timeoutMs / 1000}s (request timeout)`);
  }
  return error;
}

/**
 * The plugin's clients for its configured clusters: one object API per
 * cluster, discovery, and listing of managed objects. Every request times out.
 */
export class ClusterConnections {
  private readonly apis = new Map<string, k8s.KubernetesObjectApi>();
  private readonly kubeConfigs = new Map<string, k8s.KubeConfig>();

  constructor(private readonly options: { requestTimeoutMs: number }) {}

  objectApi(cluster: ClusterConfig): k8s.KubernetesObjectApi {
    let api = this.apis.get(cluster.name);
    if (!api) {
      api = k8s.KubernetesObjectApi.makeApiClient(this.kubeConfig(cluster));
      this.apis.set(cluster.name, api);
    }
    return api;
  }

  /** Runs a request (or several), turning an abort into a timeout message. */
  async request<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw describeFailure(error, this.options.requestTimeoutMs);
    }
  }

  async servedApis(cluster: ClusterConfig): Promise<ServedApis> {
    const apis = this.kubeConfig(cluster).makeApiClient(k8s.ApisApi);
    const groups = await this.request(() => apis.getAPIVersions());
    const groupVersions = new Set<string>(['v1']);
    for (const group of groups.groups ?? []) {
      for (const version of group.versions ?? []) {
        groupVersions.add(version.groupVersion);
      }
    }
    return {
      groupVersions,
      hasSnapScheduler: [...groupVersions].some(groupVersion =>
        groupVersion.startsWith(`${SNAPSCHEDULER_GROUP}/`),
      ),
    };
  }

  /**
   * The managed objects of every managed kind the cluster serves that match
   * `selector` (which must include the managed-by label). The label is checked
   * again here, so an unmanaged object can never be returned.
   */
  async listManaged(options: {
    cluster: ClusterConfig;
    served: ServedApis;
    selector: string;
  }): Promise<k8s.KubernetesObject[]> {
    const api = this.objectApi(options.cluster);
    const found: k8s.KubernetesObject[] = [];
    for (const { apiVersion, kind } of MANAGED_KINDS) {
      if (!options.served.groupVersions.has(apiVersion)) continue;
      const list = await this.request(() =>
        api.list(
          apiVersion,
          kind,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          options.selector,
        ),
      );
      for (const item of list.items) {
        if (
          item.metadata?.labels?.[MANAGED_OBJECT_LABELS.managedBy] ===
          MANAGED_BY_VALUE
        ) {
          found.push({ ...item, apiVersion, kind });
        }
      }
    }
    return found;
  }

  private kubeConfig(cluster: ClusterConfig): k8s.KubeConfig {
    let kubeConfig = this.kubeConfigs.get(cluster.name);
    if (!kubeConfig) {
      kubeConfig = withTimeout(cluster, this.options.requestTimeoutMs);
      this.kubeConfigs.set(cluster.name, kubeConfig);
    }
    return kubeConfig;
  }
}

/** Groups managed objects by the full entity ref their annotation names. */
export function groupByEntity(
  objects: k8s.KubernetesObject[],
): Map<string, LiveObjects> {
  const byEntity = new Map<string, LiveObjects>();
  for (const object of objects) {
    const entityRef = object.metadata?.annotations?.[ENTITY_REF_ANNOTATION];
    if (!entityRef) continue;
    let live = byEntity.get(entityRef);
    if (!live) {
      live = new Map();
      byEntity.set(entityRef, live);
    }
    live.set(keyOf(refOf(object)), object);
  }
  return byEntity;
}
