"""The verdicts of `check` (each output against its expected value) and of `truth-table` (rows against a gate)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..core import TruthTable, Verdict
from . import TABLE_DIGITS, format_number, join_numbers, json_number, json_numbers

if TYPE_CHECKING:
    from rich.console import Console


def verdict_json(verdict: Verdict) -> str:
    outputs = [
        {
            "output": k + 1,
            "expected": json_number(e),
            "got": json_number(g),
            "difference": json_number(d),
            "tolerance": json_number(t),
            "pass": bool(m),
        }
        for k, (e, g, d, t, m) in enumerate(
            zip(verdict.expected, verdict.got, verdict.differences, verdict.tolerances, verdict.matches)
        )
    ]
    return json.dumps({"pass": verdict.passed, "outputs": outputs}, allow_nan=False) + "\n"


def verdict_text(verdict: Verdict) -> str:
    lines = []
    for k, (e, g, d, t, m) in enumerate(
        zip(verdict.expected, verdict.got, verdict.differences, verdict.tolerances, verdict.matches)
    ):
        lines.append(
            f"output {k + 1}: expected {format_number(e)}, got {format_number(g)}, off by {format_number(d, 3)} "
            f"(allowed {format_number(t, 3)}): {'PASS' if m else 'FAIL'}"
        )
    rule = "half a unit of the last decimal written" if verdict.from_decimals else "--tol"
    count = len(verdict.expected)
    failed = int(count - verdict.matches.sum())
    if count == 1:
        summary = "the output matches" if verdict.passed else "the output does not match"
    else:
        summary = f"all {count} outputs match" if verdict.passed else f"{failed} of {count} outputs do not match"
    lines.append(f"{summary} (tolerance: {rule})")
    return "\n".join(lines) + "\n"


def verdict_table(verdict: Verdict, console: Console) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table()
    for header in ("output", "expected", "got", "difference", "allowed", "verdict"):
        table.add_column(header, justify="left" if header in ("output", "verdict") else "right", overflow="fold")
    for k, (e, g, d, t, m) in enumerate(
        zip(verdict.expected, verdict.got, verdict.differences, verdict.tolerances, verdict.matches)
    ):
        table.add_row(
            f"y{k + 1}",
            format_number(e),
            format_number(g),
            format_number(d, 3),
            format_number(t, 3),
            Text("PASS", style="green") if m else Text("FAIL", style="bold red"),
        )
    console.print(table)
    console.print(Text(verdict_text(verdict).splitlines()[-1]))


# ---------------------------------------------------------------- truth tables


def truth_notes(table: TruthTable) -> list[str]:
    """What a reader should know beside the rows: how firing is counted, the gate's verdict, why XOR fails."""
    notes = []
    if table.activation != "step":
        notes.append(f"{table.activation} is not a step: an output of 0.5 or more counts as 1")
    if table.gate is not None:
        count = int(table.mismatches.sum())
        notes.append(
            f"it is {table.gate.upper()} on every row"
            if table.passed
            else f"{count} of {len(table.inputs)} rows differ from {table.gate.upper()}"
        )
        if table.gate in ("xor", "xnor") and not table.passed and table.layers == 1:
            notes.append(
                f"no single neuron can draw {table.gate.upper()}: one straight line (w.x + b = 0) cannot put "
                "its 1s on one side and its 0s on the other. That is why networks stack layers: two neurons "
                "and a third on top can (see --model)."
            )
    return notes


def truth_json(table: TruthTable, digits: int | None) -> str:
    lines = []
    for r in range(len(table.inputs)):
        row: dict[str, Any] = {
            "inputs": [int(v) for v in table.inputs[r]],
            "outputs": json_numbers(table.outputs[r], digits),
            "fires": [int(v) for v in table.fires[r]],
        }
        if table.expected is not None:
            row["expected"] = int(table.expected[r])
            row["match"] = not bool(table.mismatches[r])
        lines.append(json.dumps(row, allow_nan=False))
    return "\n".join(lines) + "\n"


def truth_csv(table: TruthTable, digits: int | None) -> str:
    n, k = table.inputs.shape[1], table.outputs.shape[1]
    header = [f"x{i + 1}" for i in range(n)] + [f"y{j + 1}" for j in range(k)] + [f"fires{j + 1}" for j in range(k)]
    if table.expected is not None:
        header += [table.gate or "expected", "match"]
    lines = [",".join(header)]
    for r in range(len(table.inputs)):
        cells = [str(int(v)) for v in table.inputs[r]] + [format_number(v, digits) for v in table.outputs[r]]
        cells += [str(int(v)) for v in table.fires[r]]
        if table.expected is not None:
            cells += [str(int(table.expected[r])), "no" if table.mismatches[r] else "yes"]
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def truth_text(table: TruthTable, digits: int | None) -> str:
    lines = []
    for r in range(len(table.inputs)):
        text = f"{' '.join(str(int(v)) for v in table.inputs[r])} -> {join_numbers(table.outputs[r], digits)}"
        if table.expected is not None:
            text += f"  ({table.gate} {int(table.expected[r])}{', DIFFERS' if table.mismatches[r] else ''})"
        lines.append(text)
    return "\n".join(lines + [f"# {note}" for note in truth_notes(table)]) + "\n"


def truth_rich(table: TruthTable, digits: int | None, console: Console) -> None:
    from rich.table import Table
    from rich.text import Text

    shown = digits or TABLE_DIGITS
    grid = Table()
    n, k = table.inputs.shape[1], table.outputs.shape[1]
    for i in range(n):
        grid.add_column(f"x{i + 1}", justify="center", overflow="fold")
    for j in range(k):
        grid.add_column(f"y{j + 1}", justify="right", overflow="fold")
    if table.activation != "step":
        for j in range(k):
            grid.add_column(f"fires{j + 1}" if k > 1 else "fires", justify="center", overflow="fold")
    if table.expected is not None:
        grid.add_column(table.gate or "", justify="center", overflow="fold")
        grid.add_column("", justify="left", overflow="fold")
    for r in range(len(table.inputs)):
        cells: list[Any] = [str(int(v)) for v in table.inputs[r]]
        cells += [format_number(v, shown) for v in table.outputs[r]]
        if table.activation != "step":
            cells += [str(int(v)) for v in table.fires[r]]
        if table.expected is not None:
            cells.append(str(int(table.expected[r])))
            cells.append(Text("differs", style="bold red") if table.mismatches[r] else Text("ok", style="green"))
        grid.add_row(*cells)
    console.print(grid)
    for note in truth_notes(table):
        console.print(Text(note))
