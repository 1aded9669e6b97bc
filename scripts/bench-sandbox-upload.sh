#!/usr/bin/env bash
# Speed of the sandbox's upload path: a form upload and an S3 PUT of SIZE_MIB (default 1024) by curl into
# the sandbox (release build), against curl into a plain sink on the same machine, in the same run.
# Also reports the sandbox's peak RSS (VmHWM) after the uploads.
#
#   swift build -c release --product jwingest && scripts/bench-sandbox-upload.sh [SIZE_MIB]
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-1024}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

file="$work/upload.bin"
head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$file"
bytes=$(stat -c %s "$file")

python3 -u scripts/http-sink.py > "$work/sink.out" &
for _ in $(seq 50); do [ -s "$work/sink.out" ] && break; sleep 0.1; done
sink_port=$(head -1 "$work/sink.out")

.build/release/jwingest sandbox --port 0 --no-rate-limit --api-secret bench-secret --data "$work/data" > "$work/sandbox.out" &
sandbox_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/sandbox.out" 2>/dev/null && break; sleep 0.1; done
endpoint=$(grep -o "http://[0-9.:]*" "$work/sandbox.out" | head -1)
export JW_API_KEY=sandbox1 JW_API_SECRET=bench-secret

upload_url() {  # upload_url form|s3: a fresh link from /videos/create, built per API.md §3/§4
    local extra=()
    [ "$1" = s3 ] && extra=(upload_method=s3)
    .build/release/jwingest call /videos/create title=bench "${extra[@]}" --post --endpoint "$endpoint" --show-secrets \
        | python3 scripts/link-url.py
}

measure() {  # measure LABEL CURL-ARGS…: prints seconds and MB/s
    local seconds
    seconds=$(curl -s -o "$work/answer" -w '%{time_total}' "${@:2}")
    python3 -c "s=$seconds; print(f'$1: {s:.3f} s, {$bytes/s/1e6:.0f} MB/s')"
}

echo "file: $bytes bytes"
measure "form  -> sink   " --form "file=@$file" "http://127.0.0.1:$sink_port/v1/videos/upload"
measure "form  -> sandbox" --form "file=@$file" "$(upload_url form)"
grep -q "\"md5\":\"$(md5sum "$file" | cut -c1-32)\"" "$work/answer" && echo "  sandbox md5 matches md5sum" || echo "  MD5 MISMATCH: $(cat "$work/answer")"
measure "s3    -> sink   " -T "$file" "http://127.0.0.1:$sink_port/s3/x"
rm -f "$work/answer"
measure "s3    -> sandbox" -D "$work/headers" -T "$file" "$(upload_url s3)"
grep -qi "etag: \"$(md5sum "$file" | cut -c1-32)\"" "$work/headers" && echo "  sandbox ETag matches md5sum" || echo "  ETAG MISMATCH: $(cat "$work/headers")"
echo "md5sum of the file, for scale:"
/usr/bin/time -f "  md5sum: %e s" md5sum "$file" > /dev/null
echo "sandbox peak RSS: $(grep VmHWM /proc/$sandbox_pid/status | awk '{print $2, $3}')"
