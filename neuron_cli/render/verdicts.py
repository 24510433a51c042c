"""The verdicts of `check`: each output against the value written for it."""

from __future__ import annotations

import json
from typing import IO, Any

from ..i18n import message
from ..nn.grading import Verdict
from .numbers import format_number, json_number
from .view import View


def _rows(verdict: Verdict) -> zip[tuple[Any, ...]]:
    return zip(verdict.expected, verdict.got, verdict.differences, verdict.tolerances, verdict.matches)


def verdict_json(verdict: Verdict, view: View, out: IO[str]) -> None:
    outputs = [
        {
            "output": k + 1,
            "expected": json_number(e),
            "got": json_number(g),
            "difference": json_number(d),
            "tolerance": json_number(t),
            "pass": bool(m),
        }
        for k, (e, g, d, t, m) in enumerate(_rows(verdict))
    ]
    out.write(json.dumps({"pass": verdict.passed, "outputs": outputs}, allow_nan=False) + "\n")


def verdict_csv(verdict: Verdict, view: View, out: IO[str]) -> None:
    lines = ["output,expected,got,difference,tolerance,verdict"]
    for k, (e, g, d, t, m) in enumerate(_rows(verdict)):
        cells = [format_number(value) for value in (e, g, d, t)]
        lines.append(",".join([f"y{k + 1}", *cells, "pass" if m else "fail"]))
    out.write("\n".join(lines) + "\n")


def verdict_summary(verdict: Verdict, view: View) -> str:
    rule = message("half a unit of the last decimal written" if verdict.rule == "written" else "--tol", view)
    count = len(verdict.expected)
    failed = int(count - verdict.matches.sum())
    if count == 1:
        summary = message("the output matches" if verdict.passed else "the output does not match", view)
    elif verdict.passed:
        summary = message("all {count} outputs match", view, count=count)
    else:
        summary = message("{failed} of {count} outputs do not match", view, failed=failed, count=count)
    return message("{summary} (tolerance: {rule})", view, summary=summary, rule=rule)


def verdict_text(verdict: Verdict, view: View, out: IO[str]) -> None:
    lines = []
    base = view.index_base
    for k, (e, g, d, t, m) in enumerate(_rows(verdict)):
        lines.append(
            message(
                "output {number}: expected {expected}, got {got}, off by {difference} (allowed {tolerance}): {verdict}",
                view,
                number=k + base,
                expected=format_number(e),
                got=format_number(g),
                difference=format_number(d, 3),
                tolerance=format_number(t, 3),
                verdict=message("PASS" if m else "FAIL", view),
            )
        )
    lines.append(verdict_summary(verdict, view))
    out.write("\n".join(lines) + "\n")


def verdict_table(verdict: Verdict, view: View, out: IO[str]) -> None:
    from rich.text import Text

    from .console import Column, fitted, make_console

    console = make_console(out, color=view.color, width=view.width)
    columns = [Column(message(h, view), key=h == "output") for h in ("output", "expected", "got")]
    columns += [Column(message(h, view)) for h in ("difference", "allowed", "verdict")]
    rows: list[list[Any]] = [
        [
            f"y{k + view.index_base}",
            format_number(e),
            format_number(g),
            format_number(d, 3),
            format_number(t, 3),
            (message("PASS", view), "green") if m else (message("FAIL", view), "bold red"),
        ]
        for k, (e, g, d, t, m) in enumerate(_rows(verdict))
    ]
    console.print(fitted(None, columns, rows, view, console.width))
    console.print(Text(verdict_summary(verdict, view)))
