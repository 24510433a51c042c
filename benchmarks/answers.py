"""Grading speed of `neuron check --answers`, as ratios measured in one run.

- 1,000,000 answer rows of a teacher's sheet (x1..x8 and y1 of a sigmoid neuron, one row in ten wrong) graded
  with --format csv, against `neuron compute` streaming the same input rows (the named baseline): target at
  most 3x, goal 1.5x;
- a class of 10,000 students on a question file (two questions, one drawn per student) graded with --format
  csv, against `neuron compute` streaming 10,000 rows of the same size: the cost of drawing each student's
  numbers and computing their own answers;
- 30 students graded in one run, against 2 runs of single-answer `neuron check --expect`: target below 1x.

Usage: python benchmarks/answers.py [--runs N] [--rows N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import startup

DATA = Path(__file__).parent / "data"
WEIGHTS = [0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8]
BIAS = 0.05
NETWORK = ["-w", ",".join(map(str, WEIGHTS)), "-b", str(BIAS), "-a", "sigmoid"]


def make_files(rows: int) -> tuple[Path, Path]:
    DATA.mkdir(exist_ok=True)
    inputs, sheet = DATA / f"answer_inputs_{rows}.csv", DATA / f"answer_sheet_{rows}.csv"
    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 1, size=(rows, 8)).round(6)
    y = 1 / (1 + np.exp(-(x @ np.array(WEIGHTS) + BIAS)))
    y[::10] += 0.01  # one answer in ten is wrong
    np.savetxt(inputs, x, fmt="%.6f", delimiter=",")
    with sheet.open("w") as out:
        out.write("student," + ",".join(f"x{i}" for i in range(1, 9)) + ",y1\n")
        for k in range(rows):
            out.write(f"s{k}," + ",".join(f"{v:.6f}" for v in x[k]) + f",{y[k]:.6f}\n")
    return inputs, sheet


QUESTIONS = """seed = "bench"
[[question]]
id = "q1"
x = [1, 2, 3]
w = [0.5, -0.2, 0.1]
b = 0.1
activation = "sigmoid"
ask = ["z1", "y1"]
[[question]]
id = "q2"
x = [1, 2]
w = [0.5, -0.5]
activation = "relu"
target = [1]
lr = 0.5
ask = ["y1", "loss", "w1_1"]
vary = {x = [-2, 2], w = [-1, 1], decimals = 1}
"""


def make_class(students: int) -> tuple[Path, Path, Path]:
    """A question file, a sheet of `students` rows (every answer 0.5: graded, mostly wrong), and as many rows of
    two inputs for the baseline."""
    DATA.mkdir(exist_ok=True)
    questions, sheet, inputs = DATA / "questions.toml", DATA / f"class_{students}.csv", DATA / f"pairs_{students}.csv"
    questions.write_text(QUESTIONS)
    with sheet.open("w") as out:
        out.write("student,q1.z1,q1.y1,q2.y1,q2.loss,q2.w1_1\n")
        out.writelines(f"s{k},0.5,0.622,0.5,0.125,0.5\n" for k in range(students))
    np.savetxt(inputs, np.random.default_rng(2).uniform(-2, 2, size=(students, 2)).round(1), fmt="%.1f", delimiter=",")
    return questions, sheet, inputs


def timed(command: list[str], stdin: Path | None = None) -> float:
    start = time.perf_counter()
    with open(stdin or "/dev/null", "rb") as source:
        subprocess.run(command, stdin=source, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def median_pair(a: list[str], b: list[str], runs: int, a_in: Path | None = None, b_in: Path | None = None):
    first, second = [], []
    for _ in range(runs):  # alternating, so that both see the same load
        first.append(timed(a, a_in))
        second.append(timed(b, b_in))
    return statistics.median(first), statistics.median(second)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=1_000_000)
    arguments = parser.parse_args()
    runs, rows = arguments.runs, arguments.rows
    neuron = startup.neuron_executable()
    inputs, sheet = make_files(rows)
    grade, stream = median_pair(
        [*neuron, "check", "--answers", str(sheet), *NETWORK, "--format", "csv"],
        [*neuron, "compute", *NETWORK, "--format", "plain"],
        runs,
        b_in=inputs,
    )
    print(f"{rows:,} rows: grading {grade:.3f} s, compute stream {stream:.3f} s: {grade / stream:.2f}x (target <= 3x)")
    questions, class_sheet, class_inputs = make_class(10_000)
    grade, stream = median_pair(
        [*neuron, "check", "--answers", str(class_sheet), "--questions", str(questions), "--format", "csv"],
        [*neuron, "compute", "-w", "0.5,-0.5", "-a", "relu", "--format", "plain"],
        runs,
        b_in=class_inputs,
    )
    print(
        f"10,000 students of a question file: grading {grade:.3f} s, compute stream {stream:.3f} s: "
        f"{grade / stream:.2f}x"
    )
    _, class_sheet = make_files(30)
    one_run, single = median_pair(
        [*neuron, "check", "--answers", str(class_sheet), *NETWORK, "--format", "csv"],
        [*neuron, "check", "-x", "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8", *NETWORK, "--expect", "0.5"],
        runs,
    )
    print(
        f"30 students: one --answers run {one_run:.3f} s, one single check {single:.3f} s: "
        f"{one_run / (2 * single):.2f}x of two single checks (target < 1x)"
    )


if __name__ == "__main__":
    main()
