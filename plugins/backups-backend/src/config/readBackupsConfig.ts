import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import { Duration } from 'luxon';
import {
  BackupPolicy,
  DatabaseEngine,
  IntentContext,
  parseDnsLabel,
  parseObjectName,
  resolvePolicy,
} from '@backups-for-backstage/plugin-backups-common';

/**
 * Where database dumps are written.
 *
 * @public
 */
export type DumpStorage =
  | { type: 'pvc'; claimName: string }
  | {
      type: 's3';
      bucket: string;
      prefix?: string;
      endpoint?: string;
      /** A Secret in the workload namespace with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. */
      credentialsSecret: string;
    };

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
    /** The aws CLI image that ships dumps to S3-compatible storage. */
    s3ClientImage: string;
    storage: DumpStorage;
  };
  volumeSnapshots: {
    /** The image of the snapshot CronJob (clusters without SnapScheduler). */
    image: string;
  };
  reconcile: ReconcileConfig;
  status: StatusConfig;
  restores: RestoresConfig;
  drills: DrillsConfig;
  notifications: NotificationsConfig;
}

/**
 * Whether owners are notified (Backstage notifications) of failed drills and
 * restores and of layers that turn failing.
 *
 * @public
 */
export interface NotificationsConfig {
  enabled: boolean;
}

/**
 * How disaster-recovery drills run.
 *
 * @public
 */
export interface DrillsConfig {
  /** Drills that run at once across every replica. */
  maxConcurrent: number;
  /** A drill still running by then fails, and is cleaned up. */
  timeoutMs: number;
  /** Prefix of the scratch namespaces `<prefix><entity>-<id>`. */
  namespacePrefix: string;
  /** How often the scheduler looks for scheduled drills that are due. */
  scheduleCheckMs: number;
}

/** Drill settings used when `backups.drills` leaves them out. */
export const DRILLS_DEFAULTS: DrillsConfig = {
  maxConcurrent: 2,
  timeoutMs: 3_600_000,
  namespacePrefix: 'drill-',
  scheduleCheckMs: 60_000,
};

/**
 * How restores are followed.
 *
 * @public
 */
export interface RestoresConfig {
  /** A PVC restored from a snapshot that has not bound by then fails the restore. */
  bindTimeoutMs: number;
}

/** Restore settings used when `backups.restores` leaves them out. */
export const RESTORES_DEFAULTS: RestoresConfig = { bindTimeoutMs: 600_000 };

/**
 * How backups are judged.
 *
 * @public
 */
export interface StatusConfig {
  /** A layer whose last N runs failed is `failing`. */
  failingAfter: number;
}

/** Status settings used when `backups.status` leaves them out. */
export const STATUS_DEFAULTS: StatusConfig = { failingAfter: 3 };

/**
 * How the reconciler runs.
 *
 * @public
 */
export interface ReconcileConfig {
  /** How often every entity is reconciled: a duration or `{ cron }`. */
  frequency: HumanDuration | { cron: string };
  /** Only compute and report; write nothing to any cluster. */
  dryRun: boolean;
  /** How long one request to a cluster may take before it counts as failed. */
  requestTimeoutMs: number;
  /** How many entities are reconciled at once. */
  concurrency: number;
}

/** Dump tool images used when `backups.databaseDumps.images` leaves one out. */
export const DEFAULT_DUMP_IMAGES: Record<DatabaseEngine, string> = {
  postgres: 'postgres:16',
  mysql: 'mysql:8.0',
  mongodb: 'mongo:7',
};

/** The aws CLI image used when `backups.databaseDumps.s3ClientImage` is not set. */
export const DEFAULT_S3_CLIENT_IMAGE = 'docker.io/amazon/aws-cli:2.17.0';

/**
 * The snapshot CronJob's image when `backups.volumeSnapshots.image` is not
 * set: it needs sh, kubectl and GNU date/coreutils. Pin or mirror your own.
 */
export const DEFAULT_SNAPSHOT_JOB_IMAGE = 'docker.io/bitnami/kubectl:latest';

/** Reconcile settings used when `backups.reconcile` leaves them out. */
export const RECONCILE_DEFAULTS: ReconcileConfig = {
  frequency: { minutes: 5 },
  dryRun: false,
  requestTimeoutMs: 30_000,
  concurrency: 4,
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
  const volumeSnapshots = {
    image:
      config.getOptionalString('backups.volumeSnapshots.image') ??
      DEFAULT_SNAPSHOT_JOB_IMAGE,
  };
  const reconcile = readReconcile(config, problems);
  const failingAfter = readCount(
    config,
    'backups.status.failingAfter',
    STATUS_DEFAULTS.failingAfter,
    problems,
  );

  const restores = {
    bindTimeoutMs: readPositiveDuration(
      config,
      'backups.restores.bindTimeout',
      RESTORES_DEFAULTS.bindTimeoutMs,
      problems,
    ),
  };

  const drills = readDrills(config, problems);

  if (problems.length > 0) {
    throw new Error(
      `Invalid backups configuration:\n- ${problems.join('\n- ')}`,
    );
  }
  return {
    defaultCluster,
    clusters,
    policies,
    databaseDumps,
    volumeSnapshots,
    reconcile,
    status: { failingAfter },
    restores,
    drills,
    notifications: {
      enabled:
        config.getOptionalBoolean('backups.notifications.enabled') ?? true,
    },
  };
}

function readDrills(config: Config, problems: string[]): DrillsConfig {
  const maxConcurrent = readCount(
    config,
    'backups.drills.maxConcurrent',
    DRILLS_DEFAULTS.maxConcurrent,
    problems,
  );
  const namespacePrefix =
    config.getOptionalString('backups.drills.namespacePrefix') ??
    DRILLS_DEFAULTS.namespacePrefix;
  if (!/^[a-z0-9][-a-z0-9]{0,29}$/.test(namespacePrefix)) {
    problems.push(
      `backups.drills.namespacePrefix: "${namespacePrefix}" is not allowed. Allowed: up to 30 lower-case letters, digits and "-", starting with a letter or digit (e.g. drill-).`,
    );
  }
  return {
    maxConcurrent,
    timeoutMs: readPositiveDuration(
      config,
      'backups.drills.timeout',
      DRILLS_DEFAULTS.timeoutMs,
      problems,
    ),
    namespacePrefix,
    scheduleCheckMs: readPositiveDuration(
      config,
      'backups.drills.scheduleCheck',
      DRILLS_DEFAULTS.scheduleCheckMs,
      problems,
    ),
  };
}

/** A whole-number setting of at least 1, or its default; a problem when it is not. */
function readCount(
  config: Config,
  key: string,
  defaultValue: number,
  problems: string[],
): number {
  const value = config.getOptionalNumber(key) ?? defaultValue;
  if (Number.isInteger(value) && value >= 1) return value;
  problems.push(
    `${key}: ${value} is not allowed. Allowed: a whole number of at least 1.`,
  );
  return defaultValue;
}

/** A duration setting in milliseconds, or its default; a problem when it is not a positive duration. */
function readPositiveDuration(
  config: Config,
  key: string,
  defaultMs: number,
  problems: string[],
): number {
  if (!config.has(key)) return defaultMs;
  try {
    const ms = Duration.fromObject(
      readDurationFromConfig(config, { key }),
    ).toMillis();
    if (ms > 0) return ms;
    problems.push(
      `${key}: must be longer than 0. Allowed: a duration such as { minutes: 10 }, "10m" or "PT10M".`,
    );
  } catch (error) {
    problems.push(
      `${key}: ${
        (error as Error).message
      }. Allowed: a duration such as { minutes: 10 }, "10m" or "PT10M".`,
    );
  }
  return defaultMs;
}

function readReconcile(config: Config, problems: string[]): ReconcileConfig {
  const reconcile = config.getOptionalConfig('backups.reconcile');
  if (!reconcile) return RECONCILE_DEFAULTS;
  const result = { ...RECONCILE_DEFAULTS };
  try {
    const frequency = reconcile.getOptional('frequency');
    if (frequency !== undefined) {
      result.frequency =
        typeof frequency === 'object' && frequency && 'cron' in frequency
          ? { cron: reconcile.getString('frequency.cron') }
          : readDurationFromConfig(reconcile, { key: 'frequency' });
    }
    if (reconcile.has('requestTimeout')) {
      const timeout = Duration.fromObject(
        readDurationFromConfig(reconcile, { key: 'requestTimeout' }),
      ).toMillis();
      if (!(timeout > 0)) throw new Error('requestTimeout must be positive');
      result.requestTimeoutMs = timeout;
    }
  } catch (error) {
    problems.push(
      `backups.reconcile: ${
        (error as Error).message
      }. Allowed: a duration such as { minutes: 5 }, "5m" or "PT5M" (frequency may also be { cron: "*/5 * * * *" }).`,
    );
  }
  result.dryRun = reconcile.getOptionalBoolean('dryRun') ?? result.dryRun;
  result.concurrency = readCount(
    config,
    'backups.reconcile.concurrency',
    result.concurrency,
    problems,
  );
  return result;
}

function readDatabaseDumps(
  config: Config,
  problems: string[],
): BackupsConfig['databaseDumps'] {
  const images = { ...DEFAULT_DUMP_IMAGES };
  const s3ClientImage =
    config.getOptionalString('backups.databaseDumps.s3ClientImage') ??
    DEFAULT_S3_CLIENT_IMAGE;
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
      s3ClientImage,
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
  return { images, s3ClientImage, storage: { type: 'pvc', claimName: pvc } };
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
