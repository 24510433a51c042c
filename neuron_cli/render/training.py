"""A training run's report: a line per epoch (JSON Lines, CSV), the final loss (plain), or a table of epochs
and the trained weights."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import IO, Any

from ..i18n import message
from .numbers import format_number, json_number
from .view import View


@dataclass
class TrainingPart:
    """Epochs of a training run as they end; the last part carries the trained network and how it ended."""

    epochs: list[Any]  # training.Epoch
    first: bool
    last: bool = False
    network: Any = None  # core.Network, on the last part
    perceptron: bool = False
    converged: bool = False
    ran: int = 0  # epochs run (the perceptron may stop early)
    document: dict[str, Any] = field(default_factory=dict)  # the trained model in model-file form


def epoch_document(epoch: Any, view: View) -> dict[str, Any]:
    doc: dict[str, Any] = {"epoch": epoch.number, "loss": json_number(epoch.loss, view.digits)}
    if epoch.accuracy is not None:
        doc["accuracy"] = json_number(epoch.accuracy, view.digits)
    if epoch.mistakes is not None:
        doc["mistakes"] = epoch.mistakes
    return doc


def training_json(part: TrainingPart, view: View, out: IO[str]) -> None:
    lines = [json.dumps(epoch_document(epoch, view), allow_nan=False) for epoch in part.epochs]
    if part.last:
        final: dict[str, Any] = {"model": part.document}
        if part.perceptron:
            final["converged"] = part.converged
            final["epochs"] = part.ran
        lines.append(json.dumps(final, allow_nan=False))
    if lines:
        out.write("\n".join(lines) + "\n")


def training_csv(part: TrainingPart, view: View, out: IO[str]) -> None:
    lines = []
    accuracy = any(epoch.accuracy is not None for epoch in part.epochs)
    if part.first:
        lines.append("epoch,loss" + (",accuracy" if accuracy or not part.epochs else ""))
    for epoch in part.epochs:
        cells = [str(epoch.number), format_number(epoch.loss, view.digits)]
        if epoch.accuracy is not None:
            cells.append(format_number(epoch.accuracy, view.digits))
        lines.append(",".join(cells))
    if lines:
        out.write("\n".join(lines) + "\n")


def training_plain(part: TrainingPart, view: View, out: IO[str]) -> None:
    if part.last and part.epochs:
        out.write(format_number(part.epochs[-1].loss, view.digits) + "\n")


def ending(part: TrainingPart, view: View) -> str:
    count = part.ran
    if part.perceptron:
        if part.converged:
            return message("converged after {count} epochs (an epoch without a mistake)", view, count=count)
        return message("did not converge in {count} epochs", view, count=count)
    return message("trained for {count} epochs", view, count=count)


def training_table(part: TrainingPart, view: View, out: IO[str]) -> None:
    """The epochs (of a long run: the first, the last and evenly spaced ones), how it ended, the trained weights."""
    from rich.text import Text

    from .console import Column, fitted, make_console

    console = make_console(out, color=view.color, width=view.width)
    width = console.width
    columns = [Column(message("epoch", view), key=True), Column(message("loss", view))]
    accuracy = any(epoch.accuracy is not None for epoch in part.epochs)
    mistakes = part.perceptron
    if accuracy:
        columns.append(Column(message("accuracy", view)))
    if mistakes:
        columns.append(Column(message("mistakes", view)))
    rows: list[list[Any]] = []
    for epoch in part.epochs:
        row: list[Any] = [str(epoch.number), float(epoch.loss)]
        if accuracy:
            row.append(float(epoch.accuracy) if epoch.accuracy is not None else "")
        if mistakes:
            row.append(float(epoch.mistakes))  # a count, right-aligned as the numbers beside it
        rows.append(row)
    shown = len(part.epochs)
    total = part.ran
    heading = message("epochs", view) + (
        f" ({message('{shown} of {total} shown', view, shown=shown, total=total)})" if shown < total else ""
    )
    console.print(fitted(heading, columns, rows, view, width))
    console.print(Text(ending(part, view), style="bold"))
    if part.network is None:
        return
    base = view.index_base
    for number, layer in enumerate(part.network.layers, start=1):
        layer_columns = [Column(message("neuron", view), key=True)]
        layer_columns += [Column(f"w{i + base}") for i in range(layer.input_size)]
        if layer.use_bias:
            layer_columns.append(Column(message("bias", view)))
        layer_rows: list[list[Any]] = [
            [f"n{j + base}", *map(float, layer.weights[j]), *([float(layer.bias[j])] if layer.use_bias else [])]
            for j in range(layer.neurons)
        ]
        title = message(
            "trained weights, layer {number} ({activation})", view, number=number, activation=layer.activation.label
        )
        console.print(fitted(title, layer_columns, layer_rows, view, width))
