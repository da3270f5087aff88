#!/usr/bin/env python3
"""Runs the peer MIP solvers on a model written by `flexsched solve --write-model FILE.mps`.

usage: peers.py MODEL.mps TIME_LIMIT_SECONDS NEEDED_SESSIONS SEAT_COLUMNS

Prints one JSON object per line and solver: {"solver", "status", "objective", "bound", "unmet",
"seconds"}. Objective and bound are on flexsched's scale: the written model leaves out the constant
1000 x needed sessions, which is added back here. Unmet sessions are counted the same way for every solver: needed sessions minus the sum
of the x[...] columns (students seated; the first SEAT_COLUMNS columns, which matters for HiGHS,
which keeps no names from the file) in the solver's best solution; null when it has none.
HiGHS comes from PyPI (highspy), CBC from Debian (coinor-cbc); Benchmarks/run-peers.sh installs both.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time


def seated(pairs):
    return sum(value for name, value in pairs if name.startswith("x["))


def run_highs(model, limit, needed, seat_columns):
    try:
        import highspy
    except ImportError:
        return {"solver": "HiGHS", "status": "not installed (pip install highspy)"}
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(limit))
    h.readModel(model)
    started = time.time()
    h.run()
    seconds = time.time() - started
    info = h.getInfo()
    status = h.modelStatusToString(h.getModelStatus())
    result = {"solver": "HiGHS", "status": status, "seconds": round(seconds, 1), "objective": None,
              "bound": None, "unmet": None}
    if info.primal_solution_status == 2:  # a feasible solution exists
        values = h.getSolution().col_value
        result["objective"] = info.objective_function_value + 1000 * needed
        result["bound"] = info.mip_dual_bound + 1000 * needed
        result["unmet"] = needed - round(sum(values[:seat_columns]))
    return result


def run_cbc(model, limit, needed, seat_columns):
    cbc = shutil.which("cbc")
    if cbc is None:
        return {"solver": "CBC", "status": "not installed (apt-get install coinor-cbc)"}
    with tempfile.TemporaryDirectory() as folder:
        solution = os.path.join(folder, "solution.txt")
        started = time.time()
        # CBC does not check its limit during presolve and the root LP; past twice the limit it is
        # stopped and reported without an answer (what a user waiting for it would get).
        try:
            run = subprocess.run([cbc, model, "sec", str(limit), "solve", "solu", solution],
                                 capture_output=True, text=True, timeout=2 * limit + 30)
            stdout = run.stdout
        except subprocess.TimeoutExpired:
            return {"solver": "CBC", "status": "no answer within 2x the time limit", "seconds": round(time.time() - started, 1),
                    "objective": None, "bound": None, "unmet": None}
        seconds = time.time() - started
        result = {"solver": "CBC", "status": "no solution", "seconds": round(seconds, 1), "objective": None,
                  "bound": None, "unmet": None}
        bound = re.findall(r"best possible ([-0-9.e+]+)", stdout)
        if bound:
            result["bound"] = float(bound[-1]) + 1000 * needed
        if not os.path.exists(solution):
            return result
        with open(solution) as f:
            lines = f.read().splitlines()
        # Without an integer solution CBC still writes the LP values ("continuous used"): not an answer.
        first = lines[0].lower() if lines else ""
        if not lines or "infeasible" in first or "no feasible" in first or "no integer solution" in first:
            return result
        result["status"] = lines[0].split(" - ")[0].strip()
        objective = re.search(r"objective value ([-0-9.e+]+)", lines[0])
        result["objective"] = float(objective.group(1)) + 1000 * needed if objective else None
        pairs = []
        for line in lines[1:]:
            fields = line.replace("**", " ").split()
            if len(fields) >= 3:
                pairs.append((fields[1], float(fields[2])))
        result["unmet"] = needed - round(seated(pairs))
        return result


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    model, limit, needed, seat_columns = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    for run in (run_highs, run_cbc):
        print(json.dumps(run(model, limit, needed, seat_columns)), flush=True)


if __name__ == "__main__":
    main()
