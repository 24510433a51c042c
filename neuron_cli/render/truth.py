"""Truth tables: each 0/1 row's outputs, where the neuron fires, and where it differs from a gate."""

from __future__ import annotations

import json
from typing import IO, Any

from ..i18n import message
from ..nn.truth import TruthTable
from .numbers import format_number, join_numbers, json_numbers
from .view import View


def truth_notes(table: TruthTable, view: View) -> list[str]:
    """What a reader should know beside the rows: how firing is counted, the gate's verdict, why XOR fails."""
    notes = []
    if not table.own_rule:
        notes.append(
            message(
                "{activation} is not a step: an output of 0.5 or more counts as 1", view, activation=table.activation
            )
        )
    if table.gate is not None:
        gate = table.gate.upper()
        rows = len(table.inputs)
        outputs = table.outputs.shape[1]
        differ = table.output_mismatches
        for k in range(outputs):
            name = f"y{k + view.index_base}: " if outputs > 1 else ""
            count = int(differ[:, k].sum())
            notes.append(
                name + message("it is {gate} on every row", view, gate=gate)
                if not count
                else name
                + message("{count} of {rows} rows differ from {gate}", view, count=count, rows=rows, gate=gate)
            )
        if outputs > 1:
            gates = [f"y{k + view.index_base}" for k in range(outputs) if not differ[:, k].any()]
            notes.append(
                message(
                    "{which} of {count} outputs are {gate}: {names}",
                    view,
                    which=len(gates),
                    count=outputs,
                    gate=gate,
                    names=", ".join(gates) or "-",
                )
            )
        if table.gate in ("xor", "xnor") and not table.passed and table.layers == 1:
            notes.append(
                message(
                    "no single neuron can draw {gate}: one straight line (w.x + b = 0) cannot put its 1s on one side "
                    "and its 0s on the other. That is why networks stack layers: two neurons and a third on top can "
                    "(see --model).",
                    view,
                    gate=gate,
                )
            )
    return notes


def truth_json(table: TruthTable, view: View, out: IO[str]) -> None:
    lines = []
    for r in range(len(table.inputs)):
        row: dict[str, Any] = {
            "inputs": [int(v) for v in table.inputs[r]],
            "outputs": json_numbers(table.outputs[r], view.digits),
            "fires": [int(v) for v in table.fires[r]],
        }
        if table.expected is not None:
            row["expected"] = int(table.expected[r])
            row["match"] = not bool(table.mismatches[r])
        lines.append(json.dumps(row, allow_nan=False))
    out.write("\n".join(lines) + "\n")


def truth_csv(table: TruthTable, view: View, out: IO[str]) -> None:
    n, k = table.inputs.shape[1], table.outputs.shape[1]
    header = [f"x{i + 1}" for i in range(n)] + [f"y{j + 1}" for j in range(k)] + [f"fires{j + 1}" for j in range(k)]
    if table.expected is not None:
        header += [table.gate or "expected", "match"]
    lines = [",".join(header)]
    for r in range(len(table.inputs)):
        cells = [str(int(v)) for v in table.inputs[r]] + [format_number(v, view.digits) for v in table.outputs[r]]
        cells += [str(int(v)) for v in table.fires[r]]
        if table.expected is not None:
            cells += [str(int(table.expected[r])), "no" if table.mismatches[r] else "yes"]
        lines.append(",".join(cells))
    out.write("\n".join(lines) + "\n")


def truth_text(table: TruthTable, view: View, out: IO[str]) -> None:
    lines = []
    for r in range(len(table.inputs)):
        text = f"{' '.join(str(int(v)) for v in table.inputs[r])} -> {join_numbers(table.outputs[r], view.digits)}"
        if table.expected is not None:
            differs = f", {message('DIFFERS', view)}" if table.mismatches[r] else ""
            text += f"  ({table.gate} {int(table.expected[r])}{differs})"
        lines.append(text)
    out.write("\n".join(lines + [f"# {note}" for note in truth_notes(table, view)]) + "\n")


def truth_rich(table: TruthTable, view: View, out: IO[str]) -> None:
    from rich.text import Text

    from .console import Column, fitted, make_console

    console = make_console(out, color=view.color, width=view.width)
    n, k = table.inputs.shape[1], table.outputs.shape[1]
    base = view.index_base
    columns = [Column(f"x{i + base}", key=True) for i in range(n)] + [Column(f"y{j + base}") for j in range(k)]
    if not table.own_rule:
        columns += [Column(message("fires", view) + (f"{j + base}" if k > 1 else "")) for j in range(k)]
    if table.expected is not None:
        columns += [Column(table.gate or ""), Column(message("verdict", view))]
    rows: list[list[Any]] = []
    for r in range(len(table.inputs)):
        cells: list[Any] = [str(int(v)) for v in table.inputs[r]]
        cells += [float(v) for v in table.outputs[r]]
        if not table.own_rule:
            cells += [str(int(v)) for v in table.fires[r]]
        if table.expected is not None:
            cells.append(str(int(table.expected[r])))
            cells.append(
                (message("differs", view), "bold red") if table.mismatches[r] else (message("ok", view), "green")
            )
        rows.append(cells)
    console.print(fitted(None, columns, rows, view, console.width))
    for note in truth_notes(table, view):
        console.print(Text(note))
