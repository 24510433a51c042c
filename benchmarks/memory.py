"""Peak memory (RSS) of `neuron compute` on streams, against the number of rows and the width of the layer: it
should stay flat in rows and grow only slowly with width (blocks are sized by rows x width).

Usage: python benchmarks/memory.py
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import startup

DATA = Path(__file__).parent / "data"


def peak(command: list[str], path: Path) -> float:
    with path.open("rb") as source, open(os.devnull, "wb") as sink:
        process = subprocess.Popen(command, stdin=source, stdout=sink)
        _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("neuron failed")
    return usage.ru_maxrss / 1024


def rows_file(rows: int) -> Path:
    path = DATA / f"memory_{rows}x8.csv"
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        np.savetxt(path, np.random.default_rng(0).uniform(-1, 1, size=(rows, 8)), fmt="%.6f", delimiter=",")
    return path


def main() -> int:
    neuron = startup.neuron_executable()
    print(f"{'rows':>9} {'neurons':>8} {'format':>7} {'peak RSS MiB':>13}")
    for rows in (10_000, 100_000, 1_000_000):
        for neurons in (1, 16, 256):
            weights = DATA / f"memory_w_{neurons}.txt"
            np.savetxt(weights, np.random.default_rng(1).uniform(-1, 1, size=(neurons, 8)), delimiter=",")
            for fmt in ("plain", "json"):
                if rows * neurons > (2_000_000 if fmt == "json" else 20_000_000):
                    continue  # gigabytes of text to /dev/null: the point is made by the smaller runs
                command = [*neuron, "compute", "-w", f"@{weights}", "-a", "tanh", "--format", fmt]
                print(f"{rows:>9,} {neurons:>8} {fmt:>7} {peak(command, rows_file(rows)):>13.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
