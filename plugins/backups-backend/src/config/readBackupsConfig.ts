import { Config } from '@backstage/config';
import {
  BackupPolicy,
  DatabaseEngine,
  IntentContext,
  parseDnsLabel,
  parseObjectName,
  resolvePolicy,
} from '@backups-for-backstage/plugin-backups-common';
import { DumpStorage } from '../plan/types';

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
  databaseDumps: {
    images: Record<DatabaseEngine, string>;
    storage: DumpStorage;
  };
}

/** Dump tool images used when `backups.databaseDumps.images` leaves one out. */
export const DEFAULT_DUMP_IMAGES: Record<DatabaseEngine, string> = {
  postgres: 'postgres:16',
  mysql: 'mysql:8.0',
  mongodb: 'mongo:7',
};

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
  const databaseDumps = readDatabaseDumps(config, problems);

  if (problems.length > 0) {
    throw new Error(
      `Invalid backups configuration:\n- ${problems.join('\n- ')}`,
    );
  }
  return { defaultCluster, clusters, policies, databaseDumps };
}

function readDatabaseDumps(
  config: Config,
  problems: string[],
): BackupsConfig['databaseDumps'] {
  const images = { ...DEFAULT_DUMP_IMAGES };
  for (const engine of Object.keys(images) as DatabaseEngine[]) {
    images[engine] =
      config.getOptionalString(`backups.databaseDumps.images.${engine}`) ??
      images[engine];
  }
  const storage = config.getOptionalConfig('backups.databaseDumps.storage');
  const s3 = storage?.getOptionalConfig('s3');
  const claimName = storage?.getOptionalString('pvc.claimName');
  if (s3 && claimName) {
    problems.push(
      'backups.databaseDumps.storage: set either pvc or s3, not both.',
    );
  }
  if (s3) {
    return {
      images,
      storage: {
        type: 's3',
        bucket: s3.getString('bucket'),
        prefix: s3.getOptionalString('prefix'),
        endpoint: s3.getOptionalString('endpoint'),
        credentialsSecret: s3.getString('credentialsSecret'),
      },
    };
  }
  const pvc = claimName ?? 'backup-dumps';
  if (!parseObjectName(pvc).ok) {
    problems.push(
      `backups.databaseDumps.storage.pvc.claimName: "${pvc}" is not a PVC name.`,
    );
  }
  return { images, storage: { type: 'pvc', claimName: pvc } };
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
