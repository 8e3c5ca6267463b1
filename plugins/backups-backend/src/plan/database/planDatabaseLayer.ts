import { managedMetadata, NAME_LIMITS, objectName } from '../naming';
import { explicitContainerFields } from '../containers';
import {
  CRON_JOB_POLICY,
  RESTRICTED_CONTAINER_SECURITY_CONTEXT,
  RESTRICTED_POD_SECURITY_CONTEXT,
  STARTING_DEADLINE_SECONDS,
} from '../jobs';
import { LayerPlan, PlanContext, PlannedObject } from '../types';
import {
  DUMP_MOUNT_PATH,
  dumpEnvironment,
  EnvVar,
  restoreEnvironment,
  s3Environment,
} from './environment';
import {
  DUMP_SCRIPTS,
  RESTORE_SCRIPTS,
  S3_DOWNLOAD_SCRIPT,
  S3_UPLOAD_SCRIPT,
} from './scripts';

/** How long one dump (or restore) may run before Kubernetes stops it. */
export const DUMP_ACTIVE_DEADLINE_SECONDS = 3600;
/** A run missed by more than this (controller down) is skipped, not run late. */
export const DUMP_STARTING_DEADLINE_SECONDS = STARTING_DEADLINE_SECONDS;

/*
 * The official postgres, mysql, mariadb and mongo images start as root only so
 * that their entrypoints can initialise a data directory and drop to the
 * database user. Our containers replace the entrypoint and only run client
 * tools, so they run as that unprivileged user directly: uid/gid 999 is
 * `postgres`, `mysql` and `mongodb` in those images. fsGroup 999 makes the
 * dump PVC writable for it (for volume types that honour fsGroup; others need
 * the PVC prepared for gid 999). Custom images with another user must keep
 * uid 999 writable paths or be adapted.
 */
const RUN_AS = 999;

const podSecurityContext = {
  ...RESTRICTED_POD_SECURITY_CONTEXT,
  runAsUser: RUN_AS,
  runAsGroup: RUN_AS,
  fsGroup: RUN_AS,
  fsGroupChangePolicy: 'OnRootMismatch',
};

const resources = {
  requests: { cpu: '100m', memory: '256Mi' },
  limits: { cpu: '1', memory: '1Gi' },
};

const DUMPS_VOLUME = 'dumps';
const TMP_VOLUME = 'tmp';

function container(options: {
  name: string;
  image: string;
  script: string;
  env: EnvVar[];
}): Record<string, unknown> {
  return {
    name: options.name,
    image: options.image,
    ...explicitContainerFields(options.image),
    command: ['/bin/sh', '-c', options.script],
    env: options.env,
    resources,
    securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
    volumeMounts: [
      { name: DUMPS_VOLUME, mountPath: DUMP_MOUNT_PATH },
      { name: TMP_VOLUME, mountPath: '/tmp' },
    ],
  };
}

/**
 * The pod spec for a dump (mode `dump`) or restore (mode `restore`): with PVC
 * storage one container on the PVC; with s3 storage the database container
 * works on a scratch emptyDir and an aws-cli container uploads after it
 * (dump: database as init container, uploader as main container) or downloads
 * before it (restore: downloader as init container).
 */
function podSpec(ctx: PlanContext, mode: 'dump' | 'restore') {
  const database = ctx.intent.database!;
  const { storage } = ctx.databaseDumps;
  const databaseContainer = container({
    name: mode,
    image: ctx.databaseDumps.images[database.engine],
    script:
      mode === 'dump'
        ? DUMP_SCRIPTS[database.engine]
        : RESTORE_SCRIPTS[database.engine],
    env: mode === 'dump' ? dumpEnvironment(ctx) : restoreEnvironment(ctx),
  });
  const volumes: Record<string, unknown>[] = [
    storage.type === 'pvc'
      ? {
          name: DUMPS_VOLUME,
          persistentVolumeClaim: { claimName: storage.claimName },
        }
      : { name: DUMPS_VOLUME, emptyDir: {} },
    { name: TMP_VOLUME, emptyDir: { sizeLimit: '1Gi' } },
  ];
  const spec: Record<string, unknown> = {
    restartPolicy: 'Never',
    automountServiceAccountToken: false,
    securityContext: podSecurityContext,
    volumes,
  };
  if (storage.type === 'pvc') {
    spec.containers = [databaseContainer];
    return spec;
  }
  const s3Container = container({
    name: mode === 'dump' ? 'upload' : 'download',
    image: ctx.databaseDumps.s3ClientImage,
    script: mode === 'dump' ? S3_UPLOAD_SCRIPT : S3_DOWNLOAD_SCRIPT,
    env: [
      ...s3Environment(ctx, storage, { retention: mode === 'dump' }),
      ...(mode === 'restore' ? [{ name: 'RESTORE_FILE', value: '' }] : []),
    ],
  });
  if (mode === 'dump') {
    spec.initContainers = [databaseContainer];
    spec.containers = [s3Container];
  } else {
    spec.initContainers = [s3Container];
    spec.containers = [databaseContainer];
  }
  return spec;
}

/**
 * The database layer: a CronJob that dumps the entity's database on its
 * schedule, and the restore Job template the restore feature runs (not
 * applied by reconcile). Pure.
 */
export function planDatabaseLayer(
  ctx: PlanContext,
): LayerPlan & { restoreJob: PlannedObject } {
  const database = ctx.intent.database;
  if (!database) {
    throw new Error(
      `The database layer of ${ctx.entityRef} has no database settings`,
    );
  }
  const namespace = ctx.intent.workload.namespace;

  const cronJobMetadata = managedMetadata(ctx, 'database', {
    name: objectName(ctx, 'db-dump', NAME_LIMITS.cronJob),
    namespace,
  });
  const templateMetadata = {
    labels: { ...cronJobMetadata.labels },
    annotations: { ...cronJobMetadata.annotations },
  };
  const cronJob: PlannedObject = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: cronJobMetadata,
    spec: {
      schedule: database.schedule,
      ...CRON_JOB_POLICY,
      suspend: false,
      jobTemplate: {
        metadata: templateMetadata,
        spec: {
          backoffLimit: 2,
          activeDeadlineSeconds: DUMP_ACTIVE_DEADLINE_SECONDS,
          template: {
            metadata: templateMetadata,
            spec: podSpec(ctx, 'dump'),
          },
        },
      },
    },
  };

  const restoreMetadata = managedMetadata(ctx, 'database', {
    name: objectName(ctx, 'db-restore', NAME_LIMITS.job - 6),
    namespace,
  });
  const restoreJob: PlannedObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: restoreMetadata,
    spec: {
      // A failed restore is looked at, not retried blindly.
      backoffLimit: 0,
      activeDeadlineSeconds: DUMP_ACTIVE_DEADLINE_SECONDS,
      ttlSecondsAfterFinished: 7 * 24 * 3600,
      template: {
        metadata: {
          labels: { ...restoreMetadata.labels },
          annotations: { ...restoreMetadata.annotations },
        },
        spec: podSpec(ctx, 'restore'),
      },
    },
  };

  return { layer: 'database', objects: [cronJob], restoreJob };
}
