"""Results to text: numbers, plain lines, CSV and JSON here; Rich tables, the catalogue of activations and
the verdicts of check and truth-table in the modules beside it. The only package that imports Rich; no math."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import accel
from ..core import LayerPass, NetworkPass, TrainingStep, Update

Array = np.ndarray
TABLE_DIGITS = 10  # tables are read by people: ten significant digits hide 0.30000000000000004 yet keep detail


@dataclass(frozen=True)
class View:
    """What to show besides the outputs, and how precisely."""

    digits: int | None = None
    grad: bool = False
    step: TrainingStep | None = None


# ---------------------------------------------------------------- numbers


def format_number(value: float, digits: int | None = None) -> str:
    """Shortest round-trip form (Python's repr), or `digits` significant digits; `inf`, `-inf`, `nan` as such."""
    value = float(value)
    if digits is None or not math.isfinite(value):
        return repr(value)
    return format(value, f".{digits}g")


def json_number(value: float, digits: int | None = None) -> float | str:
    """A number for strict JSON: finite ones as numbers, the rest as the strings "inf", "-inf", "nan"."""
    value = float(value)
    if not math.isfinite(value):
        return repr(value)
    return value if digits is None else float(format(value, f".{digits}g"))


def json_numbers(values: Any, digits: int | None = None) -> Any:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim == 0:
        return json_number(float(array), digits)
    return [json_numbers(item, digits) for item in array]


def join_numbers(values: Iterable[float], digits: int | None = None, separator: str = ",") -> str:
    return separator.join(format_number(value, digits) for value in values)


# ---------------------------------------------------------------- plain and CSV


def plain_lines(outputs: Array, digits: int | None = None) -> str:
    """One line per row of outputs, comma-separated, ending in a new line (empty for no rows)."""
    rows = np.asarray(outputs, dtype=np.float64)
    if rows.size == 0:
        return ""
    if digits is None:
        fast = accel.write_rows(rows.reshape(rows.shape[0], -1))
        if fast is not None:
            return fast
        # repr of a nested list writes each float in its shortest round-trip form, as repr(float) does, in C;
        # no float's repr holds "[", "]" or ", ", so the list's own punctuation can be swapped for ours.
        text = repr(rows.reshape(rows.shape[0], -1).tolist())[2:-2].replace("], [", "\n").replace(", ", ",")
    else:
        text = "\n".join(join_numbers(row, digits) for row in rows.tolist())
    return text + "\n"


def csv_header(inputs: int, outputs: int) -> str:
    return ",".join([f"x{i}" for i in range(1, inputs + 1)] + [f"y{k}" for k in range(1, outputs + 1)]) + "\n"


def csv_lines(inputs: Array, outputs: Array, digits: int | None = None) -> str:
    return plain_lines(np.hstack([np.asarray(inputs), np.asarray(outputs)]), digits)


STREAM_COLUMN = 18


def stream_table_header(inputs: int, outputs: int) -> str:
    """The header of a stream shown as one table: a row number, the inputs and the outputs, in fixed columns."""
    names = [f"x{i}" for i in range(1, inputs + 1)] + [f"y{k}" for k in range(1, outputs + 1)]
    return f"{'row':>8} " + " ".join(f"{name:>{STREAM_COLUMN}}" for name in names) + "\n"


def stream_table_lines(first: int, inputs: Array, outputs: Array, digits: int | None = None) -> str:
    shown = digits or TABLE_DIGITS
    lines = []
    for offset, row in enumerate(np.hstack([inputs, outputs]).tolist()):
        cells = " ".join(f"{format_number(v, shown):>{STREAM_COLUMN}}" for v in row)
        lines.append(f"{first + offset:>8} {cells}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- JSON


def json_lists(values: Any, digits: int | None = None) -> Any:
    """An array as nested lists for strict JSON; all at once (tolist) unless a value needs rounding or a string."""
    array = np.asarray(values, dtype=np.float64)
    if digits is None and np.isfinite(array).all():
        return array.tolist()
    return json_numbers(array, digits)


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
            doc["loss_function"] = view.step.loss_name
            doc["loss"] = json_number(view.step.loss, d)
            doc["learning_rate"] = json_number(view.step.rate)
            doc["rule"] = "perceptron" if view.step.perceptron else "gradient descent"
        return doc

    return document


TEMPLATE_ROWS = 256  # from this many rows on, a block's JSON is filled into a template (below)


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
    values = np.hstack(columns)
    if not np.isfinite(values).all():
        return None
    text = accel.write_rows(values)
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
    half = layer.neurons // 2 if layer.activation.name == "glu" else None

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
            if half is not None:
                neuron["role"] = "value" if j < half else "gate"
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
