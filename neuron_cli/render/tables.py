"""Rich tables of a forward pass: the picture of a single neuron, connections, neurons, gradients, updates."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, TYPE_CHECKING

from ..core import Gradient, LayerPass, NetworkPass, Update
from . import TABLE_DIGITS, View, format_number, join_numbers

if TYPE_CHECKING:
    from rich.console import Console, RenderableType


PIPED_WIDTH = 160


def make_console(file: IO[str], color: bool | None = None, width: int | None = None, record: bool = False) -> Console:
    """A console that reads nothing as markup and draws ASCII where the encoding cannot show box lines.

    Into a file or a pipe, where no terminal sets the width, tables get room to keep each number on one line.
    """
    import os

    from rich.console import Console

    if width is None and not (hasattr(file, "isatty") and file.isatty()) and "COLUMNS" not in os.environ:
        width = PIPED_WIDTH
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
    table.add_column("input", overflow="fold")
    table.add_column("neuron", overflow="fold")
    for header in columns:
        table.add_column(header, justify="right", overflow="fold")
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


def neuron_table(layer_pass: LayerPass, view: View, title: str, update: Update | None = None) -> RenderableType:
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
        table.add_column(header, justify="left" if header == "neuron" else "right", overflow="fold")
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
    return headed(f"{title}neurons: f = {spec.label}", table, f"f(z) = {spec.formula}")


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
