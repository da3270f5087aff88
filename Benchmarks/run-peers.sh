#!/usr/bin/env bash
# Benchmark flexsched against HiGHS, CBC and CP-SAT on the same scenarios and the same time limit.
# Installs the peers first (they are benchmark tools, not dependencies of the package or its tests:
# CBC from Debian, the Python ones into a venv under .build/), then runs the harness.
#   bash Benchmarks/run-peers.sh [--peers] [--cpsat] [--over-subscribed] [--sizes S,M,L,XL] [--time-limit SECONDS]
# With no arguments: --peers --sizes S,M,L (HiGHS and CBC). BUILD_DIR picks the build folder (.build).
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/python-venv.sh
export DEBIAN_FRONTEND=noninteractive
command -v cbc >/dev/null || { apt-get update && apt-get install -y --no-install-recommends coinor-cbc; }
build="${BUILD_DIR:-.build}"
swift build -c release --scratch-path "$build" --product flexsched-bench
[ $# -gt 0 ] || set -- --peers --sizes S,M,L
"$build/release/flexsched-bench" "$@"
