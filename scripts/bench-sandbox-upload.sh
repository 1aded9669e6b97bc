#!/usr/bin/env bash
# Speed of the sandbox's upload path: a form upload (curl --form) and an S3 PUT (curl -T) of SIZE_MIB
# (default 1024) into the sandbox (release build), against md5sum of the same file, measured in the same run
# just before each upload: the target is a rate of at least 80 % of md5sum's. Each method runs ROUNDS times
# (default 3), md5sum before each upload, and the best upload is set against the best md5sum, as
# bench-ingest.sh does: on a shared machine one upload in a few can take twice as long for reasons outside
# the sandbox (seen most after other benchmarks had written and deleted gigabytes), and every round is
# printed. Also shows curl into a plain sink (what loopback and curl can do), and checks the sandbox's peak
# RSS (VmHWM) after all uploads against 64 MiB. Exits 1 when a target is missed or a digest does not
# match, 2 when it cannot run.
#
#   swift build -c release --static-swift-stdlib --product jwingest && scripts/bench-sandbox-upload.sh [SIZE_MIB] [ROUNDS]
#   JWINGEST_BIN=/path/to/jwingest scripts/bench-sandbox-upload.sh     # another binary (default .build/release/jwingest)
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-1024}
rounds=${2:-3}
case "$size_mib$rounds" in *[!0-9]*) echo "SIZE_MIB and ROUNDS are whole numbers" >&2; exit 2 ;; esac
((rounds >= 1)) || { echo "ROUNDS must be at least 1" >&2; exit 2; }
bin=${JWINGEST_BIN:-.build/release/jwingest}
target_percent=80
rss_limit_kib=$((64 * 1024))
[ -x "$bin" ] || { echo "no $bin: swift build -c release --static-swift-stdlib --product jwingest, or set JWINGEST_BIN" >&2; exit 2; }
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

file="$work/upload.bin"
head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$file"
# The file and whatever else the machine wrote before go to disk now, not during the measurements.
sync
bytes=$(stat -c %s "$file")

python3 -u scripts/http-sink.py > "$work/sink.out" &
for _ in $(seq 50); do [ -s "$work/sink.out" ] && break; sleep 0.1; done
sink_port=$(head -1 "$work/sink.out")

"$bin" sandbox --port 0 --no-rate-limit --api-secret bench-secret --data "$work/data" > "$work/sandbox.out" &
sandbox_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/sandbox.out" 2>/dev/null && break; sleep 0.1; done
endpoint=$(grep -o "http://[0-9.:]*" "$work/sandbox.out" | head -1)
[ -n "$endpoint" ] || { echo "the sandbox did not start: $(cat "$work/sandbox.out")" >&2; exit 2; }
export JW_API_KEY=sandbox1 JW_API_SECRET=bench-secret

upload_url() {  # upload_url form|s3: a fresh link from /videos/create, built per API.md §3/§4
    local extra=()
    [ "$1" = s3 ] && extra=(upload_method=s3)
    "$bin" call /videos/create title=bench "${extra[@]}" --post --endpoint "$endpoint" --show-secrets \
        | python3 scripts/link-url.py
}

mib_per_s() {  # mib_per_s SECONDS
    python3 -c "print(f'{$bytes / $1 / 1048576:.0f}')"
}

upload_seconds=0
measure() {  # measure LABEL CURL-ARGS…: sets upload_seconds, prints seconds and MiB/s
    upload_seconds=$(curl -s -o "$work/answer" -w '%{time_total}' "${@:2}" || echo 0)
    python3 -c "s=$upload_seconds; print(f'$1: {s:.3f} s, {$bytes/max(s, 1e-9)/1048576:.0f} MiB/s')"
}

md5sum_seconds=0
md5sum_digest=""
time_md5sum() {  # sets md5sum_seconds and md5sum_digest (the process's time, without Python's start)
    read -r md5sum_seconds md5sum_digest < <(python3 -c '
import subprocess, sys, time
start = time.perf_counter()
out = subprocess.run(["md5sum", sys.argv[1]], capture_output=True, check=True).stdout
print(f"{time.perf_counter() - start:.3f}", out[:32].decode())' "$file")
}

failed=0
verdict() {  # verdict LABEL UPLOAD-SECONDS MD5SUM-SECONDS: the best upload against the best md5sum
    local line
    line=$(python3 -c "
up, md5 = $2, $3
rate, md5_rate = $bytes / max(up, 1e-9) / 1048576, $bytes / md5 / 1048576
percent = rate / md5_rate * 100
print(f'$1: sandbox {rate:.0f} MiB/s, md5sum {md5_rate:.0f} MiB/s, ratio {percent:.0f} % (target $target_percent %,' +
      f' best of $rounds each):', 'target met' if percent >= $target_percent and up > 0 else 'TARGET MISSED')")
    echo "$line"
    case "$line" in *"TARGET MISSED"*) failed=1 ;; esac
}

# best LIST…: the smallest of the numbers
best() { printf '%s\n' "$@" | sort -g | head -1; }

echo "file: $bytes bytes, sandbox: $bin, $rounds rounds"
measure "form  -> sink   " --form "file=@$file" "http://127.0.0.1:$sink_port/v1/videos/upload"
measure "s3    -> sink   " -T "$file" "http://127.0.0.1:$sink_port/s3/x"
verdicts=()
for method in form s3; do
    uploads=()
    md5s=()
    for round in $(seq "$rounds"); do
        time_md5sum
        md5s+=("$md5sum_seconds")
        echo "md5sum          : $md5sum_seconds s, $(mib_per_s "$md5sum_seconds") MiB/s"
        url=$(upload_url "$method")
        rm -f "$work/answer" "$work/headers"
        if [ "$method" = form ]; then
            measure "form  -> sandbox #$round" --form "file=@$file" "$url"
            check=$(grep -c "\"md5\":\"$md5sum_digest\"" "$work/answer" || true)
        else
            measure "s3    -> sandbox #$round" -D "$work/headers" -T "$file" "$url"
            check=$(grep -ci "etag: \"$md5sum_digest\"" "$work/headers" 2>/dev/null || true)
        fi
        if [ "${check:-0}" -ge 1 ]; then
            echo "  the sandbox's digest matches md5sum"
        else
            echo "  DIGEST MISMATCH: $(cat "$work/answer" "$work/headers" 2>/dev/null)"; failed=1
        fi
        uploads+=("$upload_seconds")
        find "$work/data" -maxdepth 1 -type f ! -name '.*' -delete
    done
    label=$method
    [ "$method" = s3 ] && label="s3  "
    verdicts+=("$(verdict "$label" "$(best "${uploads[@]}")" "$(best "${md5s[@]}")")")
done

rss_kib=$(awk '/VmHWM/ {print $2}' "/proc/$sandbox_pid/status")
echo
printf '%s\n' "${verdicts[@]}"
case "${verdicts[*]}" in *"TARGET MISSED"*) failed=1 ;; esac
if [ "$rss_kib" -lt "$rss_limit_kib" ]; then
    echo "sandbox peak RSS: $((rss_kib / 1024)) MiB ($rss_kib kB) (limit 64 MiB): target met"
else
    echo "sandbox peak RSS: $((rss_kib / 1024)) MiB ($rss_kib kB) (limit 64 MiB): TARGET MISSED"; failed=1
fi
exit "$failed"
