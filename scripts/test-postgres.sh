#!/usr/bin/env bash
# Sourced by scripts/test: starts a throwaway PostgreSQL on 127.0.0.1 for the
# store tests (Backstage's TestDatabases reads its URL from
# BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING; there is no container
# engine here) and stops it when the test command exits. Without PostgreSQL
# the store tests run on SQLite alone, unless CI=true, where they fail.

start_test_postgres() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "[test] PostgreSQL is not installed: store tests run on SQLite only" >&2
    return 0
  fi
  TEST_PG_DIR="$(mktemp -d /tmp/backups-test-pg.XXXXXX)"
  local as_owner=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$TEST_PG_DIR"
    as_owner=(runuser -u postgres --)
  fi
  local port
  port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  if ! "${as_owner[@]}" "$bin/initdb" -D "$TEST_PG_DIR/data" -U postgres -A trust >"$TEST_PG_DIR/initdb.log" 2>&1 ||
    ! "${as_owner[@]}" "$bin/pg_ctl" -D "$TEST_PG_DIR/data" -l "$TEST_PG_DIR/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $TEST_PG_DIR -c fsync=off" start >/dev/null; then
    echo "[test] could not start PostgreSQL (see $TEST_PG_DIR)" >&2
    return 0
  fi
  TEST_PG_BIN="$bin"
  TEST_PG_AS_OWNER=("${as_owner[@]}")
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="postgresql://postgres@127.0.0.1:$port"
  echo "[test] throwaway PostgreSQL on 127.0.0.1:$port for the store tests" >&2
}

stop_test_postgres() {
  if [ -n "${TEST_PG_BIN:-}" ]; then
    "${TEST_PG_AS_OWNER[@]}" "$TEST_PG_BIN/pg_ctl" -D "$TEST_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  [ -n "${TEST_PG_DIR:-}" ] && rm -rf "$TEST_PG_DIR"
}
