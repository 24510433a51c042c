"""Stream throughput and memory of `neuron compute`, as ratios against a mawk one-liner, measured in one run.

Makes 1,000,000 rows x 8 inputs (uniform in [-1, 1], six decimals, seed 0) in benchmarks/data/, then:
- time: `neuron compute -w ... -b ... -a sigmoid` against the same sigmoid neuron in mawk with printf "%.17g",
  both reading the file, medians of --runs runs each, alternating; their outputs are compared number by number;
- peak memory (RSS) of neuron at 1M rows and at 4M rows (the file four times through a pipe);
- start-up: one `neuron compute ... --format plain` against `python -c "import numpy, typer"` (startup.py).

Usage: python benchmarks/stream.py [--runs N] [--rows N]
Needs mawk on PATH (Debian: apt-get install mawk).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
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
MAWK = (
    'BEGIN { FS = ","; n = split("' + ",".join(map(str, WEIGHTS)) + '", w, ",") }'
    " { z = " + str(BIAS) + '; for (i = 1; i <= n; i++) z += $i * w[i]; printf "%.17g\\n", 1 / (1 + exp(-z)) }'
)
TARGET_SPEED, GOAL_SPEED, RSS_LIMIT_MIB, RSS_GROWTH = 2.0, 4.0, 150, 0.15


def make_rows(rows: int, inputs: int = 8) -> Path:
    """A CSV of `rows` x `inputs` values uniform in [-1, 1], six decimals, seed 0 (made once, kept in data/)."""
    path = DATA / f"rows_{rows}x{inputs}.csv"
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        rng = np.random.default_rng(0)
        with path.open("w") as out:
            for start in range(0, rows, 100_000):
                block = rng.uniform(-1, 1, size=(min(100_000, rows - start), inputs))
                np.savetxt(out, block, fmt="%.6f", delimiter=",")
    return path


def neuron_command() -> list[str]:
    return [
        *startup.neuron_executable(),
        "compute",
        "-w",
        ",".join(map(str, WEIGHTS)),
        "-b",
        str(BIAS),
        "-a",
        "sigmoid",
        "--format",
        "plain",
    ]


def run(command: list[str], stdin: object, stdout: object) -> tuple[float, float]:
    """Wall time and peak RSS (MiB) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdin=stdin, stdout=stdout)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command[0]} failed")
    return elapsed, usage.ru_maxrss / 1024


def timed(command: list[str], path: Path, output: Path) -> tuple[float, float]:
    with path.open("rb") as source, output.open("wb") as sink:
        return run(command, source, sink)


def compare(ours: Path, theirs: Path) -> float:
    a = np.loadtxt(ours)
    b = np.loadtxt(theirs)
    if a.shape != b.shape:
        raise SystemExit(f"outputs differ in length: {a.shape} vs {b.shape}")
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


def rss_through_pipe(path: Path, copies: int) -> float:
    cat = subprocess.Popen(["cat"] + [str(path)] * copies, stdout=subprocess.PIPE)
    _, rss = run(neuron_command(), cat.stdout, subprocess.DEVNULL)
    cat.wait()
    return rss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    mawk = shutil.which("mawk")
    if mawk is None:
        raise SystemExit("mawk is not on PATH (Debian: apt-get install mawk)")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    path = make_rows(args.rows)
    ours_out, mawk_out = DATA / "out_neuron.txt", DATA / "out_mawk.txt"
    timed(neuron_command(), path, ours_out)  # warm the caches
    ours, theirs, rss_1 = [], [], []
    for _ in range(args.runs):
        elapsed, rss = timed(neuron_command(), path, ours_out)
        ours.append(elapsed)
        rss_1.append(rss)
        theirs.append(timed([mawk, MAWK], path, mawk_out)[0])
    difference = compare(ours_out, mawk_out)
    rss_4 = rss_through_pipe(path, 4)
    speed = statistics.median(theirs) / statistics.median(ours)
    growth = rss_4 / max(rss_1) - 1
    start = startup.measure(20)
    start_ratio = start["neuron"] / start["baseline"]

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"NumPy {np.__version__}"
    )
    print(f"rows: {args.rows:,} x 8 inputs, sigmoid neuron; medians of {args.runs} runs")
    print(f"neuron {statistics.median(ours):.3f} s, mawk {statistics.median(theirs):.3f} s")
    print(
        f"speed: neuron is {speed:.2f}x mawk (target {TARGET_SPEED}x, goal {GOAL_SPEED}x) "
        f"{'OK' if speed >= TARGET_SPEED else 'MISSED'}"
    )
    print(f"outputs agree: largest relative difference {difference:.1e} (mawk prints %.17g, neuron repr)")
    print(
        f"peak RSS: {max(rss_1):.1f} MiB at {args.rows:,} rows, {rss_4:.1f} MiB at {4 * args.rows:,} rows "
        f"({growth:+.1%}; limit {RSS_LIMIT_MIB} MiB and {RSS_GROWTH:.0%}) "
        f"{'OK' if max(*rss_1, rss_4) <= RSS_LIMIT_MIB and growth <= RSS_GROWTH else 'MISSED'}"
    )
    print(
        f"start-up: {start_ratio:.2f}x the bare-import baseline (target at most {startup.TARGET}x) "
        f"{'OK' if start_ratio <= startup.TARGET else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
