"""The verdicts of `check --expect`: each output's answer (the value written) against the correct value."""

from __future__ import annotations

import json
import math
from typing import IO, Any

from ..i18n import message
from ..nn.grading import Verdict
from .numbers import format_number, full_number, json_number
from .view import View

WORDS = {"pass": "PASS", "fail": "FAIL", "too_coarse": "TOO COARSE"}
STYLES = {"pass": "green", "fail": "bold red", "too_coarse": "yellow"}


def _rows(verdict: Verdict) -> zip[tuple[Any, ...]]:
    return zip(verdict.answers, verdict.correct, verdict.differences, verdict.tolerances, verdict.verdicts)


def _allowed(tolerance: float) -> float | str | None:
    return None if math.isnan(tolerance) else json_number(tolerance)


def verdict_json(verdict: Verdict, view: View, out: IO[str]) -> None:
    outputs = [
        {
            "output": k + 1,
            "answer": json_number(a),
            "correct": json_number(c),
            "difference": json_number(d),
            "tolerance": _allowed(t),
            "verdict": v,
            "pass": v == "pass",
        }
        for k, (a, c, d, t, v) in enumerate(_rows(verdict))
    ]
    out.write(json.dumps({"pass": verdict.passed, "outputs": outputs}, allow_nan=False) + "\n")


def verdict_csv(verdict: Verdict, view: View, out: IO[str]) -> None:
    lines = ["output,answer,correct,difference,tolerance,verdict"]
    for k, (a, c, d, t, v) in enumerate(_rows(verdict)):
        cells = [format_number(value) for value in (a, c, d)] + ["" if math.isnan(t) else format_number(t)]
        lines.append(",".join([f"y{k + 1}", *cells, v]))
    out.write("\n".join(lines) + "\n")


def rule_words(verdict: Verdict, view: View) -> str:
    """The tolerance a person reads: the default rule, or the option that replaced it, and --min-decimals."""
    words = _rule(verdict, view)
    if verdict.tolerance.min_decimals is None:
        return words
    return message("{rule} and at least {count} decimal places", view, rule=words, count=verdict.tolerance.min_decimals)


def _rule(verdict: Verdict, view: View) -> str:
    tolerance = verdict.tolerance
    if tolerance.rule != "written":
        return {"absolute": "--tol", "relative": "--rtol", "significant": "--sig"}[tolerance.rule]
    if not tolerance.min_sig:
        return message("the true value rounded to the places written", view)
    return message(
        "the true value rounded to the places written, with at least {count} significant digits",
        view,
        count=tolerance.min_sig,
    )


def verdict_summary(verdict: Verdict, view: View) -> str:
    count = len(verdict.answers)
    failed = int(count - verdict.matches.sum())
    if count == 1:
        summary = message("the output matches" if verdict.passed else "the output does not match", view)
    elif verdict.passed:
        summary = message("all {count} outputs match", view, count=count)
    else:
        summary = message("{failed} of {count} outputs do not match", view, failed=failed, count=count)
    return message("{summary} (tolerance: {rule})", view, summary=summary, rule=rule_words(verdict, view))


def verdict_line(verdict: Verdict, k: int, view: View) -> str:
    correct, difference = verdict.correct[k], verdict.differences[k]
    tolerance, word = verdict.tolerances[k], verdict.verdicts[k]
    text = message(
        "output {number}: answer {answer}, correct {correct}, off by {difference} (allowed {tolerance}): {verdict}",
        view,
        number=k + view.index_base,
        answer=verdict.written[k],
        correct=format_number(correct),
        difference=format_number(difference, 3),
        tolerance="-" if math.isnan(tolerance) else format_number(tolerance, 3),
        verdict=message(WORDS[word], view),
    )
    if verdict.hints[k]:
        text += "; " + message("give at least {hint}", view, hint=hint_words(verdict.hints[k], view))
    return text


def hint_words(hint: str, view: View) -> str:
    """What a too_coarse answer lacks ("3 significant digits", "2 decimals"), in the reader's words."""
    count, _, what = hint.partition(" ")
    if what == "decimals":
        return message("{count} decimals", view, count=count)
    return message("{count} significant digits", view, count=count)


def verdict_text(verdict: Verdict, view: View, out: IO[str]) -> None:
    lines = [verdict_line(verdict, k, view) for k in range(len(verdict.answers))]
    lines.append(verdict_summary(verdict, view))
    out.write("\n".join(lines) + "\n")


def verdict_table(verdict: Verdict, view: View, out: IO[str]) -> None:
    from rich.text import Text

    from .console import Column, fitted, make_console

    console = make_console(out, color=view.color, width=view.width)
    columns = [Column(message(h, view), key=h == "output") for h in ("output", "answer", "correct")]
    columns += [Column(message(h, view)) for h in ("difference", "allowed", "verdict")]
    rows: list[list[Any]] = [
        [
            f"y{k + view.index_base}",
            verdict.written[k],
            full_number(read),  # floating noise as the 0 it stands for, as every table shows it
            format_number(abs(read - a), 3),
            "-" if math.isnan(t) else format_number(t, 3),
            (message(WORDS[v], view), STYLES[v]),
        ]
        for k, (a, read, t, v) in enumerate(zip(verdict.answers, verdict.read, verdict.tolerances, verdict.verdicts))
    ]
    console.print(fitted(None, columns, rows, view, console.width))
    for k, hint in enumerate(verdict.hints):
        if hint:
            console.print(
                Text(f"y{k + view.index_base}: " + message("give at least {hint}", view, hint=hint_words(hint, view)))
            )
    console.print(Text(verdict_summary(verdict, view)))
