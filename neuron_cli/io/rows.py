"""A chunk of input lines to rows of numbers: fast readers (polars, NumPy) where they can vouch for every value,
else a careful parser that names the first bad line and value; a CSV header line recognised and skipped."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator

import numpy as np

from ..errors import NeuronError
from ..i18n import Phrase
from ..nn.layers import Network
from ..nn.numbers import is_number, parse_number
from . import polars
from .chunks import MAX_LINE, Source, numbered_chunks
from .values import ASCII_ODD_SPACES, split_values

Array = np.ndarray
# Input values a chunk holds, an output counted as OUTPUT_WEIGHT: 1.6 MB of 8 inputs a row. Polars' reader costs
# 1.6 ms a call whatever its size: twice 800 KB's chunks took a 1M-row stream 0.84x the time and 0.86x the CPU,
# for 9 MiB more (four times: 0.82x, for 25 MiB more).
CHUNK_VALUES = 240_000
OUTPUT_WEIGHT = 4  # an output's number, and then its text, take about four times an input's number
MIN_CHUNK_ROWS = 256  # polars' reader costs something for every column: wide rows come at least this many at a time
MIN_CHUNK_BYTES = 16 << 10
MAX_CHUNK_BYTES = 16 << 20  # a chunk's text, numbers and outputs stay in tens of MB however wide its rows
POLARS_BYTES = 1 << 16  # smaller blocks go to np.loadtxt: polars' import (about 0.3 s) would cost more
POLARS_COLUMNS = 10_000  # wider rows go to np.loadtxt too: polars' cost for each column outweighs its speed


# What NumPy's reader takes for white space and the careful parser refuses (values.ASCII_ODD_SPACES; it refuses
# other controls and a lone \r itself, and text that is not ASCII never reaches it)
_LOADTXT_SPACES = tuple(space.encode() for space in ASCII_ODD_SPACES)


class StreamError(Exception):
    """A bad line: `problem` says what is wrong with it, `rows` holds the good rows of its block before it."""

    def __init__(self, problem: NeuronError, rows: Array) -> None:
        super().__init__(str(problem))
        self.problem, self.rows = problem, rows


def parse_lines(block: bytes, first_line: int, network: Network) -> Array:
    """The careful parser: line by line, every value checked, the first bad one named by its line and position.

    Blank lines and lines starting with # are skipped. A StreamError carries the good rows before the bad line.
    """
    rows: list[list[float]] = []
    width = network.input_size
    for offset, raw in enumerate(block.split(b"\n")):
        number = first_line + offset
        try:
            text = raw.decode("utf-8")
            text = text[:-1] if text.endswith("\r") else text  # a CRLF line end
            if not text.strip() or text.lstrip().startswith("#"):
                continue
            fields = split_values(text, Phrase("line {line}", line=number))
            values = [
                parse_number(field, Phrase("line {line}, value {number}", line=number, number=k))
                for k, field in enumerate(fields, start=1)
            ]
            network.check_inputs(len(values), Phrase("line {line}", line=number))
        except UnicodeDecodeError:
            problem = NeuronError("line {line} is not UTF-8 text", line=number)
            raise StreamError(problem, _array(rows, width)) from None
        except NeuronError as problem:
            raise StreamError(problem, _array(rows, width)) from None
        rows.append(values)
    return _array(rows, width)


def _array(rows: list[list[float]], width: int) -> Array:
    return np.array(rows, dtype=np.float64).reshape(-1, width)


def unsure(block: bytes) -> bool:
    """Whether the fast readers might read this block otherwise than the careful parser.

    Polars takes a comma at the very end of its input for the end of a row (elsewhere an empty field is a
    missing value, which it refuses); text that is not ASCII is left to the careful parser altogether. Other
    line breaks (\\r alone, \\v, U+2028) no longer split lines: the fast readers split at \\n alone, as the
    careful one does (tests/test_stream.py feeds random lines through every path to keep it so).
    """
    return block.endswith(b",") or not block.isascii()


def fast_parse(block: bytes, width: int) -> Array | None:
    """The block's rows by a fast reader, or None where it cannot vouch for every value (the careful one decides).

    Both fast readers accept only what Python's float() accepts; blank lines, comments, empty fields, ragged
    rows and values that are not finite all send the block to the careful parser.
    """
    if b"#" in block or unsure(block):
        return None
    if b"," in block and len(block) >= POLARS_BYTES and width <= POLARS_COLUMNS:
        rows = polars.read_rows(block, width)
        if rows is not None:
            return rows
    if any(space in block for space in _LOADTXT_SPACES):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "input contained no data": blank lines, left to the careful parser
            rows = np.loadtxt(
                block.decode("utf-8").split("\n"),  # lines end at \n alone, as the careful parser's do
                delimiter="," if b"," in block else None,
                comments=None,
                ndmin=2,
                dtype=np.float64,
            )
    except ValueError:  # UnicodeDecodeError included
        return None
    if rows.size == 0 or rows.shape[1] != width or not np.isfinite(rows).all():
        return None
    return rows


_NAME = re.compile(rb"\s*[A-Za-z_][\w.\- ]*\s*")


def without_header(block: bytes, header: bool | None) -> bytes:
    """The first block with its CSV header line turned into a comment, so that line numbers still count it.

    `header`: True, the first line is a header; None, it is one where every field is a name (x1,x2,label),
    none a number; False, there is none.
    """
    if header is False:
        return block
    start = 0
    while start < len(block):  # the first line that holds something
        end = block.find(b"\n", start)
        end = len(block) if end < 0 else end
        line = block[start:end]
        if line.strip() and not line.lstrip().startswith(b"#"):
            fields = re.split(rb"\s*,\s*|\s+", line.strip())
            if header or all(_NAME.fullmatch(field) and not is_number(field) for field in fields):
                return block[:start] + b"#" + block[start:]
            return block
        start = end + 1
    return block


def longest_line(network: Network) -> int:
    """The longest line a stream may hold: 1 MiB, or 64 bytes for each of a wide row's values."""
    return max(MAX_LINE, 64 * network.input_size)


def chunk_bytes(network: Network) -> int:
    """How many bytes to read at a time: as many rows as hold CHUNK_VALUES, counting an output as OUTPUT_WEIGHT
    inputs (its number, and then its text, are what a wide layer's chunk holds most of), about 10 bytes an input
    value; at least MIN_CHUNK_ROWS rows (a reader call costs something for every column: a chunk of a hundred
    rows of a thousand values would cost mostly that), but not over MAX_CHUNK_BYTES (rows of 100,000 values
    would take 256 MB a chunk); a line longer than a chunk comes whole all the same."""
    units = network.input_size + OUTPUT_WEIGHT * network.output_size
    rows = max(MIN_CHUNK_ROWS, CHUNK_VALUES // units)
    return max(MIN_CHUNK_BYTES, min(rows * 10 * network.input_size, MAX_CHUNK_BYTES))


def read_blocks(source: Source, network: Network, header: bool | None = None, first_line: int = 1) -> Iterator[Array]:
    """Blocks of input rows (rows, inputs) in order; a bad line ends it with a NeuronError after the rows before it.
    A header line (see `without_header`) is skipped, and counted. Lines are numbered from `first_line`."""
    size, longest = chunk_bytes(network), longest_line(network)
    for raw, line in numbered_chunks(source, size, longest, first_line):
        yield from rows_of(raw, line, network, header)


def rows_of(raw: bytes, line: int, network: Network, header: bool | None) -> Iterator[Array]:
    """The rows of one chunk that starts at `line`: a block of them, or the good ones and then the error."""
    block = raw  # its last line break, if it has one, ends its last row for every reader (no copy without it)
    if line == 1:
        if block.startswith(b"\xef\xbb\xbf"):
            block = block[3:]  # a byte order mark (Excel's CSV) is not a value
        block = without_header(block, header)
    rows = fast_parse(block, network.input_size)
    if rows is None:
        try:
            rows = parse_lines(block, line, network)
        except StreamError as bad:
            if bad.rows.size:
                yield bad.rows
            raise bad.problem from None
    if rows.size:
        yield rows
