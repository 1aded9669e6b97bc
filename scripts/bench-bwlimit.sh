#!/usr/bin/env bash
# How closely `--bwlimit` holds its rate, in the same run as an unlimited one:
#
#   scripts/bench-bwlimit.sh [SIZE_MIB] [RATE_MIB]
#
# Makes a SIZE_MIB (default 200) video (a real MP4 padded with random bytes) split over 4 items, runs
# `jwingest run` (release) into its embedded sandbox once without a limit and once with
# `--bwlimit RATE_MIBM` (default 20, i.e. 20 MiB/s), and prints for both the upload stage's wall time
# (from the first upload's start to the last one's end, out of the NDJSON events), the average rate in
# MiB/s, and how far the limited rate is from the limit. Target: within 10 %. Everything is removed on exit.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

case "${1:-}" in -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac
size_mib=${1:-200}
rate_mib=${2:-20}

swift build -c release --static-swift-stdlib --product jwingest
jwingest=.build/release/jwingest
work=$(mktemp -d /tmp/jwingest-bwbench.XXXXXX)
trap 'rm -rf "$work"' EXIT

per_item=$((size_mib / 4))
{
    echo "version: 1"
    echo "options: {concurrency: 4}"
    echo "pipeline: [validate, create, upload, verify]"
    echo "items:"
} > "$work/bw.yaml"
for index in 1 2 3 4; do
    python3 - "$work/v$index.mp4" "$per_item" manifests/media/harbour.mp4 <<'PY'
import os, struct, sys
out, mib, source = sys.argv[1], int(sys.argv[2]), sys.argv[3]
data = open(source, "rb").read()
padding = mib * 1024 * 1024 - len(data)
with open(out, "wb") as f:
    f.write(data)
    f.write(struct.pack(">I", padding) + b"free")
    left = padding - 8
    while left > 0:
        chunk = min(left, 1 << 20)
        f.write(os.urandom(chunk))
        left -= chunk
PY
    echo "  - {id: v$index, file: v$index.mp4}" >> "$work/bw.yaml"
done

# The upload stage's span in seconds, from the events: first upload start to last upload end.
span() {
    python3 - "$1" <<'PY'
import json, sys
from datetime import datetime
starts, ends = [], []
for line in open(sys.argv[1]):
    event = json.loads(line)
    if event.get("stage") != "upload":
        continue
    at = datetime.fromisoformat(event["time"].replace("Z", "+00:00")).timestamp()
    if event["event"] == "stageStarted":
        starts.append(at)
    elif event["event"] == "stageFinished":
        ends.append(at)
print(f"{max(ends) - min(starts):.3f}")
PY
}

total_mib=$((per_item * 4))
env -u JW_API_KEY -u JW_API_SECRET "$jwingest" run "$work/bw.yaml" --no-progress --events "$work/free.ndjson" >/dev/null 2>&1
free=$(span "$work/free.ndjson")
env -u JW_API_KEY -u JW_API_SECRET "$jwingest" run "$work/bw.yaml" --no-progress --bwlimit "${rate_mib}M" \
    --events "$work/limited.ndjson" >/dev/null 2>&1
limited=$(span "$work/limited.ndjson")
python3 - "$total_mib" "$free" "$limited" "$rate_mib" <<'PY'
import sys
mib, free, limited, rate = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
print(f"{mib} MiB in 4 items, upload stage wall time:")
print(f"  no limit:        {free:7.2f} s  {mib / free:8.1f} MiB/s")
print(f"  --bwlimit {int(rate)}M:  {limited:7.2f} s  {mib / limited:8.1f} MiB/s  "
      f"({(mib / limited - rate) / rate * 100:+.1f} % from {rate:g} MiB/s; target within 10 %)")
PY
