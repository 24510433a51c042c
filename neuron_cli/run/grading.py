"""Answer sheets graded: a class's sheet of a question file (a row per student) or a teacher's own sheet (a row
per answer), read a block of rows at a time and marked cell by cell (run/marking.py) with the same network,
learning step and grading rule as `compute` and `check`; a row that cannot be read is that row's problem, the
rest are graded. The report is written as it goes, but for the summary at the end; memory does not grow with the
rows. A teacher's sheet in a regular file may be graded by two processes taking turns (run/parallel.py)."""

from __future__ import annotations

import gc
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any, cast

import numpy as np

from .. import render
from ..errors import NeuronError
from ..io import polars
from ..io.chunks import FileRange, known_size
from ..io.csvfile import Dialect, Record, records, unescaped_id
from ..io.files import Sink
from ..nn.numbers import is_number
from ..render import Format
from .marking import Layout, Marks, added, mark, mark_columns, quiz_layout, tally, teacher_layout
from .parallel import FileCuts, Piece, in_turns
from .requests import GradeRequest
from .stream import POLARS_FROM, Pieces

BLOCK_ROWS = 4096  # rows graded and written together
PIECE_BYTES = 1 << 20  # a sheet read by two processes is cut into pieces of about this size
# Where polars reads them (a sheet of POLARS_FROM bytes or more): its reader costs about 1.6 ms a call, and pieces
# of 2 MiB graded 1M rows in 0.89x the time of 1 MiB's (4 MiB: no faster).
POLARS_PIECE_BYTES = 2 << 20


@dataclass
class SheetPart:
    """Graded rows of a sheet, in order, for the writers: `first` (a CSV's header comes with it) and `last` (the
    summary comes with it, from `counts`, the tally of the whole sheet)."""

    layout: Layout
    marks: Marks
    first: bool = True
    last: bool = False
    counts: dict[str, Any] = field(default_factory=dict)


def run_sheet(source: Any, request: GradeRequest, out: IO[str]) -> tuple[dict[str, Any], bool]:
    """Grade the sheet and write the report; (the tally of the whole sheet, whether the report's reader went
    away). A sheet that cannot be graded at all raises; in Gradescope's format its reason is written first, as
    results.json must be, whatever happens."""
    sink = Sink(out)
    try:
        counts = _graded(source, request, cast(IO[str], sink))
    except NeuronError as problem:
        if request.format is Format.gradescope:
            render.write("unreadable", problem, request.view, request.format, cast(IO[str], sink))
            sink.flush()
        raise
    return counts, sink.gone


def _graded(source: Any, request: GradeRequest, out: IO[str]) -> dict[str, Any]:
    size = known_size(source)
    polars.wanted(size >= POLARS_FROM)  # a small sheet: writing its numbers with Python costs less than the import
    whole = render.needs_whole("answers", request.format)
    if request.split and not whole and request.quiz is None and not request.decimal_comma:
        shared = _in_two_processes(source, size, request, out)
        if shared is not None:
            return shared
    _, found = records(source, request.encoding, request.decimal_comma)
    layout, header = read_layout(found, request)
    rows = _of_student(found, layout, request) if request.student is not None else found
    if whole:  # Gradescope's one submission: the sheet's one row, held; more rows are counted, not graded
        marks, count = _one_submission(rows, layout, request)
        if count == 0 and request.student is not None:
            raise NeuronError("the sheet has no row of student {student!r}", student=request.student)
        if count > 1:
            raise NeuronError(
                "the sheet holds {count} rows, but Gradescope grades one submission at a time; give --student ID",
                count=count,
            )
        counts = tally(marks, layout)
        if counts.get("rows"):
            _write_last(SheetPart(layout, marks, True, True, counts), request, out)
    else:
        counts, first = {}, True
        for marks in _blocks(rows, layout, request):
            counts = added(counts, tally(marks, layout))
            render.write("answers", SheetPart(layout, marks, first), request.view, request.format, out)
            out.flush()
            first = False
        _write_last(SheetPart(layout, Marks(), first, True, counts), request, out)
    if not counts.get("rows"):
        raise NeuronError("line {line}: the sheet has a header but no rows to grade", line=header)
    return counts


def _of_student(rows: Iterator[Record], layout: Layout, request: GradeRequest) -> Iterator[Record]:
    """The rows of --student only (its id as the sheet writes it, spaces around it aside)."""
    column = layout.student if layout.student is not None else layout.names[_id_column(layout, request)]
    wanted = (request.student or "").strip()
    for record in rows:
        if column < len(record.fields) and unescaped_id(record.fields[column]) == wanted:
            yield record


def _one_submission(rows: Iterator[Record], layout: Layout, request: GradeRequest) -> tuple[Marks, int]:
    """The first row graded, and how many rows there are (the rest only counted)."""
    first = next(rows, None)
    if first is None:
        return Marks(), 0
    return mark(layout, [(first.line, first.fields, first.problem)], request), 1 + sum(1 for _ in rows)


def read_layout(rows: Iterator[Record], request: GradeRequest) -> tuple[Layout, int]:
    """The sheet's plan from its header line, and the header's line."""
    first = next(rows, None)
    if first is None:
        raise NeuronError("the sheet is empty; it needs a header line and a row per answer")
    if first.problem is not None:
        raise NeuronError("line {line}: {problem}", line=first.line, problem=first.problem)
    if all(is_number(cell) for cell in first.fields):
        raise NeuronError("line {line}: the sheet has no header line; name its columns first", line=first.line)
    if request.quiz is not None:
        return quiz_layout(first.fields, request.quiz, request.id_column, first.line), first.line
    assert request.network is not None
    layout = teacher_layout(first.fields, request, first.line)
    _check_given(layout, request, first.line)
    return layout, first.line


def _check_given(layout: Layout, request: GradeRequest, line: int) -> None:
    """What the options give and the sheet holds must agree: inputs and targets from one of them, not both."""
    schema, network = layout.schema, request.network
    assert schema is not None and network is not None
    if schema.inputs:
        if request.inputs is not None:
            raise NeuronError("-x is not used: the sheet has its own inputs (x1..); leave -x out")
        network.check_inputs(len(schema.inputs), f"line {line}: the header's x1..x{len(schema.inputs)}")
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


def _blocks(rows: Iterator[Record], layout: Layout, request: GradeRequest) -> Iterator[Marks]:
    """The sheet's rows marked, BLOCK_ROWS at a time (a Record is the tuple (line, fields, problem) mark reads).
    The collector is off while the blocks are read, marked and written (their millions of lists and tuples die
    by their counts: walking them cost a tenth of the time); it gathers what cycles there were every 64
    blocks, and is back as it was when the sheet ends. A line that cannot be read at all (too long) ends the
    sheet after every row before it is marked, those of its block too."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        for count in itertools.count(1):
            block: list[Record] = []
            try:
                block.extend(itertools.islice(rows, BLOCK_ROWS))
            except NeuronError:
                if block:
                    yield mark(layout, block, request)
                raise
            if not block:
                return
            yield mark(layout, block, request)
            if count % 64 == 0:
                gc.collect(1)
    finally:
        if collecting:
            gc.enable()


def _column_blocks(
    piece: Piece, layout: Layout, header: int, dialect: Dialect, request: GradeRequest
) -> Iterator[Marks] | None:
    """A teacher's sheet piece of plain lines marked a column at a time (io/sheets.sheet_columns: no Python
    string for a number the network takes), BLOCK_ROWS rows at a time; None where the piece needs the record
    reader (anything but plain lines, a question file's sheet, decimal commas)."""
    from ..io.sheets import sheet_columns

    schema = layout.schema
    if piece.raw is None or schema is None or layout.quiz is not None or request.decimal_comma:
        return None
    numeric = [*schema.inputs, *schema.targets]
    answers = [answer.column for answer in layout.answers if answer.column >= 0]
    width = len(layout.headers)
    found = sheet_columns(piece.raw, piece.line, header, width, dialect.delimiter, numeric, layout.names, answers)
    if found is None:
        return None
    if layout.student is not None and not all(map(str.strip, found.texts[layout.student])):
        return None  # a row without its student: the record reader names it
    return _marked_columns(found, layout, request)


def _marked_columns(found: Any, layout: Layout, request: GradeRequest) -> Iterator[Marks]:
    schema = layout.schema
    assert schema is not None
    count = len(found.lines)

    def given(columns: list[int], value: Any) -> Any:
        if columns:
            return np.stack([found.numbers[c] for c in columns], axis=1)
        return None if value is None else np.tile(value, (count, 1))

    inputs, targets = given(schema.inputs, request.inputs), given(schema.targets, request.targets)
    for start in range(0, count, BLOCK_ROWS):
        end = min(start + BLOCK_ROWS, count)
        names = list(zip(*(found.texts[c][start:end] for c in layout.names))) if layout.names else [()] * (end - start)
        written = [
            list(map(str.strip, found.texts[answer.column][start:end])) if answer.column >= 0 else [""] * (end - start)
            for answer in layout.answers
        ]
        read = [_slice(found.read.get(answer.column), start, end) for answer in layout.answers]
        rows_targets = None if targets is None else targets[start:end]
        yield mark_columns(
            layout, found.lines[start:end], names, written, inputs[start:end], rows_targets, request, read
        )


def _slice(values: Any, start: int, end: int) -> Any:
    return None if values is None else values[start:end]


def _id_column(layout: Layout, request: GradeRequest) -> int:
    """Where the student ids stand among the naming columns."""
    headers = [header.lower() for header in layout.name_headers]
    if request.id_column.lower() not in headers:
        raise NeuronError("the sheet has no {column!r} column to find --student in", column=request.id_column)
    return headers.index(request.id_column.lower())


def _write_last(part: SheetPart, request: GradeRequest, out: IO[str]) -> None:
    render.write("answers", part, request.view, request.format, out)
    out.flush()


# ---------------------------------------------------------------- two processes


def _in_two_processes(source: Any, size: float, request: GradeRequest, out: IO[str]) -> dict[str, Any] | None:
    """A teacher's sheet in a regular UTF-8 file graded by two processes taking turns at its pieces (see
    `Grading`); the summary written by this process once both have written theirs. None where it cannot be
    split: not a regular file of SPLIT_FROM bytes or more, lines not sure to be the CSV reader's records (quotes,
    lone CRs), another encoding, or no second process."""
    cuts = FileCuts.of(source, size, POLARS_PIECE_BYTES if size >= POLARS_FROM else PIECE_BYTES, 1 << 20)
    if cuts is None or not all(map(_splits, FileRange(cuts.descriptor, cuts.begin).pieces())):
        return None
    dialect, rows = records(cast(IO[bytes], FileRange(cuts.descriptor, cuts.begin)), request.encoding)
    if dialect.encoding != "utf-8-sig":
        return None
    layout, header = read_layout(rows, request)
    shared = in_turns(cuts, Grading(request, layout, header, dialect, out), out)
    if shared is None:
        return None
    counts = {key: value for key, value in shared.tally.items() if key != "pieces"}
    if not shared.in_child:
        cuts.done(source)
        _write_last(SheetPart(layout, Marks(), False, True, counts), request, out)
    return counts


def _splits(piece: bytes) -> bool:
    from ..io.sheets import splits_as_lines

    return splits_as_lines(piece)


class Grading:
    """A sheet's share of the work in two processes (run/parallel.Share): each piece graded and its report
    written ahead of its turn (but for the summary, which the parent writes), its tally added at its turn."""

    def __init__(self, request: GradeRequest, layout: Layout, header: int, dialect: Dialect, out: IO[str]) -> None:
        self.request, self.layout, self.header, self.out = request, layout, header, out
        self.dialect = dialect
        # A byte order mark is the file's first bytes or none: at a later piece's start it is a character of a
        # cell, as one process reads it (UTF-8 with "-sig" would drop it there).
        self.later = Dialect("utf-8", dialect.delimiter) if dialect.encoding == "utf-8-sig" else dialect

    def ahead(self, piece: Piece) -> tuple[str, dict[str, Any], NeuronError | None]:
        """The piece's report (the header's line skipped, wherever blank lines before it put it), its tally, and
        the error of a line that cannot be read at all (too long), which ends the run after the rows before it."""
        text = cast(IO[str], Pieces())
        counts: dict[str, Any] = {}
        source = [piece.raw] if piece.raw is not None else piece.whole
        dialect = self.dialect if piece.index == 0 else self.later
        fast = _column_blocks(piece, self.layout, self.header, dialect, self.request)
        if fast is None:
            found = records(source, first_line=piece.line, dialect=dialect)[1]  # type: ignore[arg-type]
            rows = (record for record in found if record.line != self.header)
            fast = _blocks(rows, self.layout, self.request)
        first, problem = piece.index == 0, None
        try:
            for marks in fast:
                counts = added(counts, tally(marks, self.layout))
                shown = SheetPart(self.layout, marks, first)
                render.write("answers", shown, self.request.view, self.request.format, text)
                first = False
        except NeuronError as error:
            problem = error
        if first and problem is None:  # a CSV's header, even where the first piece has no rows
            render.write("answers", SheetPart(self.layout, Marks()), self.request.view, self.request.format, text)
        return cast(Pieces, text).joined(), counts, problem

    def at_turn(
        self, prepared: tuple[str, dict[str, Any], NeuronError | None], piece: Piece, before: dict[str, Any]
    ) -> dict[str, Any]:
        text, counts, problem = prepared
        self.out.write(text)
        self.out.flush()
        if problem is not None:
            raise problem
        return added(before, counts)
