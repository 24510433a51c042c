"""Graded answer sheets as a table, CSV, JSON Lines, JUnit XML or Gradescope's results.json."""

from __future__ import annotations

import csv
import json
from typing import IO, Any

import numpy as np

from ..i18n import message
from .numbers import format_number, json_number, plain_lines
from .view import View

VERDICT_STYLES = {
    "pass": "green",
    "fail": "bold red",
    "missing": "yellow",
    "invalid": "bold red",
    "too_coarse": "yellow",
}


def row_name(row: Any, view: View) -> str:
    """How a person finds the row: its line, then what its naming columns say (alice, q1)."""
    named = ", ".join(value for value in row.names.values() if value.strip())
    return message("line {line}", view, line=row.line) + (f" ({named})" if named else "")


def summary_line(part: Any, view: View) -> str:
    text = message("{passed} of {total} rows pass", view, passed=part.passed, total=part.total)
    if part.extra.get("stopped"):
        text += "; " + message("the sheet stopped at an unusable line (below)", view)
    return text


def answers_table(part: Any, view: View, out: IO[str]) -> None:
    from rich.text import Text

    from .console import Column, fitted, make_console

    console = make_console(out, color=view.color, width=view.width)
    schema = part.schema
    if part.rows:
        columns = [Column(message("line", view), key=True)]
        columns += [Column(schema.headers[c].strip(), key=True) for c in schema.names]
        columns += [Column(e.header) for e in schema.expected] + [Column(message("verdict", view))]
        rows: list[list[Any]] = []
        for row in part.rows:
            cells: list[Any] = [str(row.line), *row.names.values()]
            for cell in row.cells:
                word = message(cell.verdict.replace("_", " "), view)
                shown = f"{word} {format_number(cell.got, 6)}" if cell.verdict == "fail" else word
                cells.append((shown, VERDICT_STYLES[cell.verdict]))
            verdict = "pass" if row.passed else "fail"
            cells.append((message(verdict.upper(), view), VERDICT_STYLES[verdict]))
            rows.append(cells)
        console.print(fitted(None, columns, rows, view, console.width))
    if part.last:
        console.print(Text(summary_line(part, view), style="bold"))


def answers_csv(part: Any, view: View, out: IO[str]) -> None:
    """The naming columns, the row's verdict, then each expected column as written and what it should be."""
    writer = csv.writer(out, lineterminator="\n")
    schema = part.schema
    if part.first:
        header = [schema.headers[c].strip() for c in schema.names] + ["verdict"]
        for e in schema.expected:
            header += [e.header, f"{e.header}_got"]
        writer.writerow(header)
    verdicts = ["pass" if passed else "fail" for passed in part.row_passed]
    columns: list[list[str]] = [verdicts]
    for column in part.columns:
        columns.append(column.written)
        got = np.asarray(column.got, dtype=np.float64).reshape(-1, 1)
        columns.append(plain_lines(got, view.digits).splitlines() if len(got) else [])
    writer.writerows([*names, *cells] for names, cells in zip(part.names, zip(*columns)))


def _row_document(row: Any, view: View) -> dict[str, Any]:
    return {
        "line": row.line,
        "names": row.names,
        "verdict": "pass" if row.passed else "fail",
        "cells": [
            {
                "column": cell.column,
                "expected": cell.written,
                "got": json_number(cell.got, view.digits),
                "tolerance": None if cell.tolerance is None else json_number(cell.tolerance),
                "verdict": cell.verdict,
            }
            for cell in row.cells
        ],
    }


def _summary(part: Any) -> dict[str, Any]:
    return {"rows": part.total, "passed": part.passed, "failed": part.total - part.passed}


def answers_json(part: Any, view: View, out: IO[str]) -> None:
    """JSON Lines: an object per sheet row, then a summary."""
    lines = [json.dumps(_row_document(row, view), ensure_ascii=False, allow_nan=False) for row in part.rows]
    if part.last:
        lines.append(json.dumps({"summary": _summary(part)}))
    if lines:
        out.write("\n".join(lines) + "\n")


def failure_text(row: Any) -> str:
    """Why a row failed: each cell that did not pass, what was written and what it should be."""
    reasons = []
    for cell in row.cells:
        if cell.verdict != "pass":
            allowed = f" (allowed {format_number(cell.tolerance, 3)})" if cell.tolerance is not None else ""
            reasons.append(f"{cell.column}: {cell.verdict}, written {cell.written!r}, expected {cell.got!r}{allowed}")
    return "; ".join(reasons)


def answers_junit(part: Any, view: View, out: IO[str]) -> None:
    """JUnit XML: a testcase per sheet row, with a failure saying which cells failed and why."""
    from xml.sax.saxutils import quoteattr

    failed = part.total - part.passed
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name="neuron" tests="{part.total}" failures="{failed}" errors="0">',
        f'  <testsuite name="answers" tests="{part.total}" failures="{failed}" errors="0" skipped="0">',
    ]
    for row in part.rows:
        name = quoteattr(row_name(row, View()))
        if row.passed:
            lines.append(f'    <testcase classname="neuron.answers" name={name}/>')
        else:
            reason = quoteattr(failure_text(row))
            lines.append(f'    <testcase classname="neuron.answers" name={name}>')
            lines.append(f'      <failure message={reason} type="wrong answer"/>')
            lines.append("    </testcase>")
    if part.extra.get("stopped"):
        lines.append("    <system-err>the sheet stopped at an unusable line; see the error</system-err>")
    lines += ["  </testsuite>", "</testsuites>"]
    out.write("\n".join(lines) + "\n")


def answers_gradescope(part: Any, view: View, out: IO[str]) -> None:
    """Gradescope's results.json: a test per sheet row worth --points, and the total score."""
    tests = [
        {
            "name": row_name(row, View()),
            "score": part.points if row.passed else 0.0,
            "max_score": part.points,
            "status": "passed" if row.passed else "failed",
            "output": "all cells pass" if row.passed else failure_text(row),
        }
        for row in part.rows
    ]
    document = {
        "score": part.points * part.passed,
        "output": f"{part.passed} of {part.total} rows pass",
        "tests": tests,
    }
    out.write(json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n")


def answers_plain(part: Any, view: View, out: IO[str]) -> None:
    """A line per sheet row (where it is, its verdict, and why it failed), then how many rows pass."""
    lines = []
    for row in part.rows:
        verdict = message("pass" if row.passed else "fail", view)
        lines.append(f"{row_name(row, view)}: {verdict}" + ("" if row.passed else f": {failure_text(row)}"))
    if part.last:
        lines.append(summary_line(part, view))
    if lines:
        out.write("\n".join(lines) + "\n")
