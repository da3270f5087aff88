#!/usr/bin/env python3
"""flexsched against FET's own generator on FET's bundled example schools (run by run.sh).

For every file that `flexsched import fet --strict` takes, one at a time:
  (a) flexsched: import, `solve --time-limit T`, `export fet --verify` (FET's verdict on flexsched's timetable);
  (b) FET: `fet-cl --timelimitseconds=T` on the original.
Both timetables are then measured by the same code, from the same kind of file (the original plus
100 % locks: flexsched's locked export, fet-cl's *_data_and_timetable.fet): teacher gaps and class gaps
(per FET subgroup, the empty hours between the first and last busy hour of each day, summed).
Python standard library only.
"""
import argparse
import glob
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

EXAMPLES = "/usr/share/doc/fet-data/examples"


def run(cmd, deadline, log, errors=None):
    """Runs cmd with its output in `log` (its standard error in `errors` when given, so that a JSON
    answer stays JSON); on the deadline SIGTERM (FET then writes what it has), SIGKILL 5 s later.
    Returns (exit status or None when stopped, wall seconds)."""
    start = time.monotonic()
    with open(log, "w") as out, open(errors or os.devnull, "w") as err:
        p = subprocess.Popen(cmd, stdout=out, stderr=err if errors else subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            status = p.wait(timeout=deadline)
        except subprocess.TimeoutExpired:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            status = None
    return status, time.monotonic() - start


def text(element, name):
    child = element.find(name)
    return (child.text or "").strip() if child is not None else None


def placements(path):
    """Teachers, subgroups and hours of a FET file whose activities are locked at 100 %:
    {('teacher'|'class', name): {day: set(hours)}}, and how many active activities have no lock."""
    root = ET.parse(path).getroot()
    days = {text(d, "Name"): i for i, d in enumerate(root.findall("Days_List/Day"))}
    hours = {text(h, "Name"): i for i, h in enumerate(root.findall("Hours_List/Hour"))}
    atoms = {}

    def add(element, below):
        name = text(element, "Name")
        mine = set()
        for child in element.findall(below) if below else []:
            mine |= add(child, "Subgroup" if below == "Group" else None)
        atoms.setdefault(name, set()).update(mine or {name})
        return atoms[name]

    for year in root.findall("Students_List/Year"):
        add(year, "Group")
    locks = {}
    for c in root.findall("Time_Constraints_List/ConstraintActivityPreferredStartingTime"):
        if text(c, "Active") == "false" or float(text(c, "Weight_Percentage") or 100) < 100:
            continue
        day, hour = days.get(text(c, "Preferred_Day")), hours.get(text(c, "Preferred_Hour"))
        if day is not None and hour is not None:
            locks[int(text(c, "Activity_Id"))] = (day, hour)
    busy, unlocked = {}, 0
    for a in root.findall("Activities_List/Activity"):
        if text(a, "Active") == "false":
            continue
        at = locks.get(int(text(a, "Id")))
        if at is None:
            unlocked += 1
            continue
        people = [("teacher", t.text.strip()) for t in a.findall("Teacher")]
        people += [("class", s) for st in a.findall("Students") for s in atoms.get(st.text.strip(), {st.text.strip()})]
        for who in people:
            busy.setdefault(who, {}).setdefault(at[0], set()).update(range(at[1], at[1] + int(text(a, "Duration") or 1)))
    return busy, unlocked


def gaps(path):
    """(teacher gaps, class gaps, unlocked activities) of a locked FET file."""
    busy, unlocked = placements(path)
    total = {"teacher": 0, "class": 0}
    for (kind, _), by_day in busy.items():
        total[kind] += sum(max(h) - min(h) + 1 - len(h) for h in by_day.values())
    return total["teacher"], total["class"], unlocked


def soft_conflicts(folder):
    for name in glob.glob(os.path.join(folder, "*_soft_conflicts.txt")):
        m = re.search(r"Total soft conflicts:\s*([0-9.]+)", open(name, encoding="utf-8-sig").read())
        if m:
            return float(m.group(1))
    return None


def flexsched_side(flexsched, path, work, limit, seed):
    r = {}
    scenario, out, locked = f"{work}/scenario.yaml", f"{work}/flexsched", f"{work}/flexsched-locked.fet"
    status, seconds = run([flexsched, "solve", scenario, "--out", out, "--time-limit", str(limit), "--seed", str(seed)],
                          2 * limit + 120, f"{work}/solve.log")
    r["wallSeconds"] = round(seconds, 2)
    try:
        t = json.load(open(f"{out}/timetable.json"))
    except (OSError, ValueError):
        r["error"] = f"solve exit {status}, no timetable (see {work}/solve.log)"
        return r
    missing = sum(u.get("missing", 0) for u in t.get("unplaced") or [])
    placed = sum(1 for s in t["sessions"] if s.get("lesson"))
    r.update(placed=placed, all=placed + missing, stopReason=(t.get("stats") or {}).get("stopReason"),
             solveSeconds=(t.get("stats") or {}).get("seconds"), bound=t.get("bound"), bounds=t.get("bounds"))
    status, _ = run([flexsched, "export", "fet", scenario, f"{out}/timetable.json", "--original", path, "--out", locked,
                     "--verify", "--json", "--fet-time-limit", str(limit), "--fet-deadline", str(limit + 30)],
                    limit + 90, f"{work}/export.json", f"{work}/export.log")
    try:
        e = json.load(open(f"{work}/export.json"))
        r.update(verdict=e["verdict"], fetMessage=e.get("fetMessage"), softConflicts=e.get("softConflicts"), verifySeconds=e.get("fetSeconds"))
        if not e["written"]:
            r["verdict"] = "not exported: " + "; ".join(e.get("problems", []))[:300]
        elif e["verdict"] != "accepted":
            r["verdict"] = "rejected: " + (e.get("fetMessage") or "")[:300]
    except (OSError, ValueError, KeyError):
        r["verdict"] = f"export exit {status} (see {work}/export.json)"
    if r["verdict"] == "accepted":
        r["teacherGaps"], r["classGaps"], _ = gaps(locked)
    return r


def fet_side(path, work, limit, seed):
    seeds = [str(seed % 4294967086 + k) for k in (1, 2, 3)]
    out = f"{work}/fet"
    cmd = ["fet-cl", f"--inputfile={path}", f"--outputdir={out}", f"--timelimitseconds={limit}", "--htmllevel=0"]
    cmd += [f"--randomseeds{c}={s}" for c, s in zip(("10", "11", "12", "20", "21", "22"), seeds + seeds)]
    status, seconds = run(cmd, limit + 30, f"{work}/fet-cl.log")
    log = open(f"{work}/fet-cl.log", errors="replace").read()
    r = {"success": status == 0 and "Simulation successful" in log, "seconds": round(seconds, 2),
         "stopped": status is None}
    m = re.search(r"Total searching time \(seconds\): (\d+)", log)
    r["searchSeconds"] = int(m.group(1)) if m else None
    # A successful run writes one folder, timetables/NAME/ (a stopped one also NAME-current and NAME-highest).
    folders = [d for d in glob.glob(f"{out}/timetables/*/") if not d.rstrip("/").endswith(("-current", "-highest"))]
    locked = glob.glob(f"{folders[0]}*_data_and_timetable.fet") if len(folders) == 1 else []
    if r["success"] and locked:
        r["softConflicts"] = soft_conflicts(folders[0])
        r["teacherGaps"], r["classGaps"], _ = gaps(locked[0])
    return r


def ratio(a, b):
    return a / b if a is not None and b not in (None, 0) else None


def cell(v, digits=1):
    if v is None:
        return "–"
    return f"{v:.{digits}f}" if isinstance(v, float) else str(v)


def both(a, b, digits=1):
    return f"{cell(a, digits)} / {cell(b, digits)}"


def number(v):
    return float(v) if v is not None else None


def bounds_text(r):
    b = r.get("bounds")
    if not b:
        return cell(r.get("bound"))
    return f"bound {cell(r.get('bound'))}; unmet ≥ {b.get('unmetSessions')}, comfort ≥ {cell(b.get('comfort'))} (score {cell(b.get('comfortScore'))})"


def row(name, activities, f, g):
    fs_done = f.get("placed") is not None and f.get("placed") == f.get("all")
    return (f"| {name} | {activities} | {cell(f.get('placed'))}/{cell(f.get('all'))} | "
            f"{cell(f.get('wallSeconds'), 2) if fs_done else 'not complete'} | {f.get('stopReason') or '–'} | {f.get('verdict', '–').replace('|', '/')} | "
            f"{cell(g.get('seconds'), 2) if g.get('success') else ('stopped' if g.get('stopped') else 'failed')} | "
            f"{both(number(f.get('softConflicts')), number(g.get('softConflicts')), 2)} | {both(f.get('teacherGaps'), g.get('teacherGaps'))} | "
            f"{both(f.get('classGaps'), g.get('classGaps'))} | {bounds_text(f)} |")


HEADER = ("| file | activities | flexsched placed/all | flexsched s | stop | FET verdict on flexsched | FET s | "
          "soft conflicts fs / FET | teacher gaps fs / FET | class gaps fs / FET | flexsched bounds |\n"
          "|---|---:|---:|---:|---|---|---:|---|---|---|---|")


def select(files):
    if not files:
        return sorted(glob.glob(f"{EXAMPLES}/**/*.fet", recursive=True))
    found = []
    for item in (i.strip() for i in files.split(",") if i.strip()):
        matches = [item] if os.path.isfile(item) else glob.glob(item, recursive=True) or glob.glob(f"{EXAMPLES}/{item}", recursive=True)
        if not matches:
            sys.exit(f"error: --files: nothing matches `{item}` (a path, or a glob, absolute or under {EXAMPLES})")
        found += sorted(m for m in matches if m.endswith(".fet"))
    return list(dict.fromkeys(found))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--flexsched", required=True)
    ap.add_argument("--time-limit", type=int, default=60)
    ap.add_argument("--files", default="", help="comma-separated paths or globs (absolute or under the examples folder)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    files = select(a.files)
    os.makedirs(a.out, exist_ok=True)
    results = []
    print(HEADER, flush=True)
    for n, path in enumerate(files):
        name = os.path.relpath(path, EXAMPLES) if path.startswith(EXAMPLES) else path
        work = os.path.join(a.out, f"{n:03d}-" + re.sub(r"[^A-Za-z0-9._-]+", "_", os.path.splitext(os.path.basename(path))[0]))
        os.makedirs(work, exist_ok=True)
        status, _ = run([a.flexsched, "import", "fet", path, "--out", f"{work}/scenario.yaml", "--strict"], 300, f"{work}/import.log")
        if status != 0:
            results.append({"file": name, "imported": False})
            continue
        activities = sum(1 for x in ET.parse(path).getroot().findall("Activities_List/Activity") if text(x, "Active") != "false")
        f = flexsched_side(a.flexsched, path, work, a.time_limit, a.seed)
        g = fet_side(path, work, a.time_limit, a.seed)
        results.append({"file": name, "imported": True, "activities": activities, "flexsched": f, "fet": g, "work": work})
        print(row(name, activities, f, g), flush=True)
    done = [r for r in results if r.get("imported")]
    fs_ok = [r for r in done if r["flexsched"].get("placed") == r["flexsched"].get("all") and r["flexsched"].get("verdict") == "accepted"]
    fet_ok = [r for r in done if r["fet"].get("success")]
    pair = [r for r in fs_ok if r["fet"].get("success")]
    times = [x for x in (ratio(r["flexsched"]["wallSeconds"], r["fet"]["seconds"]) for r in pair) if x is not None]
    gap_ratios = [x for x in (ratio(r["flexsched"].get("teacherGaps", 0) + r["flexsched"].get("classGaps", 0),
                                    r["fet"].get("teacherGaps", 0) + r["fet"].get("classGaps", 0)) for r in pair) if x is not None]
    summary = (f"| **summary** | {len(done)} of {len(files)} files imported (--strict) | flexsched complete and accepted by FET: {len(fs_ok)} | "
               f"median time ratio fs/FET: {cell(statistics.median(times) if times else None, 2)} ({len(times)} files) | | "
               f"FET complete: {len(fet_ok)} | | | median gaps ratio fs/FET (teacher + class): "
               f"{cell(statistics.median(gap_ratios) if gap_ratios else None, 2)} ({len(gap_ratios)} files) | | |")
    print(summary, flush=True)
    skipped = [r["file"] for r in results if not r.get("imported")]
    if skipped:
        print(f"\nNot imported with --strict ({len(skipped)}): " + ", ".join(skipped[:40]) + (" ..." if len(skipped) > 40 else ""))
    json.dump(results, open(os.path.join(a.out, "results.json"), "w"), indent=1)
    with open(os.path.join(a.out, "results.md"), "w") as md:
        md.write(HEADER + "\n" + "\n".join(row(r["file"], r["activities"], r["flexsched"], r["fet"]) for r in done) + "\n" + summary + "\n")
    print(f"\nWrote {a.out}/results.md and results.json (per-file logs and timetables in {a.out}/NNN-*/).")


if __name__ == "__main__":
    main()
