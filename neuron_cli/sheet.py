"""Answer sheets: a CSV of inputs, targets and written answers, read a block of rows at a time and graded cell by
cell with the same network, core and writers as `compute`; memory does not grow with the rows."""

from __future__ import annotations

import codecs
import csv
import itertools
import math
import operator
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import numpy as np

from .core import Network, Tolerance, grade_cell, written_exponent
from .errors import NeuronError
from .messages import message
from .syntax import is_number, parse_number

Array = np.ndarray
BLOCK_ROWS = 4096  # rows graded and written together
MAX_FIELD = 1 << 20  # one cell may hold up to 1 MiB; a longer one is refused, not read into memory whole

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


@dataclass(frozen=True)
class GradedCell:
    column: str
    written: str
    got: float
    tolerance: float | None
    verdict: str


@dataclass(frozen=True)
class GradedRow:
    line: int
    names: dict[str, str]
    cells: tuple[GradedCell, ...]
    passed: bool  # every cell passed


@dataclass
class GradedColumn:
    """One expected column of a block of rows, graded: what each row wrote, the true value, the tolerance held
    to (nan where none applied) and the verdict."""

    header: str
    written: list[str]
    got: list[float]
    tolerance: list[float]
    verdicts: list[str]


@dataclass
class SheetPart:
    """Graded rows of a sheet, in order, kept as columns; `first` and `last` say where the part stands in the
    sheet, and the counts are running totals."""

    schema: Schema
    first: bool
    last: bool = False
    passed: int = 0
    total: int = 0
    points: float = 1.0
    lines: list[int] = field(default_factory=list)
    names: list[list[str]] = field(default_factory=list)  # a row's naming cells
    columns: list[GradedColumn] = field(default_factory=list)
    row_passed: list[bool] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, lines: list[int], names: list[list[str]], columns: list[GradedColumn]) -> None:
        passed = [all(v == "pass" for v in verdicts) for verdicts in zip(*(c.verdicts for c in columns))]
        if not self.columns:
            self.columns = columns
        else:
            for mine, more in zip(self.columns, columns):
                mine.written += more.written
                mine.got += more.got
                mine.tolerance += more.tolerance
                mine.verdicts += more.verdicts
        self.lines += lines
        self.names += names
        self.row_passed += passed
        self.passed += sum(passed)
        self.total += len(lines)

    @property
    def rows(self) -> list[GradedRow]:
        """The part's rows as objects, for the writers that go row by row."""
        headers = [self.schema.headers[c].strip() for c in self.schema.names]
        return [
            GradedRow(
                line,
                dict(zip(headers, self.names[r])),
                tuple(
                    GradedCell(
                        c.header,
                        c.written[r],
                        c.got[r],
                        None if c.tolerance[r] != c.tolerance[r] else c.tolerance[r],
                        c.verdicts[r],
                    )
                    for c in self.columns
                ),
                self.row_passed[r],
            )
            for r, line in enumerate(self.lines)
        ]


@dataclass(frozen=True)
class Options:
    """What a sheet does not say for itself: the default inputs and targets, the training step, the tolerance."""

    inputs: Array | None = None  # -x
    targets: Array | None = None  # --target
    loss: str = "half_sse"
    rate: float = 0.1
    tolerance: Tolerance = field(default_factory=Tolerance)
    points: float = 1.0


def read_schema(headers: list[str], network: Network, options: Options, line: int) -> Schema:
    """The meaning of each column, checked against the network; an error names the column and the fix."""
    names: list[int] = []
    inputs: dict[int, int] = {}
    targets: dict[int, int] = {}
    expected: list[Expected] = []
    seen: set[str] = set()
    layers = network.layers
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
            continue
        if match["loss"]:
            expected.append(Expected(column, header, "loss"))
            continue
        kind, j = match["kind"], int(match["j"]) - 1
        if kind == "x":
            inputs[j] = column
        elif kind == "t":
            targets[j] = column
        elif kind in ("y", "z"):
            count = network.output_size if kind == "y" else layers[-1].neurons
            if not 0 <= j < count:
                raise NeuronError(
                    "line {line}: column {header}: the network has {count} {what}",
                    line=line,
                    header=header,
                    count=count,
                    what=_what(kind),
                )
            expected.append(Expected(column, header, kind, neuron=j))
        else:
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
            expected.append(Expected(column, header, kind, layer, j, i))
    schema = Schema(headers, names, _ordered(inputs, "x", line), _ordered(targets, "t", line), expected)
    _check_schema(schema, network, options, line)
    return schema


def _what(kind: str) -> str:
    return message("outputs (y1..)") if kind == "y" else message("neurons in its last layer (z1..)")


def _ordered(columns: dict[int, int], letter: str, line: int) -> list[int]:
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


def _check_schema(schema: Schema, network: Network, options: Options, line: int) -> None:
    if not schema.expected:
        raise NeuronError(
            "line {line}: the sheet has no expected column; name one y1.., z1.., loss, w1_1.. or b1.. in the header",
            line=line,
        )
    if schema.inputs:
        if options.inputs is not None:
            raise NeuronError("-x is not used: the sheet has its own inputs (x1..); leave -x out")
        network.check_inputs(
            len(schema.inputs), message("line {line}: the header's x1..x{count}", line=line, count=len(schema.inputs))
        )
    elif options.inputs is None:
        raise NeuronError(
            "line {line}: the sheet has no inputs (x1..x{input_size}); add them or give -x",
            line=line,
            input_size=network.input_size,
        )
    if schema.targets:
        if options.targets is not None:
            raise NeuronError("--target is not used: the sheet has its own targets (t1..); leave --target out")
        if len(schema.targets) != network.output_size:
            raise NeuronError(
                "line {line}: the header has {targets_count} target(s) but the network has {output_size} output(s)",
                line=line,
                targets_count=len(schema.targets),
                output_size=network.output_size,
            )
    elif schema.needs_step and options.targets is None:
        raise NeuronError(
            "line {line}: loss, w and b columns are graded after a training step: add t1.. columns or give --target",
            line=line,
        )


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


def grade_sheet(
    source: Any, network: Network, options: Options, header: tuple[int, list[str]] | None = None, first_line: int = 1
) -> Iterator[SheetPart]:
    """The sheet's rows graded, a block at a time; an unusable row raises after every row before it is yielded.
    `header`: (its line, its fields), where the source is the part of a sheet after it (its lines counted from
    `first_line`; the report's first part, a CSV header, is another's)."""
    rows = sheet_rows(source, first_line)
    first = header or next(rows, None)
    if first is None:
        raise NeuronError("the sheet is empty; it needs a header line (x1,x2,...,y1) and a row per answer")
    line, headers = first
    if all(is_number(cell) for cell in headers):
        raise NeuronError("line {line}: the sheet has no header line; name its columns first (x1,x2,y1,...)", line=line)
    schema = read_schema(headers, network, options, line)
    part = SheetPart(schema, first=header is None, points=options.points)
    block: list[tuple[int, list[str]]] = []
    try:
        width = len(headers)
        for record in rows:
            if len(record[1]) != width:  # a short row's missing cells are blank; a long one is refused
                line, fields = record
                if len(fields) > width:
                    raise NeuronError(
                        "line {line} has {fields_count} fields but the header names {headers_count}",
                        line=line,
                        fields_count=len(fields),
                        headers_count=width,
                    )
                record = (line, fields + [""] * (width - len(fields)))
            block.append(record)
            if len(block) == BLOCK_ROWS:
                pending, block = block, []
                _grade_block(schema, pending, network, options, part)
                yield part
                part = SheetPart(schema, first=False, passed=part.passed, total=part.total, points=options.points)
        pending, block = block, []
        _grade_block(schema, pending, network, options, part)
    except NeuronError as problem:
        failure = problem
        if block:  # the reader stopped at a line after these: grade them first (an earlier bad one wins)
            try:
                _grade_block(schema, block, network, options, part)
            except NeuronError as earlier:
                failure = earlier
        part.last = True
        part.extra["stopped"] = True
        yield part
        raise failure from None
    part.last = True
    yield part


def _numbers(block: list[tuple[int, list[str]]], columns: list[int], headers: list[str]) -> tuple[Array, int]:
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
            raise _BadRow(good, r, problem) from None
    raise AssertionError("a cell NumPy refused was accepted by the careful parser")  # pragma: no cover


class _BadRow(Exception):
    def __init__(self, good: Array, index: int, problem: NeuronError) -> None:
        super().__init__(str(problem))
        self.good, self.index, self.problem = good, index, problem


def _grade_block(
    schema: Schema, block: list[tuple[int, list[str]]], network: Network, options: Options, part: SheetPart
) -> None:
    """Grade the block's rows into `part`: one forward pass for the whole block, a training step per row where
    the sheet asks what comes after one. A bad input or target cell raises after the rows before it are graded."""
    if not block:
        return
    failure: NeuronError | None = None
    good = len(block)
    inputs = np.tile(options.inputs, (good, 1)) if options.inputs is not None else None
    targets = np.tile(options.targets, (good, 1)) if options.targets is not None else None
    for where, is_inputs in ((schema.inputs, True), (schema.targets, False)):
        if not where or not good:
            continue
        try:
            values, good = _numbers(block[:good], where, schema.headers)
        except _BadRow as bad:  # the rows before the bad one are still graded
            values, good, failure = bad.good, bad.index, bad.problem
        if is_inputs:
            inputs = values
        else:
            targets = values
    block = block[:good]
    if block and inputs is not None:
        rows = inputs[:good]
        result = network.forward(rows)
        found = {"y": result.outputs, "z": result.passes[-1].z}
        steps = []
        if schema.needs_step and targets is not None:
            steps = [network.forward(rows[r]).train_step(targets[r], options.loss, options.rate) for r in range(good)]
        columns = [_grade_column(e, block, found, steps, options.tolerance) for e in schema.expected]
        names = [[fields[c] for c in schema.names] for _, fields in block]
        part.add([line for line, _ in block], names, columns)
    if failure is not None:
        raise failure


def written_exponents(texts: list[str]) -> Array:
    """written_exponent of every text, at once where all are plain decimals (no exponent, no underscore)."""
    joined = "".join(texts)
    if "e" in joined or "E" in joined or "_" in joined:
        return np.array([written_exponent(text) for text in texts], dtype=np.float64)
    written = np.array(texts, dtype=str)  # stripped already
    dots = np.char.find(written, ".")
    return np.where(dots < 0, 0, dots + 1 - np.char.str_len(written)).astype(np.float64)


def _grade_column(
    e: Expected, block: list[tuple[int, list[str]]], found: dict[str, Array], steps: list[Any], tolerance: Tolerance
) -> GradedColumn:
    """Every row's cell of one expected column, graded: at once where every cell is a plain number, else cell
    by cell."""
    if e.kind in found:
        truth = found[e.kind][:, e.neuron]
    elif e.kind == "loss":
        truth = np.array([step.loss for step in steps])
    elif e.kind == "w":
        truth = np.array([step.updates[e.layer].weights[e.neuron, e.weight] for step in steps])
    else:
        truth = np.array([step.updates[e.layer].bias[e.neuron] for step in steps])
    texts = [fields[e.column].strip() for _, fields in block]
    got = truth.tolist()
    try:
        values = np.array(texts, dtype=np.float64)
        fast = bool(np.isfinite(values).all() and np.isfinite(truth).all()) and tolerance.min_decimals is None
    except ValueError:
        fast = False
    if not fast:
        graded = [grade_cell(text, value, tolerance) for text, value in zip(texts, got)]
        allowed = [math.nan if limit is None else limit for _, limit in graded]
        return GradedColumn(e.header, texts, got, allowed, [verdict for verdict, _ in graded])
    if tolerance.rule == "absolute":
        limits = np.full(len(texts), tolerance.value)
    elif tolerance.rule == "relative":
        limits = tolerance.value * np.abs(truth)
    elif tolerance.rule == "significant":
        with np.errstate(divide="ignore"):
            digits = np.floor(np.log10(np.abs(truth)))
        limits = np.where(truth != 0, 0.5 * 10.0 ** (np.where(truth != 0, digits, 0) - tolerance.value + 1), 0.0)
    else:
        with np.errstate(over="ignore"):  # a last digit beyond any float (0e309) allows anything: inf
            limits = 0.5 * 10.0 ** written_exponents(texts)
    passed = np.abs(values - truth) <= limits * (1 + 1e-9) + 1e-300  # the same hair of slack as grade_cell
    verdicts = np.where(passed, "pass", "fail").tolist()
    return GradedColumn(e.header, texts, got, limits.tolist(), verdicts)


def run_sheet(
    source: Any, network: Network, options: Options, chosen: Any, view: Any, out: IO[str], halves: bool = False
) -> tuple[int, int]:
    """Grade the sheet and write the report as it goes (or all at once, for a format that needs the totals first);
    (rows passed, rows graded). An unusable line raises after the report of every row before it. With `halves`
    (a caller whose process ends with the run), a small sheet may be graded by two processes (`grade_halves`)."""
    from . import accel, render
    from .render.writers import needs_whole
    from .stream import POLARS_FROM, known_size

    size = known_size(source)
    if size < POLARS_FROM:
        accel.not_for_this_input()  # a small sheet: writing its numbers with Python costs less than polars' import
        if halves and not needs_whole("answers", chosen):
            counts = grade_halves(source, size, network, options, chosen, view, out)
            if counts is not None:
                return counts
    gathered: SheetPart | None = None
    whole = needs_whole("answers", chosen)
    counts = (0, 0)
    try:
        for part in grade_sheet(source, network, options):
            counts = (part.passed, part.total)
            if whole:
                if gathered is None:
                    gathered = part
                else:
                    gathered.add(part.lines, part.names, part.columns)
                    gathered.last = part.last
                    gathered.extra.update(part.extra)
                continue
            render.write("answers", part, view, chosen, out)
            out.flush()
    finally:
        if gathered is not None:
            render.write("answers", gathered, view, chosen, out)
            out.flush()
    return counts


def grade_halves(
    source: Any, size: float, network: Network, options: Options, chosen: Any, view: Any, out: IO[str]
) -> tuple[int, int] | None:
    """A sheet in a regular file graded by two processes, one half each: a child grades the first half and writes
    its report as it goes (the CSV header included), then sends its counts; this process grades the second half
    into memory and writes it once the child has ended well, with the summary of both. A bad line or a failed
    write in the child's half ends the run there, as in one process.

    None where the sheet cannot be split (see split.Halves.of), where its lines are not sure to be counted as
    the CSV reader counts them (`_splits_as_lines`), where its second half starts with a byte order mark, or
    where the system refuses a second process.
    """
    import io

    from . import render
    from .split import FileRange, Halves, Turns

    halves = Halves.of(source, size)
    if halves is None or not all(map(_splits_as_lines, FileRange(halves.descriptor, halves.start).pieces())):
        return None
    if os.pread(halves.descriptor, 3, halves.middle) == b"\xef\xbb\xbf":
        return None
    header = next(sheet_rows(halves.first()), None)
    if header is None or header[0] > halves.lines_before:
        return None
    turns = Turns.start(out)  # the child's counts come through the pipe that passes a stream's turn
    if turns is None:
        return None
    if turns.in_child:
        counts = (0, 0)
        for part in grade_sheet(halves.first(), network, options):
            counts = (part.passed, part.total)
            if part.last and not part.extra.get("stopped"):
                part.last = False  # the summary is the whole sheet's: the other process writes it
            render.write("answers", part, view, chosen, out)
            out.flush()
        for count in counts:
            turns.give(count)
        turns.finish()
        return counts
    text, last, problem = io.StringIO(), None, None
    try:
        try:
            for part in grade_sheet(halves.second(), network, options, header, halves.lines_before + 1):
                if part.last:
                    last = part  # written with the child's counts added
                else:
                    render.write("answers", part, view, chosen, text)
        except NeuronError as error:
            problem = error  # reported after the rows before it, once the child's half is written
        # The child's counts, once its half is written; EndedElsewhere where its half ended the run (a bad line,
        # a closed pipe): its message is written.
        sent = (turns.wait(), turns.wait())
        turns.finish(ended_well=(0, 1))  # 1: the child's half had a wrong answer
    except BaseException:  # Ctrl-C, or a failure of this process's own: the child goes too
        turns.stop_other()
        raise
    halves.done(source)
    out.write(text.getvalue())
    passed, total = sent
    if last is not None:
        last.passed += passed
        last.total += total
        passed, total = last.passed, last.total
        render.write("answers", last, view, chosen, out)
    out.flush()
    if problem is not None:
        raise problem
    return passed, total


LINE_BREAKS_BESIDES_LF = (b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9")


def _splits_as_lines(piece: bytes) -> bool:
    """Whether the records of this text are its \\n-ended lines, as the CSV reader counts them: no quote (a quoted
    field may hold a line break), no \\r but in \\r\\n, none of the other breaks str.splitlines() knows."""
    if b'"' in piece or piece.count(b"\r") != piece.count(b"\r\n"):
        return False
    return not any(brk in piece for brk in LINE_BREAKS_BESIDES_LF)


# ---------------------------------------------------------------- data sets for training


@dataclass(frozen=True)
class DataSet:
    """A data set's columns: with a header, the positions of x1..xn and t1..tk (or y1..yk); without, all numbers."""

    rows: list[tuple[int, list[str]]]
    inputs: list[int] | None  # None: no header; the last k columns of a row are its targets
    targets: list[int] | None
    width: int
    headers: list[str] = field(default_factory=list)


MAX_DATA_ROWS = 2_000_000  # a training data set is held whole: up to this many rows


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
    inputs = _ordered(found["x"], "x", line)
    targets = _ordered(found["t"] or found["y"], "t" if found["t"] else "y", line)
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
        inputs, _ = _numbers(block, inputs_at, names)
        targets, _ = _numbers(block, targets_at, names)
    except _BadRow as bad:
        raise bad.problem from None
    return inputs, targets
