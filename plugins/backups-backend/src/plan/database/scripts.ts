/*
 * The shell scripts the database layer's containers run.
 *
 * Every script here is a CONSTANT: it never contains an annotation or config
 * value. Everything that varies per entity reaches the container as an
 * environment variable (see ./environment.ts), and the scripts only ever expand
 * those variables inside double quotes, so a hostile host or database name is
 * data, never shell text. realDatabases.test.ts runs these exact strings, with
 * the planned environment, against real PostgreSQL and MariaDB servers.
 *
 * The scripts are POSIX sh (dash, busybox, bash all work) and need, besides
 * the engine's client tools: date, gzip, sha256sum, awk, sed, cut, wc, sort,
 * head, mkdir, mv, rm, ls, tr, sleep — all in the official postgres, mysql,
 * mariadb and mongo images.
 *
 * Environment of the dump scripts:
 *   DB_HOST, DB_PORT           server to dump
 *   DB_NAMES                   comma separated database names; empty = all
 *   DB_USER, DB_PASSWORD       from the credentials Secret (secretKeyRef)
 *   DUMP_DIR                   storage root (the PVC mount, or a scratch
 *                              emptyDir that an uploader ships to S3)
 *   ENTITY_DIR                 this entity's directory under DUMP_DIR
 *                              ([a-z0-9._/-], relative, no "..")
 *   ENTITY_REF                 for log lines only
 *   RETENTION_COUNT            keep this many dumps, or
 *   RETENTION_MAX_AGE_SECONDS  keep dumps younger than this (none = keep all)
 *   MONGO_AUTH_DB              (mongodb) authentication database, default admin
 *   TERMINATION_LOG            default /dev/termination-log
 *
 * A dump is `$DUMP_DIR/$ENTITY_DIR/dump-<UTC yyyymmddThhmmssZ>.<ext>` with
 * `<file>.sha256` (sha256sum -c format) and `<file>.json` (the report) next to
 * it. It is written under a hidden name and renamed when complete, so a killed
 * run never leaves a half dump that looks like a restore point. The report
 * `{"file","bytes","sha256","startedAt","finishedAt"}` (file relative to
 * DUMP_DIR) goes to the termination log and stdout.
 *
 * Restore scripts take the same environment plus RESTORE_FILE (a `file` value
 * from a dump report), optionally EXPECTED_SHA256 (the sha256 recorded when
 * the dump was made) and TARGET_DB_HOST / TARGET_DB_NAME to restore into
 * another server or a new database (restores to a new place, drills).
 *
 * A drill (DRILL=1) restores into the scratch database TARGET_DB_NAME, runs
 * VERIFY_QUERY there read-only (PostgreSQL: a READ ONLY transaction; MySQL:
 * SET SESSION TRANSACTION READ ONLY; MongoDB: a find with limit 1 on the
 * collection it names), fails unless it returns something, and drops the
 * scratch database whatever happened — also when the pod is told to stop.
 * Without VERIFY_QUERY it asks for at least one table (collection). Its
 * report adds `verifiedRows` and `scratchDropped`.
 */

/** Shared prologue: strict mode, helpers, input validation, name splitting. */
const PROLOGUE = `set -eu
umask 077
export HOME="\${HOME:-/tmp}"
TERMINATION_LOG="\${TERMINATION_LOG:-/dev/termination-log}"
WORK_DIR="\${TMPDIR:-/tmp}"

log() { printf '%s %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
# Messages are constant texts (never env values), so they are JSON-safe.
FAILED=
fail() {
  FAILED=1
  log "error: $1"
  printf '{"error":"%s"}\\n' "$1" > "$TERMINATION_LOG" 2>/dev/null || true
  exit 1
}
# Files to remove on exit (secrets written for a tool), and an error report
# when a command failed under set -e without fail().
CLEANUP=
DROP_DB=
on_exit() {
  _rc=$?
  if [ -n "$DROP_DB" ]; then
    engine_drop "$DROP_DB" || log "warning: could not drop the scratch database; drop it by hand"
  fi
  [ -z "$CLEANUP" ] || rm -f "$CLEANUP"
  # A dump that did not complete is removed (it never became a restore point).
  [ -z "\${PARTIAL:-}" ] || rm -f "$PARTIAL" "$PARTIAL.sql" "$PARTIAL.part"
  if [ "$_rc" -ne 0 ] && [ -z "$FAILED" ]; then
    printf '{"error":"a command failed with exit status %s; see the container log"}\\n' "$_rc" \\
      > "$TERMINATION_LOG" 2>/dev/null || true
  fi
}
trap on_exit EXIT
# A stopped pod (SIGTERM) still runs on_exit: partial dumps go, scratch databases are dropped.
trap 'exit 143' TERM
trap 'exit 130' INT
now_iso() { date -u +%Y-%m-%dT%H:%M:%SZ; }
have() { command -v "$1" >/dev/null 2>&1; }

: "\${DB_HOST:?DB_HOST is required}"
: "\${DB_PORT:?DB_PORT is required}"
: "\${DB_USER:?DB_USER is required}"
: "\${DB_PASSWORD:?DB_PASSWORD is required}"
: "\${DUMP_DIR:?DUMP_DIR is required}"
: "\${ENTITY_DIR:?ENTITY_DIR is required}"
DB_NAMES="\${DB_NAMES:-}"
ENTITY_REF="\${ENTITY_REF:-}"

case "$DB_PORT" in *[!0-9]*) fail "DB_PORT must be a number" ;; esac
case "$ENTITY_DIR" in
  /* | *..* | *[!a-z0-9._/-]*) fail "ENTITY_DIR must be a relative path of [a-z0-9._/-] without .." ;;
esac
have gzip || fail "gzip is not installed in this image"
have sha256sum || fail "sha256sum is not installed in this image"

# DB_NAMES -> positional parameters, split on commas only, no globbing.
set -f
_ifs=$IFS
IFS=,
# shellcheck disable=SC2086
set -- $DB_NAMES
IFS=$_ifs
set +f
DB_COUNT=$#
for _db in "$@"; do
  case "$_db" in
    '') fail "DB_NAMES has an empty database name" ;;
    -*) fail "a database name must not start with -" ;;
  esac
done
`;

/** Dump flow shared by all engines; the engine part defines choose_ext and engine_dump. */
const DUMP_MAIN = `
case "\${RETENTION_COUNT:-}" in *[!0-9]*) fail "RETENTION_COUNT must be a number" ;; esac
case "\${RETENTION_MAX_AGE_SECONDS:-}" in *[!0-9]*) fail "RETENTION_MAX_AGE_SECONDS must be a number" ;; esac

list_dumps() {
  ls -1 "$1" | awk '/^dump-[0-9]+T[0-9]+Z\\.[a-z0-9.]+$/ && !/\\.(sha256|json)$/' | sort
}

remove_dump() {
  log "retention: deleting $1"
  rm -f -- "$TARGET/$1" "$TARGET/$1.sha256" "$TARGET/$1.json"
}

# Deletes this entity's dumps beyond the retention; never the one just written,
# never anything but dump-* files in this entity's own directory.
apply_retention() {
  if [ -n "\${RETENTION_COUNT:-}" ]; then
    [ "$RETENTION_COUNT" -ge 1 ] || fail "RETENTION_COUNT must be at least 1"
    _total=$(list_dumps "$TARGET" | wc -l | tr -d ' ')
    _excess=$((_total - RETENTION_COUNT))
    if [ "$_excess" -gt 0 ]; then
      list_dumps "$TARGET" | head -n "$_excess" | while IFS= read -r _old; do
        [ "$_old" = "$NAME" ] || remove_dump "$_old"
      done
    fi
  elif [ -n "\${RETENTION_MAX_AGE_SECONDS:-}" ]; then
    _cutoff_epoch=$(($(date -u +%s) - RETENTION_MAX_AGE_SECONDS))
    _cutoff=$(date -u -d "@$_cutoff_epoch" +%Y%m%dT%H%M%SZ)
    list_dumps "$TARGET" | awk -v cutoff="$_cutoff" '{ s = substr($0, 6, 16); if (s < cutoff) print }' |
      while IFS= read -r _old; do
        [ "$_old" = "$NAME" ] || remove_dump "$_old"
      done
  fi
}

TARGET="$DUMP_DIR/$ENTITY_DIR"
mkdir -p "$TARGET"
# Leftovers of a run that was killed (concurrencyPolicy Forbid: none is running).
rm -f "$TARGET"/.dump-*

choose_ext "$@"
# Names have a resolution of one second: a run starting in the second of an
# existing dump waits for the next one, so it never overwrites that dump and
# the names still sort in time order.
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
while [ -e "$TARGET/dump-$STAMP.$EXT" ]; do
  sleep 1
  STAMP=$(date -u +%Y%m%dT%H%M%SZ)
done
STARTED_AT=$(now_iso)
NAME="dump-$STAMP.$EXT"
PARTIAL="$TARGET/.$NAME.partial"
log "dumping $ENTITY_REF ($DB_COUNT database(s), 0 = all) to $ENTITY_DIR/$NAME"
engine_dump "$PARTIAL" "$@"
[ -s "$PARTIAL" ] || fail "the dump is empty"

SUM=$(sha256sum "$PARTIAL" | cut -d ' ' -f 1)
[ "\${#SUM}" -eq 64 ] || fail "could not compute the sha256 of the dump"
BYTES=$(wc -c < "$PARTIAL" | tr -d ' ')
printf '%s  %s\\n' "$SUM" "$NAME" > "$TARGET/.$NAME.sha256.partial"
mv -f "$PARTIAL" "$TARGET/$NAME"
mv -f "$TARGET/.$NAME.sha256.partial" "$TARGET/$NAME.sha256"

apply_retention

FINISHED_AT=$(now_iso)
REPORT=$(printf '{"file":"%s","bytes":%s,"sha256":"%s","startedAt":"%s","finishedAt":"%s"}' \\
  "$ENTITY_DIR/$NAME" "$BYTES" "$SUM" "$STARTED_AT" "$FINISHED_AT")
printf '%s\\n' "$REPORT" > "$TARGET/.$NAME.json.partial"
mv -f "$TARGET/.$NAME.json.partial" "$TARGET/$NAME.json"
printf '%s\\n' "$REPORT" > "$TERMINATION_LOG" || log "warning: could not write $TERMINATION_LOG"
printf '%s\\n' "$REPORT"
`;

/** Restore flow shared by all engines; the engine part defines engine_restore. */
const RESTORE_MAIN = `
: "\${RESTORE_FILE:?RESTORE_FILE is required}"
TARGET_DB_HOST="\${TARGET_DB_HOST:-}"
TARGET_DB_NAME="\${TARGET_DB_NAME:-}"
DRILL="\${DRILL:-}"
VERIFY_QUERY="\${VERIFY_QUERY:-}"
if [ -n "$DRILL" ]; then
  [ -n "$TARGET_DB_NAME" ] || fail "a drill restores into a scratch database: TARGET_DB_NAME is required"
  check_verify_query
fi
case "$RESTORE_FILE" in
  /* | *..* | *[!A-Za-z0-9._/-]*) fail "RESTORE_FILE must be a dump file name as reported by the dump job" ;;
esac
case "$RESTORE_FILE" in
  "$ENTITY_DIR"/dump-*) ;;
  *) fail "RESTORE_FILE is not a dump of this entity" ;;
esac
FILE="$DUMP_DIR/$RESTORE_FILE"
[ -f "$FILE" ] || fail "the dump file does not exist"
[ -f "$FILE.sha256" ] || fail "the dump has no .sha256 file"
EXPECTED=$(cut -d ' ' -f 1 < "$FILE.sha256")
ACTUAL=$(sha256sum "$FILE" | cut -d ' ' -f 1)
[ "\${#EXPECTED}" -eq 64 ] && [ "$EXPECTED" = "$ACTUAL" ] || fail "sha256 mismatch: the dump is corrupt"
# The sha256 the plugin recorded when the dump was made, when it asks for it.
[ -z "\${EXPECTED_SHA256:-}" ] || [ "$EXPECTED_SHA256" = "$ACTUAL" ] || fail "sha256 mismatch: the dump is not the one recorded"
case "$FILE" in *.gz) gzip -t "$FILE" || fail "the dump is not a valid gzip file" ;; esac
BYTES=$(wc -c < "$FILE" | tr -d ' ')
RESTORE_HOST="\${TARGET_DB_HOST:-$DB_HOST}"
log "restoring $RESTORE_FILE for $ENTITY_REF"
# From here on a drill's scratch database is dropped, whatever happens.
[ -z "$DRILL" ] || DROP_DB="$TARGET_DB_NAME"
engine_restore "$@"
if [ -n "$DRILL" ]; then
  VERIFIED_ROWS=0
  engine_verify "$TARGET_DB_NAME"
  [ "$VERIFIED_ROWS" -gt 0 ] || fail "backups/drill-verify found nothing in the restored database"
  log "backups/drill-verify found $VERIFIED_ROWS row(s)"
  engine_drop "$TARGET_DB_NAME"
  DROP_DB=
  REPORT=$(printf '{"file":"%s","restoredAt":"%s","bytes":%s,"verifiedRows":%s,"scratchDropped":true}' "$RESTORE_FILE" "$(now_iso)" "$BYTES" "$VERIFIED_ROWS")
else
  REPORT=$(printf '{"file":"%s","restoredAt":"%s","bytes":%s}' "$RESTORE_FILE" "$(now_iso)" "$BYTES")
fi
printf '%s\\n' "$REPORT" > "$TERMINATION_LOG" || log "warning: could not write $TERMINATION_LOG"
printf '%s\\n' "$REPORT"
`;

/**
 * The checks every SQL engine makes on VERIFY_QUERY before it runs it (the
 * annotation parser made them already; the script does not rely on that):
 * one statement, starting with SELECT or WITH. Line breaks become spaces, so
 * nothing in it can start a line the client would read as its own command.
 */
const SQL_VERIFY_CHECK = `
check_verify_query() {
  VERIFY_QUERY=$(printf '%s' "$VERIFY_QUERY" | tr '\\n\\r\\t' '   ')
  case "$VERIFY_QUERY" in *';'*) fail "VERIFY_QUERY must be a single statement without ;" ;; esac
  case "$VERIFY_QUERY" in
    '' | [Ss][Ee][Ll][Ee][Cc][Tt][[:space:]]* | [Ww][Ii][Tt][Hh][[:space:]]*) ;;
    *) fail "VERIFY_QUERY must start with SELECT or WITH" ;;
  esac
}
`;

const POSTGRES_SETUP = `
have psql || fail "psql is not installed in this image"
export PGPORT="$DB_PORT" PGUSER="$DB_USER" PGPASSWORD="$DB_PASSWORD"
export PGCONNECT_TIMEOUT="\${PGCONNECT_TIMEOUT:-30}"
# A libpq connection string naming only a database: dbname='...' with ' and \\
# escaped, so a database name is never read as a conninfo or an option.
conninfo_db() {
  printf "dbname='%s'" "$(printf '%s' "$1" | sed "s/[\\\\\\\\']/\\\\\\\\&/g")"
}
`;

const POSTGRES_DUMP_PART = `${POSTGRES_SETUP}
export PGHOST="$DB_HOST"
# One database: custom format (compressed, selective pg_restore).
# Several: plain SQL with CREATE/DROP DATABASE, gzip members concatenated.
# All: pg_dumpall (roles and every database), gzipped.
choose_ext() {
  case $# in
    0) EXT=dumpall.sql.gz ;;
    1) EXT=pgdump ;;
    *) EXT=sql.gz ;;
  esac
}
engine_dump() {
  _out=$1
  shift
  if [ $# -eq 0 ]; then
    # Role passwords live in pg_authid, which only a superuser may read: any
    # other role (e.g. one granted pg_read_all_data) dumps the roles without.
    if [ "$(PGDATABASE=postgres psql -X -At -c 'SELECT rolsuper FROM pg_roles WHERE rolname = current_user')" = t ]; then
      set --
    else
      log "warning: not connected as a superuser: the dump has no role passwords"
      set -- --no-role-passwords
    fi
    pg_dumpall --clean --if-exists "$@" --file="$_out.sql"
    gzip -6 -c "$_out.sql" > "$_out"
    rm -f "$_out.sql"
  elif [ $# -eq 1 ]; then
    # PGDATABASE (not a positional dbname) is never expanded as a conninfo.
    PGDATABASE="$1" pg_dump --format=custom --compress=6 --file="$_out"
  else
    : > "$_out"
    for _db in "$@"; do
      PGDATABASE="$_db" pg_dump --format=plain --create --clean --if-exists --compress=6 --file="$_out.part"
      cat "$_out.part" >> "$_out"
      rm -f "$_out.part"
    done
  fi
}
`;

const POSTGRES_RESTORE_PART = `${POSTGRES_SETUP}${SQL_VERIFY_CHECK}
have pg_restore || fail "pg_restore is not installed in this image"
# -c runs the query as one command the server parses: never a psql command.
engine_verify() {
  _query="$VERIFY_QUERY"
  [ -n "$_query" ] || _query="SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') LIMIT 1"
  if ! PGDATABASE="$1" psql -X -q -At -v ON_ERROR_STOP=1 -c 'BEGIN READ ONLY' -c "$_query" -c 'ROLLBACK' \\
    > "$WORK_DIR/verify.out" 2> "$WORK_DIR/verify.err"; then
    cat "$WORK_DIR/verify.err" >&2
    fail "backups/drill-verify failed in a read-only transaction; see the container log"
  fi
  VERIFIED_ROWS=$(wc -l < "$WORK_DIR/verify.out" | tr -d ' ')
}
engine_drop() {
  printf '%s\\n' 'DROP DATABASE IF EXISTS :"target"' |
    PGHOST="$RESTORE_HOST" PGDATABASE=postgres psql -X -q -v ON_ERROR_STOP=1 -v target="$1"
}
# Creates a database when it does not exist (the name is a psql variable,
# quoted by psql, never SQL text).
ensure_db() {
  printf '%s\\n' "SELECT 1 FROM pg_database WHERE datname = :'target'" |
    PGDATABASE=postgres psql -X -At -v ON_ERROR_STOP=1 -v target="$1" > "$WORK_DIR/exists"
  if [ ! -s "$WORK_DIR/exists" ]; then
    log "creating the missing database"
    PGDATABASE=postgres createdb -- "$1"
  fi
}
engine_restore() {
  export PGHOST="$RESTORE_HOST"
  case "$FILE" in
    *.pgdump)
      if [ -n "$TARGET_DB_NAME" ]; then
        # A scratch database for a drill: restore without owners/ACLs (the
        # roles may not exist there).
        ensure_db "$TARGET_DB_NAME"
        pg_restore --clean --if-exists --no-owner --no-acl --exit-on-error --single-transaction \\
          --dbname="$(conninfo_db "$TARGET_DB_NAME")" "$FILE"
      else
        [ "$DB_COUNT" -eq 1 ] || fail "a single-database dump needs exactly one name in DB_NAMES"
        ensure_db "$1"
        pg_restore --clean --if-exists --exit-on-error --single-transaction \\
          --dbname="$(conninfo_db "$1")" "$FILE"
      fi
      ;;
    *.dumpall.sql.gz)
      [ -z "$TARGET_DB_NAME" ] || fail "TARGET_DB_NAME needs a single-database dump"
      # pg_dumpall output always meets expected errors on a live server (the
      # connected role and template databases exist), so it cannot stop on
      # the first error; every error is logged and counted.
      gzip -dc "$FILE" | PGDATABASE=postgres psql -X -q > /dev/null 2> "$WORK_DIR/restore.err" || true
      cat "$WORK_DIR/restore.err" >&2
      log "restore finished with $(grep -c 'ERROR:' "$WORK_DIR/restore.err" || true) error line(s)"
      ;;
    *.sql.gz)
      [ -z "$TARGET_DB_NAME" ] || fail "TARGET_DB_NAME needs a single-database dump"
      gzip -dc "$FILE" | PGDATABASE=postgres psql -X -q -v ON_ERROR_STOP=1 > /dev/null
      ;;
    *) fail "not a PostgreSQL dump" ;;
  esac
}
`;

const MYSQL_SETUP = `
# The password never appears in argv: MYSQL_PWD is read by the client.
export MYSQL_PWD="$DB_PASSWORD"
if have mysql; then MYSQL=mysql; elif have mariadb; then MYSQL=mariadb; else fail "the mysql client is not installed in this image"; fi
`;

const MYSQL_DUMP_PART = `${MYSQL_SETUP}
if have mysqldump; then MYSQLDUMP=mysqldump; elif have mariadb-dump; then MYSQLDUMP=mariadb-dump; else fail "mysqldump is not installed in this image"; fi
choose_ext() { EXT=sql.gz; }
engine_dump() {
  _out=$1
  shift
  if [ $# -eq 0 ]; then set -- --all-databases; else set -- --databases "$@"; fi
  # --no-tablespaces: MySQL >= 8.0.21 wants the PROCESS privilege to dump
  # tablespaces (only NDB has any worth dumping); a backup user rarely has it.
  "$MYSQLDUMP" --host="$DB_HOST" --port="$DB_PORT" --user="$DB_USER" --protocol=TCP \\
    --single-transaction --routines --triggers --hex-blob --no-tablespaces \\
    --result-file="$_out.sql" "$@"
  gzip -6 -c "$_out.sql" > "$_out"
  rm -f "$_out.sql"
}
`;

const MYSQL_RESTORE_PART = `${MYSQL_SETUP}${SQL_VERIFY_CHECK}
mysql_target() {
  "$MYSQL" --host="$RESTORE_HOST" --port="$DB_PORT" --user="$DB_USER" --protocol=TCP "$@"
}
engine_verify() {
  _query="$VERIFY_QUERY"
  [ -n "$_query" ] || _query="SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() LIMIT 1"
  # The mysql client reads a backslash as one of its own commands (\\! runs a shell).
  case "$_query" in *\\\\*) fail "VERIFY_QUERY must not hold a backslash for MySQL" ;; esac
  if ! printf '%s\\n' 'SET SESSION TRANSACTION READ ONLY;' "$_query;" |
    mysql_target --batch --skip-column-names --database="$1" \\
      > "$WORK_DIR/verify.out" 2> "$WORK_DIR/verify.err"; then
    cat "$WORK_DIR/verify.err" >&2
    fail "backups/drill-verify failed in a read-only session; see the container log"
  fi
  VERIFIED_ROWS=$(wc -l < "$WORK_DIR/verify.out" | tr -d ' ')
}
engine_drop() {
  printf 'DROP DATABASE IF EXISTS \`%s\`;\\n' "$(printf '%s' "$1" | sed 's/\`/\`\`/g')" | mysql_target
}
engine_restore() {
  case "$FILE" in *.sql.gz) ;; *) fail "not a MySQL dump" ;; esac
  if [ -n "$TARGET_DB_NAME" ]; then
    [ "$DB_COUNT" -eq 1 ] || fail "TARGET_DB_NAME needs a single-database dump"
    _quoted=$(printf '%s' "$TARGET_DB_NAME" | sed 's/\`/\`\`/g')
    printf 'CREATE DATABASE IF NOT EXISTS \`%s\`;\\n' "$_quoted" |
      "$MYSQL" --host="$RESTORE_HOST" --port="$DB_PORT" --user="$DB_USER" --protocol=TCP
    # Drop the dump's own CREATE DATABASE / USE so it lands in the target.
    gzip -dc "$FILE" | sed -e '/^CREATE DATABASE /d' -e '/^USE \`/d' |
      "$MYSQL" --host="$RESTORE_HOST" --port="$DB_PORT" --user="$DB_USER" --protocol=TCP \\
        --database="$TARGET_DB_NAME"
  else
    gzip -dc "$FILE" |
      "$MYSQL" --host="$RESTORE_HOST" --port="$DB_PORT" --user="$DB_USER" --protocol=TCP
  fi
}
`;

const MONGODB_SETUP = `
MONGO_AUTH_DB="\${MONGO_AUTH_DB:-admin}"
# A password argument to mongodump/mongorestore would be visible in ps: it goes
# into a 0600 YAML config file instead (--config, Database Tools >= 100.3),
# single-quoted with ' doubled. Not echoed anywhere.
MONGO_CONFIG="$WORK_DIR/mongo-tools.yaml"
CLEANUP="$MONGO_CONFIG"
printf "password: '%s'\\n" "$(printf '%s' "$DB_PASSWORD" | sed "s/'/''/g")" > "$MONGO_CONFIG"
[ "$DB_COUNT" -le 1 ] || fail "mongodump writes one database per archive: name one database, or none for all"
`;

const MONGODB_DUMP_PART = `${MONGODB_SETUP}
have mongodump || fail "mongodump is not installed in this image"
choose_ext() { EXT=archive.gz; }
engine_dump() {
  _out=$1
  shift
  if [ $# -eq 1 ]; then set -- --db="$1"; fi
  mongodump --host="$DB_HOST" --port="$DB_PORT" --username="$DB_USER" \\
    --authenticationDatabase="$MONGO_AUTH_DB" --config="$MONGO_CONFIG" \\
    --archive="$_out" --gzip "$@"
}
`;

const MONGODB_RESTORE_PART = `${MONGODB_SETUP}
have mongorestore || fail "mongorestore is not installed in this image"
check_verify_query() {
  case "$VERIFY_QUERY" in *[!A-Za-z0-9_.-]*) fail "VERIFY_QUERY must be a MongoDB collection name" ;; esac
}
# mongosh takes no password file: it connects from a constant script that
# reads the credentials from its environment, so none is in argv.
MONGOSH_CONNECT='const uri = "mongodb://" + encodeURIComponent(process.env.DB_USER) + ":" + encodeURIComponent(process.env.DB_PASSWORD) + "@" + process.env.RESTORE_HOST + ":" + process.env.DB_PORT + "/?authSource=" + encodeURIComponent(process.env.MONGO_AUTH_DB); const target = new Mongo(uri).getDB(process.env.TARGET_DB_NAME);'
mongosh_target() {
  have mongosh || fail "mongosh is not installed in this image"
  RESTORE_HOST="$RESTORE_HOST" MONGO_AUTH_DB="$MONGO_AUTH_DB" TARGET_DB_NAME="$1" \\
    mongosh --nodb --quiet --eval "$MONGOSH_CONNECT $2"
}
engine_verify() {
  if ! mongosh_target "$1" 'const name = process.env.VERIFY_QUERY; print(name ? target.getCollection(name).find().limit(1).toArray().length : target.getCollectionNames().length);' \\
    > "$WORK_DIR/verify.out" 2> "$WORK_DIR/verify.err"; then
    cat "$WORK_DIR/verify.err" >&2
    fail "backups/drill-verify could not read the restored database; see the container log"
  fi
  VERIFIED_ROWS=$(tail -n 1 "$WORK_DIR/verify.out" | tr -cd '0-9')
  VERIFIED_ROWS="\${VERIFIED_ROWS:-0}"
}
engine_drop() {
  mongosh_target "$1" 'target.dropDatabase();' > /dev/null
}
# A namespace pattern matching one database literally (* and \\ escaped).
ns_db() { printf '%s.*' "$(printf '%s' "$1" | sed 's/[\\\\*]/\\\\&/g')"; }
engine_restore() {
  case "$FILE" in *.archive.gz) ;; *) fail "not a MongoDB dump" ;; esac
  if [ -n "$TARGET_DB_NAME" ]; then
    [ "$DB_COUNT" -eq 1 ] || fail "TARGET_DB_NAME needs a single-database dump"
    set -- --nsInclude="$(ns_db "$1")" --nsFrom="$(ns_db "$1")" --nsTo="$(ns_db "$TARGET_DB_NAME")"
  elif [ $# -eq 1 ]; then
    set -- --nsInclude="$(ns_db "$1")"
  fi
  mongorestore --host="$RESTORE_HOST" --port="$DB_PORT" --username="$DB_USER" \\
    --authenticationDatabase="$MONGO_AUTH_DB" --config="$MONGO_CONFIG" \\
    --archive="$FILE" --gzip --drop "$@"
}
`;

/** pg_dump (-Fc per database) / pg_dumpall, checksum, retention, report. */
export const POSTGRES_DUMP_SCRIPT = PROLOGUE + POSTGRES_DUMP_PART + DUMP_MAIN;
/** mysqldump --single-transaction --routines --triggers, gzip, checksum, retention, report. */
export const MYSQL_DUMP_SCRIPT = PROLOGUE + MYSQL_DUMP_PART + DUMP_MAIN;
/** mongodump --archive --gzip, checksum, retention, report. */
export const MONGODB_DUMP_SCRIPT = PROLOGUE + MONGODB_DUMP_PART + DUMP_MAIN;

/** Verify sha256, then pg_restore (custom) or psql (plain/dumpall). */
export const POSTGRES_RESTORE_SCRIPT =
  PROLOGUE + POSTGRES_RESTORE_PART + RESTORE_MAIN;
/** Verify sha256, then mysql. */
export const MYSQL_RESTORE_SCRIPT =
  PROLOGUE + MYSQL_RESTORE_PART + RESTORE_MAIN;
/** Verify sha256, then mongorestore --archive --gzip --drop. */
export const MONGODB_RESTORE_SCRIPT =
  PROLOGUE + MONGODB_RESTORE_PART + RESTORE_MAIN;

/** The dump script of each engine. */
export const DUMP_SCRIPTS = {
  postgres: POSTGRES_DUMP_SCRIPT,
  mysql: MYSQL_DUMP_SCRIPT,
  mongodb: MONGODB_DUMP_SCRIPT,
} as const;

/** The restore script of each engine. */
export const RESTORE_SCRIPTS = {
  postgres: POSTGRES_RESTORE_SCRIPT,
  mysql: MYSQL_RESTORE_SCRIPT,
  mongodb: MONGODB_RESTORE_SCRIPT,
} as const;

/*
 * S3-compatible storage. The database images carry no aws CLI, so with s3
 * storage the dump runs as an init container writing to a scratch emptyDir
 * (same DUMP_DIR/ENTITY_DIR layout), and this script, in an aws-cli image,
 * uploads the finished dump (+ .sha256, .json), applies the retention to the
 * entity's objects in the bucket and reports the dump's JSON.
 *
 * Environment: DUMP_DIR, ENTITY_DIR, S3_BUCKET, S3_PREFIX (may be empty),
 * S3_ENDPOINT (may be empty), AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
 * (secretKeyRef), RETENTION_COUNT | RETENTION_MAX_AGE_SECONDS.
 * Object keys: `<S3_PREFIX>/<ENTITY_DIR>/dump-...`.
 */
const S3_PROLOGUE = `set -eu
umask 077
export HOME="\${HOME:-/tmp}"
TERMINATION_LOG="\${TERMINATION_LOG:-/dev/termination-log}"
log() { printf '%s %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
fail() {
  log "error: $1"
  printf '{"error":"%s"}\\n' "$1" > "$TERMINATION_LOG" 2>/dev/null || true
  exit 1
}
command -v aws >/dev/null 2>&1 || fail "the aws CLI is not installed in this image"
: "\${DUMP_DIR:?DUMP_DIR is required}"
: "\${ENTITY_DIR:?ENTITY_DIR is required}"
: "\${S3_BUCKET:?S3_BUCKET is required}"
case "$ENTITY_DIR" in
  /* | *..* | *[!a-z0-9._/-]*) fail "ENTITY_DIR must be a relative path of [a-z0-9._/-] without .." ;;
esac
S3_PREFIX="\${S3_PREFIX:-}"
S3_PREFIX="\${S3_PREFIX%/}"
if [ -n "$S3_PREFIX" ]; then KEY_ROOT="$S3_PREFIX/$ENTITY_DIR"; else KEY_ROOT="$ENTITY_DIR"; fi
s3() {
  if [ -n "\${S3_ENDPOINT:-}" ]; then aws --endpoint-url="$S3_ENDPOINT" "$@"; else aws "$@"; fi
}
`;

/** Uploads the dump the init container wrote, applies retention in the bucket. */
export const S3_UPLOAD_SCRIPT = `${S3_PROLOGUE}
case "\${RETENTION_COUNT:-}" in *[!0-9]*) fail "RETENTION_COUNT must be a number" ;; esac
case "\${RETENTION_MAX_AGE_SECONDS:-}" in *[!0-9]*) fail "RETENTION_MAX_AGE_SECONDS must be a number" ;; esac
SOURCE="$DUMP_DIR/$ENTITY_DIR"
NAME=$(ls -1 "$SOURCE" | awk '/^dump-[0-9]+T[0-9]+Z\\.[a-z0-9.]+$/ && !/\\.(sha256|json)$/' | sort | tail -n 1)
[ -n "$NAME" ] || fail "the dump container wrote no dump"
[ -f "$SOURCE/$NAME.sha256" ] && [ -f "$SOURCE/$NAME.json" ] || fail "the dump has no .sha256 or .json"
(cd "$SOURCE" && sha256sum -c "$NAME.sha256" >&2) || fail "sha256 mismatch before upload"
for _f in "$NAME" "$NAME.sha256" "$NAME.json"; do
  s3 s3 cp --only-show-errors "$SOURCE/$_f" "s3://$S3_BUCKET/$KEY_ROOT/$_f"
done
log "uploaded $KEY_ROOT/$NAME"

list_remote() {
  s3 s3api list-objects-v2 --bucket "$S3_BUCKET" --prefix "$KEY_ROOT/dump-" \\
    --query 'Contents[].[Key]' --output text |
    awk -F / '{ print $NF }' | awk '/^dump-[0-9]+T[0-9]+Z\\.[a-z0-9.]+$/ && !/\\.(sha256|json)$/' | sort
}
remove_remote() {
  log "retention: deleting $1"
  for _f in "$1" "$1.sha256" "$1.json"; do
    s3 s3 rm --only-show-errors "s3://$S3_BUCKET/$KEY_ROOT/$_f"
  done
}
if [ -n "\${RETENTION_COUNT:-}" ]; then
  [ "$RETENTION_COUNT" -ge 1 ] || fail "RETENTION_COUNT must be at least 1"
  _total=$(list_remote | wc -l | tr -d ' ')
  _excess=$((_total - RETENTION_COUNT))
  if [ "$_excess" -gt 0 ]; then
    list_remote | head -n "$_excess" | while IFS= read -r _old; do
      [ "$_old" = "$NAME" ] || remove_remote "$_old"
    done
  fi
elif [ -n "\${RETENTION_MAX_AGE_SECONDS:-}" ]; then
  _cutoff=$(date -u -d "@$(($(date -u +%s) - RETENTION_MAX_AGE_SECONDS))" +%Y%m%dT%H%M%SZ)
  list_remote | awk -v cutoff="$_cutoff" '{ s = substr($0, 6, 16); if (s < cutoff) print }' |
    while IFS= read -r _old; do
      [ "$_old" = "$NAME" ] || remove_remote "$_old"
    done
fi
cat "$SOURCE/$NAME.json" > "$TERMINATION_LOG" || log "warning: could not write $TERMINATION_LOG"
cat "$SOURCE/$NAME.json"
`;

/** Downloads RESTORE_FILE (+ .sha256) from the bucket for the restore container. */
export const S3_DOWNLOAD_SCRIPT = `${S3_PROLOGUE}
: "\${RESTORE_FILE:?RESTORE_FILE is required}"
case "$RESTORE_FILE" in
  /* | *..* | *[!A-Za-z0-9._/-]*) fail "RESTORE_FILE must be a dump file name as reported by the dump job" ;;
esac
case "$RESTORE_FILE" in
  "$ENTITY_DIR"/dump-*) ;;
  *) fail "RESTORE_FILE is not a dump of this entity" ;;
esac
NAME="\${RESTORE_FILE##*/}"
mkdir -p "$DUMP_DIR/$ENTITY_DIR"
for _f in "$NAME" "$NAME.sha256"; do
  s3 s3 cp --only-show-errors "s3://$S3_BUCKET/$KEY_ROOT/$_f" "$DUMP_DIR/$ENTITY_DIR/$_f"
done
log "downloaded $KEY_ROOT/$NAME"
`;
