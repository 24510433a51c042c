"""The stream against DuckDB and mawk, in one interleaved run: 1M rows x 8 inputs from a CSV file, one sigmoid
neuron, every output written as text. DuckDB (its Python package, in a Python given by --duckdb-python: neuron
does not depend on it) runs the same computation in SQL on the same file, the weighted sum added in the
contract's order (x1*w1 + x2*w2 + ... then + b) and written with COPY to a file, as neuron and mawk write
theirs; the three outputs are checked equal (to 1e-15 relative: the libraries' exp may differ in the last
bit). Goal of the performance issue: neuron at least 4x mawk and at least as fast as DuckDB.

Beside them runs bare_stream.py, the same job in the shortest script on neuron's own libraries (NumPy, polars):
the floor of the stack, which says how much of the distance to DuckDB is neuron's and how much its libraries'.

Usage: python benchmarks/duckdb_stream.py --duckdb-python /path/to/venv/bin/python [--runs 3] [--rows N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from stream import BIAS, DATA, WEIGHTS, compare, make_rows, neuron_command, timed


def duckdb_command(python: str, path: Path, output: Path) -> list[str]:
    terms = " + ".join(f"column{i} * {w!r}" for i, w in enumerate(WEIGHTS))
    columns = ", ".join(f"'column{i}': 'DOUBLE'" for i in range(len(WEIGHTS)))
    query = (
        f"COPY (SELECT 1 / (1 + exp(-(({terms}) + {BIAS!r}))) AS y FROM read_csv('{path}', header = false, "
        f"columns = {{{columns}}})) TO '{output}' (HEADER false)"
    )
    return [python, "-c", f"import duckdb; duckdb.sql({query!r})"]


def bare_command() -> list[str]:
    script = Path(__file__).parent / "bare_stream.py"
    return [sys.executable, str(script), ",".join(map(repr, WEIGHTS)), repr(BIAS)]


def mawk_command() -> list[str]:
    program = (
        'BEGIN { FS = ","; n = split("' + ",".join(map(str, WEIGHTS)) + '", w, ",") }'
        " { z = 0; for (i = 1; i <= n; i++) z += $i * w[i]; z += " + str(BIAS) + ";"
        ' printf "%.17g\\n", 1 / (1 + exp(-z)) }'
    )
    return ["mawk", program]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duckdb-python", required=True, help="a Python with the duckdb package")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    path = make_rows(args.rows)
    outputs = {name: DATA / f"out_{name}.txt" for name in ("neuron", "duckdb", "bare", "mawk")}
    neuron = neuron_command()
    times: dict[str, list[float]] = {name: [] for name in outputs}
    for _ in range(args.runs + 1):  # the first round warms the caches and is not counted
        for name, output in outputs.items():
            if name == "duckdb":
                command, source = duckdb_command(args.duckdb_python, path, output), DATA / "empty.txt"
                source.write_text("")
                elapsed = timed(command, source, DATA / "duckdb_stdout.txt")[0]
            else:
                command = {"neuron": neuron, "bare": bare_command(), "mawk": mawk_command()}[name]
                elapsed = timed(command, path, output)[0]
            times[name].append(elapsed)
    for name in ("duckdb", "bare", "mawk"):
        print(
            f"outputs of neuron and {name} apart by at most {compare(outputs['neuron'], outputs[name]):.1e} (relative)"
        )
    median = {name: statistics.median(values[1:]) for name, values in times.items()}
    spread = {name: f"{min(values[1:]):.3f}-{max(values[1:]):.3f}" for name, values in times.items()}
    for name in outputs:
        print(f"{name:<7} {median[name]:.3f} s (runs {spread[name]})")
    print(
        f"neuron: {median['mawk'] / median['neuron']:.2f}x mawk (goal >= 4), "
        f"{median['duckdb'] / median['neuron']:.2f}x DuckDB (goal >= 1)"
    )
    print(
        f"the bare script on neuron's libraries: {median['duckdb'] / median['bare']:.2f}x DuckDB; "
        f"neuron takes {median['neuron'] / median['bare']:.2f}x its time"
    )


if __name__ == "__main__":
    main()
