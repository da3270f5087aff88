#!/usr/bin/env bash
# Load run against the web app's pages on the bundled mid-size week (120 students, 14 teachers,
# 9 rooms: 143 private links), solved for 20 s and published. With wrk -t2 -c32 --latency on loopback:
#   1. every personal page (/me/TOKEN) in turn, no sign-in;
#   2. every teacher's grid (/runs/RUN/teachers/ID) in turn, signed in;
#   3. the calendar feeds (wrk -t1 -c8) while /me is flooded at the same time (wrk -t1 -c32).
#   bash Benchmarks/pages-load.sh [--port PORT] [--duration SECONDS]
# CONFIGURATION=debug measures the debug build instead of the release one (quicker to build, slower).
# A benchmark, not a test: nothing here fails on speed.
set -euo pipefail
cd "$(dirname "$0")/.."
port=18766
source Benchmarks/load-common.sh

added=$("$bin/flexsched" users add bench --admin --data "$work/data")
token=$(sed -n 's/^API token: *//p' <<<"$added")
password=$(sed -n 's/^password: *//p' <<<"$added")
"$bin/flexsched" serve --data "$work/data" --port "$port" --workers 1 >"$work/serve.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
auth="Authorization: Bearer $token"
until curl -fs -H "$auth" "$base/api/v1/scenarios" >/dev/null; do sleep 0.2; done

scenario=$(curl -fs -H "$auth" -H 'Content-Type: application/yaml' --data-binary @Scenarios/midsize-week.yaml "$base/api/v1/scenarios" | json 'd["id"]')
run=$(curl -fs -H "$auth" -d '{"timeLimit": 20}' "$base/api/v1/scenarios/$scenario/runs" | json 'd["run"]')
while true; do
  state=$(curl -fs -H "$auth" "$base/api/v1/runs/$run" | json 'd["state"]')
  case "$state" in done) break ;; queued|running) sleep 1 ;; *) echo "run $run ended $state" >&2; exit 1 ;; esac
done
curl -fs -X POST -H "$auth" "$base/api/v1/runs/$run/publish" >/dev/null
links=$(curl -fs -H "$auth" "$base/api/v1/scenarios/$scenario/feeds")
json '"\n".join("/" + f["page"].split("://", 1)[1].split("/", 1)[1] for f in d)' <<<"$links" >"$work/me.txt"
json '"\n".join("/" + f["url"].split("://", 1)[1].split("/", 1)[1] for f in d)' <<<"$links" >"$work/cal.txt"
json '"\n".join("/runs/'"$run"'/teachers/" + f["id"] for f in d if f["kind"] == "teacher")' <<<"$links" >"$work/grids.txt"

# Sign in as a browser does: the form's double-submit token, then the session cookie.
csrf=$(curl -fs -c "$work/jar" "$base/signin" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -fs -o /dev/null -b "$work/jar" -c "$work/jar" --data-urlencode "csrf=$csrf" --data-urlencode "name=bench" \
  --data-urlencode "password=$password" "$base/signin"
session=$(awk '$6 == "flexsched_session" { print $7 }' "$work/jar")
[ -n "$session" ] || { echo "sign-in failed" >&2; exit 1; }
echo "== $(wc -l <"$work/me.txt") personal pages, $(wc -l <"$work/grids.txt") teacher grids; a page is $(curl -fs "$base$(head -1 "$work/me.txt")" | wc -c) bytes"

# One request per page first: the first request for a page draws it, every later one is served drawn.
warm=$(date +%s.%N)
while read -r page; do curl -fs -o /dev/null "$base$page"; done <"$work/me.txt"
while read -r page; do curl -fs -o /dev/null -H "Cookie: flexsched_session=$session" "$base$page"; done <"$work/grids.txt"
echo "== drawing every page once took $(python3 -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 1))" "$warm" "$(date +%s.%N)") s"

load() { # label, paths, wrk options...
  local label=$1 paths=$2; shift 2
  echo "== $label"
  wrk "$@" -d"${duration}s" --latency -s Benchmarks/feeds.lua "$base" -- "$paths"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}
load "/me/TOKEN, every personal page in turn" "$work/me.txt" -t2 -c32
load "signed-in teacher grids" "$work/grids.txt" -t2 -c32 -H "Cookie: flexsched_session=$session"
load "/me flooded (wrk -t1 -c32), alongside the feeds below" "$work/me.txt" -t1 -c32 >"$work/flood.txt" &
flood=$!
sleep 1
load "feeds while /me is flooded" "$work/cal.txt" -t1 -c8
wait "$flood"
cat "$work/flood.txt"
