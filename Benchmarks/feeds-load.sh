#!/usr/bin/env bash
# Load run against the web app's private calendar feeds for a generated 1,000-student school
# (flexsched-bench size XL): wrk on loopback for 10 s while the server is idle, then again while a
# solve runs on it. Prints requests/s, the latency distribution and the load average of each.
#   bash Benchmarks/feeds-load.sh [--port PORT] [--duration SECONDS]
# CONFIGURATION=debug measures the debug build instead of the release one (quicker to build, slower).
# Installs wrk (Debian) when missing. A benchmark, not a test: nothing here fails on speed.
set -euo pipefail
cd "$(dirname "$0")/.."
products=flexsched-bench port=18765
source Benchmarks/load-common.sh

# The XL school: the harness writes it, then starts solving it, which is not needed here.
"$bin/flexsched-bench" --sizes XL --time-limit 1 --write-scenarios "$work" >/dev/null 2>&1 &
bench=$!
until [ -s "$work/xl.yaml" ]; do sleep 0.2; done
kill "$bench" 2>/dev/null; wait "$bench" 2>/dev/null || true

token=$("$bin/flexsched" users add bench --admin --data "$work/data" | sed -n 's/^API token: *//p')
"$bin/flexsched" serve --data "$work/data" --port "$port" --workers 1 >"$work/serve.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
auth="Authorization: Bearer $token"
until curl -fs -H "$auth" "$base/api/v1/scenarios" >/dev/null; do sleep 0.2; done

scenario=$(curl -fs -H "$auth" -H 'Content-Type: application/yaml' --data-binary @"$work/xl.yaml" "$base/api/v1/scenarios" | json 'd["id"]')
wait_for() { # run, states...
  local run=$1; shift
  while true; do
    state=$(curl -fs -H "$auth" "$base/api/v1/runs/$run" | json 'd["state"]')
    for s in "$@"; do [ "$state" = "$s" ] && return 0; done
    case "$state" in queued|running) sleep 1 ;; *) echo "run $run ended $state" >&2; exit 1 ;; esac
  done
}
run=$(curl -fs -H "$auth" -d '{"timeLimit": 30}' "$base/api/v1/scenarios/$scenario/runs" | json 'd["run"]')
wait_for "$run" done
curl -fs -X POST -H "$auth" "$base/api/v1/runs/$run/publish" >/dev/null
curl -fs -H "$auth" "$base/api/v1/scenarios/$scenario/feeds" \
  | json '"\n".join("/" + f["url"].split("://", 1)[1].split("/", 1)[1] for f in d)' >"$work/paths.txt"
feeds=$(wc -l <"$work/paths.txt")
bytes=$(curl -fs "$base$(head -1 "$work/paths.txt")" | wc -c)
echo "== $feeds private feeds published (teachers, students, rooms); the first is $bytes bytes"

load() { # label
  echo "== $1"
  wrk -t2 -c32 -d"${duration}s" --latency -s Benchmarks/feeds.lua "$base" -- "$work/paths.txt"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}
load "idle server"
busy=$(curl -fs -H "$auth" -d '{"timeLimit": 600}' "$base/api/v1/scenarios/$scenario/runs" | json 'd["run"]')
wait_for "$busy" running
sleep 2
load "while run $busy solves"
curl -fs -X DELETE -H "$auth" "$base/api/v1/runs/$busy" >/dev/null
