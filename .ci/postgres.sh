#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster for the tests: Debian's postgresql (installed when missing), a temporary data
# directory, a free loopback port, trust authentication, no fsync. Run as root, the server runs as the postgres user
# (initdb refuses root). Prints the connection string; "postgres.sh stop <dir>" stops it and removes the directory.
set -euo pipefail
if [ "${1:-}" = stop ]; then
  dir=${2:?usage: postgres.sh stop <dir>}
  run() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  bin=$(cat "$dir/.bin")
  run "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  exit 0
fi
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "postgresql is not installed, and installing it needs root (apt-get install postgresql)" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y postgresql >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y postgresql >/dev/null 2>&1; } ||
    { echo "could not install postgresql" >&2; exit 1; }
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
dir=$(mktemp -d /tmp/fleet-pg.XXXXXX)
trap 'if [ -n "${started:-}" ]; then :; else rm -rf "$dir"; fi' EXIT
echo "$bin" > "$dir/.bin"
# A free loopback port: one nothing answers on (bash's /dev/tcp, no other tool needed).
for _ in $(seq 50); do
  port=$((20000 + RANDOM % 40000))
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
done
run() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$dir" && chmod 755 "$dir"
run "$bin/initdb" -D "$dir/data" --auth=trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
run "$bin/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w \
  -o "-p $port -k $dir/data -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
  start >/dev/null
started=1
echo "Host=127.0.0.1;Port=$port;Username=postgres;Pooling=true;Maximum Pool Size=20|$dir"
