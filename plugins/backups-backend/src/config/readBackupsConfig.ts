import { Config } from '@backstage/config';
import {
  BackupPolicy,
  IntentContext,
  parseDnsLabel,
  resolvePolicy,
} from '@backups-for-backstage/plugin-backups-common';

/**
 * How the plugin reaches one cluster.
 *
 * @public
 */
export interface ClusterConfig {
  name: string;
  url?: string;
  serviceAccountToken?: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
  kubeconfig?: { path: string; context?: string };
  inCluster: boolean;
  veleroNamespace: string;
  veleroStorageLocation?: string;
}

/**
 * The `backups` section of app-config, validated.
 *
 * @public
 */
export interface BackupsConfig {
  defaultCluster?: string;
  clusters: ClusterConfig[];
  policies: Record<string, BackupPolicy>;
}

/**
 * Reads and validates `backups.*`, throwing one error that lists every problem,
 * so that a misconfigured backend fails at start-up rather than per request.
 *
 * @public
 */
export function readBackupsConfig(config: Config): BackupsConfig {
  const problems: string[] = [];
  const clusters = (
    config.getOptionalConfigArray('backups.clusters') ?? []
  ).map((cluster, index) =>
    readCluster(cluster, `backups.clusters[${index}]`, problems),
  );
  const names = clusters.map(cluster => cluster.name);
  names
    .filter((name, index) => names.indexOf(name) !== index)
    .forEach(name =>
      problems.push(`backups.clusters: the name "${name}" is used twice.`),
    );

  const defaultCluster = config.getOptionalString('backups.defaultCluster');
  if (defaultCluster !== undefined && !names.includes(defaultCluster)) {
    problems.push(
      `backups.defaultCluster: "${defaultCluster}" is not one of backups.clusters (${
        names.join(', ') || 'none configured'
      }).`,
    );
  }

  const policiesConfig = config.getOptionalConfig('backups.policies');
  const policies: Record<string, BackupPolicy> = {};
  for (const name of policiesConfig?.keys() ?? []) {
    const policy = policiesConfig!.get<BackupPolicy>(name);
    problems.push(...resolvePolicy(name, policy).problems);
    policies[name] = policy;
  }

  if (problems.length > 0) {
    throw new Error(
      `Invalid backups configuration:\n- ${problems.join('\n- ')}`,
    );
  }
  return { defaultCluster, clusters, policies };
}

function readCluster(
  config: Config,
  path: string,
  problems: string[],
): ClusterConfig {
  const name = config.getString('name');
  const url = config.getOptionalString('url');
  const kubeconfigPath = config.getOptionalString('kubeconfig.path');
  const inCluster = config.getOptionalBoolean('inCluster') ?? false;
  const connections = [url, kubeconfigPath, inCluster || undefined].filter(
    Boolean,
  );
  if (connections.length !== 1) {
    problems.push(
      `${path} (${name}): set exactly one of url (with serviceAccountToken), kubeconfig.path or inCluster: true.`,
    );
  }
  const veleroNamespace =
    config.getOptionalString('veleroNamespace') ?? 'velero';
  if (!parseDnsLabel(veleroNamespace).ok) {
    problems.push(
      `${path}.veleroNamespace: "${veleroNamespace}" is not a namespace name.`,
    );
  }
  return {
    name,
    url,
    serviceAccountToken: config.getOptionalString('serviceAccountToken'),
    caData: config.getOptionalString('caData'),
    caFile: config.getOptionalString('caFile'),
    skipTLSVerify: config.getOptionalBoolean('skipTLSVerify') ?? false,
    kubeconfig: kubeconfigPath
      ? {
          path: kubeconfigPath,
          context: config.getOptionalString('kubeconfig.context'),
        }
      : undefined,
    inCluster,
    veleroNamespace,
    veleroStorageLocation: config.getOptionalString('veleroStorageLocation'),
  };
}

/**
 * What the intent parser needs of the configuration.
 *
 * @public
 */
export function toIntentContext(config: BackupsConfig): IntentContext {
  return {
    policies: config.policies,
    clusterNames: config.clusters.map(cluster => cluster.name),
    defaultCluster: config.defaultCluster,
  };
}
