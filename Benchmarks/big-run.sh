#!/usr/bin/env bash
# The web app at the largest size it is sized for: a generated 10,000-student week, through the API.
#   1. the upload (parse, validate, diagnose, store), timed;
#   2. a run with timeLimit 90, watched on its event stream: when it ends and how long the longest
#      silence between progress events was;
#   3. runs cancelled 8 s in (during the bounds' LPs) and 40 s in (during construction): how long
#      from the DELETE to the run's end.
#   bash Benchmarks/big-run.sh [--port PORT]
# A benchmark, not a test: nothing here fails on speed. Run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
port=18767
products=flexsched-bench
source Benchmarks/load-common.sh

"$bin/flexsched-bench" --students 10000 --write-scenarios "$work/week" >/dev/null
week=$(ls "$work"/week/*.yaml | head -1)
added=$("$bin/flexsched" users add bench --admin --data "$work/data")
token=$(sed -n 's/^API token: *//p' <<<"$added")
"$bin/flexsched" serve --data "$work/data" --port "$port" --workers 1 >"$work/serve.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
until curl -fs -H "Authorization: Bearer $token" "$base/api/v1/scenarios" >/dev/null; do sleep 0.2; done
echo "== $(basename "$week"): $(wc -c <"$week") bytes; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$base" "$token" "$week" <<'EOF'
import json, sys, threading, time, urllib.request

base, token, week = sys.argv[1:]
auth = {"Authorization": "Bearer " + token}

def call(method, path, body=None, content_type="application/json"):
    headers = dict(auth)
    if body is not None:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(base + path, data=body, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.load(response)

started = time.monotonic()
scenario = call("POST", "/api/v1/scenarios", open(week, "rb").read(), "application/yaml")["id"]
print(f"upload: {time.monotonic() - started:.1f} s (parse, validate, diagnose, store)")

def watch(run, queued, cancel_after=None):
    """Reads the run's events until it ends; returns (seconds from queueing to the end, longest
    silence between events once running, seconds from the cancel to the end, final state)."""
    cancelled_at = []
    if cancel_after is not None:
        def cancel():
            time.sleep(cancel_after)
            cancelled_at.append(time.monotonic())
            call("DELETE", f"/api/v1/runs/{run}")
        threading.Thread(target=cancel, daemon=True).start()
    request = urllib.request.Request(f"{base}/api/v1/runs/{run}/events", headers=auth)
    last, silence, state, event = None, 0.0, None, None
    with urllib.request.urlopen(request, timeout=600) as stream:
        for raw in stream:
            line = raw.decode().strip()
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                now = time.monotonic()
                if event == "done":
                    state = json.loads(line[6:])["state"]
                    break
                if last is not None:
                    silence = max(silence, now - last)
                last = now
    ended = time.monotonic()
    after_cancel = ended - cancelled_at[0] if cancelled_at else None
    return ended - queued, (silence, ended - last), after_cancel, state

queued = time.monotonic()
run = call("POST", f"/api/v1/scenarios/{scenario}/runs", json.dumps({"timeLimit": 90}).encode())["run"]
total, silence, _, state = watch(run, queued)
detail = call("GET", f"/api/v1/runs/{run}")
print(f"timeLimit 90: ended {state} after {total:.1f} s from queueing; longest silence between progress events "
      f"{silence[0]:.1f} s, then {silence[1]:.1f} s from the last one to the end (check, reasons, saving); "
      f"stop reason {((detail.get('timetable') or {}).get('stats') or {}).get('stopReason')}")

for after in (8, 40):
    queued = time.monotonic()
    run = call("POST", f"/api/v1/scenarios/{scenario}/runs", json.dumps({"timeLimit": 90}).encode())["run"]
    total, silence, after_cancel, state = watch(run, queued, cancel_after=after)
    print(f"cancelled {after} s in: ended {state} {after_cancel:.1f} s after the DELETE ({total:.1f} s in all)")
EOF
