"""CSV files to rows and columns: answer sheets (what each column of a header means) and training data sets,
read a large piece at a time (RFC 4180 quoting, UTF-8 with or without a byte order mark); a bad cell named by
its line and column."""

from __future__ import annotations

import codecs
import csv
import itertools
import operator
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import numpy as np

from ..errors import NeuronError
from ..i18n import message
from ..nn.layers import Network
from ..nn.numbers import is_number, parse_number

Array = np.ndarray
MAX_FIELD = 1 << 20  # one cell may hold up to 1 MiB; a longer one is refused, not read into memory whole
MAX_DATA_ROWS = 2_000_000  # a training data set is held whole: up to this many rows

_COLUMN = re.compile(r"(?:l(?P<layer>\d+)\.)?(?P<kind>x|t|y|z|w|b)(?P<j>\d+)(?:_(?P<i>\d+))?|(?P<loss>loss)")


@dataclass(frozen=True)
class Expected:
    """An expected column: its header, where it stands, and the quantity it asks for."""

    column: int
    header: str
    kind: str  # "y", "z", "loss", "w", "b"
    layer: int = 0  # 0-based, for w and b
    neuron: int = 0  # 0-based: the output, z or neuron
    weight: int = 0  # 0-based input of the neuron, for w


@dataclass(frozen=True)
class Schema:
    """What each column of a sheet holds, from its header line."""

    headers: list[str]
    names: list[int]  # columns that only name the row (student, question, ...)
    inputs: list[int]  # x1..xn, in order; empty: every row takes -x
    targets: list[int]  # t1..tk, in order; empty: --target
    expected: list[Expected]

    @property
    def needs_step(self) -> bool:
        return any(e.kind in ("loss", "w", "b") for e in self.expected)


def read_schema(headers: list[str], network: Network, line: int) -> Schema:
    """The meaning of each column, checked against the network; an error names the column and the fix."""
    names: list[int] = []
    inputs: dict[int, int] = {}
    targets: dict[int, int] = {}
    expected: list[Expected] = []
    seen: set[str] = set()
    for column, raw in enumerate(headers):
        header = raw.strip()
        key = header.lower()
        if key in seen and key:
            raise NeuronError("line {line}: the column {header!r} is named twice", line=line, header=header)
        seen.add(key)
        match = _COLUMN.fullmatch(key)
        if (
            match is None
            or (match["i"] is not None) != (match["kind"] == "w")
            or (match["layer"] is not None and match["kind"] not in ("w", "b"))
        ):
            names.append(column)
        elif match["loss"]:
            expected.append(Expected(column, header, "loss"))
        elif match["kind"] == "x":
            inputs[int(match["j"]) - 1] = column
        elif match["kind"] == "t":
            targets[int(match["j"]) - 1] = column
        else:
            expected.append(_expected(match, column, header, network, line))
    schema = Schema(headers, names, ordered(inputs, "x", line), ordered(targets, "t", line), expected)
    if not schema.expected:
        raise NeuronError(
            "line {line}: the sheet has no expected column; name one y1.., z1.., loss, w1_1.. or b1.. in the header",
            line=line,
        )
    return schema


def _expected(match: re.Match[str], column: int, header: str, network: Network, line: int) -> Expected:
    """An answer column (y, z, w, b), checked against the network's sizes."""
    kind, j = match["kind"], int(match["j"]) - 1
    layers = network.layers
    if kind in ("y", "z"):
        count = network.output_size if kind == "y" else layers[-1].neurons
        if not 0 <= j < count:
            raise NeuronError(
                "line {line}: column {header}: the network has {count} {what}",
                line=line,
                header=header,
                count=count,
                what=_what(kind),
            )
        return Expected(column, header, kind, neuron=j)
    layer = int(match["layer"] or 1) - 1
    if not 0 <= layer < len(layers):
        raise NeuronError(
            "line {line}: column {header}: the network has {layers_count} layer(s)",
            line=line,
            header=header,
            layers_count=len(layers),
        )
    neurons, width = layers[layer].neurons, layers[layer].input_size
    i = int(match["i"]) - 1 if match["i"] else 0
    if not 0 <= j < neurons or not 0 <= i < width:
        raise NeuronError(
            "line {line}: column {header}: layer {number} has {neurons} neuron(s) of {width} weight(s)",
            line=line,
            header=header,
            number=layer + 1,
            neurons=neurons,
            width=width,
        )
    return Expected(column, header, kind, layer, j, i)


def _what(kind: str) -> str:
    return message("outputs (y1..)") if kind == "y" else message("neurons in its last layer (z1..)")


def ordered(columns: dict[int, int], letter: str, line: int) -> list[int]:
    """x1..xn (or t1..tk) as column positions in order; a gap (x1, x3) is an error."""
    for k in range(len(columns)):
        if k not in columns:
            raise NeuronError(
                "line {line}: the header has {letter}{number} but no {letter}{number2}",
                line=line,
                letter=letter,
                number=max(columns) + 1,
                number2=k + 1,
            )
    return [columns[k] for k in range(len(columns))]


def sheet_rows(source: Any, first_line: int = 1) -> Iterator[tuple[int, list[str]]]:
    """(line, fields) of each record of a CSV file (RFC 4180: quoted fields may hold commas and new lines), UTF-8
    with or without a byte order mark, LF or CRLF; blank lines are skipped; `line` is the record's first line,
    counted from `first_line`."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    text = _lines(source, decoder)
    reader = csv.reader(text, strict=True)
    skipped = before = first_line - 1
    try:
        for fields in reader:
            line, before = before + 1, skipped + reader.line_num
            if any(fields):
                yield line, fields
    except csv.Error as problem:
        raise NeuronError(
            "line {line_num}: not a CSV record: {problem}", line_num=skipped + reader.line_num, problem=problem
        ) from None
    except UnicodeDecodeError:
        raise NeuronError("line {number} is not UTF-8 text", number=before + 1) from None


def _lines(source: IO[bytes] | Iterable[bytes], decoder: codecs.IncrementalDecoder) -> Iterator[str]:
    """The source's text a line at a time (each with its line end), read and decoded a large piece at a time;
    a line longer than MAX_FIELD bytes is refused, never held in memory whole. (The pieces' lines are chained
    in C: the CSV reader then pulls each line without a Python step.)"""
    return itertools.chain.from_iterable(_pieces(source, decoder))


def _pieces(source: IO[bytes] | Iterable[bytes], decoder: codecs.IncrementalDecoder) -> Iterator[list[str]]:
    """The source's text as lists of whole lines, a large piece at a time."""
    read = getattr(source, "read1", None) or getattr(source, "read", None)
    pieces: Iterable[bytes] = iter(lambda: read(1 << 20), b"") if read is not None else source
    rest = ""
    number = 0
    for piece in pieces:
        lines = (rest + decoder.decode(piece)).splitlines(keepends=True)
        rest = lines.pop() if lines and not lines[-1].endswith(("\n", "\r")) else ""
        if len(rest) > MAX_FIELD:
            raise NeuronError(
                "line {number} is longer than {MAX_FIELD} characters, the limit",
                number=number + len(lines) + 1,
                MAX_FIELD=MAX_FIELD,
            )
        number += len(lines)
        yield lines
    rest += decoder.decode(b"", final=True)
    if rest:
        yield [rest]


def numbers(block: list[tuple[int, list[str]]], columns: list[int], headers: list[str]) -> tuple[Array, int]:
    """The block's numbers in these columns, (rows, columns), and how many rows are good: all of them, or the rows
    before the first bad cell (the careful parser then names it). NumPy parses with float(), as the careful
    parser does, so the two accept the same text."""
    cells = operator.itemgetter(*columns)  # in C: a row's cells (one column: the cell itself; reshaped below)
    texts = [cells(fields) for _, fields in block]
    try:
        values = np.array(texts, dtype=np.float64).reshape(len(block), len(columns))
        if np.isfinite(values).all():
            return values, len(block)
    except ValueError:
        pass
    for r, (line, fields) in enumerate(block):
        try:
            for c in columns:
                parse_number(fields[c], message("line {line}, {column}", line=line, column=headers[c].strip()))
        except NeuronError as problem:
            good = np.array(texts[:r], dtype=np.float64).reshape(r, len(columns))
            raise BadRow(good, r, problem) from None
    raise AssertionError("a cell NumPy refused was accepted by the careful parser")  # pragma: no cover


class BadRow(Exception):
    def __init__(self, good: Array, index: int, problem: NeuronError) -> None:
        super().__init__(str(problem))
        self.good, self.index, self.problem = good, index, problem


LINE_BREAKS_BESIDES_LF = (b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9")


def splits_as_lines(piece: bytes) -> bool:
    """Whether the records of this text are its \\n-ended lines, as the CSV reader counts them: no quote (a quoted
    field may hold a line break), no \\r but in \\r\\n, none of the other breaks str.splitlines() knows."""
    if b'"' in piece or piece.count(b"\r") != piece.count(b"\r\n"):
        return False
    return not any(brk in piece for brk in LINE_BREAKS_BESIDES_LF)


@dataclass(frozen=True)
class DataSet:
    """A data set's columns: with a header, the positions of x1..xn and t1..tk (or y1..yk); without, all numbers."""

    rows: list[tuple[int, list[str]]]
    inputs: list[int] | None  # None: no header; the last k columns of a row are its targets
    targets: list[int] | None
    width: int
    headers: list[str] = field(default_factory=list)


def read_data(source: IO[bytes] | Iterable[bytes]) -> DataSet:
    """A training data set from CSV: with a header (x1..xn and t1..tk, or y1..yk; other columns ignored), or
    without one (each row's last k values are its targets, k the network's outputs)."""
    rows = []
    for row in sheet_rows(source):
        rows.append(row)
        if len(rows) > MAX_DATA_ROWS:
            raise NeuronError(
                "the data set has more than {limit} rows, the most neuron trains on at once", limit=MAX_DATA_ROWS
            )
    if not rows:
        raise NeuronError("the data set is empty; give rows of inputs and targets (x1,x2,t1 as a header helps)")
    line, first = rows[0]
    if all(is_number(cell) for cell in first):
        return DataSet(rows, None, None, len(first))
    found: dict[str, dict[int, int]] = {"x": {}, "t": {}, "y": {}}
    for column, header in enumerate(first):
        match = re.fullmatch(r"([xty])(\d+)", header.strip().lower())
        if match:
            if int(match[2]) - 1 in found[match[1]]:
                raise NeuronError("line {line}: the column {header!r} is named twice", line=line, header=header.strip())
            found[match[1]][int(match[2]) - 1] = column
    if found["t"] and found["y"]:
        raise NeuronError("line {line}: the header has both t1.. and y1..; name the targets one way", line=line)
    inputs = ordered(found["x"], "x", line)
    targets = ordered(found["t"] or found["y"], "t" if found["t"] else "y", line)
    if not inputs or not targets:
        raise NeuronError("line {line}: the header needs inputs x1..xn and targets t1..tk (or y1..yk)", line=line)
    return DataSet(rows[1:], inputs, targets, len(first), [cell.strip() for cell in first])


def data_arrays(data: DataSet, outputs: int, network_inputs: int | None) -> tuple[Array, Array]:
    """The data set's (inputs, targets) as arrays, checked against the network's sizes; a bad cell names its line."""
    if data.inputs is not None and data.targets is not None:
        inputs_at, targets_at = data.inputs, data.targets
        headers = [""] * data.width
        if len(targets_at) != outputs:
            raise NeuronError(
                "the data set has {targets_at_count} target column(s) but the network has {outputs} output(s)",
                targets_at_count=len(targets_at),
                outputs=outputs,
            )
    else:
        count = data.width - outputs
        if count < 1:
            raise NeuronError(
                "the data set's rows have {width} values: too few for inputs and {outputs} target(s)",
                width=data.width,
                outputs=outputs,
            )
        inputs_at, targets_at = list(range(count)), list(range(count, data.width))
        headers = [f"x{k + 1}" for k in range(count)] + [f"t{k + 1}" for k in range(outputs)]
    if network_inputs is not None and network_inputs != len(inputs_at):
        raise NeuronError(
            "the data set has {inputs_at_count} input(s) a row but the network takes {network_inputs}",
            inputs_at_count=len(inputs_at),
            network_inputs=network_inputs,
        )
    block = []
    for line, fields in data.rows:
        if data.inputs is None and len(fields) != data.width:
            raise NeuronError(
                "line {line} has {fields_count} values but the first row has {width}",
                line=line,
                fields_count=len(fields),
                width=data.width,
            )
        block.append((line, fields + [""] * (data.width - len(fields))))
    names = headers if data.inputs is None else data.headers
    try:
        inputs, _ = numbers(block, inputs_at, names)
        targets, _ = numbers(block, targets_at, names)
    except BadRow as bad:
        raise bad.problem from None
    return inputs, targets
