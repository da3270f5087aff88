#!/usr/bin/env bash
# The scaling curve: planted weeks of 100, 250, 500, 1000 and 2000 students (shaped like XL), each
# solved in its own process (so peak memory is that size's own) with the default patience and a
# 300 s ceiling, then Benchmarks/scaling.py plots time to zero unmet, objective and peak memory
# against students into Benchmarks/scaling.png.
#   bash Benchmarks/scaling.sh [STUDENTS ...]      (BUILD_DIR picks the build folder, default .build)
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/python-venv.sh
build="${BUILD_DIR:-.build}"
swift build -c release --scratch-path "$build" --product flexsched-bench
[ $# -gt 0 ] || set -- 100 250 500 1000 2000
results=.build/scaling.csv
rm -f "$results"
for students in "$@"; do
    "$build/release/flexsched-bench" --students "$students" --time-limit 300 --patience 10 --csv "$results"
done
python3 Benchmarks/scaling.py "$results" Benchmarks/scaling.png
