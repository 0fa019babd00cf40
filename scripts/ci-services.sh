#!/usr/bin/env bash
# Install (Debian apt) and start the services the web app's tests use: PostgreSQL and Redis on
# localhost, and Chromium for the browser tests. Source it so the URLs stay exported:
#   source scripts/ci-services.sh
# Exports KINECHAIN_TEST_POSTGRES_URL, KINECHAIN_TEST_REDIS_URL and KINECHAIN_TEST_CHROMIUM.
# Safe to run again; tests needing a service that is still missing skip with the reason.
export DEBIAN_FRONTEND=noninteractive
_kc_need=()
command -v pg_ctlcluster >/dev/null 2>&1 || _kc_need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || _kc_need+=(redis-server)
[ -x /usr/bin/chromium ] || _kc_need+=(chromium)
if [ ${#_kc_need[@]} -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq "${_kc_need[@]}" >/dev/null
fi

# PostgreSQL: the first cluster Debian created, started, with a test role and database.
if command -v pg_lsclusters >/dev/null 2>&1; then
  read -r _kc_ver _kc_cluster _kc_port _ < <(pg_lsclusters --no-header | head -n 1) || true
  if [ -n "${_kc_ver:-}" ]; then
    pg_ctlcluster "$_kc_ver" "$_kc_cluster" start 2>/dev/null || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$_kc_port" && break; sleep 1; done
    su postgres -c "psql -q -p $_kc_port -tc \"SELECT 1 FROM pg_roles WHERE rolname='kinechain'\"" | grep -q 1 ||
      su postgres -c "psql -q -p $_kc_port -c \"CREATE ROLE kinechain LOGIN PASSWORD 'kinechain' CREATEDB\""
    su postgres -c "psql -q -p $_kc_port -tc \"SELECT 1 FROM pg_database WHERE datname='kinechain_test'\"" | grep -q 1 ||
      su postgres -c "createdb -p $_kc_port -O kinechain kinechain_test"
    export KINECHAIN_TEST_POSTGRES_URL="postgresql+psycopg://kinechain:kinechain@127.0.0.1:${_kc_port}/kinechain_test"
  fi
fi

# Redis: a throwaway server without persistence.
if command -v redis-server >/dev/null 2>&1; then
  if ! redis-cli -p 6379 ping >/dev/null 2>&1; then
    redis-server --port 6379 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes >/dev/null
    for _ in $(seq 1 30); do redis-cli -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
  fi
  export KINECHAIN_TEST_REDIS_URL="redis://127.0.0.1:6379/15"
fi

if [ -x /usr/bin/chromium ]; then export KINECHAIN_TEST_CHROMIUM=/usr/bin/chromium; fi
echo "services: postgres=${KINECHAIN_TEST_POSTGRES_URL:-absent} redis=${KINECHAIN_TEST_REDIS_URL:-absent} chromium=${KINECHAIN_TEST_CHROMIUM:-absent}"
