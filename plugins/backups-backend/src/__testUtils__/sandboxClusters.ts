import {
  Sandbox,
  SandboxOptions,
  startSandbox,
} from '@backups-for-backstage/kube-sandbox';
import * as k8s from '@kubernetes/client-node';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

const REPO = path.resolve(__dirname, '../../../..');
const FIXTURE = path.join(REPO, 'examples/sandbox/cluster.yaml');
const WRITE_VERBS = ['create', 'update', 'patch', 'delete'] as const;

/** Sandbox API servers seeded with the example cluster, by cluster name. */
export interface SandboxClusters {
  sandboxes: Record<string, Sandbox>;
  /** An admin client per cluster, for assertions. */
  clients: Record<string, k8s.KubernetesObjectApi>;
  /** Write requests each server has answered so far. */
  writes(): Record<string, number>;
  stop(): Promise<void>;
}

export async function startSandboxClusters(
  names: string[],
  options: Pick<
    SandboxOptions,
    'withoutCrds' | 'controllers' | 'startTime' | 'watchHistorySize'
  > = {},
): Promise<SandboxClusters> {
  const sandboxes: Record<string, Sandbox> = {};
  const clients: Record<string, k8s.KubernetesObjectApi> = {};
  for (const name of names) {
    sandboxes[name] = await startSandbox({ fixtures: [FIXTURE], ...options });
    const kubeConfig = new k8s.KubeConfig();
    kubeConfig.loadFromFile(sandboxes[name].kubeconfigPath);
    clients[name] = k8s.KubernetesObjectApi.makeApiClient(kubeConfig);
  }
  return {
    sandboxes,
    clients,
    writes: () =>
      Object.fromEntries(
        Object.entries(sandboxes).map(([name, sandbox]) => [
          name,
          sandbox.server.countRequests([...WRITE_VERBS]),
        ]),
      ),
    stop: async () => {
      await Promise.all(
        Object.values(sandboxes).map(sandbox => sandbox.stop()),
      );
    },
  };
}

/**
 * The example app-config's `backups` section (its policies) with the
 * sandboxes as clusters, the first one the default: app-config data.
 */
export function sandboxBackupsConfigData(
  sandboxes: Record<string, Sandbox>,
  overrides: Record<string, unknown> = {},
) {
  const appConfig = YAML.parse(
    fs.readFileSync(path.join(REPO, 'app-config.yaml'), 'utf8'),
  );
  return {
    backups: {
      ...appConfig.backups,
      defaultCluster: Object.keys(sandboxes)[0],
      clusters: Object.entries(sandboxes).map(([name, sandbox]) => ({
        name,
        url: sandbox.url,
        serviceAccountToken: sandbox.tokens.admin,
        skipTLSVerify: true,
        veleroNamespace: 'velero',
      })),
      ...overrides,
    },
  };
}

/** Lists `kind/name` of an entity's managed objects of the planned kinds. */
export async function managedObjectNames(
  client: k8s.KubernetesObjectApi,
  entityName: string,
): Promise<string[]> {
  const found: string[] = [];
  for (const [apiVersion, kind] of [
    ['velero.io/v1', 'Schedule'],
    ['batch/v1', 'CronJob'],
    ['v1', 'ServiceAccount'],
    ['rbac.authorization.k8s.io/v1', 'Role'],
    ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
    ['snapscheduler.backube/v1', 'SnapshotSchedule'],
  ]) {
    const list = await client.list(
      apiVersion,
      kind,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      `app.kubernetes.io/managed-by=backstage-backups,backups/entity-name=${entityName}`,
    );
    found.push(...list.items.map(item => `${kind}/${item.metadata!.name}`));
  }
  return found.sort();
}

/** The example orders component with all three layers in clusters `a` and `b`. */
export const ORDERS_ANNOTATIONS: Record<string, string> = {
  'backstage.io/kubernetes-id': 'orders',
  'backstage.io/kubernetes-namespace': 'shop',
  'backups/policy': 'gold',
  'backups/cluster': 'a,b',
  'backups/database': 'postgres',
  'backups/database-host': 'orders-db:5432',
  'backups/database-name': 'orders',
  'backups/database-secret': 'orders-db-credentials',
  // A selector, so that clusters serving SnapScheduler get a SnapshotSchedule.
  'backups/volume-snapshot-pvcs': 'selector:backstage.io/kubernetes-id=orders',
  'backups/volume-snapshot-class': 'csi-hostpath-snapclass',
};

/** The example payments component: its Velero layer in cluster `a` only. */
export const PAYMENTS_ANNOTATIONS: Record<string, string> = {
  'backstage.io/kubernetes-id': 'payments',
  'backstage.io/kubernetes-namespace': 'shop',
  'backups/policy': 'silver',
  'backups/cluster': 'a',
  'backups/layers': 'velero',
};
