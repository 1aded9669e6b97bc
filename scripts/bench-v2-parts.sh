#!/usr/bin/env bash
# A v2 multipart upload into the local sandbox, measured against curl in the same run:
#
#   scripts/bench-v2-parts.sh [SIZE_MIB] [PART_MIB] [CONCURRENCY] [BW_SIZE_MIB] [BW]
#
# Makes a SIZE_MIB file (default 2048) of random bytes, starts `jwingest sandbox --no-rate-limit`
# (release), and sends the file as one multipart upload in parts of PART_MIB (default 64):
#   1. by v2-parts-benchmark (JWPlatform's PartSender): CONCURRENCY parts in flight (default 4), each read
#      once from disk with its MD5 computed in the same pass and checked against the part's ETag;
#   2. by curl, the same parts (cut into files before the clock starts) PUT one after another to the links
#      of a second upload, nothing verified, then the same `complete` (both times include it: the sandbox
#      joins the parts then, reading and hashing the whole file once more);
# then prints both times, the ratio, MiB/s, md5sum's time on the file as the hashing baseline, and the
# benchmark's peak RSS. Then, with the sandbox reading each connection at most BW bytes a second (fault
# `bw=BW@s3`, default 25M), a BW_SIZE_MIB file (default 256) is sent with 1 part in flight and with
# CONCURRENCY: the speed-up of parallel parts on a link that limits each connection. Builds the release binaries first; everything is removed and every process
# stopped on exit. Needs curl.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

case "${1:-}" in -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac
size_mib=${1:-2048}
part_mib=${2:-64}
concurrency=${3:-4}
bw_size_mib=${4:-256}
bw=${5:-25M}
[ "$bw_size_mib" -le "$size_mib" ] || bw_size_mib=$size_mib

swift build -c release --static-swift-stdlib --product jwingest
swift build -c release --static-swift-stdlib --product v2-parts-benchmark
jwingest=.build/release/jwingest
bench=.build/release/v2-parts-benchmark

work=$(mktemp -d /tmp/jwingest-v2bench.XXXXXX)
sandbox_pid=
cleanup() {
    [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null && wait "$sandbox_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
seconds() { python3 -c "print(f'{$2 - $1:.3f}')"; }

echo "bench-v2-parts: making a ${size_mib} MiB file"
head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$work/file.bin"
part_bytes=$((part_mib * 1024 * 1024))

# Starts a sandbox (extra arguments passed on) and sets endpoint, JW_SITE_ID and JW_V2_API_SECRET.
start_sandbox() {
    if [ -n "$sandbox_pid" ]; then kill "$sandbox_pid"; wait "$sandbox_pid" 2>/dev/null || true; fi
    rm -rf "$work/data"
    "$jwingest" sandbox --no-rate-limit --data "$work/data" "$@" > "$work/sandbox.out" 2>&1 &
    sandbox_pid=$!
    for _ in $(seq 100); do grep -q -- "--endpoint" "$work/sandbox.out" 2>/dev/null && break; sleep 0.1; done
    endpoint=$(awk '/--endpoint/ {print $2}' "$work/sandbox.out")
    JW_SITE_ID=$(sed -n 's/^ *JW_SITE_ID=//p' "$work/sandbox.out")
    JW_V2_API_SECRET=$(sed -n 's/^ *JW_V2_API_SECRET=//p' "$work/sandbox.out")
    export JW_SITE_ID JW_V2_API_SECRET
    [ -n "$endpoint" ] || { cat "$work/sandbox.out" >&2; exit 1; }
}
start_sandbox

start=$(now)
md5sum "$work/file.bin" > /dev/null
md5_seconds=$(seconds "$start" "$(now)")

echo "bench-v2-parts: jwingest's PartSender, $concurrency parts in flight"
result=$("$bench" send "$endpoint" "$work/file.bin" "$part_bytes" "$concurrency")
echo "  $result"
jw_seconds=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['seconds'])" "$result")
rss=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['peak_rss_kib'])" "$result")

echo "bench-v2-parts: curl, the same parts one after another"
"$bench" links "$endpoint" "$work/file.bin" "$part_bytes" "$work/links.txt"
mkdir "$work/parts"
split -b "$part_bytes" -d -a 5 "$work/file.bin" "$work/parts/p"
start=$(now)
index=0
while read -r number offset length link; do
    [[ "$number" =~ ^[0-9]+$ ]] || continue
    curl -sS --fail -o /dev/null -T "$work/parts/p$(printf '%05d' "$index")" "$link"
    index=$((index + 1))
done < "$work/links.txt"
"$bench" complete "$endpoint" "$(awk '/^upload / {print $2}' "$work/links.txt")" \
    "$(awk '/^token / {print $2}' "$work/links.txt")"
curl_seconds=$(seconds "$start" "$(now)")

python3 - "$size_mib" "$jw_seconds" "$curl_seconds" "$md5_seconds" "$rss" "$concurrency" "$part_mib" <<'PY'
import sys
size, jw, curl, md5, rss, concurrency, part = sys.argv[1:8]
size, jw, curl, md5 = float(size), float(jw), float(curl), float(md5)
print(f"bench-v2-parts: {size:.0f} MiB in parts of {part} MiB")
print(f"  jwingest, {concurrency} parts in flight, verified: {jw:.2f} s ({size / jw:.0f} MiB/s)")
print(f"  curl, one part after another, unverified:   {curl:.2f} s ({size / curl:.0f} MiB/s)")
print(f"  md5sum of the file:                          {md5:.2f} s ({size / md5:.0f} MiB/s)")
print(f"  time ratio jwingest/curl: {jw / curl:.2f}   peak RSS of jwingest's sender: {int(rss) / 1024:.1f} MiB")
PY

echo "bench-v2-parts: each connection read at most $bw a second: 1 part in flight, then $concurrency"
start_sandbox --faults "bw=$bw@s3"
head -c $((bw_size_mib * 1024 * 1024)) "$work/file.bin" > "$work/small.bin"
one=$("$bench" send "$endpoint" "$work/small.bin" "$part_bytes" 1)
many=$("$bench" send "$endpoint" "$work/small.bin" "$part_bytes" "$concurrency")
echo "  1: $one"
echo "  $concurrency: $many"
python3 - "$one" "$many" "$concurrency" "$bw" "$bw_size_mib" <<'PY'
import json, sys
one, many = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"  {sys.argv[5]} MiB at bw={sys.argv[4]} a connection: 1 part in flight {one['seconds']:.2f} s, "
      f"{sys.argv[3]} in flight {many['seconds']:.2f} s: speed-up {one['seconds'] / many['seconds']:.2f}x, "
      f"peak RSS {many['peak_rss_kib'] / 1024:.1f} MiB")
PY
