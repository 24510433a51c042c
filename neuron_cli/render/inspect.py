"""A model file's layers as Keras's `model.summary()` shows them, or converted to a neuron model file."""

from __future__ import annotations

import json
from typing import IO, Any

from ..i18n import message
from ..io.models import summary_document
from .answers import printable
from .view import View


def _rows(model: Any) -> list[list[Any]]:
    rows = []
    for layer in model.layers:
        where = f"{layer.within}/" if layer.within else ""
        shape = "?" if layer.output_shape is None else "(" + ", ".join(["None", *map(str, layer.output_shape)]) + ")"
        name = printable(f"{where}{layer.name} ({layer.class_name})")  # a model file's text: escapes shown, not run
        rows.append([name, shape, str(layer.params), layer.activation or "-"])
    return rows


def _totals(model: Any, view: View) -> str:
    shape = model.input_shape
    inputs = "?" if shape is None else " x ".join(map(str, shape))
    return message(
        "inputs: {inputs}; total params: {params} (trainable {trainable}, non-trainable {frozen}; {dtype} weights)",
        view,
        inputs=inputs,
        params=model.params,
        trainable=model.trainable,
        frozen=model.params - model.trainable,
        dtype=model.dtype,
    )


def inspect_table(model: Any, view: View, out: IO[str]) -> None:
    from rich.text import Text

    from .console import Column, fitted, make_console

    console = make_console(out, color=view.color, width=view.width)
    columns = [Column(message("Layer (type)", view), key=True), Column(message("Output Shape", view), key=True)]
    columns += [Column(message("Param #", view)), Column(message("activation", view), key=True)]
    console.print(
        fitted(message("Model: {name}", view, name=printable(model.name)), columns, _rows(model), view, console.width)
    )
    console.print(Text(_totals(model, view)))


def inspect_plain(model: Any, view: View, out: IO[str]) -> None:
    lines = ["\t".join(row) for row in _rows(model)]
    out.write("\n".join([*lines, _totals(model, view)]) + "\n")


def inspect_json(model: Any, view: View, out: IO[str]) -> None:
    """The model as a neuron model file (what compute --model reads)."""
    out.write(json.dumps(summary_document(model), indent=2, allow_nan=False) + "\n")
