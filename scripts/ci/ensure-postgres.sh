#!/usr/bin/env bash
# Makes sure a PostgreSQL answers at 127.0.0.1:5432 with trust auth and a database `test`, as the
# test suite expects (tests/conftest.py). Nothing is done when one already answers. Otherwise
# Debian's `postgresql` package is installed if missing, a cluster created if none exists, local
# loopback connections trusted, the cluster started and the database created. Needs root (as CI
# and these machines run); a developer with their own server sets LABORGUARD_TEST_POSTGRES instead.
set -euo pipefail

host=127.0.0.1
port=5432

answers() { command -v pg_isready >/dev/null 2>&1 && pg_isready -h "$host" -p "$port" -q; }

if ! answers; then
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
    echo "ensure-postgres: installing Debian's postgresql package"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if [ ! -d "/etc/postgresql/$version/main" ]; then
    pg_createcluster "$version" main --port "$port" >/dev/null
  fi
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  # Trust only loopback, and only for the test suite's machine: prepended so it wins over the
  # package's scram-sha-256 lines, once.
  if ! grep -q 'laborguard-test-trust' "$hba"; then
    {
      echo "# laborguard-test-trust: the test suite connects as postgres over loopback"
      echo "host    all    all    127.0.0.1/32    trust"
      echo "host    all    all    ::1/128         trust"
      cat "$hba"
    } >"$hba.new"
    chown --reference="$hba" "$hba.new"
    chmod --reference="$hba" "$hba.new"
    mv "$hba.new" "$hba"
  fi
  echo "ensure-postgres: starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 60); do answers && break; sleep 0.5; done
fi

if ! answers; then
  echo "ensure-postgres: PostgreSQL does not answer at $host:$port" >&2
  exit 1
fi
if ! psql -h "$host" -p "$port" -U postgres -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1; then
  psql -h "$host" -p "$port" -U postgres -d postgres -qc 'CREATE DATABASE test' >/dev/null
fi
echo "ensure-postgres: PostgreSQL answers at $host:$port (database test)"
