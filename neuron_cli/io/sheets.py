"""What the columns of a CSV file mean: an answer sheet's (inputs, targets, answers, naming columns, or a
question file's `<question>.<asked>` columns) and a training data set's; the numbers in a block of rows, each
row's own problem named by its line and column."""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import numpy as np

from ..errors import NeuronError
from ..i18n import Phrase
from ..nn.layers import Network
from ..nn.numbers import is_number, parse_number
from . import polars
from .csvfile import Record, records
from .values import has_odd_character, refuse_odd_characters

Array = np.ndarray
MAX_DATA_ROWS = 2_000_000  # a training data set is held whole: up to this many rows (its header not counted)
MAX_DATA_VALUES = 50_000_000  # and this many numbers in the columns it trains on (400 MB of float64)

_ASKED = re.compile(r"(?:l(?P<layer>\d+)\.)?(?P<kind>x|t|y|z|w|b)(?P<j>\d+)(?:_(?P<i>\d+))?|(?P<loss>loss)")


@dataclass(frozen=True)
class Expected:
    """What a column (or a question's ask) names: an input x, a target t, or an answer (y, z, loss, w, b), where
    it stands (its column; -1 for a question's ask) and, 0-based, its layer, neuron and weight."""

    column: int
    header: str
    kind: str  # "x", "t", "y", "z", "loss", "w", "b"
    layer: int = 0
    neuron: int = 0
    weight: int = 0


def parse_asked(name: str, network: Network, where: str, base: int = 1, column: int = -1) -> Expected | None:
    """What `name` asks for (x2, y1, z1, loss, w1_2, l2.b1; numbered from `base`), checked against the
    network's sizes; None where it names nothing of a network (a naming column such as `student`)."""
    match = _ASKED.fullmatch(name.strip().lower())
    if match is None or (match["i"] is not None) != (match["kind"] == "w"):
        return None
    if match["layer"] is not None and match["kind"] not in ("w", "b"):
        return None
    if match["loss"]:
        return Expected(column, name, "loss")
    kind, j = match["kind"], int(match["j"]) - base
    if j < 0:
        raise NeuronError(
            "{where}: {name}: numbers here start from 1; a header that counts from 0 (x0, y0) needs --index-base 0",
            where=where,
            name=name,
        )
    if kind in ("x", "t"):
        return Expected(column, name, kind, neuron=j)
    layers = network.layers
    if kind in ("y", "z"):
        count = network.output_size if kind == "y" else layers[-1].neurons
        if j >= count:
            raise NeuronError(
                "{where}: {name}: the network has {count} output(s) (y1..)"
                if kind == "y"
                else "{where}: {name}: the network's last layer has {count} neuron(s) (z1..)",
                where=where,
                name=name,
                count=count,
            )
        return Expected(column, name, kind, neuron=j)
    layer = int(match["layer"] or 1) - 1
    if not 0 <= layer < len(layers):
        raise NeuronError(
            "{where}: {name}: the network has {count} layer(s)", where=where, name=name, count=len(layers)
        )
    neurons, width = layers[layer].neurons, layers[layer].input_size
    i = int(match["i"]) - base if match["i"] else 0
    if not 0 <= j < neurons or not 0 <= i < width:
        raise NeuronError(
            "{where}: {name}: layer {number} has {neurons} neuron(s) of {width} weight(s)",
            where=where,
            name=name,
            number=layer + 1,
            neurons=neurons,
            width=width,
        )
    return Expected(column, name, kind, layer, j, i)


@dataclass(frozen=True)
class Schema:
    """What each column of a teacher's sheet holds, from its header line."""

    headers: list[str]
    names: list[int]  # columns that only name the row (student, question, ...)
    inputs: list[int]  # x1..xn, in order; empty: every row takes -x
    targets: list[int]  # t1..tk, in order; empty: --target
    expected: list[Expected]

    @property
    def needs_step(self) -> bool:
        return any(e.kind in ("loss", "w", "b") for e in self.expected)


def read_schema(headers: list[str], network: Network, line: int, base: int = 1) -> Schema:
    """The meaning of each column, checked against the network; an error names the column and the fix."""
    names: list[int] = []
    found: dict[str, dict[int, int]] = {"x": {}, "t": {}}
    expected: list[Expected] = []
    check_names(headers, line)
    for column, raw in enumerate(headers):
        asked = parse_asked(raw.strip(), network, Phrase("line {line}", line=line), base, column)
        if asked is None:
            names.append(column)
        elif asked.kind in found:
            found[asked.kind][asked.neuron] = column
        else:
            expected.append(asked)
    inputs, targets = ordered(found["x"], "x", line, base), ordered(found["t"], "t", line, base)
    schema = Schema(headers, names, inputs, targets, expected)
    if not expected:
        raise NeuronError(
            "line {line}: the sheet has no answer column; name one y1.., z1.., loss, w1_1.. or b1.. in the header",
            line=line,
        )
    return schema


def check_names(headers: list[str], line: int) -> None:
    """No column is named twice."""
    seen: set[str] = set()
    for raw in headers:
        key = raw.strip().lower()
        if key in seen and key:
            raise NeuronError("line {line}: the column {header!r} is named twice", line=line, header=raw.strip())
        seen.add(key)


def ordered(columns: dict[int, int], letter: str, line: int, base: int = 1) -> list[int]:
    """x1..xn (or t1..tk) as column positions in order; a gap (x1, x3) is an error."""
    for k in range(len(columns)):
        if k not in columns:
            raise NeuronError(
                "line {line}: the header has {letter}{number} but no {letter}{number2}",
                line=line,
                letter=letter,
                number=max(columns) + base,
                number2=k + base,
            )
    return [columns[k] for k in range(len(columns))]


def numbers_of(
    block: list[tuple[int, list[str]]],
    columns: list[int],
    headers: list[str],
    lines: bool = True,
    decimal_comma: bool = False,
) -> tuple[Array, list]:
    """The block's numbers in these columns (rows, columns), and each row's problem (None where it has none: a
    row with one is all nan), naming the line where `lines` (an answer sheet's row says its line itself), 0,5
    read as 0.5 with `decimal_comma`. NumPy parses with float(), as the careful parser does: they accept the same
    text."""
    if not columns:
        return np.zeros((len(block), 0)), [None] * len(block)
    if decimal_comma:  # (a sheet of decimal commas is read by this careful path alone)
        wanted = set(columns)
        block = [
            (line, [f.replace(",", ".") if c in wanted else f for c, f in enumerate(fields)]) for line, fields in block
        ]
    cells = operator.itemgetter(*columns)  # in C: a row's cells (one column: the cell itself; reshaped below)
    texts = list(map(cells, map(operator.itemgetter(1), block)))
    flat = texts if len(columns) == 1 else list(itertools.chain.from_iterable(texts))
    # float() takes a vertical tab or a no-break space for white space: such a block goes cell by cell, which
    # refuses them as a row's problem, named
    odd = has_odd_character("".join(flat))
    read = polars.floats(flat) if len(flat) >= 4096 and not odd else None  # 3x float()'s speed, where polars is in
    try:
        if odd:
            raise ValueError
        values = (read if read is not None else np.array(texts, dtype=np.float64)).reshape(len(block), len(columns))
        if np.isfinite(values).all():
            return values, [None] * len(block)
        values = values.copy()  # polars' numbers are read-only: the rows read again below are written over them
    except ValueError:
        values = np.full((len(block), len(columns)), np.nan)
    problems: list[NeuronError | None] = []
    for r, (line, fields) in enumerate(block):
        try:
            values[r] = [_cell_number(fields[c], line, headers[c].strip(), lines) for c in columns]
            problems.append(None)
        except NeuronError as problem:
            values[r] = np.nan
            problems.append(problem)
    return values, problems


def _cell_number(cell: str, line: int, column: str, lines: bool) -> float:
    """A cell's number, read as float() reads it but for a control or separator character, named with its place."""
    where = Phrase("line {line}, {column}", line=line, column=column) if lines else column
    refuse_odd_characters(cell.strip(" \t"), where)
    return parse_number(cell, where)


LINE_BREAKS_BESIDES_LF = (b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9")


def splits_as_lines(piece: bytes) -> bool:
    """Whether the records of this text are its \\n-ended lines, as the CSV reader counts them: no quote (a quoted
    field may hold a line break), no \\r but in \\r\\n."""
    return b'"' not in piece and (b"\r" not in piece or piece.count(b"\r") == piece.count(b"\r\n"))


# ---------------------------------------------------------------- data sets for training


@dataclass
class DataSet:
    """A data set's columns: with a header, the positions of x1..xn and t1..tk (or y1..yk); without, all numbers.
    Its rows are read as `data_arrays` takes them, in blocks, so a large file is never held as text."""

    rest: Iterator[Record]  # the records after the header (without one: from the first row, which is `first`)
    inputs: list[int] | None  # None: no header; the last k columns of a row are its targets
    targets: list[int] | None
    width: int
    headers: list[str] = field(default_factory=list)
    first: Record | None = None


def read_data(source: IO[bytes] | Iterable[bytes], base: int = 1) -> DataSet:
    """A training data set from CSV: with a header (x1..xn and t1..tk, or y1..yk; other columns ignored), or
    without one (each row's last k values are its targets, k the network's outputs)."""
    rest = records(source)[1]
    record = next(rest, None)
    if record is None:
        raise NeuronError("the data set is empty; give rows of inputs and targets (x1,x2,t1 as a header helps)")
    if record.problem is not None:
        raise NeuronError("line {line}: {problem}", line=record.line, problem=record.problem)
    line, first = record.line, record.fields
    if all(is_number(cell) for cell in first):
        return DataSet(rest, None, None, len(first), first=record)
    found: dict[str, dict[int, int]] = {"x": {}, "t": {}, "y": {}}
    for column, header in enumerate(first):
        match = re.fullmatch(r"([xty])(\d+)", header.strip().lower())
        if match:
            number = int(match[2]) - base
            if number < 0:
                raise NeuronError(
                    "line {line}: column {header}: numbers here start from 1; a header that counts from 0 (x0, t0) "
                    "needs --index-base 0",
                    line=line,
                    header=header.strip(),
                )
            if number in found[match[1]]:
                raise NeuronError("line {line}: the column {header!r} is named twice", line=line, header=header.strip())
            found[match[1]][number] = column
    if found["t"] and found["y"]:
        raise NeuronError("line {line}: the header has both t1.. and y1..; name the targets one way", line=line)
    inputs = ordered(found["x"], "x", line, base)
    targets = ordered(found["t"] or found["y"], "t" if found["t"] else "y", line, base)
    if not inputs or not targets:
        raise NeuronError("line {line}: the header needs inputs x1..xn and targets t1..tk (or y1..yk)", line=line)
    return DataSet(rest, inputs, targets, len(first), [cell.strip() for cell in first])


DATA_BLOCK = 4096  # rows parsed at a time: the text of one block is all of the file held at once


def _columns(data: DataSet, outputs: int, network_inputs: int | None) -> tuple[list[int], list[int], list[str]]:
    """Where the inputs and the targets stand in a row, and every column's name, checked against the network."""
    if data.inputs is not None and data.targets is not None:
        inputs_at, targets_at = data.inputs, data.targets
        if len(targets_at) != outputs:
            raise NeuronError(
                "the data set has {targets_at_count} target column(s) but the network has {outputs} output(s)",
                targets_at_count=len(targets_at),
                outputs=outputs,
            )
        names = data.headers
    else:
        count = data.width - outputs
        if count < 1:
            raise NeuronError(
                "the data set's rows have {width} values: too few for inputs and {outputs} target(s)",
                width=data.width,
                outputs=outputs,
            )
        inputs_at, targets_at = list(range(count)), list(range(count, data.width))
        names = [f"x{k + 1}" for k in range(count)] + [f"t{k + 1}" for k in range(outputs)]
    if network_inputs is not None and network_inputs != len(inputs_at):
        raise NeuronError(
            "the data set has {inputs_at_count} input(s) a row but the network takes {network_inputs}",
            inputs_at_count=len(inputs_at),
            network_inputs=network_inputs,
        )
    return inputs_at, targets_at, names


def data_arrays(data: DataSet, outputs: int, network_inputs: int | None) -> tuple[Array, Array]:
    """The data set's (inputs, targets) as arrays, checked against the network's sizes; a bad cell names its line.
    Read a block of rows at a time; the first problem, in the file's order, is raised."""
    inputs_at, targets_at, names = _columns(data, outputs, network_inputs)
    most_rows = MAX_DATA_VALUES // (len(inputs_at) + len(targets_at))
    rows = itertools.chain([data.first], data.rest) if data.first is not None else data.rest
    inputs_parts, targets_parts, count = [], [], 0
    while block_records := list(itertools.islice(rows, DATA_BLOCK)):
        count += len(block_records)
        if count > MAX_DATA_ROWS:
            raise NeuronError(
                "the data set has more than {limit} rows, the most neuron trains on at once", limit=MAX_DATA_ROWS
            )
        if count > most_rows:
            raise NeuronError(
                "the data set has more than {limit} rows of {columns} values; neuron trains on at most {values} "
                "values at once",
                limit=most_rows,
                columns=len(inputs_at) + len(targets_at),
                values=MAX_DATA_VALUES,
            )
        block: list[tuple[int, list[str]]] = []
        for line, fields, problem in block_records:
            if problem is not None:
                _first_problem(block, inputs_at, targets_at, names)
                raise NeuronError("line {line}: {problem}", line=line, problem=problem)
            while len(fields) > data.width and not fields[-1].strip():
                fields = fields[:-1]  # blank cells after the last column (a spreadsheet's export) name nothing
            if len(fields) != data.width:
                _first_problem(block, inputs_at, targets_at, names)
                if data.inputs is not None:  # a header line names the columns
                    raise NeuronError(
                        "line {line} has {fields_count} cells, but the header names {width} columns",
                        line=line,
                        fields_count=len(fields),
                        width=data.width,
                    )
                raise NeuronError(
                    "line {line} has {fields_count} values but the first row has {width}",
                    line=line,
                    fields_count=len(fields),
                    width=data.width,
                )
            block.append((line, fields + [""] * (data.width - len(fields))))
        inputs, targets = _first_problem(block, inputs_at, targets_at, names)
        inputs_parts.append(inputs)
        targets_parts.append(targets)
    if not inputs_parts:
        return np.zeros((0, len(inputs_at))), np.zeros((0, len(targets_at)))
    return np.concatenate(inputs_parts), np.concatenate(targets_parts)


def _first_problem(
    block: list[tuple[int, list[str]]], inputs_at: list[int], targets_at: list[int], names: list[str]
) -> tuple[Array, Array]:
    """The block's (inputs, targets), or its first bad cell raised (a row's inputs before its targets)."""
    inputs, problems = numbers_of(block, inputs_at, names)
    targets, more = numbers_of(block, targets_at, names)
    first = next((problem for pair in zip(problems, more) for problem in pair if problem is not None), None)
    if first is not None:
        raise first
    return inputs, targets


@dataclass
class SheetColumns:
    """Rows of a sheet read a column at a time: each row's line, the text of the columns a person reads (names,
    answers), and the numbers of the columns the network takes (inputs, targets)."""

    lines: list[int]
    texts: dict[int, list[str]]
    numbers: dict[int, Array]
    read: dict[int, Array | None]  # each answer column as float() reads it, where polars reads every cell of it


def sheet_columns(
    raw: bytes,
    first_line: int,
    header: int,
    width: int,
    delimiter: str,
    numeric: list[int],
    names: list[int],
    answers: list[int],
) -> SheetColumns | None:
    """A piece of a sheet's text (whole lines from `first_line`) read by polars a column at a time, or None where
    it cannot be read so to the same result as the record reader: anything but plain lines of `width` cells
    (quotes, CRs, blank lines or cells, a line starting with a blank or a delimiter, ragged rows, bytes not of
    UTF-8) or a number polars does not read as float() does. The line `header`, where the piece holds it, is
    skipped."""
    pl = polars.polars()
    if pl is None or len(delimiter) != 1:
        return None
    if header >= first_line:  # the first piece: its lines up to the header's are not rows
        for _ in range(header - first_line + 1):
            cut = raw.find(b"\n")
            raw = raw[cut + 1 :] if cut >= 0 else b""
        first_line = header + 1
    count = plain_lines(raw, delimiter)
    if count is None:
        return None
    try:
        # The network's columns read as numbers, no string made for them (their cast was 8% of a 1M-row sheet's
        # grading), where no blank is in the piece: the reader takes " 1" for a number, the cast does not.
        direct = b" " not in raw and b"\t" not in raw
        frame = pl.read_csv(
            raw,
            has_header=False,
            infer_schema=False,
            schema_overrides=[pl.Float64 if direct and c in numeric else pl.String for c in range(width)],
            quote_char=None,
            comment_prefix=None,
            separator=delimiter,
        )
        if frame.width != width or frame.height != count or sum(frame.null_count().row(0)):
            return None
        numbers = {c: frame.to_series(c).cast(pl.Float64, strict=False) for c in numeric}
        if any(column.null_count() for column in numbers.values()):
            return None
        arrays = {c: np.asarray(column.to_numpy(), dtype=np.float64) for c, column in numbers.items()}
        if not all(np.isfinite(values).all() for values in arrays.values()):
            return None
        columns = {c: frame.to_series(c).to_list() for c in {*names, *answers}}
        read = {c: _all_read(frame.to_series(c).cast(pl.Float64, strict=False)) for c in answers}
    except (pl.exceptions.PolarsError, TypeError, ValueError):
        return None
    return SheetColumns(list(range(first_line, first_line + count)), columns, arrays, read)


def plain_lines(raw: bytes, delimiter: str) -> int | None:
    """How many lines `raw` holds, where each is plain: no quote or CR anywhere, and no line blank or starting with
    a blank or the delimiter (its first byte); else None. NumPy looks at each line's first byte (a tenth of the time
    of searching the text for each mark)."""
    if not raw or b'"' in raw or b"\r" in raw:
        return None
    text = np.frombuffer(raw, dtype=np.uint8)
    breaks = np.flatnonzero(text == ord("\n"))
    starts = text[breaks[breaks < len(text) - 1] + 1]
    refused = [ord("\n"), ord(" "), ord("\t"), delimiter.encode()[0]]  # a blank line, a blank or a cell first
    if text[0] in refused or np.isin(starts, refused).any():
        return None
    return len(breaks) + (not raw.endswith(b"\n"))


def _all_read(column: Any) -> Array | None:
    return None if column.null_count() else np.asarray(column.to_numpy(), dtype=np.float64)
