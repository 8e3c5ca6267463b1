import {
  MANAGED_BY_VALUE,
  MANAGED_OBJECT_LABELS,
} from '@backups-for-backstage/plugin-backups-common';
import * as k8s from '@kubernetes/client-node';
import { AsyncLocalStorage } from 'node:async_hooks';
import { ClusterConfig } from '../config/readBackupsConfig';
import { kubeConfigForCluster } from './kubeConfigForCluster';
import { MANAGED_KINDS } from './managedKinds';
import { ObjectRef, statusCode } from './objects';

const SNAPSCHEDULER_GROUP = 'snapscheduler.backube';

/** What a cluster serves that changes the plan. */
export interface ServedApis {
  groupVersions: Set<string>;
  hasSnapScheduler: boolean;
}

/** The clients of one cluster, for the requests made inside `request`. */
export interface RequestClients {
  objects: k8s.KubernetesObjectApi;
  /** A typed client-node API (e.g. `k8s.BatchV1Api`) of the same cluster. */
  api<T>(apiType: new (configuration: k8s.Configuration) => T): T;
}

/**
 * The abort signal of the request being made: set by `request`, read by the
 * clients' authentication step, so every request inside `request` (discovery
 * included) is aborted together and nothing else is (a watch has no timeout).
 */
const currentSignal = new AsyncLocalStorage<AbortSignal>();

function describeFailure(error: unknown, timeoutMs: number): unknown {
  const name = (error as { name?: string })?.name;
  const type = (error as { type?: string })?.type;
  if (name === 'AbortError' || name === 'TimeoutError' || type === 'aborted') {
    return new Error(`no answer within ${timeoutMs / 1000}s (request timeout)`);
  }
  return error;
}

/**
 * The plugin's connections to its configured clusters, shared by every
 * feature (reconcile, status, restores, drills): a KubeConfig and an object
 * API per cluster, discovery, and listing of managed objects. A request runs
 * with a timeout of its own (`request`); a watch, made from `kubeConfig`, has
 * none.
 */
export class ClusterConnections {
  private readonly clients = new Map<string, RequestClients>();
  private readonly kubeConfigs = new Map<string, k8s.KubeConfig>();

  constructor(private readonly options: { requestTimeoutMs: number }) {}

  /** The cluster's KubeConfig, without a timeout (for watches). */
  kubeConfig(cluster: ClusterConfig): k8s.KubeConfig {
    let kubeConfig = this.kubeConfigs.get(cluster.name);
    if (!kubeConfig) {
      kubeConfig = kubeConfigForCluster(cluster);
      this.kubeConfigs.set(cluster.name, kubeConfig);
    }
    return kubeConfig;
  }

  /** An object as the cluster holds it now; undefined when it does not exist. */
  async read(
    cluster: ClusterConfig,
    ref: ObjectRef,
  ): Promise<k8s.KubernetesObject | undefined> {
    return this.request(cluster, ({ objects }) =>
      objects.read({
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        metadata: { name: ref.name, namespace: ref.namespace },
      }),
    ).catch(error => {
      if (statusCode(error) === 404) return undefined;
      throw error;
    });
  }

  /**
   * Deletes an object; one already gone is fine. `Background` deletes its
   * dependents after it, `Orphan` keeps them.
   */
  async delete(
    cluster: ClusterConfig,
    ref: ObjectRef,
    propagationPolicy: 'Background' | 'Orphan',
  ): Promise<void> {
    await this.request(cluster, ({ objects }) =>
      objects.delete(
        {
          apiVersion: ref.apiVersion,
          kind: ref.kind,
          metadata: { name: ref.name, namespace: ref.namespace },
        },
        undefined,
        undefined,
        undefined,
        undefined,
        propagationPolicy,
      ),
    ).catch(error => {
      if (statusCode(error) !== 404) throw error;
    });
  }

  /** The objects of a kind, in every namespace, that match `labelSelector`. */
  async listLabelled(
    cluster: ClusterConfig,
    options: { apiVersion: string; kind: string; labelSelector: string },
  ): Promise<k8s.KubernetesObject[]> {
    const list = await this.request(cluster, ({ objects }) =>
      objects.list(
        options.apiVersion,
        options.kind,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        options.labelSelector,
      ),
    );
    return list.items;
  }

  /**
   * Runs one request (or a few that belong together) against a cluster,
   * aborted after the request timeout (`timeoutMs`, default
   * `backups.reconcile.requestTimeout`); an abort becomes an error saying so.
   */
  async request<T>(
    cluster: ClusterConfig,
    run: (clients: RequestClients) => Promise<T>,
    options: { timeoutMs?: number } = {},
  ): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs;
    const clients = this.clientsOf(cluster);
    try {
      return await currentSignal.run(AbortSignal.timeout(timeoutMs), () =>
        run(clients),
      );
    } catch (error) {
      throw describeFailure(error, timeoutMs);
    }
  }

  async servedApis(cluster: ClusterConfig): Promise<ServedApis> {
    const groups = await this.request(cluster, ({ api }) =>
      api(k8s.ApisApi).getAPIVersions(),
    );
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
    const found: k8s.KubernetesObject[] = [];
    for (const { apiVersion, kind } of MANAGED_KINDS) {
      if (!options.served.groupVersions.has(apiVersion)) continue;
      const items = await this.listLabelled(options.cluster, {
        apiVersion,
        kind,
        labelSelector: options.selector,
      });
      for (const item of items) {
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

  private clientsOf(cluster: ClusterConfig): RequestClients {
    let clients = this.clients.get(cluster.name);
    if (clients) return clients;
    const kubeConfig = this.kubeConfig(cluster);
    const configuration = k8s.createConfiguration({
      baseServer: new k8s.ServerConfiguration(
        kubeConfig.getCurrentCluster()!.server,
        {},
      ),
      authMethods: {
        default: {
          getName: () => 'kubeconfig',
          async applySecurityAuthentication(context: k8s.RequestContext) {
            await kubeConfig.applySecurityAuthentication(context);
            const signal = currentSignal.getStore();
            if (signal) context.setSignal(signal);
          },
        },
      },
    });
    const typed = new Map<unknown, unknown>();
    function api<T>(ApiType: new (configuration: k8s.Configuration) => T): T {
      if (!typed.has(ApiType)) typed.set(ApiType, new ApiType(configuration));
      return typed.get(ApiType) as T;
    }
    // Every call names its namespace, so the default one is never used.
    clients = { objects: new k8s.KubernetesObjectApi(configuration), api };
    this.clients.set(cluster.name, clients);
    return clients;
  }
}
