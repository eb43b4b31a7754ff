#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests and for developers: initdb in a temp folder, Unix socket in that folder only
# (no TCP port), trust authentication, run as an unprivileged user (the 'postgres' or 'nobody' account when started
# as root), fsync off. Nothing of it outlives `stop`.
#
#   eval "$(bash scripts/pg_test_server.sh start)"     # prints export lines: FXK3SYNC_TEST_PG_URL, FXK3SYNC_TEST_PG_DIR,
#                                                     #   FXK3SYNC_TEST_PG_BIN
#   python -m pytest -q tests/core -k "store or lock"  # the PostgreSQL variants now run instead of being skipped
#   bash scripts/pg_test_server.sh stop "$FXK3SYNC_TEST_PG_DIR"
#
# Needs the server binaries (Debian: apt-get install postgresql); PG_BIN=/path/to/bin overrides the search.
set -euo pipefail

find_bin() {
  if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ]; then echo "$PG_BIN"; return; fi
  if command -v pg_config >/dev/null 2>&1; then
    local b; b=$(pg_config --bindir 2>/dev/null || true)
    if [ -n "$b" ] && [ -x "$b/initdb" ]; then echo "$b"; return; fi
  fi
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -n "$newest" ] && [ -x "$newest/initdb" ]; then echo "$newest"; return; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  echo "pg_test_server: no PostgreSQL server binaries (initdb) found; install them (Debian: apt-get install" \
       "postgresql) or set PG_BIN" >&2
  exit 1
}

# as USER CMD...: run CMD as the unprivileged account when we are root (PostgreSQL refuses to run as root).
as_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$RUN_AS" -- "$@"; else "$@"; fi
}

start() {
  BIN=$(find_bin)
  RUN_AS=$(id -un)
  if [ "$(id -u)" = 0 ]; then
    if id postgres >/dev/null 2>&1; then RUN_AS=postgres; else RUN_AS=nobody; fi
  fi
  DIR=${1:-$(mktemp -d "${TMPDIR:-/tmp}/fxk3pg.XXXXXX")}
  mkdir -p "$DIR"
  chmod 755 "$DIR"
  [ "$(id -u)" = 0 ] && chown "$RUN_AS" "$DIR"
  as_user "$BIN/initdb" -D "$DIR/data" -U fxk3sync -A trust -E UTF8 --no-locale --no-sync >"$DIR/initdb.log" 2>&1 \
    || { cat "$DIR/initdb.log" >&2; exit 1; }
  as_user "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 -o "-c listen_addresses='' \
    -c unix_socket_directories='$DIR' -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
    -c max_connections=200" start >"$DIR/pg_ctl.log" 2>&1 || { cat "$DIR/pg_ctl.log" "$DIR/server.log" >&2; exit 1; }
  echo "$RUN_AS" > "$DIR/run_as"
  echo "$BIN" > "$DIR/bin"
  echo "export FXK3SYNC_TEST_PG_URL='postgresql+psycopg://fxk3sync@/postgres?host=$DIR'"
  echo "export FXK3SYNC_TEST_PG_DIR='$DIR'"
  echo "export FXK3SYNC_TEST_PG_BIN='$BIN'"
}

stop() {
  DIR=${1:?usage: pg_test_server.sh stop DIR}
  [ -d "$DIR/data" ] || { echo "pg_test_server: $DIR holds no server" >&2; exit 1; }
  BIN=$(cat "$DIR/bin")
  RUN_AS=$(cat "$DIR/run_as")
  as_user "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: pg_test_server.sh start [DIR] | stop DIR" >&2; exit 2 ;;
esac
