#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests marked `postgres` (issue 15).
#
#   . scripts/postgres_for_tests.sh          # sourced (.ci/run): start, export, stop on exit
#   bash scripts/postgres_for_tests.sh CMD…  # run CMD with a server, then stop it
#
# Finds initdb/pg_ctl on PATH or under /usr/lib/postgresql/*/bin; installs Debian's
# `postgresql` with apt-get when neither has them. The cluster lives in a new temp dir (never
# in the repository), listens on a free loopback port with its unix socket in that dir, trusts
# local connections (loopback only, a throw-away server), and is stopped and deleted on exit.
# initdb refuses to run as root, so as root the cluster belongs to the `postgres` user.
# fsync is off: the suite kills bot processes, never the machine, and the server is discarded.
# Exports HUSTINGS_TEST_POSTGRES_URL=postgresql+asyncpg://postgres@127.0.0.1:PORT/hustings_test.

_hpg_fail() {
  echo "postgres_for_tests: $*" >&2
  return 1
}

_hpg_bindir() {
  local found
  if found=$(command -v pg_ctl 2>/dev/null) && command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$found")"
    return 0
  fi
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$found" ] && [ -x "$found/initdb" ] && [ -x "$found/pg_ctl" ]; then
    echo "$found"
    return 0
  fi
  return 1
}

_hpg_install() {
  [ "$(id -u)" -eq 0 ] || _hpg_fail "initdb/pg_ctl not found; install PostgreSQL (Debian: apt-get install postgresql)" || return 1
  command -v apt-get >/dev/null 2>&1 || _hpg_fail "initdb/pg_ctl not found and apt-get is missing; install PostgreSQL by hand" || return 1
  echo "postgres_for_tests: installing Debian's postgresql package (apt-get)" >&2
  # No default cluster on port 5432: the tests start their own (only if nobody configured it).
  if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
    mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
  fi
  local log
  log=$(mktemp)
  if ! { DEBIAN_FRONTEND=noninteractive apt-get -qq update \
    && DEBIAN_FRONTEND=noninteractive apt-get -qq install -y --no-install-recommends postgresql; } \
    >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    rm -f "$log"
    _hpg_fail "apt-get could not install postgresql (see above)"
    return 1
  fi
  rm -f "$log"
}

_hpg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

_hpg_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

hustings_pg_start() {
  local bin
  bin=$(_hpg_bindir) || { _hpg_install && bin=$(_hpg_bindir); } \
    || _hpg_fail "PostgreSQL was installed but initdb/pg_ctl are still missing" || return 1
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    _hpg_fail "running as root needs a 'postgres' user to own the cluster (initdb refuses root)"
    return 1
  fi
  HUSTINGS_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/hustings-pg.XXXXXX")
  export HUSTINGS_PG_DIR HUSTINGS_PG_BIN="$bin"
  mkdir -p "$HUSTINGS_PG_DIR/socket"
  [ "$(id -u)" -ne 0 ] || chown -R postgres: "$HUSTINGS_PG_DIR"
  if ! _hpg_as_owner "$bin/initdb" -D "$HUSTINGS_PG_DIR/data" -U postgres --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 >"$HUSTINGS_PG_DIR/initdb.log" 2>&1; then
    tail -n 20 "$HUSTINGS_PG_DIR/initdb.log" >&2
    hustings_pg_stop
    _hpg_fail "initdb failed (see above)"
    return 1
  fi
  local port tries=0
  while :; do
    port=$(_hpg_free_port)
    if _hpg_as_owner "$bin/pg_ctl" -D "$HUSTINGS_PG_DIR/data" -l "$HUSTINGS_PG_DIR/server.log" \
      -w -t 60 -o "-p $port -k $HUSTINGS_PG_DIR/socket -c listen_addresses=127.0.0.1 \
      -c fsync=off -c full_page_writes=off -c max_connections=200" start >/dev/null 2>&1; then
      break
    fi
    tries=$((tries + 1))
    if [ "$tries" -ge 3 ]; then  # a port taken between choosing and binding: try another
      tail -n 20 "$HUSTINGS_PG_DIR/server.log" >&2
      hustings_pg_stop
      _hpg_fail "the server did not start (see above)"
      return 1
    fi
  done
  if ! _hpg_as_owner "$bin/createdb" -h "$HUSTINGS_PG_DIR/socket" -p "$port" -U postgres \
    hustings_test; then
    hustings_pg_stop
    _hpg_fail "createdb failed"
    return 1
  fi
  export HUSTINGS_TEST_POSTGRES_URL="postgresql+asyncpg://postgres@127.0.0.1:$port/hustings_test"
  echo "postgres_for_tests: PostgreSQL $("$bin/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
}

hustings_pg_stop() {
  [ -n "${HUSTINGS_PG_DIR:-}" ] || return 0
  if [ -f "$HUSTINGS_PG_DIR/data/postmaster.pid" ]; then
    _hpg_as_owner "$HUSTINGS_PG_BIN/pg_ctl" -D "$HUSTINGS_PG_DIR/data" -m immediate -w stop \
      >/dev/null 2>&1 || true
  fi
  rm -rf "$HUSTINGS_PG_DIR"
  unset HUSTINGS_PG_DIR HUSTINGS_TEST_POSTGRES_URL
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  # Sourced: start now, stop when the sourcing shell exits (after any EXIT trap it had).
  hustings_pg_start || return 1
  _hpg_previous_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
  # shellcheck disable=SC2064  # expand the previous trap now
  trap "${_hpg_previous_trap:+$_hpg_previous_trap;} hustings_pg_stop" EXIT
  # A signal ends the shell without the EXIT trap unless it is caught: exit, so the trap runs
  # (the server has its own process group, and a killed CI run must not leave it running).
  trap 'exit 129' HUP
  trap 'exit 130' INT
  trap 'exit 143' TERM
else
  set -euo pipefail
  [ "$#" -gt 0 ] || { echo "usage: bash $0 COMMAND [ARG…]" >&2; exit 2; }
  trap hustings_pg_stop EXIT
  trap 'exit 130' INT TERM HUP
  hustings_pg_start
  status=0
  "$@" || status=$?
  exit "$status"
fi
