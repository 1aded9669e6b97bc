#!/usr/bin/env bash
# Many workers on one manifest through the PostgreSQL journal, measured against the local sandbox:
#
#   scripts/bench-workers.sh scale [ITEMS]   1, 2 and 4 workers (manifest concurrency 2) on an ITEMS-item
#                                            manifest (default 400), the sandbox adding 150-250 ms to each
#                                            upload and no rate limit: items/s and the speed-up over one
#                                            worker; then one worker on the SQLite journal, for the
#                                            PostgreSQL journal's cost per item.
#   scripts/bench-workers.sh rate [ITEMS] [WORKERS]
#                                            WORKERS workers (default 4) on ITEMS items (default 200) under
#                                            the sandbox's real limit (60 calls a minute per route): the 429s
#                                            the sandbox answered, per route, and the creates in each
#                                            minute's window. The sandbox's windows are fixed minutes, so a
#                                            run's first and last windows are partial: the rate is that of
#                                            the full windows between them (each should hold 60).
#
# Each measurement gets a fresh sandbox and a fresh database. JWINGEST_JOURNAL=postgres://… uses that
# server (one database per measurement is created in it); otherwise scripts/postgres.sh starts a
# throw-away cluster on 127.0.0.1 and stops it at the end. Builds the release binary first
# (`swift build -c release --static-swift-stdlib --product jwingest`); JWINGEST=PATH uses that binary instead and builds nothing.
# Needs python3 and curl. Everything is removed and every process stopped on exit.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

mode=${1:-}
case "$mode" in
    scale) items=${2:-400} ;;
    rate) items=${2:-200}; rate_workers=${3:-4} ;;
    -h | --help | '') sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-workers: unknown mode '$mode' (scale, rate)" >&2; exit 2 ;;
esac

if [ -n "${JWINGEST:-}" ]; then
    jwingest=$JWINGEST
else
    swift build -c release --static-swift-stdlib --product jwingest
    jwingest=.build/release/jwingest
fi
[ -x "$jwingest" ] || { echo "bench-workers: no binary at $jwingest" >&2; exit 2; }
jwingest=$(realpath -s "$jwingest")

work=$(mktemp -d "${TMPDIR:-/tmp}/bench-workers.XXXXXX")
sandbox_pid=
pg_dir=
cleanup() {
    jobs -p | xargs -r kill 2>/dev/null || true
    if [ -n "$sandbox_pid" ]; then kill "$sandbox_pid" 2>/dev/null || true; fi
    wait 2>/dev/null || true
    if [ -n "$pg_dir" ]; then scripts/postgres.sh stop "$pg_dir"; fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 3' INT TERM

if [ -n "${JWINGEST_JOURNAL:-}" ]; then
    server=$JWINGEST_JOURNAL
else
    eval "$(scripts/postgres.sh start)"
    pg_dir=$JWINGEST_TEST_POSTGRES_DIR
    server=$JWINGEST_TEST_POSTGRES_URL
fi
export PGCONNECT_TIMEOUT=10

# fresh_database NAME: a new database on the server; prints its URL.
fresh_database() {
    python3 - "$server" "$1" <<'PY'
import subprocess, sys, urllib.parse
url = urllib.parse.urlparse(sys.argv[1])
bins = subprocess.run("ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1", shell=True, capture_output=True,
                      text=True).stdout.strip()
subprocess.run([f"{bins}/createdb", "-h", url.hostname, "-p", str(url.port or 5432), "-U", url.username,
                sys.argv[2]], check=True)
print(f"{url.scheme}://{url.netloc}/{sys.argv[2]}")
PY
}

# start_sandbox ARGS…: a fresh sandbox; sets sandbox_pid and endpoint.
start_sandbox() {
    "$jwingest" sandbox --api-secret bench-secret "$@" >"$work/sandbox.txt" 2>&1 &
    sandbox_pid=$!
    for _ in $(seq 100); do
        endpoint=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/sandbox.txt" | head -1 || true)
        [ -n "$endpoint" ] && return
        sleep 0.1
    done
    echo "bench-workers: the sandbox did not start: $(cat "$work/sandbox.txt")" >&2
    exit 1
}

stop_sandbox() {
    kill "$sandbox_pid" 2>/dev/null || true
    wait "$sandbox_pid" 2>/dev/null || true
    sandbox_pid=
}

# make_manifest DIR COUNT: COUNT items, each its own link of one small clip.
make_manifest() {
    mkdir -p "$1"
    {
        echo "version: 1"
        echo "options: {concurrency: 2}"
        echo "pipeline: [validate, create, upload, verify]"
        echo "items:"
        for i in $(seq "$2"); do
            ln "$PWD/manifests/media/intro.mp4" "$1/clip-$i.mp4"
            echo "  - {id: item-$i, file: clip-$i.mp4, title: Item $i}"
        done
    } >"$1/catalog.yaml"
}

# run_workers N JOURNAL DIR: N workers at once on DIR/catalog.yaml; prints the wall seconds.
run_workers() {
    local count=$1 journal=$2 dir=$3 start end status=0
    local pids=()
    start=$(date +%s.%N)
    for i in $(seq "$count"); do
        JW_API_KEY=sandbox1 JW_API_SECRET=bench-secret "$jwingest" run "$dir/catalog.yaml" --endpoint "$endpoint" \
            --journal "$journal" --no-progress --report "$dir/report-$i.json" >"$dir/worker-$i.txt" 2>&1 &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || status=$?; done
    end=$(date +%s.%N)
    if [ "$status" != 0 ]; then
        echo "bench-workers: a worker ended with $status:" >&2
        tail -n 5 "$dir"/worker-*.txt >&2
        exit 1
    fi
    python3 -c "print($end - $start)"
}

# shares DIR: each worker's count of ingested items.
shares() {
    python3 - "$1" <<'PY'
import glob, json, sys
print(" ".join(str(json.load(open(f))["ingested"]) for f in sorted(glob.glob(sys.argv[1] + "/report-*.json"))))
PY
}

if [ "$mode" = scale ]; then
    echo "bench-workers: $items items, concurrency 2 per worker, uploads +150-250 ms, no rate limit"
    printf '%-28s %8s %8s %9s  %s\n' "journal, workers" "seconds" "items/s" "speed-up" "items per worker"
    base=
    for workers in 1 2 4; do
        start_sandbox --no-rate-limit --faults 'latency=150..250ms@upload' --seed "$workers"
        dir="$work/pg-$workers"
        make_manifest "$dir" "$items"
        database=$(fresh_database "bench_scale_$$_$workers")
        seconds=$(run_workers "$workers" "$database" "$dir")
        stop_sandbox
        rate=$(python3 -c "print(f'{$items / $seconds:.2f}')")
        [ -n "$base" ] || base=$rate
        printf '%-28s %8.1f %8s %8.2fx  %s\n' "postgres, $workers" "$seconds" "$rate" \
            "$(python3 -c "print($rate / $base)")" "$(shares "$dir")"
        [ "$workers" = 1 ] && pg_one=$seconds
    done
    start_sandbox --no-rate-limit --faults 'latency=150..250ms@upload' --seed 1
    dir="$work/sqlite-1"
    make_manifest "$dir" "$items"
    seconds=$(run_workers 1 "$dir/journal.sqlite" "$dir")
    stop_sandbox
    printf '%-28s %8.1f %8s\n' "sqlite, 1" "$seconds" "$(python3 -c "print(f'{$items / $seconds:.2f}')")"
    python3 -c "print(f'postgres journal cost per item at 1 worker: {($pg_one - $seconds) / $items * 1000:+.1f} ms ({($pg_one / $seconds - 1) * 100:+.1f} %)')"
else
    echo "bench-workers: $rate_workers workers, $items items, the sandbox's limit of 60 calls a minute per route"
    start_sandbox --rate-limit 60
    dir="$work/rate"
    make_manifest "$dir" "$items"
    database=$(fresh_database "bench_rate_$$")
    seconds=$(run_workers "$rate_workers" "$database" "$dir")
    curl -s "$endpoint/_sandbox/calls" >"$dir/calls.json"
    stop_sandbox
    python3 - "$dir/calls.json" "$seconds" "$items" "$(shares "$dir")" <<'PY'
import json, sys
calls, seconds, items, shares = json.load(open(sys.argv[1])), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
print(f"{'route':24} {'answered':>8} {'429s':>6} {'per minute':>11}")
for route, tally in sorted(calls.items()):
    rate = "" if tally.get("first") is None or tally["answered"] < 2 or tally["last"] == tally["first"] else \
        f"{(tally['answered'] - 1) / (tally['last'] - tally['first']) * 60:.1f}"
    print(f"{route:24} {tally['answered']:>8} {tally['rateLimited']:>6} {rate:>11}")
creates = calls.get("/videos/create", {"answered": 0, "rateLimited": 0, "windows": {}})
counts = [count for _, count in sorted(creates["windows"].items(), key=lambda pair: int(pair[0]))]
inner = counts[1:-1]
full = f"{sum(inner) / len(inner):.1f} a minute in the {len(inner)} full windows" if inner else "no full window"
print(f"creates per window: {counts}; {full}")
print(f"429s per 100 creates: {creates['rateLimited'] / max(1, creates['answered']) * 100:.1f}; "
      f"run {seconds:.1f} s; items per worker: {shares}")
PY
fi
