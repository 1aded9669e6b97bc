#!/usr/bin/env bash
# A throw-away PostgreSQL cluster on 127.0.0.1 for the tests: `scripts/postgres.sh start` prints the
# variables to export (JWINGEST_TEST_POSTGRES_URL, JWINGEST_TEST_POSTGRES_DIR); `scripts/postgres.sh stop
# DIR` stops it and removes its folder; `pause DIR` and `resume DIR` stop and restart it, data kept.
# Uses Debian's PostgreSQL (installed by scripts/test.sh when root).
# As root, the cluster runs as the `postgres` user (initdb refuses root).
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "postgres.sh: no PostgreSQL server (apt-get install -y postgresql)" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
start)
    dir=$(mktemp -d /tmp/jwingest-pg.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U jwingest -E UTF8 >"$dir/initdb.log" 2>&1
    echo "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" >"$dir/options"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "$(cat "$dir/options")" start >/dev/null
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U jwingest jwingest
    echo "export JWINGEST_TEST_POSTGRES_URL=postgres://jwingest@127.0.0.1:$port/jwingest"
    echo "export JWINGEST_TEST_POSTGRES_DIR=$dir"
    echo "export JWINGEST_TEST_POSTGRES_BIN=$bin"
    ;;
pause)
    # The server goes away (fast shutdown: connections are cut), its data kept, for tests of a lost database.
    dir=${2:?"usage: postgres.sh pause DIR"}
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
resume)
    dir=${2:?"usage: postgres.sh resume DIR"}
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "$(cat "$dir/options")" start >/dev/null
    ;;
stop)
    dir=${2:?"usage: postgres.sh stop DIR"}
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
*)
    echo "usage: postgres.sh start | pause DIR | resume DIR | stop DIR" >&2
    exit 2
    ;;
esac
