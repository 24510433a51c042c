"""Answer sheets graded: a CSV of inputs, targets and written answers, read a block of rows at a time and graded
cell by cell with the same network, learning step and grading rule as `compute` and `check`; memory does not
grow with the rows. A sheet in a regular file may be graded by two processes taking turns (run/parallel.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any, cast

import numpy as np

from .. import render
from ..errors import NeuronError
from ..i18n import message
from ..io import polars
from ..io.chunks import FileRange, known_size
from ..io.sheets import BadRow, Expected, Schema, numbers, read_schema, sheet_rows, splits_as_lines
from ..nn.grading import grade_column
from ..nn.learning import learning_step
from ..nn.numbers import is_number
from .parallel import FileCuts, Piece, in_turns
from .requests import GradeRequest
from .stream import POLARS_FROM, Pieces

Array = np.ndarray
BLOCK_ROWS = 4096  # rows graded and written together
PIECE_BYTES = 1 << 20  # a sheet read by two processes is cut into pieces of about this size


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


def check_schema(schema: Schema, request: GradeRequest, line: int) -> None:
    """What the options give and the sheet holds must agree: inputs and targets from one of them, not both."""
    network = request.network
    if schema.inputs:
        if request.inputs is not None:
            raise NeuronError("-x is not used: the sheet has its own inputs (x1..); leave -x out")
        network.check_inputs(
            len(schema.inputs), message("line {line}: the header's x1..x{count}", line=line, count=len(schema.inputs))
        )
    elif request.inputs is None:
        raise NeuronError(
            "line {line}: the sheet has no inputs (x1..x{input_size}); add them or give -x",
            line=line,
            input_size=network.input_size,
        )
    if schema.targets:
        if request.targets is not None:
            raise NeuronError("--target is not used: the sheet has its own targets (t1..); leave --target out")
        if len(schema.targets) != network.output_size:
            raise NeuronError(
                "line {line}: the header has {targets_count} target(s) but the network has {output_size} output(s)",
                line=line,
                targets_count=len(schema.targets),
                output_size=network.output_size,
            )
    elif schema.needs_step and request.targets is None:
        raise NeuronError(
            "line {line}: loss, w and b columns are graded after a training step: add t1.. columns or give --target",
            line=line,
        )


def grade_sheet(
    source: Any, request: GradeRequest, header: tuple[int, list[str]] | None = None, first_line: int = 1
) -> Iterator[SheetPart]:
    """The sheet's rows graded, a block at a time; an unusable row raises after every row before it is yielded.
    `header`: (its line, its fields), where the source is a part of a sheet after it (its lines counted from
    `first_line`; the report's first part, a CSV header, is another's)."""
    rows = sheet_rows(source, first_line)
    first = header or next(rows, None)
    if first is None:
        raise NeuronError("the sheet is empty; it needs a header line (x1,x2,...,y1) and a row per answer")
    line, headers = first
    if all(is_number(cell) for cell in headers):
        raise NeuronError("line {line}: the sheet has no header line; name its columns first (x1,x2,y1,...)", line=line)
    schema = read_schema(headers, request.network, line)
    check_schema(schema, request, line)
    part = SheetPart(schema, first=header is None, points=request.points)
    block: list[tuple[int, list[str]]] = []
    try:
        for record in rows:
            block.append(_fitted(record, len(headers)))
            if len(block) == BLOCK_ROWS:
                pending, block = block, []
                _grade_block(schema, pending, request, part)
                yield part
                part = SheetPart(schema, first=False, passed=part.passed, total=part.total, points=request.points)
        pending, block = block, []
        _grade_block(schema, pending, request, part)
    except NeuronError as problem:
        failure = problem
        if block:  # the reader stopped at a line after these: grade them first (an earlier bad one wins)
            try:
                _grade_block(schema, block, request, part)
            except NeuronError as earlier:
                failure = earlier
        part.last = True
        part.extra["stopped"] = True
        yield part
        raise failure from None
    part.last = True
    yield part


def _fitted(record: tuple[int, list[str]], width: int) -> tuple[int, list[str]]:
    """A record as wide as the header: a short row's missing cells are blank; a long one is refused."""
    line, fields = record
    if len(fields) == width:
        return record
    if len(fields) > width:
        raise NeuronError(
            "line {line} has {fields_count} fields but the header names {headers_count}",
            line=line,
            fields_count=len(fields),
            headers_count=width,
        )
    return line, fields + [""] * (width - len(fields))


def _grade_block(schema: Schema, block: list[tuple[int, list[str]]], request: GradeRequest, part: SheetPart) -> None:
    """Grade the block's rows into `part`: one forward pass for the whole block, and where the sheet asks what
    comes after a training step, each row's own step, all at once. A bad input or target cell raises after the
    rows before it are graded."""
    if not block:
        return
    failure: NeuronError | None = None
    good = len(block)
    given = {"inputs": request.inputs, "targets": request.targets}
    found: dict[str, Array | None] = {
        key: np.tile(value, (good, 1)) if value is not None else None for key, value in given.items()
    }
    for key, where in (("inputs", schema.inputs), ("targets", schema.targets)):
        if not where or not good:
            continue
        try:
            found[key], good = numbers(block[:good], where, schema.headers)
        except BadRow as bad:  # the rows before the bad one are still graded
            found[key], good, failure = bad.good, bad.index, bad.problem
    block = block[:good]
    inputs, targets = found["inputs"], found["targets"]
    if block and inputs is not None:
        truths = _truths(schema, request, inputs[:good], targets[:good] if targets is not None else None)
        columns = []
        for e, truth in zip(schema.expected, truths):
            texts = [fields[e.column].strip() for _, fields in block]
            limits, verdicts = grade_column(texts, truth, request.tolerance)
            columns.append(GradedColumn(e.header, texts, truth.tolist(), limits, verdicts))
        names = [[fields[c] for c in schema.names] for _, fields in block]
        part.add([line for line, _ in block], names, columns)
    if failure is not None:
        raise failure


def _truths(schema: Schema, request: GradeRequest, inputs: Array, targets: Array | None) -> list[Array]:
    """The true value of every expected column, for every row: outputs and z from one forward pass; the loss,
    weights and biases after each row's own training step (one step, taken for all the rows at once)."""
    forward = request.network.forward(inputs)
    step = None
    if schema.needs_step and targets is not None:
        step = learning_step(forward, targets, request.loss, request.rate)
    truths = []
    for e in schema.expected:
        truths.append(_truth(e, forward.outputs, forward.passes[-1].z, step))
    return truths


def _truth(e: Expected, outputs: Array, z: Array, step: Any) -> Array:
    if e.kind == "y":
        return outputs[:, e.neuron]
    if e.kind == "z":
        return z[:, e.neuron]
    if e.kind == "loss":
        return np.asarray(step.loss)
    update = step.updates[e.layer]
    return update.weights[:, e.neuron, e.weight] if e.kind == "w" else update.bias[:, e.neuron]


def run_sheet(source: Any, request: GradeRequest, out: IO[str]) -> tuple[int, int]:
    """Grade the sheet and write the report as it goes (or all at once, for a format that needs the totals first);
    (rows passed, rows graded). An unusable line raises after the report of every row before it. With
    `request.split` (a caller whose process ends with the run), a sheet in a regular file may be graded by two
    processes (see `Grading`)."""
    size = known_size(source)
    polars.wanted(size >= POLARS_FROM)  # a small sheet: writing its numbers with Python costs less than the import
    whole = render.needs_whole("answers", request.format)
    if request.split and not whole:
        counts = _in_two_processes(source, size, request, out)
        if counts is not None:
            return counts
    gathered: SheetPart | None = None
    counts = (0, 0)
    try:
        for part in grade_sheet(source, request):
            counts = (part.passed, part.total)
            if not whole:
                render.write("answers", part, request.view, request.format, out)
                out.flush()
            elif gathered is None:
                gathered = part
            else:
                gathered.add(part.lines, part.names, part.columns)
                gathered.last, gathered.extra = part.last, {**gathered.extra, **part.extra}
    finally:
        if gathered is not None:
            render.write("answers", gathered, request.view, request.format, out)
            out.flush()
    return counts


def _in_two_processes(source: Any, size: float, request: GradeRequest, out: IO[str]) -> tuple[int, int] | None:
    """A sheet in a regular file graded by two processes taking turns at its pieces (see `Grading`); the summary
    written by this process once both have written theirs. None where it cannot be split: not a regular file of
    SPLIT_FROM bytes or more, lines not sure to be the CSV reader's records (quotes, line breaks other than \\n),
    a second byte order mark, or no second process."""
    cuts = FileCuts.of(source, size, PIECE_BYTES, 1 << 20)
    if cuts is None or not all(map(splits_as_lines, FileRange(cuts.descriptor, cuts.begin).pieces())):
        return None
    header = next(sheet_rows(FileRange(cuts.descriptor, cuts.begin)), None)
    if header is None:
        return None
    grading = Grading(request, header, out)
    shared = in_turns(cuts, grading, out)
    if shared is None:
        return None
    passed, total = shared.tally.get("passed", 0), shared.tally.get("total", 0)
    if shared.in_child:
        return passed, total
    cuts.done(source)
    last = SheetPart(read_schema(header[1], request.network, header[0]), first=False, last=True)
    last.passed, last.total, last.extra = passed, total, dict(shared.tally.get("extra", {}))
    render.write("answers", last, request.view, request.format, out)
    out.flush()
    return passed, total


class Grading:
    """A sheet's share of the work in two processes (run/parallel.Share): each piece graded and its report
    written ahead of its turn, but for the summary, which the parent writes with the counts of both."""

    def __init__(self, request: GradeRequest, header: tuple[int, list[str]], out: IO[str]) -> None:
        self.request, self.header, self.out = request, header, out

    def ahead(self, piece: Piece) -> tuple[str, int, int, NeuronError | None]:
        """The piece's report, its rows passed and graded, and the error of a bad line after those rows."""
        text = Pieces()
        passed = total = 0
        problem = None
        header = None if piece.index == 0 else self.header
        source = piece.raw if piece.raw is not None else piece.whole
        try:
            for part in grade_sheet(_once(source), self.request, header, piece.line):
                passed, total = part.passed, part.total
                last, part.last = part.last, False  # the summary is the whole sheet's: the parent writes it
                render.write("answers", part, self.request.view, self.request.format, cast(IO[str], text))
                part.last = last
        except NeuronError as error:
            problem = error
        return text.joined(), passed, total, problem

    def at_turn(self, prepared: Any, piece: Piece, tally: dict[str, Any]) -> dict[str, Any]:
        text, passed, total, problem = prepared
        self.out.write(text)
        self.out.flush()
        counts = {"passed": tally.get("passed", 0) + passed, "total": tally.get("total", 0) + total}
        if problem is not None:  # the summary of the rows so far, then the error, as one process would write them
            last = SheetPart(read_schema(self.header[1], self.request.network, self.header[0]), False, True)
            last.passed, last.total, last.extra = counts["passed"], counts["total"], {"stopped": True}
            render.write("answers", last, self.request.view, self.request.format, self.out)
            self.out.flush()
            raise problem
        return {**tally, **counts}


def _once(source: bytes | FileRange | None) -> Any:
    """A piece's bytes as something the CSV reader reads."""
    return [source] if isinstance(source, bytes) else source
