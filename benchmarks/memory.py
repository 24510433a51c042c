"""Peak memory (RSS) of `neuron compute` on streams, against the number of rows and the width of the layer: it
should stay flat in rows and grow only slowly with width (blocks are sized by rows x width).

A file from 1 MiB up is read by two processes (see README, Speed): "largest" is the peak RSS of the larger one
(what `/usr/bin/time -f %M` reports), "together" the peak of both processes' proportional set size (PSS: the
pages they share, polars' library first, counted once), sampled every 5 ms from /proc (Linux).

Usage: python benchmarks/memory.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import startup

DATA = Path(__file__).parent / "data"


def peak(command: list[str], path: Path) -> tuple[float, float]:
    """Peak RSS of the largest process, and peak PSS of the process and its children together (MiB)."""
    together = 0.0
    with path.open("rb") as source, open(os.devnull, "wb") as sink:
        process = subprocess.Popen(command, stdin=source, stdout=sink)
        while True:
            ended, status, usage = os.wait4(process.pid, os.WNOHANG)
            if ended:
                break
            together = max(together, pss_of_tree(process.pid))
            time.sleep(0.005)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("neuron failed")
    return usage.ru_maxrss / 1024, together


def pss_of_tree(pid: int) -> float:
    """The PSS of a process and its children, in MiB (0 where /proc does not say)."""
    total = 0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    for member in [pid, *map(int, children)]:
        try:
            rollup = Path(f"/proc/{member}/smaps_rollup").read_text()
        except OSError:
            continue
        total += sum(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))
    return total / 1024


def rows_file(rows: int) -> Path:
    path = DATA / f"memory_{rows}x8.csv"
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        np.savetxt(path, np.random.default_rng(0).uniform(-1, 1, size=(rows, 8)), fmt="%.6f", delimiter=",")
    return path


def main() -> int:
    neuron = startup.neuron_executable()
    print(f"{'rows':>9} {'neurons':>8} {'format':>7} {'peak RSS MiB: largest':>22} {'together (PSS)':>15}")
    for rows in (10_000, 100_000, 1_000_000):
        for neurons in (1, 16, 256):
            weights = DATA / f"memory_w_{neurons}.txt"
            np.savetxt(weights, np.random.default_rng(1).uniform(-1, 1, size=(neurons, 8)), delimiter=",")
            for fmt in ("plain", "json"):
                if rows * neurons > (2_000_000 if fmt == "json" else 20_000_000):
                    continue  # gigabytes of text to /dev/null: the point is made by the smaller runs
                command = [*neuron, "compute", "-w", f"@{weights}", "-a", "tanh", "--format", fmt]
                largest, together = peak(command, rows_file(rows))
                print(f"{rows:>9,} {neurons:>8} {fmt:>7} {largest:>22.1f} {together:>15.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
