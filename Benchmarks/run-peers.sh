#!/usr/bin/env bash
# Benchmark flexsched against HiGHS and CBC on the same scenarios and the same time limit.
# Installs the peers first (they are benchmark tools, not test dependencies), then runs the harness.
#   bash Benchmarks/run-peers.sh [--sizes S,M,L,XL] [--time-limit SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
command -v cbc >/dev/null || { apt-get update && apt-get install -y --no-install-recommends coinor-cbc; }
python3 -c 'import highspy' 2>/dev/null || python3 -m pip install --quiet highspy
swift build -c release --product flexsched-bench
[ $# -gt 0 ] || set -- --sizes S,M,L
.build/release/flexsched-bench --peers "$@"
