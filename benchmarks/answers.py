"""Grading speed of `neuron check --answers`, as ratios measured in one run.

- 100,000 answer rows (x1..x8 and y1 of a sigmoid neuron, one row in ten wrong) graded with --format csv,
  against `neuron compute` streaming the same 100,000 input rows (the named baseline): target at most 3x,
  goal 1.5x;
- 30 students graded in one run, against 2 runs of single-answer `neuron check --expect`: target below 1x.

Usage: python benchmarks/answers.py [--runs N]
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
    runs = parser.parse_args().runs
    neuron = startup.neuron_executable()
    inputs, sheet = make_files(100_000)
    grade, stream = median_pair(
        [*neuron, "check", "--answers", str(sheet), *NETWORK, "--format", "csv"],
        [*neuron, "compute", *NETWORK, "--format", "plain"],
        runs,
        b_in=inputs,
    )
    print(f"100,000 rows: grading {grade:.3f} s, compute stream {stream:.3f} s: {grade / stream:.2f}x (target <= 3x)")
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
