#!/usr/bin/env bash
# A district on one PostgreSQL database (issue 29), next to the single SQLite process. Starts a
# PostgreSQL cluster of its own (Debian's packages, a temporary data folder, a free loopback port,
# as the `postgres` account when run as root), and measures:
#   1. private calendar feeds of a generated 1,000-student school (flexsched-bench size XL, solved
#      30 s and published), wrk -t2 -c32 --latency on loopback through
#        (a) one `flexsched serve --data DIR` (SQLite), as Benchmarks/feeds-load.sh does;
#        (b) one `flexsched serve --database URL --workers 0`;
#        (c) two such servers on the same database at once, one wrk -t1 -c16 on each: their sum and each;
#      every configuration first gets a 3 s wrk pass that fills its servers' feed caches;
#   2. runs per minute with 1, 2 and 4 `flexsched worker --jobs 1` processes: 30 generated schools
#      (sizes S and M, generator seeds 1-15, each under a name of its own) uploaded once, then per
#      worker count 30 runs (timeLimit 5 s) queued through a `--workers 0` server before the workers
#      start; the wall time from starting the workers until the database shows all 30 finished, and
#      the GLPK sub-problems the runs solved (a run stopped by its time limit does less on a busy core);
#   3. the time from a worker's death to its run being queued again: two workers each solving a run
#      of timeLimit 120, one SIGKILLed, the `run` table polled with psql every 100 ms until the dead
#      worker's run is `queued` again (or claimed by another worker, or `interrupted`); 3 times.
#
#   bash Benchmarks/district.sh [--port PORT] [--duration SECONDS]
# --port is the first of three consecutive ports for the servers (default 18767); --duration is each
# wrk run's (default 10). SCRATCH_PATH picks the build folder (default .build), CONFIGURATION=debug
# the debug build. Installs wrk (Debian) when missing; needs Debian's `postgresql`, curl and python3.
# A benchmark, not a test: nothing here fails on speed.
set -euo pipefail
cd "$(dirname "$0")/.."
products=flexsched-bench port=18767
source Benchmarks/load-common.sh

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n | tail -1)
[ -x "$pgbin/initdb" ] || { echo "PostgreSQL is not installed: apt-get install postgresql" >&2; exit 2; }
command -v psql >/dev/null || { echo "psql is needed (Debian's postgresql-client)" >&2; exit 2; }

# Everything this script starts, stopped at exit; the cluster stopped and deleted.
pids=() pgdir=
# A process this shell started and has not reaped yet (a stopped one's pid may be someone else's now).
mine() { [ "$(ps -o ppid= -p "$1" 2>/dev/null | tr -d ' ')" = "$$" ]; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  local pid ours=()
  for pid in ${pids[@]+"${pids[@]}"}; do if mine "$pid"; then ours+=("$pid"); fi; done
  for pid in ${ours[@]+"${ours[@]}"}; do kill -9 "$pid" 2>/dev/null || true; done
  for pid in ${ours[@]+"${ours[@]}"}; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$pgdir" ]; then
    as_pg "$pgbin/pg_ctl" stop -D "$pgdir/data" -m immediate -w -t 30 >/dev/null 2>&1 || true
    rm -rf "$pgdir"
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
start() { # log, command...: starts a process in the background; its pid in $started
  local log=$1; shift
  "$@" >"$log" 2>&1 &
  started=$!
  pids+=("$started")
}
stop() { # pid...: SIGTERM, then waits
  local pid
  for pid in "$@"; do kill "$pid" 2>/dev/null || true; done
  for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
}
now() { date +%s.%N; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# PostgreSQL: the tests' flags (Tests/ServerTestSupport/TemporaryPostgres.swift), fsync left on.
if [ "$(id -u)" = 0 ]; then
  pgdir=$(mktemp -d /tmp/flexsched-district-pg.XXXXXX) pguser=postgres
  chown postgres:postgres "$pgdir"
else
  pgdir=$(mktemp -d) pguser=$(id -un)
fi
as_pg "$pgbin/initdb" -D "$pgdir/data" -U "$pguser" --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >"$work/initdb.log" 2>&1
pgport=$(free_port)
as_pg "$pgbin/pg_ctl" start -D "$pgdir/data" -l "$pgdir/server.log" -w -t 60 \
  -o "-p $pgport -k $pgdir -c listen_addresses=127.0.0.1 -c max_connections=200" >/dev/null
sql() { psql -h 127.0.0.1 -p "$pgport" -U "$pguser" -d "$1" -AtX -c "$2"; }
database() { # name: a new database, its URL
  as_pg "$pgbin/createdb" -h 127.0.0.1 -p "$pgport" -U "$pguser" "$1"
  echo "postgres://$pguser@127.0.0.1:$pgport/$1"
}

serve() { # port, log, store options...: a server; its pid in $started once it answers
  local p=$1 log=$2; shift 2
  start "$log" "$bin/flexsched" serve --port "$p" "$@"
  until curl -fs -H "$auth" "http://127.0.0.1:$p/api/v1/scenarios" >/dev/null; do
    kill -0 "$started" 2>/dev/null || { echo "the server on port $p exited:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.2
  done
}
upload() { # base, file: the scenario's id
  curl -fs -H "$auth" -H 'Content-Type: application/yaml' --data-binary @"$2" "$1/api/v1/scenarios" | json 'd["id"]'
}
queue() { # base, scenario, time limit: the run's id
  curl -fs -H "$auth" -d "{\"timeLimit\": $3}" "$1/api/v1/scenarios/$2/runs" | json 'd["run"]'
}
wait_done() { # base, run
  local state
  while true; do
    state=$(curl -fs -H "$auth" "$1/api/v1/runs/$2" | json 'd["state"]')
    case "$state" in done) return 0 ;; queued|running) sleep 1 ;; *) echo "run $2 ended $state" >&2; exit 1 ;; esac
  done
}
# wrk's summary as one line: requests/s, latency p50 p90 p99 max in ms, non-2xx answers.
wrk_line() {
  python3 - "$1" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
def ms(v):
    n, unit = re.match(r"([\d.]+)(us|ms|s|m)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p = {k: ms(v) for k, v in re.findall(r"^\s+(50|90|99)%\s+(\S+)", text, re.M)}
mx = ms(re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
errors = re.search(r"Socket errors:.*", text)
print(f"{rps:.0f} {p['50']:.2f} {p['90']:.2f} {p['99']:.2f} {mx:.1f} {bad.group(1) if bad else 0}{' (' + errors.group(0) + ')' if errors else ''}")
EOF
}
row() { # label, wrk output file
  local r; r=($(wrk_line "$2"))
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" "${r[0]}" "${r[1]}" "${r[2]}" "${r[3]}" "${r[4]}" "${r[*]:5}"
}
feeds_wrk() { # output file, threads, connections, seconds, base
  wrk -t"$2" -c"$3" -d"$4s" --latency -s Benchmarks/feeds.lua "$5" -- "$work/paths.txt" >"$1"
}

echo "== $(nproc) cores; load average at start $(loadavg); PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on port $pgport"

# The schools: the XL school for the feeds; for the runs, S and M of generator seeds 1-15, each
# renamed (scenarios are keyed by name). The harness writes them, then would solve them: not needed.
generate() { # folder, sizes, last file written, harness options...
  local dir=$1 sizes=$2 last=$3; shift 3
  mkdir -p "$dir"
  "$bin/flexsched-bench" --sizes "$sizes" --time-limit 1 --write-scenarios "$dir" "$@" >/dev/null 2>&1 &
  local harness=$!
  pids+=("$harness")
  until [ -s "$dir/$last" ] || ! kill -0 "$harness" 2>/dev/null; do sleep 0.1; done
  kill "$harness" 2>/dev/null || true; wait "$harness" 2>/dev/null || true
  [ -s "$dir/$last" ] || { echo "the harness wrote no $dir/$last" >&2; exit 1; }
}
generate "$work/xl" XL xl.yaml
mkdir -p "$work/schools"
for seed in $(seq 1 15); do
  generate "$work/gen/$seed" S,M m.yaml --seed "$seed"
  for size in s m; do
    sed "s/^name: .*/name: \"District school ${size^^} seed $seed\"/" "$work/gen/$seed/$size.yaml" >"$work/schools/$size-$seed.yaml"
  done
done
schools=("$work"/schools/*.yaml)
echo "== ${#schools[@]} schools generated for the runs; the XL school for the feeds"

# ---------------------------------------------------------------------------------------------
echo
echo "## 1. Private calendar feeds of the XL school (wrk ${duration}s each, after a 3 s warm-up)"
token=$("$bin/flexsched" users add bench --admin --data "$work/sqlite" | sed -n 's/^API token: *//p')
auth="Authorization: Bearer $token"
base="http://127.0.0.1:$port"
serve "$port" "$work/sqlite.log" --data "$work/sqlite" --workers 1
sqlite_server=$started
scenario=$(upload "$base" "$work/xl/xl.yaml")
run=$(queue "$base" "$scenario" 30)
wait_done "$base" "$run"
curl -fs -X POST -H "$auth" "$base/api/v1/runs/$run/publish" >/dev/null
curl -fs -H "$auth" "$base/api/v1/scenarios/$scenario/feeds" \
  | json '"\n".join("/" + f["url"].split("://", 1)[1].split("/", 1)[1] for f in d)' >"$work/paths.txt"
echo "== $(wc -l <"$work/paths.txt") private feeds published; the first is $(curl -fs "$base$(head -1 "$work/paths.txt")" | wc -c) bytes"
feeds_wrk "$work/warm.txt" 2 32 3 "$base"
echo "load average before (a): $(loadavg)"
feeds_wrk "$work/wrk-sqlite.txt" 2 32 "$duration" "$base"
echo "load average after (a): $(loadavg)"
stop "$sqlite_server"

feedsdb=$(database feeds)
token=$("$bin/flexsched" users add bench --admin --database "$feedsdb" | sed -n 's/^API token: *//p')
auth="Authorization: Bearer $token"
baseA="http://127.0.0.1:$((port + 1))" baseB="http://127.0.0.1:$((port + 2))"
serve "$((port + 1))" "$work/serve-a.log" --database "$feedsdb" --workers 0
serverA=$started
serve "$((port + 2))" "$work/serve-b.log" --database "$feedsdb" --workers 0
serverB=$started
start "$work/feeds-worker.log" "$bin/flexsched" worker --database "$feedsdb" --jobs 1
worker=$started
scenario=$(upload "$baseA" "$work/xl/xl.yaml")
run=$(queue "$baseA" "$scenario" 30)
wait_done "$baseA" "$run"
stop "$worker"
curl -fs -X POST -H "$auth" "$baseA/api/v1/runs/$run/publish" >/dev/null
curl -fs -H "$auth" "$baseA/api/v1/scenarios/$scenario/feeds" \
  | json '"\n".join("/" + f["url"].split("://", 1)[1].split("/", 1)[1] for f in d)' >"$work/paths.txt"
echo "== published again on PostgreSQL: $(wc -l <"$work/paths.txt") private feeds"

# (b) one server alone (B idle), then (c) both at once.
feeds_wrk "$work/warm.txt" 2 32 3 "$baseA"
echo "load average before (b): $(loadavg)"
feeds_wrk "$work/wrk-pg1.txt" 2 32 "$duration" "$baseA"
echo "load average after (b): $(loadavg)"
feeds_wrk "$work/warm.txt" 2 32 3 "$baseB"
echo "load average before (c): $(loadavg)"
wrk -t1 -c16 -d"${duration}s" --latency -s Benchmarks/feeds.lua "$baseA" -- "$work/paths.txt" >"$work/wrk-pg2a.txt" &
wrkA=$!
pids+=("$wrkA")
feeds_wrk "$work/wrk-pg2b.txt" 1 16 "$duration" "$baseB"
wait "$wrkA"
echo "load average after (c): $(loadavg)"
stop "$serverA" "$serverB"

echo
echo "| feeds through | requests/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx |"
echo "|---|---|---|---|---|---|---|"
row "(a) 1 server, SQLite (wrk -t2 -c32)" "$work/wrk-sqlite.txt"
row "(b) 1 server, PostgreSQL (wrk -t2 -c32)" "$work/wrk-pg1.txt"
row "(c) 2 servers, PostgreSQL: server A (wrk -t1 -c16)" "$work/wrk-pg2a.txt"
row "(c) 2 servers, PostgreSQL: server B (wrk -t1 -c16)" "$work/wrk-pg2b.txt"
a=($(wrk_line "$work/wrk-pg2a.txt")) b=($(wrk_line "$work/wrk-pg2b.txt"))
echo "| (c) 2 servers, PostgreSQL: sum | $((a[0] + b[0])) | | | | | $((a[5] + b[5])) |"

# ---------------------------------------------------------------------------------------------
echo
echo "## 2. Runs per minute: ${#schools[@]} schools, one run each (timeLimit 5 s), N workers of --jobs 1 on $(nproc) cores"
runsdb=$(database district)
token=$("$bin/flexsched" users add bench --admin --database "$runsdb" | sed -n 's/^API token: *//p')
auth="Authorization: Bearer $token"
serve "$((port + 1))" "$work/serve-runs.log" --database "$runsdb" --workers 0
server=$started
ids=()
for file in "${schools[@]}"; do ids+=("$(upload "$baseA" "$file")"); done
results=()
for n in 1 2 4; do
  first=
  for id in "${ids[@]}"; do
    r=$(queue "$baseA" "$id" 5)
    [ -n "$first" ] || first=$r
  done
  workers=()
  echo "load average before $n worker(s): $(loadavg)"
  t0=$(now)
  for i in $(seq 1 "$n"); do
    start "$work/worker-$n-$i.log" "$bin/flexsched" worker --database "$runsdb" --jobs 1
    workers+=("$started")
  done
  until [ "$(sql district "SELECT count(*) FROM run WHERE id >= $first AND state NOT IN ('queued', 'running')")" = "${#ids[@]}" ]; do sleep 0.2; done
  t1=$(now)
  echo "load average after $n worker(s): $(loadavg)"
  stop "${workers[@]}"
  # Per run: its state, its stop, the GLPK sub-problems it solved (the work it did) and its time.
  summary=$(sql district "SELECT count(*) FILTER (WHERE state = 'done'),
      count(*) FILTER (WHERE progress::json->>'stopReason' = 'time-limit'),
      count(*) FILTER (WHERE progress::json->>'stopReason' = 'converged'),
      round(avg((progress::json->>'subproblems')::numeric), 0),
      round(avg(extract(epoch FROM finished - started))::numeric, 2),
      round(extract(epoch FROM max(finished) - min(started))::numeric, 1),
      round(avg((progress::json->>'objective')::numeric), 0),
      sum((progress::json->>'subproblems')::int)
    FROM run WHERE id >= $first")
  IFS='|' read -r done_ timed converged subproblems solve makespan objective total <<<"$summary"
  wall=$(python3 -c "print(f'{$t1 - $t0:.1f}')")
  perminute=$(python3 -c "print(f'{${#ids[@]} * 60 / ($t1 - $t0):.1f}')")
  rate=$(python3 -c "print(f'{$total * 60 / ($t1 - $t0):.0f}')")
  results+=("| $n | $wall | $perminute | $done_ | $timed / $converged | $subproblems | $rate | $solve | $objective | $makespan |")
  echo "== $n worker(s): ${#ids[@]} runs in $wall s: $perminute runs/min"
done
echo
echo "| workers | wall s (start of workers to all finished) | runs/min | done | stopped by time / converged | mean sub-problems per run | sub-problems/min (all runs) | mean run s | mean objective | first start to last end s |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${results[@]}"
# Runs that stop at their time limit finish on time however little CPU they get: runs/min alone
# overstates oversubscribed workers, and sub-problems/min is the work actually done.
[ "$(nproc)" -ge 4 ] || echo "($(nproc) cores: 4 workers of one solve each oversubscribe them; runs stopped by their time limit then do less work each: compare sub-problems/min.)"

# ---------------------------------------------------------------------------------------------
echo
echo "## 3. A worker's death to its run queued again: 2 workers solving runs of timeLimit 120, one SIGKILLed"
workers=()
for i in 1 2; do
  start "$work/kill-worker-$i.log" "$bin/flexsched" worker --database "$runsdb" --jobs 1
  workers+=("$started")
done
delays=() kills=()
for rep in 1 2 3; do
  r1=$(queue "$baseA" "${ids[0]}" 120)
  r2=$(queue "$baseA" "${ids[1]}" 120)
  until [ "$(sql district "SELECT count(DISTINCT workerID) FROM run WHERE id IN ($r1, $r2) AND state = 'running'")" = 2 ]; do sleep 0.1; done
  sleep 3
  holder=$(sql district "SELECT workerID FROM run WHERE id = $r1")
  victim=
  for pid in "${workers[@]}"; do [[ "$holder" == *"-$pid-"* ]] && victim=$pid; done
  [ -n "$victim" ] || { echo "no worker of this script holds run $r1 ($holder)" >&2; exit 1; }
  beat=$(sql district "SELECT extract(epoch FROM heartbeat) FROM run WHERE id = $r1")
  killed=$(now)
  kill -9 "$victim"
  while true; do
    IFS='|' read -r state worker attempts <<<"$(sql district "SELECT state, coalesce(workerID, ''), attempts FROM run WHERE id = $r1")"
    seen=$(now)
    [ "$state" = running ] && [ "$worker" = "$holder" ] || break
    sleep 0.1
  done
  wait "$victim" 2>/dev/null || true
  delay=$(python3 -c "print(f'{$seen - $killed:.1f}')")
  age=$(python3 -c "print(f'{$killed - $beat:.1f}')")
  delays+=("$delay")
  kills+=("| $rep | $r1 | $age | $delay | $state | ${worker:--} | $attempts |")
  echo "== kill $rep: run $r1 $state (attempts $attempts) $delay s after the SIGKILL; its last heartbeat was $age s old at the kill"
  # Both runs cancelled; a new worker in place of the dead one.
  for r in "$r1" "$r2"; do curl -fs -X DELETE -H "$auth" "$baseA/api/v1/runs/$r" >/dev/null || true; done
  until [ "$(sql district "SELECT count(*) FROM run WHERE state IN ('queued', 'running')")" = 0 ]; do sleep 0.2; done
  remaining=()
  for pid in "${workers[@]}"; do [ "$pid" = "$victim" ] || remaining+=("$pid"); done
  start "$work/kill-worker-r$rep.log" "$bin/flexsched" worker --database "$runsdb" --jobs 1
  workers=("${remaining[@]}" "$started")
done
stop "${workers[@]}" "$server"
median=$(printf '%s\n' "${delays[@]}" | sort -n | sed -n 2p)
echo
echo "| kill | run | heartbeat age at the kill s | kill to seen again s | state seen | worker | attempts |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${kills[@]}"
echo "median: $median s (a worker beats every 2 s; a run is stale after 10 s; every live worker looks every 2 s)"
echo
echo "load average at the end: $(loadavg)"
