"""Stream speed of `neuron compute` against a mawk one-liner computing the same layer, in one run, as ratios
(mawk's time / neuron's time: above 1 is faster than mawk), for the shapes of the performance issue:

  1M x 8 from a file and from a pipe, 100k x 8, 1M x 2, 10k x 1000, a layer of 16 and of 256 neurons;
  start-up against `python -c "import numpy"` and `"import numpy, typer"`; peak RSS of each run (of the larger
  process where two read the stream: benchmarks/memory.py gives both together).

Targets: 1M x 8 at least 3.5x mawk (goal 4x) from a file and a pipe; 100k x 8 at least 1x; start-up at most
1.05x 'import numpy, typer' (goal 1.1x 'import numpy'); peak RSS at most 100 MiB (goal 64 MiB).
Usage: python benchmarks/perf.py [--runs N] [--only TEXT]   (needs mawk: apt-get install mawk)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import startup
from stream import make_rows, run

DATA = Path(__file__).parent / "data"
CASES = [  # name, rows, inputs, neurons, through a pipe
    ("1M x 8, file", 1_000_000, 8, 1, False),
    ("1M x 8, pipe", 1_000_000, 8, 1, True),
    ("100k x 8", 100_000, 8, 1, False),
    ("1M x 2", 1_000_000, 2, 1, False),
    ("10k x 1000", 10_000, 1000, 1, False),
    ("100k x 8, 16 neurons", 100_000, 8, 16, False),
    ("20k x 8, 256 neurons", 20_000, 8, 256, False),
]


def layer(inputs: int, neurons: int) -> tuple[Path, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    weights = rng.uniform(-1, 1, size=(neurons, inputs)).round(3)
    bias = rng.uniform(-0.5, 0.5, size=neurons).round(3)
    path = DATA / f"perf_w_{neurons}x{inputs}.txt"
    np.savetxt(path, weights, fmt="%.3f", delimiter=",")
    return path, weights, bias


def mawk_program(weights: np.ndarray, bias: np.ndarray) -> str:
    """The same layer in mawk: for one neuron the one-liner of benchmarks/stream.py, for a layer the weights
    read from a file (mawk's strings are too short for 2,048 of them)."""
    neurons, inputs = weights.shape
    if neurons == 1:
        return (
            'BEGIN { FS = ","; n = split("' + ",".join(map(str, weights[0])) + '", w, ",") }'
            " { z = " + str(bias[0]) + "; for (i = 1; i <= n; i++) z += $i * w[i];"
            ' printf "%.17g\\n", 1 / (1 + exp(-z)) }'
        )
    flat = DATA / f"perf_mawk_{neurons}x{inputs}.txt"
    flat.write_text("\n".join(map(str, weights.ravel())) + "\n")
    return (
        'BEGIN { FS = ","; k = 0; while ((getline v < "' + str(flat) + '") > 0) w[++k] = v;'
        ' split("' + ",".join(map(str, bias)) + '", b, ",") }'
        ' { line = ""; for (j = 1; j <= ' + str(neurons) + "; j++) { z = b[j];"
        " for (i = 1; i <= " + str(inputs) + "; i++) z += $i * w[(j - 1) * " + str(inputs) + " + i];"
        ' line = line (j > 1 ? "," : "") sprintf("%.17g", 1 / (1 + exp(-z))) } print line }'
    )


def measure(command: list[str], path: Path, pipe: bool) -> tuple[float, float]:
    """Wall time and peak RSS (MiB) of one run, reading `path` from a file or through `cat`, output to /dev/null."""
    with open(os.devnull, "wb") as sink:
        if not pipe:
            with path.open("rb") as source:
                return run(command, source, sink)
        cat = subprocess.Popen(["cat", str(path)], stdout=subprocess.PIPE)
        result = run(command, cat.stdout, sink)
        cat.wait()
        return result


WIDTHS = ((16, 200_000), (1024, 3_125))  # neurons, rows: 3.2M output values each, 8 inputs


def width_cliff(neuron: list[str], runs: int) -> None:
    """Time per output value of a layer of 1024 neurons against one of 16 (target: within 1.25x), alternating."""
    commands, paths = {}, {}
    for neurons, rows in WIDTHS:
        paths[neurons] = make_rows(rows, 8)
        weights_path, _, bias = layer(8, neurons)
        commands[neurons] = [*neuron, "compute", "-w", f"@{weights_path}", "-b", ",".join(map(str, bias))]
        commands[neurons] += ["-a", "sigmoid", "--format", "plain"]
        measure(commands[neurons], paths[neurons], False)  # warm the caches
    times: dict[int, list[float]] = {neurons: [] for neurons, _ in WIDTHS}
    for _ in range(runs):
        for neurons, _ in WIDTHS:
            times[neurons].append(measure(commands[neurons], paths[neurons], False)[0])
    per_value = {n: statistics.median(times[n]) / (n * rows) * 1e9 for n, rows in WIDTHS}
    print(
        f"per output value: 16 neurons {per_value[16]:.0f} ns, 1024 neurons {per_value[1024]:.0f} ns: "
        f"{per_value[1024] / per_value[16]:.2f}x (target <= 1.25)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", help="the cases whose name holds this text (e.g. 'neurons'); no start-up then")
    arguments = parser.parse_args()
    runs = arguments.runs
    mawk = shutil.which("mawk")
    if mawk is None:
        raise SystemExit("mawk is not on PATH (Debian: apt-get install mawk)")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    neuron = startup.neuron_executable()
    print(f"{'case':<24} {'neuron s':>9} {'mawk s':>8} {'x mawk':>7} {'peak RSS MiB':>13}")
    for name, rows, inputs, neurons, pipe in CASES:
        if arguments.only and arguments.only not in name:
            continue
        path = make_rows(rows, inputs)
        weights_path, weights, bias = layer(inputs, neurons)
        ours_command = [
            *neuron,
            "compute",
            "-w",
            f"@{weights_path}",
            "-b",
            ",".join(map(str, bias)),
            "-a",
            "sigmoid",
            "--format",
            "plain",
        ]
        theirs_command = [mawk, mawk_program(weights, bias)]
        measure(ours_command, path, pipe)  # warm the caches
        ours, theirs, rss = [], [], []
        for _ in range(runs):  # alternating, so that both see the same load
            elapsed, peak = measure(ours_command, path, pipe)
            ours.append(elapsed)
            rss.append(peak)
            theirs.append(measure(theirs_command, path, pipe)[0])
        a, b = statistics.median(ours), statistics.median(theirs)
        print(f"{name:<24} {a:>9.3f} {b:>8.3f} {b / a:>7.2f} {max(rss):>13.1f}")
    if not arguments.only or "width" in arguments.only:
        width_cliff(neuron, runs)
    if arguments.only:
        return 0
    start = startup.measure(20)
    print(
        f"start-up: {start['neuron'] / start['baseline']:.2f}x 'import numpy, typer', "
        f"{start['neuron'] / start['numpy']:.2f}x 'import numpy' ({start['neuron'] * 1000:.0f} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
