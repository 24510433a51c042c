"""The floor of neuron's stack: the stream benchmark's job done by the shortest script that uses the same libraries
as neuron, NumPy and polars, and nothing of neuron (no options, no checks, no line numbers, no fallback for lines
polars cannot read). duckdb_stream.py runs it beside neuron and DuckDB, so that the distance between neuron and
DuckDB splits into what neuron adds to its libraries and what the libraries themselves cost.

Reads comma-separated rows from standard input in 1.6 MB chunks of whole lines (neuron's size) and writes one
sigmoid output a line, as repr() writes it, with two worker threads (polars lets go of the GIL while it reads and
writes). Usage: python benchmarks/bare_stream.py W1,W2,... B < rows.csv > outputs.txt
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import polars as pl

CHUNK = 1_600_000
WEIGHTS = [float(weight) for weight in sys.argv[1].split(",")]
BIAS = float(sys.argv[2])


def outputs(chunk: bytes) -> str:
    schema = {f"x{i}": pl.Float64 for i in range(len(WEIGHTS))}
    frame = pl.read_csv(chunk, has_header=False, schema=schema, quote_char=None, comment_prefix=None)
    columns = [column.to_numpy() for column in frame.get_columns()]
    z = columns[0] * WEIGHTS[0]
    for column, weight in zip(columns[1:], WEIGHTS[1:], strict=True):
        z += column * weight  # the contract's order: x1*w1 + x2*w2 + ..., then + b
    z += BIAS
    y = 1 / (1 + np.exp(-z))
    return str(pl.Series(y).cast(pl.String).str.join("\n").item()) + "\n"


def chunks(descriptor: int) -> Iterator[bytes]:
    held = b""
    while data := os.read(descriptor, CHUNK):
        held += data
        cut = held.rfind(b"\n") + 1
        if cut:
            yield held[:cut]
            held = held[cut:]
    if held:
        yield held


def main() -> None:
    waiting: list[Future[str]] = []
    with ThreadPoolExecutor(2) as pool:
        for chunk in chunks(sys.stdin.fileno()):
            waiting.append(pool.submit(outputs, chunk))
            while len(waiting) > 2:
                sys.stdout.write(waiting.pop(0).result())
        for future in waiting:
            sys.stdout.write(future.result())


if __name__ == "__main__":
    main()
