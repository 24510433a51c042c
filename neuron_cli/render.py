"""Results to text: Rich tables, JSON, CSV and plain lines; the only module that imports Rich; does no math."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

import numpy as np

from . import accel
from .activations import REGISTRY, Activation, bind, format_value
from .core import Gradient, LayerPass, NetworkPass, TrainingStep, Update

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

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


def _layer_document(layer_pass: LayerPass, view: View, update: Any) -> dict[str, Any]:
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
                "dz": json_number(gradient.dz[j], d),
                "dw": json_numbers(gradient.dw[j], d),
                "db": json_number(gradient.db[j], d),
                "dx": json_numbers(gradient.dx[j], d),
            }
        if update is not None:
            neuron["update"] = {
                "dz": json_number(update.dz[j], d),
                "dw": json_numbers(update.dw[j], d),
                "db": json_number(update.db[j], d),
                "weights": json_numbers(update.weights[j], d),
                "bias": json_number(update.bias[j], d),
            }
        neurons.append(neuron)
    return {"activation": layer.activation.label, "formula": layer.activation.activation.formula, "neurons": neurons}


def json_line(result: NetworkPass, view: View, extra: dict[str, Any] | None = None) -> str:
    return json.dumps({**document(result, view), **(extra or {})}, allow_nan=False, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------- Rich tables


def make_console(file: IO[str], color: bool | None = None, width: int | None = None, record: bool = False) -> Console:
    """A console that reads nothing as markup and draws ASCII where the encoding cannot show box lines."""
    from rich.console import Console

    return Console(
        file=file,
        markup=False,
        emoji=False,
        highlight=False,
        no_color=color is False,
        force_terminal=None,
        width=width,
        safe_box=True,
        record=record,
    )


def unicode_ok(console: Console) -> bool:
    return console.encoding.lower().replace("-", "").startswith("utf")


def per_connection_table(
    layer_pass: LayerPass, view: View, heading: str, columns: tuple[str, ...], values: Callable[[int, int], list[float]]
) -> RenderableType:
    """A table with a row per connection (input i to neuron j): its names, then `values(j, i)` in `columns`."""
    from rich.table import Table

    layer = layer_pass.layer
    digits = view.digits or TABLE_DIGITS
    table = Table()
    table.add_column("input")
    table.add_column("neuron")
    for header in columns:
        table.add_column(header, justify="right")
    for j in range(layer.neurons):
        for i in range(layer.input_size):
            table.add_row(
                f"x{i + 1}",
                f"n{j + 1}",
                *(format_number(value, digits) for value in values(j, i)),
                end_section=i == layer.input_size - 1 and j != layer.neurons - 1,
            )
    return headed(heading, table)


def connection_table(layer_pass: LayerPass, view: View, title: str) -> RenderableType:
    layer = layer_pass.layer
    heading = (
        f"{title}connections: {layer.input_size} input{'s' if layer.input_size != 1 else ''} x "
        f"{layer.neurons} neuron{'s' if layer.neurons != 1 else ''} = {layer.input_size * layer.neurons}"
    )
    return per_connection_table(
        layer_pass,
        view,
        heading,
        ("x", "w", "x*w"),
        lambda j, i: [layer_pass.inputs[i], layer.weights[j, i], layer_pass.products[j, i]],
    )


def headed(heading: str, table: RenderableType, footer: str | None = None) -> RenderableType:
    """A table with its heading (and footer) as lines of their own, which wrap with the terminal, not the table."""
    from rich.console import Group
    from rich.text import Text

    parts: list[RenderableType] = [Text(heading, style="bold"), table]
    if footer:
        parts.append(Text(footer))
    return Group(*parts)


def neuron_table(layer_pass: LayerPass, view: View, title: str, update: Any = None) -> RenderableType:
    from rich.table import Table

    layer = layer_pass.layer
    digits = view.digits or TABLE_DIGITS
    spec = layer.activation
    table = Table()
    columns = ["neuron", "sum(x*w)", "bias", "z", "f(z)"]
    gradient: Gradient | None = layer_pass.gradient() if view.grad else None
    if gradient is not None:
        columns.append("f'(z)")
    if update is not None:
        columns += ["dL/dz", "new bias"]
    for header in columns:
        table.add_column(header, justify="left" if header == "neuron" else "right")
    for j in range(layer.neurons):
        label = f"n{j + 1}" + (" (gate)" if spec.name == "glu" and j >= layer.neurons // 2 else "")
        row = [
            label,
            format_number(layer_pass.weighted_sums[j], digits),
            format_number(layer.bias[j], digits),
            format_number(layer_pass.z[j], digits),
            format_number(layer_pass.values[j], digits),
        ]
        if gradient is not None:
            row.append(format_number(gradient.dz[j], digits))
        if update is not None:
            row += [format_number(update.dz[j], digits), format_number(update.bias[j], digits)]
        table.add_row(*row)
    return headed(f"{title}neurons: f = {spec.label}", table, f"f(z) = {spec.activation.formula}")


def gradient_table(layer_pass: LayerPass, view: View, title: str) -> RenderableType:
    gradient = layer_pass.gradient()
    return per_connection_table(
        layer_pass,
        view,
        f"{title}gradient of each neuron's output",
        ("d out/d w", "d out/d x"),
        lambda j, i: [gradient.dw[j, i], gradient.dx[j, i]],
    )


def update_table(layer_pass: LayerPass, view: View, title: str, update: Update) -> RenderableType:
    weights = layer_pass.layer.weights
    return per_connection_table(
        layer_pass,
        view,
        f"{title}weight updates",
        ("w", "dL/dw", "new w"),
        lambda j, i: [weights[j, i], update.dw[j, i], update.weights[j, i]],
    )


def neuron_picture(layer_pass: LayerPass, view: View, fancy: bool) -> str:
    """A single neuron drawn as in a textbook: inputs and weights flow into the sum, then the activation."""
    digits = view.digits or TABLE_DIGITS
    layer = layer_pass.layer
    dash, arrow = ("─", "►") if fancy else ("-", ">")
    top, middle, bottom, only, centre_joint = ("┐", "┤", "┘", "─", "┼") if fancy else ("\\", "|", "/", "-", "+")
    n = layer.input_size
    left = [f"x{i + 1} = {format_number(layer_pass.inputs[i], digits)}" for i in range(n)]
    weights = [f"w{i + 1} = {format_number(layer.weights[0, i], digits)}" for i in range(n)]
    left_width, weight_width = max(map(len, left)), max(map(len, weights))
    centre = n // 2
    total, bias, z, y = (
        format_number(value, digits)
        for value in (layer_pass.weighted_sums[0], layer.bias[0], layer_pass.z[0], layer_pass.values[0])
    )
    sum_text = f"{dash}{arrow} z = {total} + {bias} = {z} {dash}{arrow} {layer.activation.label} {dash}{arrow} {y}"
    lines = []
    for i in range(n):
        joint = only if n == 1 else top if i == 0 else bottom if i == n - 1 else centre_joint if i == centre else middle
        line = f"  {left[i]:<{left_width}} {dash}[ {weights[i]:<{weight_width}} ]{dash}{joint}"
        lines.append(line + (sum_text if i == centre else ""))
    return "\n".join(lines)


def render_table(result: NetworkPass, view: View, console: Console) -> None:
    from rich.text import Text

    many = len(result.passes) > 1
    updates = view.step.updates if view.step else (None,) * len(result.passes)
    for number, (layer_pass, update) in enumerate(zip(result.passes, updates), start=1):
        title = f"Layer {number} of {len(result.passes)}: " if many else ""
        if many:
            console.rule(Text(f"Layer {number}: {layer_pass.layer.activation.label}"))
        if layer_pass.layer.neurons == 1 and not many:
            console.print(Text(neuron_picture(layer_pass, view, unicode_ok(console))), soft_wrap=True)
            console.print()
        console.print(connection_table(layer_pass, view, title))
        console.print(neuron_table(layer_pass, view, title, update))
        if view.grad:
            console.print(gradient_table(layer_pass, view, title))
        if update is not None:
            console.print(update_table(layer_pass, view, title, update))
    digits = view.digits or TABLE_DIGITS
    console.print(Text(f"outputs: {join_numbers(result.outputs, digits, ', ')}", style="bold"))
    if view.grad and many:
        gradient = result.input_gradient()
        rows = "; ".join(join_numbers(row, digits, ", ") for row in gradient)
        console.print(Text(f"d outputs / d inputs (a row per output): {rows}"))
    if view.step:
        console.print(
            Text(
                f"loss ({view.step.loss_name}) before the step: {format_number(view.step.loss, digits)}; "
                f"rule: {'perceptron' if view.step.perceptron else 'gradient descent'}, "
                f"learning rate {format_number(view.step.rate)}"
            )
        )


# ---------------------------------------------------------------- the activation catalogue

SAMPLE_Z = (-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0)
SAMPLE_LAYER_Z = (1.0, 2.0, 3.0, 4.0)  # layer-wide activations are shown on one whole vector


def activation_document(activation: Activation) -> dict[str, Any]:
    spec = None if any(p.required for p in activation.params) else bind(activation, {})
    doc: dict[str, Any] = {
        "name": activation.name,
        "aliases": list(activation.aliases),
        "formula": activation.formula,
        "derivative": activation.derivative_formula,
        "range": activation.output_range,
        "acts_on": "layer" if activation.layerwise else "neuron",
        "summary": activation.summary,
        "parameters": [
            {"name": p.name, "default": None if p.required else p.default, "required": p.required, "help": p.help}
            for p in activation.params
        ],
    }
    if spec is not None:
        z = np.array(SAMPLE_LAYER_Z if activation.layerwise else SAMPLE_Z)
        doc["samples"] = {"z": json_numbers(z), "f(z)": json_numbers(spec(z))}
        if not activation.layerwise:
            doc["samples"]["f'(z)"] = json_numbers(spec.derivative(z))
    return doc


def write_activation_list(chosen: str, out: IO[str]) -> None:
    if chosen == "json":
        out.write(json.dumps([activation_document(a) for a in REGISTRY], ensure_ascii=False, allow_nan=False) + "\n")
    elif chosen in ("plain", "csv"):
        for a in REGISTRY:
            out.write(f"{a.name}\t{','.join(a.aliases)}\t{a.formula}\t{a.output_range}\n")
    else:
        from rich.table import Table

        table = Table(
            title=f"{len(REGISTRY)} activations (Keras 3 names; `neuron activations NAME` for one)",
            title_justify="left",
        )
        for header in ("name", "aliases", "f(z)", "range", "acts on"):
            table.add_column(header)
        for a in REGISTRY:
            table.add_row(a.name, ", ".join(a.aliases), a.formula, a.output_range, "layer" if a.layerwise else "neuron")
        make_console(out).print(table)


def write_activation(activation: Activation, chosen: str, out: IO[str]) -> None:
    doc = activation_document(activation)
    if chosen == "json":
        out.write(json.dumps(doc, ensure_ascii=False, allow_nan=False) + "\n")
        return
    lines = [
        f"{activation.name}" + (f" (also: {', '.join(activation.aliases)})" if activation.aliases else ""),
        activation.summary,
        f"f(z)  = {activation.formula}",
        f"f'(z) = {activation.derivative_formula}",
        f"range: {activation.output_range}",
        f"acts on: {'the whole layer (all z together)' if activation.layerwise else 'each neuron on its own z'}",
    ]
    if activation.params:
        lines.append("parameters:")
        for p in activation.params:
            default = "required" if p.required else f"default {format_value(p.default)}"
            lines.append(f"  {p.name} ({default}): {p.help}")
        example = ",".join(f"{p.name}={format_value(p.default if not p.required else 0.0)}" for p in activation.params)
        lines.append(f"  e.g. -a {activation.name}:{example}")
    else:
        lines.append("parameters: none")
    samples = doc.get("samples")
    if samples:
        lines.append("samples:" if not activation.layerwise else f"sample: the layer's z = {list(SAMPLE_LAYER_Z)}")
        if activation.layerwise:
            lines.append(
                "  f(z) = " + ", ".join(format_number(v, 6) if isinstance(v, float) else v for v in samples["f(z)"])
            )
        else:
            lines.append(f"  {'z':>6}  {'f(z)':>12}  {'f' + chr(39) + '(z)':>12}")
            for z, f, d in zip(samples["z"], samples["f(z)"], samples["f'(z)"]):
                lines.append(f"  {z:>6}  {_short(f):>12}  {_short(d):>12}")
    out.write("\n".join(lines) + "\n")


def _short(value: float | str) -> str:
    return value if isinstance(value, str) else format_number(value, 6)


# ---------------------------------------------------------------- check's verdict


@dataclass(frozen=True)
class Verdict:
    """Each output against the value expected, within its tolerance."""

    expected: Array
    got: Array
    tolerances: Array
    from_decimals: bool  # the tolerances come from the decimals written, not from --tol

    @property
    def differences(self) -> Array:
        return np.abs(self.got - self.expected)

    @property
    def matches(self) -> Array:
        # A hair of slack: 0.62245 written exactly at the edge must not fail on binary rounding.
        return self.differences <= self.tolerances * (1 + 1e-9) + 1e-300

    @property
    def passed(self) -> bool:
        return bool(self.matches.all())


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
        table.add_column(header, justify="left" if header in ("output", "verdict") else "right")
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


@dataclass(frozen=True)
class TruthTable:
    inputs: Array  # (rows, n) of 0.0 and 1.0
    outputs: Array  # (rows, k)
    fires: Array  # (rows, k) of 0.0 and 1.0
    expected: Array | None  # (rows,) what the gate gives
    gate: str | None
    activation: str
    layers: int

    @property
    def mismatches(self) -> Array:
        if self.expected is None:
            return np.zeros(len(self.inputs), dtype=bool)
        return np.any(self.fires != self.expected[:, None], axis=1)

    @property
    def passed(self) -> bool:
        return not self.mismatches.any()

    def notes(self) -> list[str]:
        notes = []
        if self.activation != "step":
            notes.append(f"{self.activation} is not a step: an output of 0.5 or more counts as 1")
        if self.gate is not None:
            count = int(self.mismatches.sum())
            notes.append(
                f"it is {self.gate.upper()} on every row"
                if self.passed
                else f"{count} of {len(self.inputs)} rows differ from {self.gate.upper()}"
            )
            if self.gate in ("xor", "xnor") and not self.passed and self.layers == 1:
                notes.append(
                    f"no single neuron can draw {self.gate.upper()}: one straight line (w.x + b = 0) cannot put "
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
    return "\n".join(lines + [f"# {note}" for note in table.notes()]) + "\n"


def truth_rich(table: TruthTable, digits: int | None, console: Console) -> None:
    from rich.table import Table
    from rich.text import Text

    shown = digits or TABLE_DIGITS
    grid = Table()
    n, k = table.inputs.shape[1], table.outputs.shape[1]
    for i in range(n):
        grid.add_column(f"x{i + 1}", justify="center")
    for j in range(k):
        grid.add_column(f"y{j + 1}", justify="right")
    if table.activation != "step":
        for j in range(k):
            grid.add_column(f"fires{j + 1}" if k > 1 else "fires", justify="center")
    if table.expected is not None:
        grid.add_column(table.gate or "", justify="center")
        grid.add_column("", justify="left")
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
    for note in table.notes():
        console.print(Text(note))
