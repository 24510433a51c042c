"""Lines of input rows to results, block by block, in memory that does not grow with the number of rows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

import numpy as np

from .core import Network
from .errors import NeuronError
from .parsing import parse_number, split_values

Array = np.ndarray
BLOCK_BYTES = 1 << 20  # rows are parsed, computed and written a block of about this many bytes at a time


def chunks(source: IO[bytes] | Iterable[bytes], size: int = BLOCK_BYTES) -> Iterator[bytes]:
    """Whole lines, about `size` bytes at a time (a file object), or as the iterable gives them."""
    if not hasattr(source, "read"):
        yield from source
        return
    rest = b""
    while True:
        data = source.read(size)
        if not data:
            break
        data = rest + data
        cut = data.rfind(b"\n") + 1
        if cut == 0:
            rest = data
            continue
        rest = data[cut:]
        yield data[:cut]
    if rest:
        yield rest


def parse_lines(block: bytes, first_line: int, network: Network) -> Array:
    """The careful parser: row by row, each value checked, the first bad one named by its line and position.

    The rows before a bad line are returned in the error's `rows` so that they can be written first.
    """
    rows: list[list[float]] = []
    width = network.input_size
    for offset, raw in enumerate(block.split(b"\n")):
        number = first_line + offset
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise StreamError(f"line {number} is not UTF-8 text", rows, width) from None
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        fields = split_values(text)
        try:
            values = [parse_number(field, f"line {number}, value {k}") for k, field in enumerate(fields, start=1)]
            network.check_inputs(len(values), f"line {number}")
        except NeuronError as problem:
            raise StreamError(str(problem), rows, width) from None
        rows.append(values)
    return np.array(rows, dtype=np.float64).reshape(-1, width)


class StreamError(NeuronError):
    """A bad line; `rows` holds the good rows of its block that came before it."""

    def __init__(self, message: str, rows: list[list[float]], width: int) -> None:
        super().__init__(message)
        self.rows = np.array(rows, dtype=np.float64).reshape(-1, width)


def fast_parse(block: bytes, width: int) -> Array | None:
    """The block's rows by a fast vectorised parser, or None where it cannot vouch for every value."""
    if b"#" in block:
        return None
    delimiter = "," if b"," in block else None
    try:
        with np.errstate(all="ignore"):
            rows = np.loadtxt(
                block.decode("utf-8").splitlines(), delimiter=delimiter, comments=None, ndmin=2, dtype=np.float64
            )
    except (ValueError, UnicodeDecodeError):
        return None
    if (rows.shape[1] != width and rows.size) or not np.isfinite(rows).all():
        return None
    return rows.reshape(-1, width)


def read_blocks(source: IO[bytes] | Iterable[bytes], network: Network) -> Iterator[Array]:
    """Blocks of input rows (rows, width); a bad line ends it with a NeuronError, after the good rows before it."""
    line = 1
    for block in chunks(source):
        if block.endswith(b"\n"):
            block = block[:-1]
        rows = fast_parse(block, network.input_size)
        if rows is None:
            try:
                rows = parse_lines(block, line, network)
            except StreamError as problem:
                if problem.rows.size:
                    yield problem.rows
                raise NeuronError(str(problem)) from None
        line += block.count(b"\n") + 1
        if rows.size:
            yield rows


def run_stream(
    source: IO[bytes] | Iterable[bytes], network: Network, chosen: str, digits: int | None, grad: bool, out: IO[str]
) -> None:
    """Read rows, compute, write one output line per row as each block is done."""
    from . import render

    view = render.View(digits=digits, grad=grad)
    written = 0
    for rows in read_blocks(source, network):
        if chosen == "plain":
            out.write(render.plain_lines(network(rows), digits))
        elif chosen == "csv":
            if written == 0:
                out.write(render.csv_header(network.input_size, network.output_size))
            out.write(render.csv_lines(rows, network(rows), digits))
        elif chosen == "json":
            out.write("".join(render.json_line(network.forward(row), view) for row in rows))
        else:
            if written == 0:
                out.write(render.stream_table_header(network.input_size, network.output_size))
            out.write(render.stream_table_lines(written + 1, rows, network(rows), digits))
        written += rows.shape[0]
        out.flush()
