"""Start-up of one `neuron compute ... --format plain` against `python -c "import numpy, typer"` (target: at most
1.05x) and `python -c "import numpy"` alone (goal: at most 1.1x); and what loading polars adds to NumPy's import,
as a long stream loads it (garbage collection off): the price a small input does not pay (io/polars.py).

All are run alternately in one session, many times, and the medians compared: ratios, never time limits.
Usage: python benchmarks/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET, GOAL = 1.05, 1.1


def neuron_executable() -> list[str]:
    installed = Path(sys.executable).parent / "neuron"
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "neuron_cli"]


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(runs: int) -> dict[str, float]:
    baseline = [sys.executable, "-c", "import numpy, typer"]
    numpy_alone = [sys.executable, "-c", "import numpy"]
    with_polars = [sys.executable, "-c", "import gc, numpy; gc.disable(); import polars"]
    neuron = [
        *neuron_executable(),
        "compute",
        "-x",
        "1,2,3",
        "-w",
        "0.5,-0.2,0.1",
        "-b",
        "0.1",
        "-a",
        "sigmoid",
        "--format",
        "plain",
    ]
    for command in (baseline, numpy_alone, with_polars, neuron):  # warm the file cache and the bytecode
        timed(command)
    base, alone, polars, ours = [], [], [], []
    for _ in range(runs):
        base.append(timed(baseline))
        alone.append(timed(numpy_alone))
        polars.append(timed(with_polars))
        ours.append(timed(neuron))
    return {
        "baseline": statistics.median(base),
        "numpy": statistics.median(alone),
        "polars": statistics.median(polars) - statistics.median(alone),
        "neuron": statistics.median(ours),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's installed package has its bytecode
    result = measure(args.runs)
    ratio = result["neuron"] / result["baseline"]
    alone = result["neuron"] / result["numpy"]
    print(
        f"start-up: neuron compute --format plain {result['neuron'] * 1000:.1f} ms, "
        f"python -c 'import numpy, typer' {result['baseline'] * 1000:.1f} ms, "
        f"python -c 'import numpy' {result['numpy'] * 1000:.1f} ms (medians of {args.runs})"
    )
    print(
        f"start-up ratio: {ratio:.2f}x 'import numpy, typer' (target: at most {TARGET}x) "
        f"{'OK' if ratio <= TARGET else 'MISSED'}; {alone:.2f}x 'import numpy' (goal: at most {GOAL}x) "
        f"{'OK' if alone <= GOAL else 'not yet'}"
    )
    print(f"polars' import on top of NumPy's (a long stream's): {result['polars'] * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
