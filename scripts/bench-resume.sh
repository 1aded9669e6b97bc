#!/usr/bin/env bash
# How long a re-run of a finished manifest takes: the journal must make it cheap. Ingests a manifest of
# N items (default 10,000; files of a few KiB, hard links of manifests/media/intro.mp4 under distinct
# names) into a local sandbox (release build, rate limits off), then times `jwingest run` of the same
# manifest again: every item must be reported unchanged, with nothing sent. Goal (issue 14): under 1 s for 10,000.
#
#   scripts/bench-resume.sh [N]
#
# Builds the release binary (JWINGEST=PATH uses that binary instead). Removes everything on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-10000}
if [ -n "${JWINGEST:-}" ]; then
    jwingest=$(realpath "$JWINGEST")
else
    swift build -c release --static-swift-stdlib --product jwingest
    jwingest=$(realpath .build/release/jwingest)
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-resume.XXXXXX")
sandbox_pid=
cleanup() {
    [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null && wait "$sandbox_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/media"
{
    echo "version: 1"
    echo "options: {concurrency: 16}"
    echo "pipeline: [validate, create, upload, verify]"
    echo "items:"
    for ((i = 1; i <= count; i++)); do
        ln "manifests/media/intro.mp4" "$work/media/clip-$i.mp4"
        echo "  - {id: clip-$i, file: media/clip-$i.mp4, title: Clip $i}"
    done
} >"$work/manifest.yaml"

"$jwingest" sandbox --port 0 --no-rate-limit --data "$work/data" --api-secret bench-secret >"$work/sandbox.txt" &
sandbox_pid=$!
for _ in $(seq 100); do grep -q -- "--endpoint" "$work/sandbox.txt" 2>/dev/null && break; sleep 0.1; done
endpoint=$(grep -- "--endpoint" "$work/sandbox.txt" | awk '{print $2}')
export JW_API_KEY=sandbox1 JW_API_SECRET=bench-secret

echo "bench-resume: first run of $count items into $endpoint"
start=$(date +%s.%N)
"$jwingest" run "$work/manifest.yaml" --endpoint "$endpoint" --no-progress | tail -1
first=$(echo "$(date +%s.%N) - $start" | bc)

best=
for round in 1 2 3; do
    start=$(date +%s.%N)
    line=$("$jwingest" run "$work/manifest.yaml" --endpoint "$endpoint" --no-progress | tail -1)
    elapsed=$(echo "$(date +%s.%N) - $start" | bc)
    echo "  re-run #$round: ${elapsed} s   ($line)"
    if [ -z "$best" ] || (($(echo "$elapsed < $best" | bc))); then best=$elapsed; fi
done
start=$(date +%s.%N)
"$jwingest" plan "$work/manifest.yaml" --endpoint "$endpoint" | tail -1
echo "  jwingest plan (read the manifest and the journal, stat every file): $(echo "$(date +%s.%N) - $start" | bc) s"
start=$(date +%s.%N)
"$jwingest" validate "$work/manifest.yaml" >/dev/null || true
echo "  jwingest validate (read the manifest, probe every file): $(echo "$(date +%s.%N) - $start" | bc) s"
echo
echo "bench-resume: $count items; first run ${first} s; re-run of the finished manifest, best of 3: ${best} s (goal < 1 s)"
if [ "$count" = 10000 ]; then
    if python3 -c "import sys; sys.exit(0 if float('$best') < 1 else 1)"; then
        echo "bench-resume: target met (10,000 items re-run under 1 s)"
    else
        echo "bench-resume: TARGET MISSED (10,000 items re-run under 1 s)"
        exit 1
    fi
fi
