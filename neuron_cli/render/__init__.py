"""Results to text: numbers, plain lines, CSV and JSON here; Rich tables, the catalogue of activations and
the verdicts of check and truth-table in the modules beside it. The only package that imports Rich; no math."""

from __future__ import annotations

import math
from collections.abc import Iterable
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
        spec = f".{digits}g"
        text = "\n".join(
            ",".join(format(v, spec) if math.isfinite(v) else repr(v) for v in row) for row in rows.tolist()
        )
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


def document(result: NetworkPass, view: View) -> dict[str, Any]:
    """Everything about one input row as the contract's JSON object."""
    d = view.digits
    doc: dict[str, Any] = {"inputs": json_numbers(result.inputs, d), "outputs": json_numbers(result.outputs, d)}
    updates = view.step.updates if view.step else (None,) * len(result.passes)
    doc["layers"] = [_layer_document(layer_pass, view, update) for layer_pass, update in zip(result.passes, updates)]
    if view.grad:
        doc["input_gradient"] = json_numbers(result.input_gradient(), d)
    if view.step:
        doc["targets"] = json_numbers(view.step.targets, d)
        doc["loss_function"] = view.step.loss_name
        doc["loss"] = json_number(view.step.loss, d)
        doc["learning_rate"] = json_number(view.step.rate)
        doc["rule"] = "perceptron" if view.step.perceptron else "gradient descent"
    return doc


def _layer_document(layer_pass: LayerPass, view: View, update: Update | None) -> dict[str, Any]:
    d = view.digits
    layer = layer_pass.layer
    gradient = layer_pass.gradient() if view.grad else None
    neurons = []
    for j in range(layer.neurons):
        neuron: dict[str, Any] = {
            "weights": json_numbers(layer.weights[j], d),
            "bias": json_number(layer.bias[j], d),
            "weighted_sum": json_number(layer_pass.weighted_sums[j], d),
            "z": json_number(layer_pass.z[j], d),
            "output": json_number(layer_pass.values[j], d),
            "connections": [
                {
                    "input": i + 1,
                    "x": json_number(layer_pass.inputs[i], d),
                    "w": json_number(layer.weights[j, i], d),
                    "product": json_number(layer_pass.products[j, i], d),
                }
                for i in range(layer.input_size)
            ],
        }
        if layer.activation.name == "glu":
            neuron["role"] = "value" if j < layer.neurons // 2 else "gate"
        if gradient is not None:
            neuron["gradient"] = {
                name: json_numbers(getattr(gradient, name)[j], d) for name in ("dz", "dw", "db", "dx")
            }
        if update is not None:
            neuron["update"] = {
                name: json_numbers(getattr(update, name)[j], d) for name in ("dz", "dw", "db", "weights", "bias")
            }
        neurons.append(neuron)
    return {"activation": layer.activation.label, "formula": layer.activation.activation.formula, "neurons": neurons}


def json_line(result: NetworkPass, view: View, extra: dict[str, Any] | None = None) -> str:
    import json

    return json.dumps({**document(result, view), **(extra or {})}, allow_nan=False, ensure_ascii=False) + "\n"
