import { DatabaseIntent } from '@backups-for-backstage/plugin-backups-common';
import { retentionEnvironment } from '../jobs';
import { DumpStorage, PlanContext } from '../types';

/** A container env var, as Kubernetes models them (value or secretKeyRef). */
export type EnvVar =
  | { name: string; value: string }
  | {
      name: string;
      valueFrom: { secretKeyRef: { name: string; key: string } };
    };

/** Where dumps are mounted in the containers (the PVC, or the scratch emptyDir for s3). */
export const DUMP_MOUNT_PATH = '/backups';

/** The keys the database credentials Secret must hold (SPEC.md). */
export const CREDENTIAL_KEYS = { username: 'username', password: 'password' };

/** The keys of the S3 credentials Secret (see DumpStorage). */
export const S3_CREDENTIAL_KEYS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
] as const;

function secretEnv(name: string, secret: string, key: string): EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

function segment(value: string): string {
  const cleaned = value
    .toLowerCase()
    .replace(/[^a-z0-9._-]/g, '-')
    .replace(/\.\.+/g, '.');
  return /^[a-z0-9]/.test(cleaned) ? cleaned : `x${cleaned}`;
}

/**
 * The entity's own directory under the dump storage,
 * `<namespace>/<kind>/<name>`, lower-cased and restricted to [a-z0-9._-] per
 * segment (the scripts reject anything else), so retention of one entity never
 * sees another entity's dumps.
 */
export function entityDirectory(ctx: PlanContext): string {
  const { namespace, kind, name } = ctx.entity;
  return [namespace, kind, name].map(segment).join('/');
}

function requireDatabase(ctx: PlanContext): DatabaseIntent {
  const database = ctx.intent.database;
  if (!database) {
    throw new Error(
      `The database layer of ${ctx.entityRef} has no database settings`,
    );
  }
  return database;
}

/**
 * The environment of the dump container: every per-entity value the dump
 * script needs, credentials only as secretKeyRef. With s3 storage the dump
 * writes to a scratch directory and retention runs in the uploader, but the
 * retention variables are still set (harmless on an empty directory).
 */
export function dumpEnvironment(ctx: PlanContext): EnvVar[] {
  const database = requireDatabase(ctx);
  return [
    { name: 'ENTITY_REF', value: ctx.entityRef },
    { name: 'ENTITY_DIR', value: entityDirectory(ctx) },
    { name: 'DUMP_DIR', value: DUMP_MOUNT_PATH },
    { name: 'DB_HOST', value: database.host },
    { name: 'DB_PORT', value: String(database.port) },
    { name: 'DB_NAMES', value: database.databases.join(',') },
    secretEnv('DB_USER', database.secretName, CREDENTIAL_KEYS.username),
    secretEnv('DB_PASSWORD', database.secretName, CREDENTIAL_KEYS.password),
    ...retentionEnvironment(database.retention),
    ...(database.engine === 'mongodb'
      ? [{ name: 'MONGO_AUTH_DB', value: 'admin' }]
      : []),
    { name: 'HOME', value: '/tmp' },
  ];
}

/**
 * The environment of the restore container: the dump environment without
 * retention, plus RESTORE_FILE (a `file` from a dump report), EXPECTED_SHA256
 * and the optional TARGET_DB_HOST / TARGET_DB_NAME; for a drill, DRILL=1 and
 * VERIFY_QUERY (`backups/drill-verify`). planRestoreJob fills them in for one
 * restore or drill; the template plans them empty.
 */
export function restoreEnvironment(ctx: PlanContext): EnvVar[] {
  return [
    ...dumpEnvironment(ctx).filter(env => !env.name.startsWith('RETENTION_')),
    { name: 'RESTORE_FILE', value: '' },
    { name: 'EXPECTED_SHA256', value: '' },
    { name: 'TARGET_DB_HOST', value: '' },
    { name: 'TARGET_DB_NAME', value: '' },
    { name: 'DRILL', value: '' },
    { name: 'VERIFY_QUERY', value: '' },
  ];
}

/** The environment of the S3 uploader (or downloader) container. */
export function s3Environment(
  ctx: PlanContext,
  storage: Extract<DumpStorage, { type: 's3' }>,
  options: { retention: boolean },
): EnvVar[] {
  const database = requireDatabase(ctx);
  return [
    { name: 'ENTITY_REF', value: ctx.entityRef },
    { name: 'ENTITY_DIR', value: entityDirectory(ctx) },
    { name: 'DUMP_DIR', value: DUMP_MOUNT_PATH },
    { name: 'S3_BUCKET', value: storage.bucket },
    { name: 'S3_PREFIX', value: storage.prefix ?? '' },
    { name: 'S3_ENDPOINT', value: storage.endpoint ?? '' },
    ...S3_CREDENTIAL_KEYS.map(key =>
      secretEnv(key, storage.credentialsSecret, key),
    ),
    ...(options.retention ? retentionEnvironment(database.retention) : []),
    { name: 'HOME', value: '/tmp' },
  ];
}
