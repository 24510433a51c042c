"""An answer sheet's plan and its rows marked: which columns name a row, hold its inputs and targets, or hold
answers (to which question, worth what); a block of rows graded into columns of verdicts, each row's score, and
the running tally a summary is made of. Shared by a teacher's own sheet and a class's sheet of a question file."""

from __future__ import annotations

import functools
import itertools
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import numpy as np

from ..errors import NeuronError
from ..io import polars
from ..io.csvfile import unescaped_id, usable_id
from ..io.questions import Question, Quiz, draw
from ..io.sheets import Expected, Schema, check_names, read_schema
from ..nn.grading import Graded, Tolerance, earned, grade_column
from ..nn.layers import NetworkPass
from ..nn.learning import TrainingStep, learning_step
from ..nn.numbers import is_number

Array = np.ndarray
ANSWER_LIKE = re.compile(r"[^.]+\.(?:l\d+\.)?(?:y\d+|z\d+|loss|w\d+_\d+|b\d+)")  # q1.y1, q2.l2.w1_1
ALL_RIGHT_NAMED = 1000  # the summary names the students with every answer right, this many at most


@dataclass(frozen=True)
class AnswerColumn:
    """An answer column: where it stands (-1: the sheet lacks it, so every answer is missing), its name, its
    question, what it asks, and what a right answer earns."""

    column: int
    name: str
    question: str
    expected: Expected
    points: float  # the question's worth shared by its answers: what this one earns when right
    tolerance: Tolerance
    worth: float = 1.0  # the question's points


@dataclass(frozen=True)
class Layout:
    """The plan of a sheet, from its header line."""

    headers: list[str]
    names: list[int]  # columns that name a row (student, email, section, ...)
    answers: list[AnswerColumn]
    questions: list[str]  # in order: question ids, or a teacher's sheet's answer columns
    student: int | None = None  # the column of the student id (a question file's sheet)
    schema: Schema | None = None  # a teacher's own sheet: its inputs and targets
    quiz: Quiz | None = None

    @property
    def max_score(self) -> float:
        """The questions' points added in order, as a full score adds them."""
        return float(sum(worth for _, worth, _ in self.groups))

    @functools.cached_property
    def groups(self) -> list[tuple[str, float, list[int]]]:
        """Each question, its points, and its answer columns (found once: a file may hold 10,000 questions)."""
        columns: dict[str, list[int]] = {question: [] for question in self.questions}
        for k, answer in enumerate(self.answers):
            columns[answer.question].append(k)
        return [(q, self.answers[ks[0]].worth if ks else 0.0, ks) for q, ks in columns.items()]

    @property
    def name_headers(self) -> list[str]:
        return [self.headers[c].strip() for c in self.names]


def teacher_layout(headers: list[str], request: Any, line: int) -> Layout:
    """A teacher's own sheet: x1.. inputs, t1.. targets, and answer columns worth `request.points` each (1)."""
    schema = read_schema(headers, request.network, line, request.view.index_base)
    answers = [
        AnswerColumn(e.column, e.header.strip(), e.header.strip(), e, request.points, request.tolerance, request.points)
        for e in schema.expected
    ]
    return Layout(headers, schema.names, answers, [a.question for a in answers], schema=schema)


def quiz_layout(headers: list[str], quiz: Quiz, id_column: str, line: int) -> Layout:
    """A class's sheet of a question file: a student id column and `<question>.<asked>` columns; a question's
    points shared by what it asks. An asked answer the sheet lacks is missing for every student."""
    check_names(headers, line)
    keys = [header.strip().lower() for header in headers]
    if id_column.lower() not in keys:
        raise NeuronError(
            "line {line}: the sheet has no {column!r} column; name the column of student ids so, or give --id-column",
            line=line,
            column=id_column,
        )
    student = keys.index(id_column.lower())
    where = {key: column for column, key in reversed(list(enumerate(keys)))}  # a key's first column
    answers, used = [], {student}
    for question in quiz.questions:
        share = question.points / len(question.asked)
        for e in question.asked:
            name = f"{question.id}.{e.header}"
            column = where.get(name.lower(), -1)
            used.add(column)
            answers.append(AnswerColumn(column, name, question.id, e, share, question.tolerance, question.points))
    for column, key in enumerate(keys):
        if re.fullmatch(r"[xt]\d+", key):  # the question file holds every input and target: a sheet cannot
            raise NeuronError(
                "line {line}: column {header!r}: the question file gives every input and target; remove the column",
                line=line,
                header=headers[column].strip(),
            )
        prefix = key.partition(".")[0]
        if column not in used and ANSWER_LIKE.fullmatch(key) and quiz.question(prefix) is None:
            raise NeuronError(  # a typo (q9.y1 for q1.y1) would otherwise leave every student's answer missing
                "line {line}: column {header!r} names no question of the file (it has {items})",
                line=line,
                header=headers[column].strip(),
                items=", ".join(q.id for q in quiz.questions[:20]) + (", ..." if len(quiz.questions) > 20 else ""),
            )
        asking = quiz.question(prefix) if column not in used and "." in key else None
        if asking is not None:
            raise NeuronError(
                "line {line}: column {header!r}: question {question} does not ask for it (it asks {items})",
                line=line,
                header=headers[column].strip(),
                question=asking.id,
                items=", ".join(e.header for e in asking.asked),
            )
    names = [c for c in range(len(headers)) if c not in used]
    return Layout(headers, [student, *names], answers, [q.id for q in quiz.questions], student, quiz=quiz)


@dataclass
class Marks:
    """A block of rows graded: per answer column the answers as written and their grading, per row its line,
    naming cells, the reason it could not be read (None where it could), its score and its verdict."""

    lines: list[int] = field(default_factory=list)
    names: Sequence[Sequence[str]] = field(default_factory=list)
    answers: list[list[str]] = field(default_factory=list)  # per answer column
    correct: list[list[float]] = field(default_factory=list)
    graded: list[Graded] = field(default_factory=list)
    points: list[list[float]] = field(default_factory=list)
    reasons: list[NeuronError | None] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    verdicts: list[str] = field(default_factory=list)  # pass, fail, invalid

    def __len__(self) -> int:
        return len(self.lines)


def mark(layout: Layout, block: Sequence[tuple[int, list[str], NeuronError | None]], context: Any) -> Marks:
    """Grade a block of records: (line, fields, the reason it cannot be read or None). `context` gives what the
    sheet does not say for itself (inputs, targets, the step's loss and rate, decimal commas)."""
    rows, reasons = _readable(layout, block)
    truths = _truths(layout, rows, reasons, block, context)
    names = list(zip(*(map(itemgetter(c), rows) for c in layout.names))) if layout.names else [()] * len(rows)
    written = [
        list(map(str.strip, map(itemgetter(answer.column), rows))) if answer.column >= 0 else [""] * len(rows)
        for answer in layout.answers
    ]
    return graded_marks(layout, list(map(itemgetter(0), block)), names, written, truths, reasons, context)


def mark_columns(
    layout: Layout,
    lines: list[int],
    names: Sequence[Sequence[str]],
    written: list[list[str]],
    inputs: Array,
    targets: Array | None,
    context: Any,
    read: list[Array | None],
) -> Marks:
    """Grade a block of a teacher's sheet read a column at a time (every row readable, its inputs and targets
    already numbers; `read`, each answer column as numbers where polars read all of it): as `mark` grades the
    same rows."""
    reasons: list[NeuronError | None] = [None] * len(lines)
    truths = true_values(layout, inputs, targets, np.ones(len(lines), dtype=bool), context)
    return graded_marks(layout, lines, names, written, truths, reasons, context, read)


def graded_marks(
    layout: Layout,
    lines: list[int],
    names: Sequence[Sequence[str]],
    written: list[list[str]],
    truths: list,
    reasons: list[NeuronError | None],
    context: Any,
    read: list[Array | None] | None = None,
) -> Marks:
    """Each answer column graded against its true values, then each row's score and verdict."""
    marks = Marks(lines, names, reasons=reasons)  # each row's names, as a tuple
    unreadable = [r for r, reason in enumerate(reasons) if reason is not None]
    passed = np.zeros((len(layout.answers), len(lines)), dtype=bool)
    for k, answer in enumerate(layout.answers):
        texts = [text.replace(",", ".") for text in written[k]] if context.decimal_comma else written[k]
        numbers = read[k] if read is not None else None
        if numbers is None and len(texts) >= 4096:  # all numbers (no blank): read at once
            numbers = polars.floats(texts)
        graded = grade_column(texts, truths[k][0], answer.tolerance, truths[k][1], numbers)
        for r in unreadable:
            graded.verdicts[r], graded.tolerances[r], graded.hints[r] = "invalid", float("nan"), ""
        for r in _indexes(graded.verdicts, "invalid"):
            if reasons[r] is None and is_number(texts[r].replace(",", ".")):
                graded.hints[r] = "decimal comma"  # render/answers.py says what to write instead
        passed[k] = np.array(graded.verdicts, dtype=object) == "pass"
        marks.answers.append(written[k])
        marks.correct.append(truths[k][0].tolist())
        marks.graded.append(graded)
        marks.points.append(np.where(passed[k], answer.points, 0.0).tolist())
    scores = np.zeros(len(lines))
    for _, worth, columns in layout.groups:  # in the order max_score adds them: a full score is the maximum
        scores += earned(worth, passed[columns].sum(axis=0), len(columns))
    marks.scores = scores.tolist()
    verdicts = np.where(passed.all(axis=0), "pass", "fail").astype(object)
    verdicts[unreadable] = "invalid"
    marks.verdicts = verdicts.tolist()
    return marks


def _indexes(items: list[str], wanted: str) -> list[int]:
    """Where `wanted` stands in `items` (found by list.index, in C: most blocks hold none or few)."""
    found: list[int] = []
    try:
        while True:
            found.append(items.index(wanted, found[-1] + 1 if found else 0))
    except ValueError:
        return found


def _readable(layout: Layout, block: Sequence) -> tuple[list[list[str]], list[NeuronError | None]]:
    """Each record's cells, as many as the header names, and the reason it cannot be read (None where it can):
    the wrong number of cells, no student id, or its own (bad quoting, bytes not of the encoding)."""
    width, student = len(layout.headers), layout.student
    fields_of = list(map(itemgetter(1), block))
    plain = set(map(itemgetter(2), block)) <= {None} and set(map(len, fields_of)) <= {width}
    if plain and (student is None or all(map(usable_id, map(itemgetter(student), fields_of)))):
        return fields_of, [None] * len(block)  # the common case, in C (map) rather than a Python loop a row
    reasons: list[NeuronError | None] = []
    rows = []
    for _, fields, problem in block:
        if problem is None and len(fields) != width:
            problem = NeuronError(
                "it has {count} cells, but the header names {width} columns", count=len(fields), width=width
            )
        if problem is None and student is not None and not fields[student].strip():
            problem = NeuronError("the student id is missing")
        elif problem is None and student is not None and not usable_id(fields[student]):
            problem = NeuronError(
                "the student id {id!r} holds a control or invisible character; neuron quiz gives no numbers for it",
                id=fields[student].strip(),
            )
        reasons.append(problem)
        rows.append(fields + [""] * (width - len(fields)) if len(fields) < width else fields[:width])
    return rows, reasons


def _truths(
    layout: Layout, rows: list[list[str]], reasons: list, block: Sequence, context: Any
) -> list[tuple[Array, Array]]:
    """The true value of every answer column, for every row, and its noise scale; nan for a row that cannot be
    read."""
    if layout.quiz is not None:
        return _quiz_truths(layout, rows, reasons)
    return _teacher_truths(layout, rows, reasons, block, context)


def _teacher_truths(layout: Layout, rows: list[list[str]], reasons: list, block: Sequence, context: Any) -> list:
    """A teacher's sheet: one forward pass (and each row's own step) for every row that can be read."""
    from ..io.sheets import numbers_of

    schema = layout.schema
    assert schema is not None
    numbered = list(zip(map(itemgetter(0), block), rows))
    found: dict[str, Array | None] = {}
    for key, columns, given in (("x", schema.inputs, context.inputs), ("t", schema.targets, context.targets)):
        if columns:
            values, problems = numbers_of(numbered, columns, schema.headers, False, context.decimal_comma)
            if problems.count(None) != len(problems):  # (counted in C: in the common case all are None)
                for r, problem in enumerate(problems):
                    reasons[r] = reasons[r] or problem
            found[key] = values
        else:
            found[key] = None if given is None else np.tile(given, (len(rows), 1))
    good = np.fromiter(map(operator.is_, reasons, itertools.repeat(None)), dtype=bool, count=len(reasons))
    return true_values(layout, found["x"], found["t"], good, context)


def true_values(layout: Layout, inputs: Array | None, targets: Array | None, good: Array, context: Any) -> list:
    """Each answer column's true values and noise scales for the `good` rows (nan elsewhere): one forward pass,
    and each row's own step where the sheet asks for one."""
    schema = layout.schema
    assert schema is not None
    results = [(np.full(len(good), np.nan), np.zeros(len(good))) for _ in layout.answers]
    if not good.any() or inputs is None:
        return results
    forward = context.network.forward(inputs[good])
    step = None
    if schema.needs_step and targets is not None:
        step = learning_step(forward, targets[good], context.loss, context.rate)
    for k, answer in enumerate(layout.answers):
        truth, scale = value_of(answer.expected, forward, step)
        results[k][0][good], results[k][1][good] = truth, scale
    return results


def _quiz_truths(layout: Layout, rows: list[list[str]], reasons: list) -> list:
    """A question file's sheet: each question's true values for each student's own numbers (computed once for a
    question that does not vary, once per student for one that does)."""
    quiz = layout.quiz
    assert quiz is not None and layout.student is not None
    results = [(np.full(len(rows), np.nan), np.zeros(len(rows))) for _ in layout.answers]
    cache: dict[tuple[str, str], dict[str, tuple[float, float]]] = {}
    for r, row in enumerate(rows):
        if reasons[r] is not None:
            continue
        student = unescaped_id(row[layout.student])
        for k, answer in enumerate(layout.answers):
            question = quiz.question(answer.question)
            assert question is not None
            key = (question.id, student if question.vary is not None else "")
            if key not in cache:
                own = draw(question, quiz.seed or "", student) if question.vary is not None else question
                cache[key] = answers_of(own)
            results[k][0][r], results[k][1][r] = cache[key][answer.expected.header]
    return results


def answers_of(question: Question) -> dict[str, tuple[float, float]]:
    """A question's true answers (and their noise scales), by what it asks."""
    forward = question.network.forward(question.inputs)
    step = None
    if question.targets is not None:
        step = learning_step(forward, question.targets, question.loss, question.rate)
    return {e.header: tuple(float(v) for v in value_of(e, forward, step)) for e in question.asked}  # type: ignore[misc]


def value_of(e: Expected, forward: NetworkPass, step: TrainingStep | None) -> tuple[Array, Array]:
    """The true value of what `e` asks, for one row or each row of a block, and its noise scale (the size of the
    terms it was summed from: a true 0 where the value is within 1e-12 of it)."""
    last = forward.passes[-1]
    if e.kind == "y":
        return forward.outputs[..., e.neuron], last.output_scale()[..., e.neuron]
    if e.kind == "z":
        return last.z[..., e.neuron], last.scale[..., e.neuron]
    assert step is not None
    if e.kind == "loss":
        loss = np.asarray(step.loss)
        return loss, np.zeros_like(loss)
    update = step.updates[e.layer]
    layer = forward.network.layers[e.layer]
    if e.kind == "w":
        before, change = layer.weights[e.neuron, e.weight], step.rate * update.dw[..., e.neuron, e.weight]
        return update.weights[..., e.neuron, e.weight], np.abs(before) + np.abs(change)
    before_b, change_b = layer.bias[e.neuron], step.rate * update.db[..., e.neuron]
    return update.bias[..., e.neuron], np.abs(before_b) + np.abs(change_b)


def tally(marks: Marks, layout: Layout) -> dict[str, Any]:
    """The counts a summary is made of (JSON, for the other process of a sheet graded by two): rows, rows right,
    wrong and unreadable, the scores' sum, per question the rows that have it all right, and on a class's sheet
    the students who have every answer right."""
    counts: dict[str, Any] = {verdict: marks.verdicts.count(verdict) for verdict in ("pass", "fail", "invalid")}
    counts.update(rows=len(marks), score=sum(marks.scores))
    right = {}
    if not len(marks):
        counts["questions"] = {question: 0 for question in layout.questions}
        return counts
    passed = np.zeros((len(marks.graded), len(marks)), dtype=bool)
    for k, graded in enumerate(marks.graded):
        passed[k] = np.array(graded.verdicts, dtype=object) == "pass"
    for question, _, columns in layout.groups:
        right[question] = int(passed[columns].all(axis=0).sum())
    counts["questions"] = right
    if layout.student is not None:  # a class's sheet: who has every answer right, by student id
        counts["all_right"] = [
            unescaped_id(marks.names[r][0]) for r in range(len(marks)) if marks.verdicts[r] == "pass"
        ][:ALL_RIGHT_NAMED]
    return counts


def added(before: dict[str, Any], more: dict[str, Any]) -> dict[str, Any]:
    """Two tallies as one (a sheet graded in parts)."""
    counts = {**before}
    for key in ("rows", "pass", "fail", "invalid", "score"):
        counts[key] = before.get(key, 0) + more.get(key, 0)
    questions = dict(before.get("questions", {}))
    for question, right in more.get("questions", {}).items():
        questions[question] = questions.get(question, 0) + right
    counts["questions"] = questions
    if "all_right" in before or "all_right" in more:  # named up to ALL_RIGHT_NAMED: memory stays flat
        counts["all_right"] = (before.get("all_right", []) + more.get("all_right", []))[:ALL_RIGHT_NAMED]
    return counts
