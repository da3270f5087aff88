#!/usr/bin/env python3
"""Runs peer solvers on a model written by `flexsched solve --write-model FILE.mps`.

usage: peers.py MODEL.mps TIME_LIMIT_SECONDS NEEDED_SESSIONS SEAT_COLUMNS [--constant C]
                [--solvers highs,cbc,cpsat] [--solution FILE] [--hint FILE] [--workers N]

Prints one JSON object per line and solver: {"solver", "status", "objective", "bound", "unmet",
"seconds"}. Objective and bound are on flexsched's scale: the written model leaves out the constant C
(the cost of meeting nothing, 1000 x needed sessions when every need is `normal`; `--write-model`
prints it), which is added back here. Unmet sessions are counted the same way for every solver:
needed sessions minus the sum of the x[...] columns (students seated; the first SEAT_COLUMNS columns,
which matters for HiGHS, which keeps no names from the file) in the solver's best solution; null
when it has none.

CP-SAT (PyPI `ortools`) reads the file with OR-Tools' own MPS reader (model_builder) and solves it
with 2 workers (`--workers N`); it also reports when its first solution with every need met came ("zero_unmet_seconds",
from the start of its search; reading and converting the file is "read_seconds") and its peak memory.
Every column of the model is integral at an optimum (the continuous ones are idle-block spans and
indicators whose rows have integer coefficients), so CP-SAT gets them as integers: no timetable is
lost. `--solution FILE` writes CP-SAT's best solution as {column name: value} for the x, y, w, v and
u columns that are 1, for flexsched's decoder and independent checker (flexsched-bench --cpsat).
`--hint FILE` ({column name: value}, flexsched-bench --cpsat-warm) is a warm start: CP-SAT gets it
through AddHint, and the result also says how many columns it set ("hinted"), the model's objective
there ("hint_objective", on flexsched's scale) and how many rows it breaks ("hint_violations"), so a
hint that is not the timetable it came from shows.
HiGHS comes from PyPI (highspy), CBC from Debian (coinor-cbc); Benchmarks/run-peers.sh installs them.
"""
import argparse
import json
import math
import resource
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
        result["objective"] = info.objective_function_value
        result["bound"] = info.mip_dual_bound
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
            result["bound"] = float(bound[-1])
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
        result["objective"] = float(objective.group(1)) if objective else None
        pairs = []
        for line in lines[1:]:
            fields = line.replace("**", " ").split()
            if len(fields) >= 3:
                pairs.append((fields[1], float(fields[2])))
        result["unmet"] = needed - round(seated(pairs))
        return result


def evaluate_hint(mp, hint):
    """The written model's objective (without the constant) and its broken rows at the hinted values
    (columns left out count as 0)."""
    values = [hint.get(v.name, 0) for v in mp.variable]
    objective = sum(v.objective_coefficient * values[i] for i, v in enumerate(mp.variable))
    broken = 0
    for c in mp.constraint:
        activity = sum(x * values[i] for i, x in zip(c.var_index, c.coefficient))
        if activity < c.lower_bound - 1e-6 or activity > c.upper_bound + 1e-6:
            broken += 1
    return objective, broken


def run_cpsat(model, limit, needed, seat_columns, solution_file, hint_file=None, workers=2):
    try:
        from ortools.linear_solver.python import model_builder
        from ortools.sat.python import cp_model
    except ImportError:
        return {"solver": "CP-SAT", "status": "not installed (pip install ortools)"}
    started = time.time()
    builder = model_builder.ModelBuilder()
    if not builder.import_from_mps_file(model):
        return {"solver": "CP-SAT", "status": "OR-Tools could not read " + model}
    mp = builder.export_to_proto()
    cp = cp_model.CpModel()
    proto = cp.proto
    # A column without an upper bound (an idle span) never exceeds a day's blocks; this cap cuts no timetable.
    cap = 10 ** 6

    def integral(value, what):
        if abs(value - round(value)) > 1e-9:
            raise ValueError(f"{what} {value} is not an integer")
        return int(round(value))

    for v in mp.variable:
        low = math.ceil(v.lower_bound - 1e-9) if math.isfinite(v.lower_bound) else -cap
        high = math.floor(v.upper_bound + 1e-9) if math.isfinite(v.upper_bound) else cap
        variable = proto.variables.add()
        variable.name = v.name
        variable.domain.extend([low, high])
    for c in mp.constraint:
        ct = proto.constraints.add()
        ct.linear.vars.extend(c.var_index)
        ct.linear.coeffs.extend(integral(x, "coefficient") for x in c.coefficient)
        low = math.ceil(c.lower_bound - 1e-9) if math.isfinite(c.lower_bound) else cp_model.INT_MIN
        high = math.floor(c.upper_bound + 1e-9) if math.isfinite(c.upper_bound) else cp_model.INT_MAX
        ct.linear.domain.extend([low, high])
    for i, v in enumerate(mp.variable):
        if v.objective_coefficient != 0:
            proto.objective.vars.append(i)
            proto.objective.coeffs.append(integral(v.objective_coefficient, "cost"))
    if mp.maximize:
        raise ValueError("the written model minimises")
    read_seconds = time.time() - started
    seat_vars = [i for i, v in enumerate(mp.variable) if v.name.startswith("x[")]
    if len(seat_vars) != seat_columns:
        return {"solver": "CP-SAT", "status": f"found {len(seat_vars)} x columns, expected {seat_columns}"}
    hint_report = {}
    if hint_file:
        with open(hint_file) as f:
            hint = json.load(f)
        variables = [cp.get_int_var_from_proto_index(i) for i in range(len(mp.variable))]
        hinted = 0
        for i, v in enumerate(mp.variable):
            if v.name in hint:
                cp.add_hint(variables[i], integral(hint[v.name], "hint"))
                hinted += 1
        objective, broken = evaluate_hint(mp, hint)
        hint_report = {"hinted": hinted, "columns": len(mp.variable), "hint_objective": objective,
                       "hint_violations": broken}

    class Progress(cp_model.CpSolverSolutionCallback):
        def __init__(self):
            super().__init__()
            self.search_started = time.time()
            self.zero_unmet = None
            self.first = None

        def on_solution_callback(self):
            now = time.time() - self.search_started
            if self.first is None:
                self.first = now
            if self.zero_unmet is None:
                values = self.response_proto.solution
                if needed - sum(values[i] for i in seat_vars) == 0:
                    self.zero_unmet = now

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(limit)
    solver.parameters.num_workers = workers
    progress = Progress()
    search_started = time.time()
    progress.search_started = search_started
    status = solver.Solve(cp, progress)
    seconds = time.time() - search_started
    result = {"solver": "CP-SAT", "status": solver.StatusName(status), "seconds": round(seconds, 1),
              "read_seconds": round(read_seconds, 1), "objective": None, "bound": None, "unmet": None,
              "first_solution_seconds": progress.first and round(progress.first, 2),
              "zero_unmet_seconds": progress.zero_unmet and round(progress.zero_unmet, 2),
              "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), **hint_report}
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.INFEASIBLE, cp_model.UNKNOWN):
        result["bound"] = solver.BestObjectiveBound()
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        values = list(solver.response_proto.solution)
        result["objective"] = solver.ObjectiveValue()
        result["unmet"] = needed - sum(values[i] for i in seat_vars)
        if solution_file:
            chosen = {mp.variable[i].name: 1 for i, value in enumerate(values)
                      if value == 1 and mp.variable[i].name[:2] in ("x[", "y[", "w[", "v[", "u[")}
            with open(solution_file, "w") as f:
                json.dump(chosen, f)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model")
    parser.add_argument("limit", type=float)
    parser.add_argument("needed", type=int)
    parser.add_argument("seat_columns", type=int)
    parser.add_argument("--constant", type=float, help="the cost of meeting nothing (default 1000 x NEEDED)")
    parser.add_argument("--solvers", default="highs,cbc")
    parser.add_argument("--solution", help="CP-SAT's solution as JSON {column: value}")
    parser.add_argument("--hint", help="CP-SAT's warm start as JSON {column: value}")
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT's workers (default 2)")
    args = parser.parse_args()
    constant = args.constant if args.constant is not None else 1000 * args.needed
    runs = {"highs": lambda: run_highs(args.model, args.limit, args.needed, args.seat_columns),
            "cbc": lambda: run_cbc(args.model, args.limit, args.needed, args.seat_columns),
            "cpsat": lambda: run_cpsat(args.model, args.limit, args.needed, args.seat_columns, args.solution, args.hint,
                                       args.workers)}
    for name in args.solvers.split(","):
        result = runs[name]()
        for key in ("objective", "bound", "hint_objective"):
            if result.get(key) is not None:
                result[key] += constant
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
