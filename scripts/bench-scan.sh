#!/usr/bin/env bash
# Speed and memory of `jwingest scan` over a tree of N small files, against `find` on the same tree in the
# same run:
#
#   (a) find DIR -type f | wc -l      walking the tree and nothing else (run twice: the first warms the cache)
#   (b) jwingest scan DIR --out M     walk, probe every file, pair sidecars, write the YAML manifest:
#                                     wall time, files/s and peak RSS (/usr/bin/time -v)
#
#   scripts/bench-scan.sh [N]        N files (default 20000)
#
# The tree: folders of 100 files, in each 70 copies of manifests/media/intro.mp4 (a valid 3 s MP4), 10
# thumbnails and 10 English captions paired with some of them, and 10 text files that are not media.
# Builds the release binary first (`swift build -c release --static-swift-stdlib --product jwingest`, under the shared build
# lock /tmp/jwbuild.lock); JWINGEST=PATH uses that binary instead. Needs python3 and GNU time. The tree is
# made under ${TMPDIR:-/tmp} and removed on exit.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

count=${1:-20000}
case "$count" in
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    '' | *[!0-9]*) echo "bench-scan: N must be a number of files, not '$count'" >&2; exit 2 ;;
esac
[ -x /usr/bin/time ] || { echo "bench-scan: needs GNU time (/usr/bin/time)" >&2; exit 2; }

if [ -n "${JWINGEST:-}" ]; then
    binary=$JWINGEST
else
    echo "building release…" >&2
    flock /tmp/jwbuild.lock swift build -c release --static-swift-stdlib --product jwingest >&2
    binary=.build/release/jwingest
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/jwingest-bench-scan.XXXXXX")
trap 'rm -rf "$work"' EXIT
tree=$work/media

python3 - "$tree" "$count" <<'PY'
import os, sys
root, total = sys.argv[1], int(sys.argv[2])
media = open("manifests/media/intro.mp4", "rb").read()
thumbnail = open("manifests/media/intro.jpg", "rb").read()
captions = open("manifests/media/intro.en.vtt", "rb").read()
made = 0
folder = 0
while made < total:
    path = os.path.join(root, f"part{folder // 10:03d}", f"batch{folder:04d}")
    os.makedirs(path, exist_ok=True)
    for slot in range(min(100, total - made)):
        kind = slot % 10
        if kind < 7:
            name, data = f"clip{slot:03d}.mp4", media
        elif kind == 7:
            name, data = f"clip{slot - 7:03d}.jpg", thumbnail
        elif kind == 8:
            name, data = f"clip{slot - 8:03d}.en.vtt", captions
        else:
            name, data = f"notes{slot:03d}.txt", b"not media\n"
        with open(os.path.join(path, name), "wb") as f:
            f.write(data)
        made += 1
    folder += 1
PY

measure() { # prints seconds
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}
find_count=$(find "$tree" -type f | wc -l)
find_seconds=$(measure sh -c "find '$tree' -type f | wc -l")
find_seconds=$(measure sh -c "find '$tree' -type f | wc -l")

"$binary" scan "$tree" --out "$work/warm.yaml" 2>/dev/null # the probe's reads from the page cache, as find's
/usr/bin/time -v -o "$work/time.txt" "$binary" scan "$tree" --out "$work/catalog.yaml" 2>"$work/summary.txt"
scan_seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$work/time.txt")
rss_kib=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
items=$(grep -c '^  - id: ' "$work/catalog.yaml")

echo "files: $find_count in $(find "$tree" -type d | wc -l) folders"
head -2 "$work/summary.txt"
printf 'find -type f | wc -l : %.3f s (%.0f files/s)\n' "$find_seconds" "$(echo "$find_count / $find_seconds" | bc -l)"
printf 'jwingest scan        : %.3f s (%.0f files/s), %d items, peak RSS %.1f MiB\n' "$scan_seconds" \
    "$(echo "$find_count / $scan_seconds" | bc -l)" "$items" "$(echo "$rss_kib / 1024" | bc -l)"
printf 'scan / find          : %.1f x\n' "$(echo "$scan_seconds / $find_seconds" | bc -l)"
