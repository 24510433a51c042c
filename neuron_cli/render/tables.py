"""Rich tables of a forward pass: the picture of a single neuron, connections, neurons, gradients, updates; and a
stream's rows as one table."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, TYPE_CHECKING

import numpy as np

from ..errors import NeuronError
from ..i18n import message, plural
from ..nn.layers import Block, Gradient, LayerPass, NetworkPass
from ..nn.learning import Update
from .console import PIPED_WIDTH, SMALLEST_DIGITS, Cell, Column, digit_choices, fitted, unicode_ok
from .numbers import format_number, join_numbers
from .view import TABLE_DIGITS, View

if TYPE_CHECKING:
    from rich.console import Console, RenderableType


def connection_rows(layer_pass: LayerPass, view: View, values: Callable[[int, int], list[float]]) -> list[list[Cell]]:
    """A row per connection (input i to neuron j): its two names, then `values(j, i)`."""
    layer = layer_pass.layer
    base = view.index_base
    return [
        [f"x{i + base}", f"n{j + base}", *values(j, i)] for j in range(layer.neurons) for i in range(layer.input_size)
    ]


def per_connection_table(
    layer_pass: LayerPass,
    view: View,
    heading: str,
    columns: tuple[str, ...],
    values: Callable[[int, int], list[float]],
    width: int,
) -> RenderableType:
    layer = layer_pass.layer
    sections = frozenset(layer.input_size * (j + 1) - 1 for j in range(layer.neurons - 1))
    return fitted(
        heading,
        [Column(message("input", view), key=True), Column(message("neuron", view), key=True)]
        + [Column(c) for c in columns],
        connection_rows(layer_pass, view, values),
        view,
        width,
        sections=sections,
    )


def connection_table(layer_pass: LayerPass, view: View, title: str, width: int) -> RenderableType:
    layer = layer_pass.layer
    heading = title + message(
        "connections: {inputs} x {neurons} = {count}",
        view,
        inputs=plural(layer.input_size, "input", view),
        neurons=plural(layer.neurons, "neuron", view),
        count=layer.input_size * layer.neurons,
    )
    return per_connection_table(
        layer_pass,
        view,
        heading,
        ("x", "w", "x*w"),
        lambda j, i: [layer_pass.inputs[i], layer.weights[j, i], layer_pass.products[j, i]],
        width,
    )


def neuron_table(
    layer_pass: LayerPass, view: View, title: str, width: int, update: Update | None = None
) -> RenderableType:
    layer = layer_pass.layer
    spec = layer.activation
    base = view.index_base
    columns = [
        Column(message("neuron", view), key=True),
        Column(message("sum(x*w)", view)),
        Column(message("bias", view)),
    ]
    columns += [Column("z"), Column("f(z)")]
    gradient: Gradient | None = layer_pass.gradient() if view.grad else None
    if gradient is not None:
        columns.append(Column("f'(z)"))
    if update is not None:
        columns += [Column("dL/dz"), Column(message("new bias", view))]
    gates = spec.activation.gates(layer.neurons)
    rows: list[list[Cell]] = []
    for j in range(layer.neurons):
        label = f"n{j + base}" + (f" ({message('gate', view)})" if j in gates else "")
        row: list[Cell] = [label, layer_pass.weighted_sums[j], layer.bias[j], layer_pass.z[j], layer_pass.values[j]]
        if gradient is not None:
            row.append(gradient.dz[j])
        if update is not None:
            row += [update.dz[j], update.bias[j]]
        rows.append(row)
    heading = title + message("neurons: f = {activation}", view, activation=spec.label)
    return fitted(heading, columns, rows, view, width, footer=f"f(z) = {spec.formula}")


def gradient_table(layer_pass: LayerPass, view: View, title: str, width: int) -> RenderableType:
    gradient = layer_pass.gradient()
    return per_connection_table(
        layer_pass,
        view,
        title + message("gradient of each neuron's output", view),
        (message("d out/d w", view), message("d out/d x", view)),
        lambda j, i: [gradient.dw[j, i], gradient.dx[j, i]],
        width,
    )


def update_table(layer_pass: LayerPass, view: View, title: str, update: Update, width: int) -> RenderableType:
    weights = layer_pass.layer.weights
    return per_connection_table(
        layer_pass,
        view,
        title + message("weight updates", view),
        ("w", "dL/dw", message("new w", view)),
        lambda j, i: [weights[j, i], update.dw[j, i], update.weights[j, i]],
        width,
    )


def neuron_picture(layer_pass: LayerPass, view: View, fancy: bool, digits: int) -> list[str]:
    """A single neuron drawn as in a textbook: inputs and weights flow into the sum, then the activation."""
    layer = layer_pass.layer
    base = view.index_base
    dash, arrow = ("─", "►") if fancy else ("-", ">")
    top, middle, bottom, only, centre_joint = ("┐", "┤", "┘", "─", "┼") if fancy else ("\\", "|", "/", "-", "+")
    n = layer.input_size
    left = [f"x{i + base} = {format_number(layer_pass.inputs[i], digits)}" for i in range(n)]
    weights = [f"w{i + base} = {format_number(layer.weights[0, i], digits)}" for i in range(n)]
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
    return lines


def fitted_picture(layer_pass: LayerPass, view: View, fancy: bool, width: int) -> str | None:
    """The neuron picture with as many digits as fit the width, or None where even the fewest do not fit."""
    for digits in digit_choices(view):
        lines = neuron_picture(layer_pass, view, fancy, digits)
        if max(map(len, lines)) <= width:
            return "\n".join(lines)
    return None


TABLE_ROWS = 20_000  # a Rich table of more connections than this is refused: a person cannot read it anyway


def render_table(result: NetworkPass, view: View, console: Console) -> None:
    from rich.text import Text

    connections = max(p.layer.neurons * p.layer.input_size for p in result.passes)
    if connections > TABLE_ROWS:
        raise NeuronError(
            "a layer of {count} connections is too many for a table ({limit} at most); use --format json or plain",
            count=connections,
            limit=TABLE_ROWS,
        )
    width = console.width
    many = len(result.passes) > 1
    updates = view.step.updates if view.step else (None,) * len(result.passes)
    if view.title:
        console.rule(Text(view.title))
    for number, (layer_pass, update) in enumerate(zip(result.passes, updates), start=1):
        title = message("Layer {number} of {count}: ", view, number=number, count=len(result.passes)) if many else ""
        if many:
            layer = layer_pass.layer
            label = f"{layer.label}, {layer.activation.label}" if layer.label else layer.activation.label
            console.rule(Text(message("Layer {number}: {activation}", view, number=number, activation=label)))
        if layer_pass.layer.neurons == 1 and not many:
            picture = fitted_picture(layer_pass, view, unicode_ok(console), width)
            if picture is not None:
                console.print(Text(picture), soft_wrap=True)
                console.print()
        console.print(connection_table(layer_pass, view, title, width))
        console.print(neuron_table(layer_pass, view, title, width, update))
        if view.grad:
            console.print(gradient_table(layer_pass, view, title, width))
        if update is not None:
            console.print(update_table(layer_pass, view, title, update, width))
    digits = view.digits or TABLE_DIGITS
    outputs = join_numbers(result.outputs, digits, ", ")
    console.print(Text(message("outputs: {values}", view, values=outputs), style="bold"))
    if view.grad and many:
        gradient = result.input_gradient()
        rows = "; ".join(join_numbers(row, digits, ", ") for row in gradient)
        console.print(Text(message("d outputs / d inputs (a row per output): {rows}", view, rows=rows)))
    if view.step:
        rule = message("perceptron" if view.step.perceptron else "gradient descent", view)
        console.print(
            Text(
                message(
                    "loss ({loss}) before the step: {value}; rule: {rule}, learning rate {rate}",
                    view,
                    loss=view.step.loss_function.name,
                    value=format_number(float(view.step.loss), digits),
                    rule=rule,
                    rate=format_number(view.step.rate),
                )
            )
        )


def stream_table(block: Block, view: View, out: IO[str]) -> None:
    """A stream as one table, a line per row, in columns as wide as its numbers need and the terminal allows:
    fewer digits where they do not fit, then a row's values stacked one a line."""
    import os
    import shutil

    from rich.cells import cell_len

    columns = os.environ.get("COLUMNS", "")
    if view.width:
        width = view.width
    elif columns.isdigit():  # as a terminal's width is given to what is piped (COLUMNS=40 neuron ... | less)
        width = int(columns)
    else:
        width = shutil.get_terminal_size((PIPED_WIDTH, 24)).columns if out.isatty() else PIPED_WIDTH
    names = [f"x{i + view.index_base}" for i in range(block.network.input_size)]
    names += [f"y{k + view.index_base}" for k in range(block.network.output_size)]
    values = np.hstack([block.inputs, block.outputs]) if len(block.inputs) else np.zeros((0, len(names)))
    label = message("row", view)
    # Columns as wide as the longest number of that many digits can be (sign, point, e-308), so that every
    # block of the stream, however short, lines up under the header.
    row_width = max(cell_len(label), 8)
    for digits in digit_choices(view):
        column = max([len(n) for n in names] + [digits + 7])
        if row_width + len(names) * (column + 1) <= width:
            break
    else:
        digits = view.digits or SMALLEST_DIGITS
        for offset, row in enumerate(values.tolist()):  # stacked: a row's values one a line
            out.write(f"{label} {block.first_row + offset}\n")
            out.write("".join(f"  {name} = {format_number(v, digits)}\n" for name, v in zip(names, row)))
        return
    cells = [[format_number(v, digits) for v in row] for row in values.tolist()]
    heading = " " * (row_width - cell_len(label)) + label  # Hangul takes two columns: pad by columns
    lines = [f"{heading} " + " ".join(f"{n:>{column}}" for n in names)] if block.first_row == 1 else []
    for offset, row in enumerate(cells):
        lines.append(f"{block.first_row + offset:>{row_width}} " + " ".join(f"{c:>{column}}" for c in row))
    if lines:
        out.write("\n".join(lines) + "\n")
