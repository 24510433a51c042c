"""A question file's questions with one student's numbers: for the student to read (a table, in --lang), for a
script (JSON), or as the header of the answer sheet to fill in (CSV)."""

from __future__ import annotations

import json
from typing import IO, Any

from ..i18n import message
from ..io.csvfile import spreadsheet_safe, write_rows
from .answers import printable
from .numbers import full_number, json_lists, json_number
from .view import View


def question_document(question: Any) -> dict[str, Any]:
    layers = [
        {"weights": json_lists(layer.weights), "bias": json_lists(layer.bias), "activation": layer.activation.label}
        for layer in question.network.layers
    ]
    doc: dict[str, Any] = {"id": question.id, "points": question.points}
    if question.text:
        doc["text"] = question.text
    doc.update(inputs=json_lists(question.inputs), layers=layers)
    if question.targets is not None:
        doc.update(targets=json_lists(question.targets), learning_rate=json_number(question.rate), loss=question.loss)
    doc.update(ask=[e.header for e in question.asked], columns=question.columns)
    return doc


def quiz_json(sheet: Any, view: View, out: IO[str]) -> None:
    """A line per student: their id and their questions."""
    for student, quiz in sheet.students:
        doc = {"student": student, "questions": [question_document(q) for q in quiz.questions]}
        out.write(json.dumps(doc, ensure_ascii=False, allow_nan=False) + "\n")


def quiz_csv(sheet: Any, view: View, out: IO[str]) -> None:
    """The answer sheet to fill in: `student` and every asked column, then a row per student."""
    columns = [column for question in sheet.quiz.questions for column in question.columns]
    rows = [["student", *columns]] + [
        [spreadsheet_safe(student), *[""] * len(columns)] for student, _ in sheet.students
    ]
    write_rows(out, rows)


def _numbers(values: Any) -> str:
    return ", ".join(full_number(v) for v in values)


def quiz_text(sheet: Any, view: View) -> list[str]:
    lines = []
    for student, quiz in sheet.students:
        lines.append(message("Questions for {student}", view, student=printable(student)))
        for question in quiz.questions:
            lines.append("")
            points = full_number(question.points)
            one = question.points == 1
            lines.append(
                message(
                    "{id} ({points} point)" if one else "{id} ({points} points)", view, id=question.id, points=points
                )
            )
            if question.text:
                lines += [f"  {printable(line)}" for line in question.text.split("\n")]  # the teacher's lines
            lines.append(f"  x = {_numbers(question.inputs)}")
            many = len(question.network.layers) > 1
            for number, layer in enumerate(question.network.layers, start=1):
                prefix = message("layer {number}: ", view, number=number) if many else ""
                weights = "; ".join(_numbers(row) for row in layer.weights)
                lines.append(f"  {prefix}w = {weights}   b = {_numbers(layer.bias)}   f = {layer.activation.label}")
            if question.targets is not None:
                lines.append(
                    "  "
                    + message(
                        "target {targets}, learning rate {rate}, loss {loss}",
                        view,
                        targets=_numbers(question.targets),
                        rate=full_number(question.rate),
                        loss=question.loss,
                    )
                )
            lines.append("  " + message("answer: {columns}", view, columns=", ".join(question.columns)))
        lines.append("")
    return lines[:-1]  # a blank line between students, none after the last


def quiz_plain(sheet: Any, view: View, out: IO[str]) -> None:
    out.write("\n".join(quiz_text(sheet, view)) + "\n")


def quiz_table(sheet: Any, view: View, out: IO[str]) -> None:
    """The questions for a person: on a narrow terminal a line wraps between words, under its own indent."""
    from .console import make_console, print_indented

    console = make_console(out, color=view.color, width=view.width)
    for line in quiz_text(sheet, view):
        # a title (the student, a question) in bold; the rest under its indent
        print_indented(console, [line], style="bold" if line and not line.startswith(" ") else "")
