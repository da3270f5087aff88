#!/usr/bin/env python3
"""Plots flexsched-bench --csv lines (label, students, zero unmet s, objective, peak MiB, total s,
unmet, load average, check) as three panels against students, and prints them as a Markdown table.

usage: scaling.py RESULTS.csv OUT.png
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def number(text):
    return None if text in ("-", "") else float(text)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    with open(sys.argv[1]) as f:
        rows = sorted(csv.reader(f), key=lambda r: int(r[1]))
    students = [int(r[1]) for r in rows]
    panels = [("seconds", [("zero unmet", [number(r[2]) for r in rows]), ("whole solve", [number(r[5]) for r in rows])]),
              ("final objective", [(None, [number(r[3]) for r in rows])]),
              ("peak memory (MiB)", [(None, [number(r[4]) for r in rows])])]
    figure, axes = plt.subplots(1, 3, figsize=(10, 3.2), dpi=80)
    for axis, (title, series) in zip(axes, panels):
        for name, values in series:
            points = [(s, v) for s, v in zip(students, values) if v is not None]
            axis.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=name)
        if len(series) > 1:
            axis.legend(fontsize=8)
        axis.set_title(title, fontsize=10)
        axis.set_xlabel("students")
        axis.set_xscale("log")
        axis.set_xticks(students)
        axis.set_xticklabels([str(s) for s in students], fontsize=8)
        axis.grid(True, alpha=0.3)
    figure.suptitle("flexsched on planted weeks (release build, default patience 10 s)", fontsize=10)
    figure.tight_layout()
    figure.savefig(sys.argv[2], pil_kwargs={"optimize": True})
    print("| students | zero unmet s | objective | peak MiB | total s | unmet | load average before | check |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r[1]} | {r[2]} | {r[3]} | {r[4]} | {r[5]} | {r[6]} | {r[7]} | {r[8]} |")


if __name__ == "__main__":
    main()
