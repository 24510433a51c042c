"""Results to text, the one home of output: numbers, plain lines, CSV and JSON here; Rich tables, the catalogue
of activations and the verdicts in the modules beside it; `writers.py` holds the one table of writers, keyed
by the kind of result and the format, that `write` looks in. The only package that imports Rich; no math."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import IO, Any

import numpy as np

from .. import accel
from ..core import LayerPass, NetworkPass, TrainingStep, Update

Array = np.ndarray
TABLE_DIGITS = 10  # tables are read by people: ten significant digits hide 0.30000000000000004 yet keep detail


class Format(str, Enum):
    """Every output format; each kind of result has writers for some of them (see writers.py)."""

    table = "table"
    json = "json"
    csv = "csv"
    plain = "plain"
    junit = "junit"
    gradescope = "gradescope"


@dataclass(frozen=True)
class View:
    """How to show a result: what besides the outputs, how precisely, and to whom."""

    digits: int | None = None  # significant digits; None: full precision (machine formats), 10 (tables)
    grad: bool = False
    step: TrainingStep | None = None
    explain: bool = False
    index_base: int = 1  # how inputs, weights and neurons are numbered for a person (x1.. or x0..)
    lang: str = "en"
    color: bool | None = None  # None: colour on a terminal unless NO_COLOR says otherwise
    width: int | None = None  # None: the terminal's, or PIPED_WIDTH into a pipe
    title: str | None = None  # a heading above the result (one row of several)


def write(kind: str, result: Any, view: View, chosen: Format, out: IO[str]) -> None:
    """Write a result of this kind in the chosen format: the one way every command produces output.

    Machine formats are byte for byte the same in every language: only a table is written in the reader's.
    """
    from dataclasses import replace

    from .writers import writer_for

    shown = view if chosen is Format.table else replace(view, lang="en")
    writer_for(kind, chosen, shown)(result, shown, out)


def check(kind: str, chosen: Format, view: View) -> None:
    """Refuse, before any work is done, a format this kind of result has no writer for, or a view it cannot show."""
    from .writers import writer_for

    writer_for(kind, chosen, view)


# ---------------------------------------------------------------- numbers


def format_number(value: float, digits: int | None = None) -> str:
    """Shortest round-trip form (Python's repr), or `digits` significant digits; `inf`, `-inf`, `nan` as such."""
    value = float(value) + 0.0  # -0.0 + 0.0 is 0.0: a minus sign on zero tells a reader nothing
    if digits is None or not math.isfinite(value):
        return repr(value)
    text = format(value, f".{digits}g")
    if math.isinf(float(text)):  # 1.8e308 to 1 digit is 2e+308, which reads back as inf: keep every digit
        return repr(value)
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def json_number(value: float, digits: int | None = None) -> float | str:
    """A number for strict JSON: finite ones as numbers, the rest as the strings "inf", "-inf", "nan"."""
    value = float(value) + 0.0
    if not math.isfinite(value):
        return repr(value)
    if digits is None:
        return value
    rounded = float(format(value, f".{digits}g"))
    return value if math.isinf(rounded) else rounded + 0.0  # 1.8e308 to 1 digit would be 2e308, beyond a float


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
    rows = np.asarray(outputs, dtype=np.float64) + 0.0  # no -0.0
    if rows.size == 0:
        return ""
    if digits is None:
        fast = accel.write_rows(rows.reshape(rows.shape[0], -1))
        if fast is not None:
            return fast
        # repr of a list writes each float in its shortest round-trip form, as repr(float) does, in C; no float's
        # repr holds "[", "]" or ", ", so the list's own punctuation can be swapped for ours. One column: a flat
        # list, half the work of a list of one-element lists.
        table = rows.reshape(rows.shape[0], -1)
        if table.shape[1] == 1:
            text = repr(table.ravel().tolist())[1:-1].replace(", ", "\n")
        else:
            text = repr(table.tolist())[2:-2].replace("], [", "\n").replace(", ", ",")
    else:
        text = "\n".join(join_numbers(row, digits) for row in rows.tolist())
    return text + "\n"


def csv_header(inputs: int, outputs: int) -> str:
    return ",".join([f"x{i}" for i in range(1, inputs + 1)] + [f"y{k}" for k in range(1, outputs + 1)]) + "\n"


def csv_lines(inputs: Array, outputs: Array, digits: int | None = None) -> str:
    return plain_lines(np.hstack([np.asarray(inputs), np.asarray(outputs)]), digits)


# ---------------------------------------------------------------- JSON


def json_lists(values: Any, digits: int | None = None) -> Any:
    """An array as nested lists for strict JSON; all at once (tolist) unless a value needs rounding or a string."""
    array = np.asarray(values, dtype=np.float64) + 0.0  # no -0.0
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
