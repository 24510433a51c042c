"""Graded answer sheets as a table, CSV, JSON Lines, plain lines, JUnit XML or Gradescope's results.json. The
words are the same in every format: `answer` is what the sheet says, `correct` is neuron's value."""

from __future__ import annotations

import json
import math
import re
from operator import itemgetter
from typing import IO, Any

import numpy as np

from ..i18n import describe, message, plural
from ..io.csvfile import safe_answers, safe_column, spreadsheet_safe, write_columns, write_rows
from ..nn.grading import earned
from .fast_text import texts
from .numbers import format_number, json_number
from .verdicts import hint_words
from .view import TABLE_DIGITS, View

VERDICT_STYLES = {
    "pass": "green",
    "fail": "bold red",
    "missing": "yellow",
    "invalid": "bold red",
    "too_coarse": "yellow",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


_UNSEEN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """A sheet's text as a person's terminal may show it: a control character (an escape sequence, a bidi
    override) written as its code, \\x1b, never acted on."""
    if not _UNSEEN.search(text):
        return text
    return _UNSEEN.sub(
        lambda found: f"\\x{ord(found.group()):02x}" if ord(found.group()) < 256 else f"\\u{ord(found.group()):04x}",
        text,
    )


def cells(part: Any, r: int) -> list[dict[str, Any]]:
    """Row r's cells, as JSON has them."""
    marks, layout = part.marks, part.layout
    found = []
    for k, answer in enumerate(layout.answers):
        graded = marks.graded[k]
        correct = marks.correct[k][r]
        found.append(
            {
                "column": answer.name,
                "question": answer.question,
                "answer": marks.answers[k][r],
                "correct": None if math.isnan(correct) else json_number(correct),
                "tolerance": None if math.isnan(graded.tolerances[r]) else json_number(graded.tolerances[r]),
                "verdict": graded.verdicts[r],
                "points": marks.points[k][r],
            }
        )
    return found


def names_of(part: Any, r: int) -> dict[str, str]:
    return dict(zip(part.layout.name_headers, part.marks.names[r]))


def reason(part: Any, r: int, view: View) -> str:
    problem = part.marks.reasons[r]
    return "" if problem is None else describe(problem, view.lang)


def cell_words(part: Any, k: int, r: int, view: View) -> str:
    """An answer's verdict for a person: the verdict, the answer as written, the correct value, the tolerance it
    missed, and what it lacks."""
    marks, answer = part.marks, part.layout.answers[k]
    graded = marks.graded[k]
    verdict, written = graded.verdicts[r], printable(marks.answers[k][r])
    correct, tolerance, hint = marks.correct[k][r], graded.tolerances[r], graded.hints[r]
    details = [message("answer {answer}", view, answer=written) if written else message("no answer", view)]
    if not math.isnan(correct):
        details.append(message("correct {correct}", view, correct=format_number(correct, TABLE_DIGITS)))
    if verdict != "pass" and not math.isnan(tolerance):
        details.append(message("tolerance {tolerance}", view, tolerance=format_number(tolerance, 3)))
    words = f"{answer.name}: {message(verdict.replace('_', ' '), view)} ({', '.join(details)})"
    if hint == "decimal comma":
        words += "; " + message("write a decimal point: 0.5, not 0,5 (or give --decimal-comma)", view)
    elif hint:
        words += "; " + message("give at least {hint}", view, hint=hint_words(hint, view))
    return words


def row_failures(part: Any, r: int, view: View) -> str:
    if part.marks.reasons[r] is not None:
        return reason(part, r, view)
    return "; ".join(
        cell_words(part, k, r, view) for k, graded in enumerate(part.marks.graded) if graded.verdicts[r] != "pass"
    )


def row_name(part: Any, r: int, view: View) -> str:
    """How a person finds the row: its line, then what its naming columns say (alice, 2b)."""
    named = ", ".join(printable(value) for value in part.marks.names[r] if value.strip())
    return message("line {line}", view, line=part.marks.lines[r]) + (f" ({named})" if named else "")


def summary(part: Any) -> dict[str, Any]:
    counts, layout = part.counts, part.layout
    rows = counts.get("rows", 0)
    right = counts.get("questions", {})
    return {
        "rows": rows,
        "passed": counts.get("pass", 0),
        "failed": counts.get("fail", 0),
        "invalid": counts.get("invalid", 0),
        "mean_score": json_number(counts.get("score", 0.0) / rows) if rows else 0.0,
        "max_score": json_number(layout.max_score),
        "questions": {question: {"passed": right.get(question, 0), "of": rows} for question in layout.questions},
        **({"all_right": counts["all_right"]} if "all_right" in counts else {}),
    }


def summary_lines(part: Any, view: View) -> list[str]:
    """The summary for a person: rows right, the mean score, and each question's count."""
    s = summary(part)
    lines = [
        message(
            "{passed} of {rows} students have every answer right; mean score {mean} of {max}"
            if part.layout.name_headers
            else "{passed} of {rows} rows have every answer right; mean score {mean} of {max}",
            view,
            passed=s["passed"],
            rows=s["rows"],
            mean=format_number(s["mean_score"], 4),
            max=format_number(s["max_score"], 4),
        )
    ]
    if s["invalid"]:
        lines.append(message("{rows} could not be read (scored 0)", view, rows=plural(s["invalid"], "row", view)))
    for question, count in s["questions"].items():
        lines.append(
            message(
                "{question}: {passed} of {rows} right"
                if part.layout.name_headers
                else "{question}: {passed} of {rows} rows right",
                view,
                question=question,
                passed=count["passed"],
                rows=s["rows"],
            )
        )
    if s.get("all_right"):
        lines.append(message("every answer right: {students}", view, students=", ".join(s["all_right"])))
    return lines


# ---------------------------------------------------------------- the writers


def answers_json(part: Any, view: View, out: IO[str]) -> None:
    """JSON Lines: an object per sheet row, then the summary."""
    lines = []
    marks = part.marks
    for r in range(len(marks)):
        doc: dict[str, Any] = {
            "line": marks.lines[r],
            "names": names_of(part, r),
            "score": marks.scores[r],
            "max_score": part.layout.max_score,
            "verdict": marks.verdicts[r],
        }
        if marks.reasons[r] is not None:
            doc["reason"] = reason(part, r, view)
        doc["cells"] = cells(part, r)
        lines.append(json.dumps(doc, ensure_ascii=False, allow_nan=False))
    if part.last:
        lines.append(json.dumps({"summary": summary(part)}, ensure_ascii=False, allow_nan=False))
    if lines:
        out.write("\n".join(lines) + "\n")


def report_names(layout: Any) -> list[str]:
    """The naming columns' headers beside the report's own: a sheet's column named as one of them (score,
    verdict, y1_correct, ...) gets " (sheet)" after its name, so that no report holds two columns of one name and
    no column a student wrote passes for neuron's."""
    own = {"line", "score", "max_score", "verdict", "reason"}
    for answer in layout.answers:
        own.update(f"{answer.name}{end}".lower() for end in ("", "_correct", "_verdict"))
    return [header + " (sheet)" if header.lower() in own else header for header in layout.name_headers]


def answers_csv(part: Any, view: View, out: IO[str]) -> None:
    """The naming columns, score, max_score, verdict, then for each answer column c: c as written, c_correct
    and c_verdict; last, why a row could not be read. Made a column at a time: a block has thousands of rows."""
    layout, marks = part.layout, part.marks
    if part.first:
        header = [*report_names(layout), "score", "max_score", "verdict"]
        for answer in layout.answers:
            header += [answer.name, f"{answer.name}_correct", f"{answer.name}_verdict"]
        write_rows(out, [[*map(spreadsheet_safe, header), "reason"]])
    rows = len(marks)
    if not rows:
        return
    columns = [safe_column(list(map(itemgetter(j), marks.names))) for j in range(len(layout.names))]
    columns += [_numbers(marks.scores), [format_number(layout.max_score)] * rows, marks.verdicts]
    for k in range(len(layout.answers)):
        columns += [safe_answers(marks.answers[k]), _numbers(marks.correct[k])]
        columns.append(marks.graded[k].verdicts)
    reasons = [""] * rows  # most sheets have no unreadable row: a Python loop only where one has
    if marks.reasons.count(None) != rows:
        reasons = [spreadsheet_safe(reason(part, r, view)) if marks.reasons[r] else "" for r in range(rows)]
    columns.append(reasons)
    write_columns(out, columns)


def _numbers(values: list[float]) -> list[str]:
    """Numbers as format_number writes them (every digit; 0.0, never -0.0), a blank for nan."""
    fast = texts(np.asarray(values, dtype=np.float64) + 0.0)
    return fast if fast is not None else [repr(value + 0.0) if value == value else "" for value in values]


def answers_plain(part: Any, view: View, out: IO[str]) -> None:
    """A line per sheet row (where it is, its verdict and score, and why it did not pass), then the summary."""
    lines = []
    marks = part.marks
    most = format_number(part.layout.max_score, TABLE_DIGITS)
    for r in range(len(marks)):
        verdict = marks.verdicts[r]
        score = message("{score} of {most}", view, score=format_number(marks.scores[r], TABLE_DIGITS), most=most)
        line = f"{row_name(part, r, view)}: {message(verdict, view)}, {score}"
        if verdict != "pass":
            line += f": {row_failures(part, r, view)}"
        lines.append(line)
    if part.last:
        lines += summary_lines(part, view)
    if lines:
        out.write("\n".join(lines) + "\n")


def answers_table(part: Any, view: View, out: IO[str]) -> None:
    """A row per student (names, each answer's verdict, the score), then the summary."""
    from rich.text import Text

    from .console import Column, fitted, make_console

    console = make_console(out, color=view.color, width=view.width)
    layout, marks = part.layout, part.marks
    if len(marks):
        columns = [Column(message("line", view), key=True)] + [Column(h, key=True) for h in report_names(layout)]
        columns += [Column(answer.name) for answer in layout.answers]
        columns += [Column(message("score", view)), Column(message("verdict", view))]
        rows: list[list[Any]] = []
        for r in range(len(marks)):
            row: list[Any] = [str(marks.lines[r]), *map(printable, marks.names[r])]
            for k in range(len(layout.answers)):
                verdict = marks.graded[k].verdicts[r]
                word = message(verdict.replace("_", " "), view)
                if verdict in ("fail", "too_coarse") and not math.isnan(marks.correct[k][r]):
                    word += f" {format_number(marks.correct[k][r], 6)}"
                row.append((word, VERDICT_STYLES[verdict]))
            row += [
                float(marks.scores[r]),
                (message(marks.verdicts[r], view), VERDICT_STYLES[marks.verdicts[r]]),
            ]
            rows.append(row)
        labels = [row_name(part, r, view) for r in range(len(marks))]
        console.print(fitted(None, columns, rows, view, console.width, labels=labels))
        for r, problem in enumerate(marks.reasons):
            if problem is not None:
                console.print(Text(f"{row_name(part, r, view)}: {describe(problem, view.lang)}"))
    if part.last:
        for number, line in enumerate(summary_lines(part, view)):
            console.print(Text(line, style="bold" if number == 0 else ""))


def xml_text(text: str) -> str:
    """Text for an XML attribute or element: markup escaped, and control characters (which XML 1.0 cannot hold
    at all) written as \\uXXXX."""
    from xml.sax.saxutils import escape

    visible = _CONTROL.sub(lambda match: f"\\u{ord(match.group(0)):04x}", text)
    return escape(visible, {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def answers_junit(part: Any, view: View, out: IO[str]) -> None:
    """JUnit XML that Jenkins' and Ant's schemas both accept: a testsuite per sheet row (its own counts, so the
    document is written as the rows are graded), a testcase per answer cell, a failure (for fail, too_coarse,
    missing and invalid alike) saying answer, correct and tolerance."""
    import socket
    import time

    marks, layout = part.marks, part.layout
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(_now()))
    host = xml_text(socket.gethostname() or "localhost")
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<testsuites>"] if part.first else []
    for r in range(len(marks)):
        wrong = sum(graded.verdicts[r] != "pass" for graded in marks.graded)
        name = xml_text(row_name(part, r, view))
        lines.append(
            f'  <testsuite name="{name}" package="neuron" id="{marks.lines[r]}" tests="{len(layout.answers)}" '
            f'failures="{wrong}" errors="0" skipped="0" time="0" timestamp="{stamp}" hostname="{host}">'
        )
        lines.append("    <properties/>")
        for k, answer in enumerate(layout.answers):
            case = (
                f'    <testcase name="{xml_text(answer.name)}" classname="neuron.{xml_text(answer.question)}" time="0"'
            )
            if marks.graded[k].verdicts[r] == "pass":
                lines.append(case + "/>")
                continue
            words = xml_text(reason(part, r, view) if marks.reasons[r] is not None else cell_words(part, k, r, view))
            lines += [
                case + ">",
                f'      <failure message="{words}" type="{marks.graded[k].verdicts[r]}">{words}</failure>',
            ]
            lines.append("    </testcase>")
        lines += ["    <system-out/>", "    <system-err/>", "  </testsuite>"]
    if part.last:
        lines.append("</testsuites>")
    if lines:
        out.write("\n".join(lines) + "\n")


def _now() -> float:
    """The report's time: SOURCE_DATE_EPOCH where it is set (a reproducible report), else now."""
    import os
    import time

    try:
        return float(os.environ["SOURCE_DATE_EPOCH"])
    except (KeyError, ValueError):
        return time.time()


def answers_gradescope(part: Any, view: View, out: IO[str]) -> None:
    """Gradescope's results.json for one submission: its score, and a test per question (passed only with full
    marks), whose output says each answer's verdict."""
    marks, layout = part.marks, part.layout
    tests = []
    for question, most, columns in layout.groups:
        right_answers = sum(marks.graded[k].verdicts[0] == "pass" for k in columns) if len(marks) else 0
        score = float(earned(most, right_answers, len(columns))) if len(marks) else 0.0
        output = [cell_words(part, k, 0, view) for k in columns] if len(marks) else []
        right = len(marks) and all(marks.graded[k].verdicts[0] == "pass" for k in columns)
        tests.append(
            {
                "name": question,
                "score": json_number(score),
                "max_score": json_number(most),
                "status": "passed" if right else "failed",  # every answer right (a question of 0 points too)
                "output": "\n".join(output),
            }
        )
    document: dict[str, Any] = {"score": json_number(marks.scores[0]) if len(marks) else 0.0, "tests": tests}
    if len(marks) and marks.reasons[0] is not None:
        document["output"] = reason(part, 0, view)
        document["output_format"] = "text"  # the top-level default renders HTML: a student's text is shown as text
    out.write(json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n")


def unreadable_gradescope(problem: Any, view: View, out: IO[str]) -> None:
    """The results.json of a submission that cannot be read: score 0 and the reason, for the student to see
    (the contract's `{"score": 0, "output": .., "tests": []}`)."""
    # output_format: the top-level default (simple_format) renders HTML, and the reason may quote a student's text
    document = {"score": 0.0, "output": describe(problem, view.lang), "output_format": "text", "tests": []}
    out.write(json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
