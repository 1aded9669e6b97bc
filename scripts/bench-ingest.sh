#!/usr/bin/env bash
# Speed and memory of a whole `jwingest run` (validate, create, upload, verify) of one big video into the
# local sandbox, against what the machine can do, all in the same run:
#
#   (a) md5sum FILE                       the one read of the file that an ingest cannot avoid
#   (b) curl -F file=@FILE UPLOAD-URL     a bare form upload into the same sandbox (link from a create call)
#   (e) the same curl, and md5sum FILE    what any client that checks the MD5 it sent pays at least: its own
#       at the same time                  pass over the file beside the sandbox's, on the same cores
#   (c) jwingest run MANIFEST             the whole ingest of the same file: wall time and peak RSS
#   (d) jwingest run on a 5 GiB item      peak RSS must stay flat whatever the file size (DESIGN.md:
#                                         "never holds more than a few chunks in memory")
#
# (a) to (c) and (e) run 3 times each, best time kept; the summary gives MB/s and the ratios run/curl,
# run/md5sum and run/(e). (d) runs once. It also gives the CPU time (user + system) that the best (b) and
# (c) cost, client and sandbox apart (the sandbox's from /proc), and what that CPU means on these cores:
# a run cannot take less than its client's and the sandbox's CPU shared over all cores.
#
#   scripts/bench-ingest.sh [SIZE_MIB] [--skip-5g] [--no-run]
#
#   SIZE_MIB   size of the test video in MiB (default 1024)
#   --skip-5g  skip (d); it sends 5 GiB and the sandbox stores 5 GiB on disk
#   --no-run   measure (a) and (b) only (a machine check, or a binary without `run`)
#
# Builds the release binary first (`swift build -c release --static-swift-stdlib --product jwingest`) and uses
# .build/release/jwingest. JWINGEST=PATH uses that binary instead and builds nothing.
#
# The test file is a valid MP4 (manifests/media/harbour.mp4: 6 s, moov before mdat) followed by one
# top-level `free` box that pads it to SIZE_MIB MiB with random bytes (nothing can compress them), so the
# sandbox's MediaProbe judges it a 6 s video as the platform would. The 5 GiB file is the same MP4 and a
# `free` box with a 64-bit size, left sparse (holes read as zeros, from no disk): (d) measures memory, not
# disk. Needs python3, curl, md5sum, GNU time (/usr/bin/time; installed if missing) and free disk for
# about 2 x SIZE_MIB (+ 5 GiB for (d), which the sandbox stores) in ${TMPDIR:-/tmp}. Stored uploads are
# deleted after each measurement. Everything is removed and the sandbox stopped on exit.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

size_mib=1024
skip_5g=false
no_run=false
for arg in "$@"; do
    case "$arg" in
        --skip-5g) skip_5g=true ;;
        --no-run) no_run=true ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        '' | *[!0-9]*) echo "bench-ingest: unknown argument '$arg' (SIZE_MIB, --skip-5g, --no-run)" >&2; exit 2 ;;
        *) size_mib=$arg ;;
    esac
done
((size_mib >= 1)) || { echo "bench-ingest: SIZE_MIB must be at least 1" >&2; exit 2; }
repeats=3
base_mp4=manifests/media/harbour.mp4

if [ -n "${JWINGEST:-}" ]; then
    jwingest=$JWINGEST
else
    swift build -c release --static-swift-stdlib --product jwingest
    jwingest=.build/release/jwingest
fi
[ -x "$jwingest" ] || { echo "bench-ingest: no binary at $jwingest" >&2; exit 2; }
jwingest=$(realpath -s "$jwingest")
if [ ! -x /usr/bin/time ]; then
    echo "bench-ingest: installing GNU time"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/bench-ingest.XXXXXX")
sandbox_pid=
cleanup() {
    if [ -n "$sandbox_pid" ]; then
        kill "$sandbox_pid" 2>/dev/null || true
        wait "$sandbox_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 3' INT TERM

# pad_mp4 SOURCE OUT TOTAL-BYTES random|sparse: SOURCE (faststart MP4) + one top-level `free` box up to
# TOTAL-BYTES. A box past the end of the file keeps the MP4 valid: readers skip `free` boxes.
pad_mp4() {
    python3 - "$@" <<'PY'
import os, struct, sys

source, out, total, fill = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
head = open(source, "rb").read()

# Walk the top-level boxes: the source must end exactly at a box boundary and have moov before mdat.
boxes, at = [], 0
while at < len(head):
    size, kind = struct.unpack(">I4s", head[at:at + 8])
    if size == 1:
        size = struct.unpack(">Q", head[at + 8:at + 16])[0]
    elif size == 0:
        size = len(head) - at
    if size < 8 or at + size > len(head):
        sys.exit(f"{source}: broken box {kind!r} at {at}")
    boxes.append(kind.decode("latin-1"))
    at += size
if "moov" not in boxes or "mdat" not in boxes or boxes.index("moov") > boxes.index("mdat"):
    sys.exit(f"{source}: not a faststart MP4 (top-level boxes: {boxes})")

pad = total - len(head)
if pad < 16:
    sys.exit(f"{out}: {total} bytes is not more than {source} ({len(head)} bytes) plus a box header")
if pad < 1 << 32:
    header = struct.pack(">I4s", pad, b"free")
else:
    header = struct.pack(">I4sQ", 1, b"free", pad)  # size 1: the real size follows as a 64-bit largesize

with open(out, "wb") as f:
    f.write(head)
    f.write(header)
    left = pad - len(header)
    if fill == "sparse":
        f.truncate(total)  # a hole: no data written, reads as zeros
    else:
        block = 1 << 20
        while left > 0:
            n = min(block, left)
            f.write(os.urandom(n))
            left -= n
assert os.path.getsize(out) == total
PY
}

# sandbox_cpu: the sandbox's CPU seconds so far (user + system, from /proc)
sandbox_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$sandbox_pid/stat"; }

# minus A B: A - B
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }

# seconds_since START: wall seconds since START (an $EPOCHREALTIME value)
seconds_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }'; }

# best LIST…: the smallest of the numbers
best() { printf '%s\n' "$@" | sort -g | head -1; }

# best_index LIST…: the index (from 0) of the smallest of the numbers
best_index() { printf '%s\n' "$@" | awk 'NR == 1 || $1 < low { low = $1; at = NR - 1 } END { print at }'; }

# ratio A B [DIGITS]: A / B
ratio() { awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN { if (b > 0) printf "%.*f", d, a / b; else print "-" }'; }

# mbps BYTES SECONDS: decimal MB/s
mbps() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s / 1e6; else print "-" }'; }

# ---------------------------------------------------------------------------------------------------------
# The test files

file="$work/bench.mp4"
bytes=$((size_mib * 1024 * 1024))
echo "bench-ingest: making a ${size_mib} MiB MP4 from $base_mp4"
pad_mp4 "$base_mp4" "$file" "$bytes" random
big_file="$work/bench-5g.mp4"
big_bytes=$((5 * 1024 * 1024 * 1024))
if ! $no_run && ! $skip_5g; then
    pad_mp4 "$base_mp4" "$big_file" "$big_bytes" sparse
fi
cat "$file" > /dev/null  # into the page cache, so no measurement pays for the first read from disk
expected_md5=$(md5sum "$file" | cut -c1-32)

# ---------------------------------------------------------------------------------------------------------
# The sandbox (it prints `JW_API_KEY=…`, `JW_API_SECRET=…` and `--endpoint URL` lines on start)

"$jwingest" sandbox --port 0 --no-rate-limit --data "$work/data" > "$work/sandbox.out" 2>&1 &
sandbox_pid=$!
for _ in $(seq 100); do grep -q -- "--endpoint " "$work/sandbox.out" 2>/dev/null && break; sleep 0.1; done
endpoint=$(sed -n 's/^ *--endpoint  *//p' "$work/sandbox.out" | head -1)
api_key=$(sed -n 's/^ *JW_API_KEY=//p' "$work/sandbox.out" | head -1)
api_secret=$(sed -n 's/^ *JW_API_SECRET=//p' "$work/sandbox.out" | head -1)
if [ -z "$endpoint" ] || [ -z "$api_key" ] || [ -z "$api_secret" ]; then
    echo "bench-ingest: the sandbox did not start:" >&2
    cat "$work/sandbox.out" >&2
    exit 1
fi
echo "bench-ingest: sandbox at $endpoint ($jwingest)"

# Stored uploads go after each measurement, so that disk use stays at one copy.
forget_uploads() { find "$work/data" -maxdepth 1 -type f -delete 2>/dev/null || true; }

# stored_count MD5: how many assets the sandbox holds with that stored md5
stored_count() {
    curl -s "$endpoint/_sandbox/assets" \
        | python3 -c "import json, sys; print(sum(a.get('md5') == sys.argv[1] for a in json.load(sys.stdin)))" "$1"
}

# ---------------------------------------------------------------------------------------------------------
# (a) md5sum

md5_times=()
md5_cpu=()
for i in $(seq $repeats); do
    start=$EPOCHREALTIME
    /usr/bin/time -f "%U %S" -o "$work/md5.time" md5sum "$file" > /dev/null
    md5_times+=("$(seconds_since "$start")")
    md5_cpu+=("$(awk '{ printf "%.2f", $1 + $2 }' "$work/md5.time")")
    echo "  md5sum        #$i: ${md5_times[-1]} s (CPU ${md5_cpu[-1]} s)"
done

# ---------------------------------------------------------------------------------------------------------
# (b) curl --form into the sandbox, on a fresh link from /videos/create each time (links are single-use)

curl_times=()
curl_cpu=()
for i in $(seq $repeats); do
    url=$(JW_API_KEY=$api_key JW_API_SECRET=$api_secret "$jwingest" call /videos/create title="bench curl $i" \
        --post --endpoint "$endpoint" --show-secrets | python3 scripts/link-url.py)
    sandbox_before=$(sandbox_cpu)
    start=$EPOCHREALTIME
    /usr/bin/time -f "%U %S" -o "$work/curl.time" curl -s -o "$work/answer" -F "file=@$file" "$url"
    curl_times+=("$(seconds_since "$start")")
    # "CLIENT-CPU SANDBOX-CPU" of this upload
    curl_cpu+=("$(awk '{ printf "%.2f", $1 + $2 }' "$work/curl.time") $(minus "$(sandbox_cpu)" "$sandbox_before")")
    echo "  curl --form   #$i: ${curl_times[-1]} s (CPU: curl, sandbox ${curl_cpu[-1]/ /, } s)"
    if ! grep -q "\"md5\":\"$expected_md5\"" "$work/answer"; then
        echo "bench-ingest: the sandbox did not store the file as sent: $(head -c 500 "$work/answer")" >&2
        exit 1
    fi
    forget_uploads
done

# (e) the same curl upload with md5sum of the same file running beside it
checked_times=()
for i in $(seq $repeats); do
    url=$(JW_API_KEY=$api_key JW_API_SECRET=$api_secret "$jwingest" call /videos/create title="bench checked $i" \
        --post --endpoint "$endpoint" --show-secrets | python3 scripts/link-url.py)
    start=$EPOCHREALTIME
    md5sum "$file" > "$work/local.md5" &
    local_md5=$!
    curl -s -o "$work/answer" -F "file=@$file" "$url"
    wait "$local_md5"
    checked_times+=("$(seconds_since "$start")")
    echo "  curl + md5sum #$i: ${checked_times[-1]} s"
    if ! grep -q "\"md5\":\"$(cut -c1-32 "$work/local.md5")\"" "$work/answer"; then
        echo "bench-ingest: the sandbox's MD5 is not md5sum's: $(head -c 500 "$work/answer")" >&2
        exit 1
    fi
    forget_uploads
done

# ---------------------------------------------------------------------------------------------------------
# (c) and (d) jwingest run: a fresh folder (manifest, journal) per run, so no run resumes an earlier one

# ingest LABEL FILE MD5: one `jwingest run` of a one-item manifest for FILE (whose md5 is MD5, checked in
# the sandbox afterwards); prints "SECONDS PEAK-RSS-KIB CLIENT-CPU SANDBOX-CPU"
ingest() {
    local label=$1 media=$2 md5=$3 dir="$work/run-$1" before
    mkdir -p "$dir"
    ln "$media" "$dir/media.mp4" 2>/dev/null || ln -s "$media" "$dir/media.mp4"
    cat > "$dir/manifest.yaml" <<EOF
version: 1
options:
  upload_method: form
  concurrency: 1
  max_size: 5GiB               # the 5 GiB file of (d) is exactly this
pipeline: [validate, create, upload, verify]
items:
  - id: bench-$label
    file: media.mp4
    title: bench $label
EOF
    before=$(stored_count "$md5")
    sandbox_before=$(sandbox_cpu)
    if ! JW_API_KEY=$api_key JW_API_SECRET=$api_secret /usr/bin/time -v -o "$dir/time" \
        "$jwingest" run "$dir/manifest.yaml" --no-progress --endpoint "$endpoint" > "$dir/log" 2>&1; then
        echo "bench-ingest: jwingest run ($label) failed:" >&2
        tail -n 40 "$dir/log" >&2
        grep -E "Exit status|Command terminated" "$dir/time" >&2 || true
        exit 1
    fi
    sandbox_used=$(minus "$(sandbox_cpu)" "$sandbox_before")
    if [ "$(stored_count "$md5")" -le "$before" ]; then
        echo "bench-ingest: jwingest run ($label) exited 0 but the sandbox holds no new asset with md5 $md5" >&2
        tail -n 40 "$dir/log" >&2
        exit 1
    fi
    forget_uploads
    # GNU time: "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:02.31", "Maximum resident set size (kbytes): N",
    # "User time (seconds): 1.92", "System time (seconds): 0.55"
    awk -F': ' -v sandbox="$sandbox_used" '
        /Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i] }
        /Maximum resident set size/ { rss = $2 }
        /User time \(seconds\)|System time \(seconds\)/ { cpu += $2 }
        END { printf "%.3f %d %.2f %s\n", s, rss, cpu, sandbox }' "$dir/time"
}

run_times=()
run_rss=()
run_cpu=()
big_result=
if ! $no_run; then
    for i in $(seq $repeats); do
        result=$(ingest "$i" "$file" "$expected_md5")
        read -r seconds rss client_cpu run_sandbox_cpu <<< "$result"
        run_times+=("$seconds")
        run_rss+=("$rss")
        run_cpu+=("$client_cpu $run_sandbox_cpu")
        echo "  jwingest run  #$i: $seconds s, peak RSS $((rss / 1024)) MiB (CPU: jwingest, sandbox $client_cpu, $run_sandbox_cpu s)"
    done
    if ! $skip_5g; then
        echo "bench-ingest: jwingest run of the 5 GiB sparse item (md5 first, by md5sum)"
        big_md5=$(md5sum "$big_file" | cut -c1-32)
        big_result=$(ingest 5g "$big_file" "$big_md5")
        read -r big_seconds big_kib _ <<< "$big_result"
        echo "  jwingest run 5 GiB: $big_seconds s, peak RSS $((big_kib / 1024)) MiB"
    fi
fi

# ---------------------------------------------------------------------------------------------------------
# Summary

md5_best=$(best "${md5_times[@]}")
curl_best=$(best "${curl_times[@]}")
checked_best=$(best "${checked_times[@]}")
echo
echo "jwingest ingest benchmark: ${size_mib} MiB MP4 ($bytes bytes), best of $repeats, $(nproc) cores, $jwingest"
printf '%-28s %10s %8s %14s\n' "measurement" "best s" "MB/s" "peak RSS MiB"
printf '%-28s %10s %8s %14s\n' "(a) md5sum" "$md5_best" "$(mbps "$bytes" "$md5_best")" "-"
printf '%-28s %10s %8s %14s\n' "(b) curl --form -> sandbox" "$curl_best" "$(mbps "$bytes" "$curl_best")" "-"
printf '%-28s %10s %8s %14s\n' "(e) curl + md5sum beside" "$checked_best" "$(mbps "$bytes" "$checked_best")" "-"
if ((${#run_times[@]})); then
    run_best=$(best "${run_times[@]}")
    rss_max=$(printf '%s\n' "${run_rss[@]}" | sort -n | tail -1)
    printf '%-28s %10s %8s %14s\n' "(c) jwingest run" "$run_best" "$(mbps "$bytes" "$run_best")" "$((rss_max / 1024))"
    if [ -n "$big_result" ]; then
        read -r big_seconds big_kib _ <<< "$big_result"
        printf '%-28s %10s %8s %14s\n' "(d) jwingest run, 5 GiB" "$big_seconds" "$(mbps "$big_bytes" "$big_seconds")" \
            "$((big_kib / 1024))"
    fi
    echo
    echo "run / curl:   $(ratio "$run_best" "$curl_best") (time; 1.00 = as fast as a bare curl upload)"
    echo "run / md5sum: $(ratio "$run_best" "$md5_best") (time; the file is read once either way)"
    echo "run / (e):    $(ratio "$run_best" "$checked_best") (time; (e) / curl = $(ratio "$checked_best" "$curl_best"):" \
        "a second MD5 pass on these $(nproc) cores)"
    if [ -n "$big_result" ]; then
        echo "peak RSS 5 GiB / ${size_mib} MiB: $(ratio "$big_kib" "$rss_max") (flat = about 1.00)"
    fi
    # What the best runs cost in CPU, and the least time that CPU needs on these cores.
    cores=$(nproc)
    read -r curl_client curl_sandbox <<< "${curl_cpu[$(best_index "${curl_times[@]}")]}"
    read -r run_client run_sandbox <<< "${run_cpu[$(best_index "${run_times[@]}")]}"
    md5_cpu_best=$(best "${md5_cpu[@]}")
    run_floor=$(awk -v a="$run_client" -v b="$run_sandbox" -v n="$cores" 'BEGIN { printf "%.2f", (a + b) / n }')
    echo
    echo "CPU (user + system) of the best (b): curl $curl_client s, sandbox $curl_sandbox s;" \
        "of the best (c): jwingest $run_client s, sandbox $run_sandbox s; md5sum alone (a): $md5_cpu_best s"
    echo "run's CPU / $cores cores: $run_floor s, $(ratio "$run_floor" "$curl_best") x curl's time: no run on these" \
        "cores takes less (both sides hash the file: 2 x $md5_cpu_best s of MD5 alone)"
else
    echo
    echo "curl / md5sum: $(ratio "$curl_best" "$md5_best") (time; jwingest run not measured: --no-run)"
fi
