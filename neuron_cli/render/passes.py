"""A forward pass as the contract's JSON: one object per input row, every layer, neuron and connection; long
blocks filled into a template at the fast writer's speed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from ..nn.layers import LayerPass, NetworkPass
from .fast_text import write_rows
from .numbers import json_lists, json_number, json_numbers
from .view import View

if TYPE_CHECKING:  # a step's update is shown only where a training step loaded its module
    from ..nn.learning import Update

Array = np.ndarray


def json_lines(result: NetworkPass, view: View, extra: dict[str, Any] | None = None) -> str:
    """The contract's JSON object for each input row of the pass (one row, or a block of rows at once), a line each."""
    import json

    fast = _json_by_template(result, view) if extra is None else None
    if fast is not None:
        return fast
    single = result.inputs.ndim == 1

    def per_row(array: Array) -> Any:
        return json_lists(array[None] if single else array, view.digits)

    document = _documents(result, view, per_row)
    rows = 1 if single else len(result.inputs)
    return "".join(
        json.dumps({**document(r), **(extra or {})}, allow_nan=False, ensure_ascii=False) + "\n" for r in range(rows)
    )


def _documents(result: NetworkPass, view: View, per_row: Callable[[Array], Any]) -> Callable[[int], dict[str, Any]]:
    """The JSON object of row r, from each array converted once for the whole block by `per_row`."""
    d = view.digits
    updates = view.step.updates if view.step else (None,) * len(result.passes)
    layers = [_layer_lists(layer_pass, view, per_row, update) for layer_pass, update in zip(result.passes, updates)]
    inputs, outputs = per_row(result.inputs), per_row(result.outputs)
    input_gradient = per_row(result.input_gradient()) if view.grad else None

    def document(r: int) -> dict[str, Any]:
        doc: dict[str, Any] = {"inputs": inputs[r], "outputs": outputs[r], "layers": [layer(r) for layer in layers]}
        if input_gradient is not None:
            doc["input_gradient"] = input_gradient[r]
        if view.step:
            doc["targets"] = json_numbers(view.step.targets, d)
            doc["loss_function"] = view.step.loss_function.name
            doc["loss"] = json_number(float(view.step.loss), d)
            doc["learning_rate"] = json_number(view.step.rate)
            doc["rule"] = "perceptron" if view.step.perceptron else "gradient descent"
        return doc

    return document


TEMPLATE_ROWS = 32  # from this many rows on, a block's JSON is filled into a template (below)


def _json_by_template(result: NetworkPass, view: View) -> str | None:
    """A long block's JSON Lines, fast: the same objects, with every varying number written by the fast writer.

    The object of one row is built by `_documents` with a placeholder in place of each varying number, encoded
    once, and filled for each row with that row's numbers as repr() writes them. None where a number needs
    rounding or is not finite (the ordinary path writes those), or where the block is short.
    """
    import json
    import re

    if view.digits is not None or view.step is not None or result.inputs.ndim != 2:
        return None
    rows = len(result.inputs)
    if rows < TEMPLATE_ROWS:
        return None
    columns: list[Array] = []

    def placeholders(array: Array) -> Any:
        flat = array.reshape(rows, -1)
        start = sum(column.shape[1] for column in columns)
        columns.append(flat)
        numbers = np.arange(start, start + flat.shape[1]).reshape(array.shape[1:])
        return [np.vectorize(lambda k: f"\x00{k}\x00", otypes=[object])(numbers).tolist()]

    skeleton = json.dumps(_documents(result, view, placeholders)(0), allow_nan=False, ensure_ascii=False)
    values = np.hstack(columns) + 0.0
    if not np.isfinite(values).all():
        return None
    text = write_rows(values)
    if text is None:
        return None
    template = re.sub(r'"\\u0000(\d+)\\u0000"', r"{\1}", skeleton.replace("{", "{{").replace("}", "}}"))
    return "".join(template.format(*line.split(",")) + "\n" for line in text.splitlines())


def _layer_lists(
    layer_pass: LayerPass, view: View, per_row: Callable[[Array], Any], update: Update | None
) -> Callable[[int], dict[str, Any]]:
    """The layer's JSON entry for row r, from values converted once for the whole block."""
    d = view.digits
    layer = layer_pass.layer
    weights, bias = json_lists(layer.weights, d), json_lists(layer.bias, d)
    inputs, products = per_row(layer_pass.inputs), per_row(layer_pass.products)
    sums, z, values = per_row(layer_pass.weighted_sums), per_row(layer_pass.z), per_row(layer_pass.values)
    gradient = layer_pass.gradient() if view.grad else None
    slopes = {name: per_row(getattr(gradient, name)) for name in ("dz", "dw", "db", "dx")} if gradient else {}
    steps = (
        {name: json_lists(getattr(update, name), d) for name in ("dz", "dw", "db", "weights", "bias")} if update else {}
    )
    gates = layer.activation.activation.gates(layer.neurons) if layer.activation.activation.halves_layer else None

    def entry(r: int) -> dict[str, Any]:
        neurons = []
        for j in range(layer.neurons):
            neuron: dict[str, Any] = {
                "weights": weights[j],
                "bias": bias[j],
                "weighted_sum": sums[r][j],
                "z": z[r][j],
                "output": values[r][j],
                "connections": [
                    {"input": i + 1, "x": inputs[r][i], "w": weights[j][i], "product": products[r][j][i]}
                    for i in range(layer.input_size)
                ],
            }
            if gates is not None:
                neuron["role"] = "gate" if j in gates else "value"
            if slopes:
                neuron["gradient"] = {name: rows[r][j] for name, rows in slopes.items()}
            if steps:
                neuron["update"] = {name: values_[j] for name, values_ in steps.items()}
            neurons.append(neuron)
        return {
            "activation": layer.activation.label,
            "formula": layer.activation.formula,
            "neurons": neurons,
        }

    return entry
