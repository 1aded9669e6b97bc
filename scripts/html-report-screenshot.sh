#!/usr/bin/env bash
# A screenshot of the HTML report of the demo run, taken by headless Chromium: docs/report.png.
#
#   scripts/html-report-screenshot.sh [OUT.png]
#
# 1. Installs Chromium from Debian's packages when it is missing (`apt-get install -y chromium`; needs root).
# 2. Starts the local sandbox (`jwingest sandbox --port 0`) and reads its endpoint and credentials.
# 3. Runs manifests/demo.yaml into it with a journal of its own, then writes the page from that journal:
#    `jwingest report manifests/demo.yaml --journal … --html …`. (A page rebuilt from a journal has no
#    stage times; when `jwingest run` takes `--html` itself, the page is written by the run instead and
#    shows them.)
# 4. `chromium --headless --screenshot` of the page at 1280×1600, then checks that the result is a PNG of
#    a plausible size (more than 20 KB: not a blank page).
#
# Builds jwingest first (`swift build --product jwingest`, under flock /tmp/jwbuild.lock when flock is
# there, since builds share the machine); JWINGEST=PATH uses that binary instead and builds nothing.
# The page is self-contained, so Chromium runs with networking of no use to it; nothing is fetched.
# Everything it made (the sandbox and its files, the journal, the page, Chromium's profile) is removed
# and the sandbox stopped on exit.
set -euo pipefail

cd "$(dirname "$0")/.."
out=${1:-docs/report.png}

browser=
for name in chromium chromium-browser; do
    if command -v "$name" > /dev/null; then
        browser=$(command -v "$name")
        break
    fi
done
if [ -z "$browser" ]; then
    echo "html-report-screenshot: installing chromium (apt-get install -y chromium)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium > /dev/null \
        || { apt-get update > /dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium > /dev/null; }
    browser=$(command -v chromium)
fi

if [ -n "${JWINGEST:-}" ]; then
    jwingest=$JWINGEST
else
    lock=()
    if command -v flock > /dev/null; then lock=(flock /tmp/jwbuild.lock); fi
    "${lock[@]}" swift build --product jwingest >&2
    jwingest="$(swift build --show-bin-path)/jwingest"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/jwingest-screenshot.XXXXXX")
sandbox_pid=
cleanup() {
    if [ -n "$sandbox_pid" ]; then
        kill "$sandbox_pid" 2> /dev/null || true
        wait "$sandbox_pid" 2> /dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# The sandbox prints `--endpoint URL`, `JW_API_KEY=…` and `JW_API_SECRET=…` lines on start.
"$jwingest" sandbox --port 0 --no-rate-limit --data "$work/data" > "$work/sandbox.out" 2>&1 &
sandbox_pid=$!
for _ in $(seq 300); do grep -q -- "--endpoint " "$work/sandbox.out" 2> /dev/null && break; sleep 0.1; done
endpoint=$(sed -n 's/^ *--endpoint  *//p' "$work/sandbox.out" | head -1)
api_key=$(sed -n 's/^ *JW_API_KEY=//p' "$work/sandbox.out" | head -1)
api_secret=$(sed -n 's/^ *JW_API_SECRET=//p' "$work/sandbox.out" | head -1)
if [ -z "$endpoint" ] || [ -z "$api_key" ] || [ -z "$api_secret" ]; then
    echo "html-report-screenshot: the sandbox did not start:" >&2
    cat "$work/sandbox.out" >&2
    exit 1
fi

page="$work/report.html"
journal="$work/journal.sqlite"
export JW_API_KEY=$api_key JW_API_SECRET=$api_secret
if "$jwingest" run --help 2> /dev/null | grep -q -- '--html'; then
    "$jwingest" run manifests/demo.yaml --endpoint "$endpoint" --journal "$journal" --no-progress \
        --html "$page" >&2
else
    "$jwingest" run manifests/demo.yaml --endpoint "$endpoint" --journal "$journal" --no-progress >&2
    "$jwingest" report manifests/demo.yaml --endpoint "$endpoint" --journal "$journal" --html "$page" >&2
fi
unset JW_API_KEY JW_API_SECRET

mkdir -p "$(dirname "$out")"
rm -f "$out"
case "$out" in
/*) target=$out ;;
*) target="$PWD/$out" ;;
esac
# --user-data-dir inside $work: the profile goes with it. --no-sandbox: Chromium's own sandbox refuses root.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile" \
    --screenshot="$target" --window-size=1280,1600 "file://$page" > "$work/chromium.log" 2>&1 || {
    cat "$work/chromium.log" >&2
    exit 1
}

if [ ! -f "$out" ] || [ "$(head -c 8 "$out" | od -An -tx1 | tr -d ' \n')" != "89504e470d0a1a0a" ]; then
    echo "html-report-screenshot: $out is not a PNG" >&2
    cat "$work/chromium.log" >&2
    exit 1
fi
size=$(stat -c %s "$out")
if [ "$size" -lt 20000 ]; then
    echo "html-report-screenshot: $out is only $size bytes: a blank page?" >&2
    exit 1
fi
echo "html-report-screenshot: $out ($size bytes, 1280x1600)"
