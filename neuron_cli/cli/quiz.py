"""`neuron quiz`: a question file's questions with one student's numbers (--student), or every student's of a
class (--students class.csv). Typer is imported only where the command is declared."""

import sys
from dataclasses import dataclass
from typing import Any

from .. import render
from ..errors import NeuronError
from ..io.csvfile import records, unescaped_id, usable_id
from ..io.files import open_input
from ..io.questions import Quiz, load_quiz
from .build import chosen_format, make_view
from .edge import Outcome

HELP = """A question file's questions with one student's own numbers, to answer and hand in.

    A question that varies draws each student's numbers from the file's seed and the student's id: the same on
    every machine. --format csv gives the answer sheet to fill in (student, then q1.y1, ... columns);
    --students class.csv (a column student) gives the whole class's, one student a line (json) or a row (csv).
    `neuron check --answers sheet.csv --questions FILE` grades it.

    \b
    Examples:
      neuron quiz hw1.toml --student alice
      neuron quiz hw1.toml --student alice --format json
      neuron quiz hw1.toml --students class.csv --format csv > answers.csv
    """


@dataclass(frozen=True)
class QuizSheet:
    """What `quiz` shows: the file, and each student with their own questions."""

    quiz: Quiz
    students: list[tuple[str, Quiz]]


def run(given: dict[str, Any], outcome: Outcome) -> int:
    view, chosen = make_view(given, outcome.lang), chosen_format(given)
    render.check("quiz", chosen, view)
    student, students = given.get("student"), given.get("students")
    if (student is None) == (students is None):
        raise NeuronError("give one student with --student ID, or a class with --students class.csv")
    quiz = load_quiz(given["file"], "FILE")
    names = [unescaped_id(student)] if student is not None else class_list(str(students))
    if not all(names):
        raise NeuronError("--student: an id must not be empty")
    if not all(map(usable_id, names)):
        raise NeuronError("--student: an id must be printable text (no control characters, no stray bytes)")
    sheet = QuizSheet(quiz, [(name, quiz.for_student(name)) for name in names])
    render.write("quiz", sheet, view, chosen, sys.stdout)
    sys.stdout.flush()
    return 0


def class_list(path: str) -> list[str]:
    """The student ids of a class list: a CSV with a column `student`."""
    rows = records(open_input(path, "--students"))[1]
    header = next(rows, None)
    if header is None or header.problem is not None:
        raise NeuronError("--students: {path} needs a header line with a column student", path=path)
    keys = [cell.strip().lower() for cell in header.fields]
    if "student" not in keys:
        raise NeuronError("--students: {path} has no column student", path=path)
    column = keys.index("student")
    names = []
    for record in rows:
        if record.problem is not None:
            raise NeuronError(
                "--students: {path}, line {line}: {problem}", path=path, line=record.line, problem=record.problem
            )
        if column < len(record.fields) and record.fields[column].strip():
            if not usable_id(record.fields[column]):
                raise NeuronError(
                    "--students: {path}, line {line}: the id {id!r} holds a control or invisible character",
                    path=path,
                    line=record.line,
                    id=record.fields[column].strip(),
                )
            names.append(unescaped_id(record.fields[column]))
    return names


def declare(app: Any) -> None:
    """The command as Typer declares it: its options, from their one declaration (cli/options.py)."""
    from . import params as p

    def quiz(
        file: p.QuizFile,
        student: p.QuizStudent = None,
        students: p.Students = None,
        format: p.QuizFormat = None,
        color: p.Color = p.AUTO,
        lang: p.Lang = None,
    ) -> None:
        p.finish(run, dict(locals()))

    quiz.__doc__ = HELP
    app.command()(quiz)
