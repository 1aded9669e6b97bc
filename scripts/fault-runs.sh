#!/usr/bin/env bash
# The larger versions of the failure tests (Tests/JWIngestTests/FailureRunTests.swift), beyond what CI
# runs: a faulty sandbox (5 % 500s, 2 % uploads dropped, 1 % wrong md5 answers) under a real 60/min rate
# limit with ITEMS items, and `jwingest run` killed with SIGKILL KILLS times before it is run to the end.
# Each checks through the sandbox's inspection that every item arrived exactly once with the right md5.
#
#   scripts/fault-runs.sh [ITEMS] [KILLS]      defaults 1000 and 20
#
# 1,000 items at 60 creates a minute take about 17 minutes: the limit is the point.
set -euo pipefail
cd "$(dirname "$0")/.."
items=${1:-1000}
kills=${2:-20}
swift build --build-tests
echo "fault-runs: $items items under faults and a 60/min limit; $kills kills"
time JWINGEST_FAULT_ITEMS=$items JWINGEST_KILLS=$kills swift test --skip-build \
    --filter 'FailureRunTests/(faultyServer|killedAndResumed)'
