#!/usr/bin/env bash
# The README's test command: prepares what the tests need, then runs `swift test` (arguments are passed
# on, e.g. `scripts/test.sh --filter RunCommandTests`).
#
# - System packages: libxml2 and SQLite headers with pkg-config (to build), php-cli, python3 and curl (the
#   tests use them as producers, readers and clients nobody here wrote). Installed with apt-get when run
#   as root; otherwise the missing ones are listed and the script stops.
# - The official Python client jwplatform==2.2.2, in a virtual environment under .build/test-venv (never
#   the system's Python); the tests find it there, or through JWINGEST_TEST_PYTHON.
# - A throw-away PostgreSQL cluster on 127.0.0.1 (scripts/postgres.sh), its URL exported as
#   JWINGEST_TEST_POSTGRES_URL for the tests of the shared journal, stopped and removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
dpkg -s libxml2-dev >/dev/null 2>&1 || missing+=(libxml2-dev)
dpkg -s libsqlite3-dev >/dev/null 2>&1 || missing+=(libsqlite3-dev)   # the journal (GRDB) links the system SQLite
command -v php >/dev/null 2>&1 || missing+=(php-cli)       # the PHP serialize() writer test reads with real PHP
command -v python3 >/dev/null 2>&1 || missing+=(python3)   # pickles, raw sockets, the official client
command -v curl >/dev/null 2>&1 || missing+=(curl)         # the sandbox is tested with curl
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)   # the shared journal's tests
if ((${#missing[@]})); then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "test.sh: installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "test.sh: the tests need these packages: ${missing[*]}" >&2
        echo "test.sh: install them (e.g. sudo apt-get install -y ${missing[*]}), then run scripts/test.sh again" >&2
        exit 1
    fi
fi

venv=.build/test-venv
if ! "$venv/bin/python3" -c "import jwplatform.version as v; assert v.__version__ == '2.2.2'" 2>/dev/null; then
    echo "test.sh: preparing $venv with jwplatform==2.2.2"
    mkdir -p .build
    rm -rf "$venv"
    if ! python3 -m venv "$venv" 2>/dev/null; then
        # Debian's python3 keeps venv (ensurepip) in a package of its own.
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
            rm -rf "$venv"
            python3 -m venv "$venv"
        else
            echo "test.sh: python3 cannot make a virtual environment; install python3-venv" >&2
            exit 1
        fi
    fi
    "$venv/bin/python3" -m pip install -q --disable-pip-version-check jwplatform==2.2.2
fi
export JWINGEST_TEST_PYTHON="$PWD/$venv/bin/python3"

eval "$(scripts/postgres.sh start)"
trap 'scripts/postgres.sh stop "$JWINGEST_TEST_POSTGRES_DIR"' EXIT
echo "test.sh: PostgreSQL at $JWINGEST_TEST_POSTGRES_URL"

# A hang must fail the run with its name, not use up CI's time: the suite takes under 5 minutes, so after
# JWINGEST_TEST_DEADLINE seconds (default 1200) swift test is stopped and the tests that started without
# ending are listed.
deadline=${JWINGEST_TEST_DEADLINE:-1200}
log=$(mktemp /tmp/jwingest-test.XXXXXX)
trap 'scripts/postgres.sh stop "$JWINGEST_TEST_POSTGRES_DIR"; rm -f "$log"' EXIT
echo "test.sh: swift test $* (stopped after $deadline s)"
status=0
timeout --kill-after=30 "$deadline" swift test "$@" 2>&1 | tee "$log" || status=${PIPESTATUS[0]}
if [ "$status" = 124 ] || [ "$status" = 137 ]; then
    echo "test.sh: swift test did not end within $deadline s; these tests started and never ended:" >&2
    python3 - "$log" >&2 <<'PY'
import re, sys
started, ended = [], set()
for line in open(sys.argv[1], errors="replace"):
    found = re.search(r'Test "(.*)" started\.', line)
    if found:
        started.append(found.group(1))
    found = re.search(r'Test "(.*)" (?:passed|failed|skipped)', line)
    if found:
        ended.add(found.group(1))
for name in started:
    if name not in ended:
        print("  -", name)
PY
fi
exit "$status"
