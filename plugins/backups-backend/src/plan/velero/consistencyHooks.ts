import { DatabaseEngine } from '@backups-for-backstage/plugin-backups-common';

/** A Velero 1.18 exec hook (`spec.template.hooks.resources[].pre|post[].exec`). */
export interface VeleroExecHook {
  exec: {
    /** Left out: Velero then uses the pod's first container. */
    container?: string;
    command: string[];
    onError: 'Continue' | 'Fail';
    /** A Go duration. */
    timeout: string;
  };
}

/** The hooks that make one engine's on-disk state consistent around a backup. */
export interface ConsistencyHooks {
  pre: VeleroExecHook[];
  post: VeleroExecHook[];
}

/**
 * How long a MySQL read lock or a MongoDB fsync lock may be held at most, even
 * when Velero never runs the post hook (backup failed, Velero restarted). The
 * backup of one pod's volumes must finish inside it.
 */
export const MAX_LOCK_SECONDS = 300;

// All hook scripts are constants. They read only the database container's own
// environment (the variables the official images define), never anything
// from the catalog entity, so no annotation value can reach shell text.
//
// The hooks run in every pod the workload selector matches, which is usually
// the application's pods as well as the database's. A container without the
// engine's client has nothing to make consistent, so the script says so and
// succeeds; in a container with the client a failure fails the backup
// (onError: Fail) rather than taking an inconsistent copy.

const MYSQL_CLIENT = [
  'client=$(command -v mysql || command -v mariadb || true)',
  'if [ -z "$client" ]; then',
  '  echo "backups: no mysql client in this container, nothing to lock"',
  '  exit 0',
  'fi',
  // FLUSH TABLES WITH READ LOCK needs RELOAD: use root, as the images set it up.
  'export MYSQL_PWD="${MYSQL_ROOT_PASSWORD:-${MARIADB_ROOT_PASSWORD:-}}"',
  'marker=backstage-backups-consistency-lock',
  "find_lock=\"SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT ''$marker''%'\"",
];

/**
 * MySQL/MariaDB. `FLUSH TABLES WITH READ LOCK` only lasts as long as the
 * session that took it: the naive `mysql -e 'FLUSH TABLES WITH READ LOCK'`
 * of many guides (and of our seeds) unlocks again the moment the client
 * exits, i.e. before Velero takes anything. So the pre hook starts a
 * background session that takes the lock and then sleeps inside the server
 * (`SELECT '<marker>', SLEEP(n)`), waits until that statement shows in the
 * process list (so the lock is really held) and returns; the post hook kills
 * that connection, which releases the lock. The server-side SLEEP bounds the
 * lock to MAX_LOCK_SECONDS if the post hook never comes.
 */
const MYSQL_PRE = [
  'set -eu',
  ...MYSQL_CLIENT,
  'log=/tmp/backstage-backups-lock.log',
  `nohup "$client" --user=root --batch --skip-column-names --execute="FLUSH TABLES WITH READ LOCK; SELECT '$marker', SLEEP(${MAX_LOCK_SECONDS})" </dev/null >"$log" 2>&1 &`,
  'pid=$!',
  'i=0',
  'while [ "$i" -lt 60 ]; do',
  '  id=$("$client" --user=root --batch --skip-column-names --execute="$find_lock" 2>/dev/null || true)',
  '  if [ -n "$id" ]; then',
  `    echo "backups: tables read-locked by connection $id for at most ${MAX_LOCK_SECONDS}s"`,
  '    exit 0',
  '  fi',
  '  if ! kill -0 "$pid" 2>/dev/null; then',
  '    cat "$log" >&2',
  '    echo "backups: the lock session ended before the lock was held" >&2',
  '    exit 1',
  '  fi',
  '  sleep 1',
  '  i=$((i + 1))',
  'done',
  'kill "$pid" 2>/dev/null || true',
  'echo "backups: FLUSH TABLES WITH READ LOCK did not complete within 60s" >&2',
  'exit 1',
].join('\n');

const MYSQL_POST = [
  'set -eu',
  ...MYSQL_CLIENT,
  'for id in $("$client" --user=root --batch --skip-column-names --execute="$find_lock"); do',
  '  case "$id" in',
  '    *[!0-9]*) continue ;;',
  '  esac',
  '  "$client" --user=root --execute="KILL $id" || true',
  '  echo "backups: released the read lock of connection $id"',
  'done',
].join('\n');

/**
 * PostgreSQL needs no lock: its data directory is crash-consistent thanks to
 * the WAL. A CHECKPOINT right before the snapshot flushes dirty buffers so
 * that a restore has little WAL to replay. Nothing to undo afterwards, so
 * there is no post hook.
 */
const POSTGRES_PRE = [
  'set -eu',
  'if ! command -v psql >/dev/null 2>&1; then',
  '  echo "backups: no psql in this container, nothing to checkpoint"',
  '  exit 0',
  'fi',
  'if [ -n "${POSTGRES_PASSWORD:-}" ]; then export PGPASSWORD="$POSTGRES_PASSWORD"; fi',
  'exec psql --no-password --username="${POSTGRES_USER:-postgres}" --dbname=postgres --command=CHECKPOINT',
].join('\n');

const MONGO_CLIENT = [
  'if ! command -v mongosh >/dev/null 2>&1; then',
  '  echo "backups: no mongosh in this container, nothing to lock"',
  '  exit 0',
  'fi',
  'set -- mongosh --quiet',
  // mongosh takes no password from the environment; the root credentials of
  // the official image are passed as arguments, as its own entrypoint does.
  'if [ -n "${MONGO_INITDB_ROOT_USERNAME:-}" ]; then',
  '  set -- "$@" --username "$MONGO_INITDB_ROOT_USERNAME" --password "${MONGO_INITDB_ROOT_PASSWORD:-}" --authenticationDatabase admin',
  'fi',
];

/**
 * MongoDB. `db.fsyncLock()` is server-wide and outlives the shell session
 * (unlike MySQL's read lock), so a plain pre/post pair is correct. It also
 * stays until someone unlocks it, so the pre hook leaves a watchdog that
 * unlocks after MAX_LOCK_SECONDS if the post hook has not.
 */
const MONGO_PRE = [
  'set -eu',
  ...MONGO_CLIENT,
  '"$@" --eval "db.fsyncLock()"',
  `nohup sh -c 'sleep ${MAX_LOCK_SECONDS}; "$@" --eval "if (db.currentOp().fsyncLock) db.fsyncUnlock()"' backups-watchdog "$@" </dev/null >/dev/null 2>&1 &`,
  'echo "backups: fsync lock taken"',
].join('\n');

const MONGO_POST = [
  'set -eu',
  ...MONGO_CLIENT,
  '"$@" --eval "if (db.currentOp().fsyncLock) db.fsyncUnlock()"',
  'echo "backups: fsync lock released"',
].join('\n');

function hook(
  script: string,
  onError: 'Continue' | 'Fail',
  timeout: string,
): VeleroExecHook {
  return { exec: { command: ['/bin/sh', '-c', script], onError, timeout } };
}

/** The constant pre/post hooks for an engine. */
export function consistencyHooks(engine: DatabaseEngine): ConsistencyHooks {
  switch (engine) {
    case 'mysql':
      return {
        pre: [hook(MYSQL_PRE, 'Fail', '90s')],
        post: [hook(MYSQL_POST, 'Continue', '30s')],
      };
    case 'postgres':
      return { pre: [hook(POSTGRES_PRE, 'Fail', '120s')], post: [] };
    case 'mongodb':
      return {
        pre: [hook(MONGO_PRE, 'Fail', '60s')],
        post: [hook(MONGO_POST, 'Continue', '30s')],
      };
    default: {
      const unknown: never = engine;
      throw new Error(`No consistency hooks for database engine ${unknown}`);
    }
  }
}
