"""An activation and its derivative drawn in the terminal by plotext, with marked points; no math of its own."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import NeuronError
from ..i18n import message
from ..nn.activations import ActivationSpec
from ..nn.numbers import parse_number

Array = np.ndarray
LIMIT = 1e9  # plotext's axis arithmetic overflows on larger numbers; neither z nor f(z) beyond this is drawn
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# plotext draws its frame with box-drawing characters; where the output cannot show them, ASCII stands in.
_ASCII_FRAME = str.maketrans("─━│┃┌┐└┘├┤┬┴┼╭╮╰╯", "--||" + "+" * 13)


@dataclass(frozen=True)
class Mark:
    z: float
    label: str


@dataclass(frozen=True)
class Canvas:
    """Where a plot is drawn: its size in characters, in colour or not, with Unicode or in ASCII, in a language."""

    width: int = 72
    height: int = 20
    color: bool = False
    fancy: bool = True
    lang: str = "en"
    columns: int = 80  # the terminal's width, for the lines under the plot


def curve(spec: ActivationSpec, z: Array) -> tuple[Array, Array]:
    """f(z) and f'(z) along z; a layer-wide activation is shown as neuron 1's output with neuron 2's z at 0."""
    if not spec.layerwise:
        return spec(z), spec.derivative(z)
    pairs = np.stack([z, np.zeros_like(z)], axis=-1)
    return spec(pairs)[:, 0], spec.derivative(pairs)[:, 0, 0]


NARROWEST = 1e-9  # a range's width relative to its size (or to 1): narrower, the axis' ticks are one number


def parse_range(text: str | None, spec: ActivationSpec) -> tuple[float, float]:
    if text is None:
        return spec.activation.plot_range
    low, colon, high = text.partition(":")
    if not colon:
        raise NeuronError("--range takes A:B, e.g. -6:6; got {text!r}", text=text)
    start, stop = parse_number(low, "--range start"), parse_number(high, "--range end")
    if not start < stop:
        raise NeuronError("--range needs its start below its end, got {text!r}", text=text)
    if stop - start < NARROWEST * max(abs(start), abs(stop), 1.0):
        raise NeuronError(
            "--range is narrower than a terminal plot can tell apart ({narrowest:g} of its size at the least); got "
            "{text!r}",
            narrowest=NARROWEST,
            text=text,
        )
    if max(abs(start), abs(stop)) > LIMIT:
        raise NeuronError(
            "--range reaches beyond +-{LIMIT:g}, farther than a terminal plot can show; got {text!r}",
            LIMIT=LIMIT,
            text=text,
        )
    return start, stop


def range_around(spec: ActivationSpec, marks: list[Mark]) -> tuple[float, float]:
    """The activation's own range, widened to show every mark with a margin of 1 (a z far out is not chased)."""
    start, stop = spec.activation.plot_range
    near = [mark.z for mark in marks if abs(mark.z) < 1e6] or [0.0]
    return min(start, *(z - 1 for z in near)), max(stop, *(z + 1 for z in near))


def draw(spec: ActivationSpec, start: float, stop: float, marks: list[Mark], canvas: Canvas) -> str:
    """The plot as text: f(z) and f'(z) over [start, stop], each mark a point on f."""
    import plotext as plt

    width, color, fancy = canvas.width, canvas.color, canvas.fancy
    z = np.linspace(start, stop, 4 * width)
    values, slopes = curve(spec, z)
    shown = (np.abs(values) <= LIMIT) & (np.abs(slopes) <= LIMIT)
    plt.clear_figure()
    plt.plotsize(width, canvas.height)
    plt.theme("pro" if color else "clear")
    # Without colour the two curves are told apart by their marks: f in braille dots (or *), f' in middle dots.
    plt.plot(z[shown].tolist(), values[shown].tolist(), label=f"{spec.label}(z)", marker="braille" if fancy else "*")
    slope_marker = ("braille" if color else "·") if fancy else "."
    plt.plot(z[shown].tolist(), slopes[shown].tolist(), label="f'(z)", marker=slope_marker)
    for mark in marks:
        value, _ = curve(spec, np.array([mark.z]))
        if start <= mark.z <= stop and abs(value[0]) <= LIMIT:
            plt.scatter([mark.z], [float(value[0])], marker="x" if not fancy else "●", label=mark.label)
    plt.title(message("{activation} and its derivative", canvas.lang, activation=spec.label))
    plt.xlabel("z")
    return finished(plt.build(), color, fancy)


def loss_curve(epochs: list[Any], color: bool = False, fancy: bool = True, lang: str = "en") -> str:
    """The loss of each epoch, drawn as a curve (a logarithmic axis where it spans decades)."""
    import plotext as plt

    numbers = [float(epoch.number) for epoch in epochs]
    losses = [float(epoch.loss) for epoch in epochs]
    plt.clear_figure()
    plt.plotsize(72, 18)
    plt.theme("pro" if color else "clear")
    plt.plot(numbers, losses, marker="braille" if fancy else "*")
    logarithmic = min(losses) > 0 and max(losses) / min(losses) > 100
    if logarithmic:
        plt.yscale("log")
    plt.ylabel(message("loss (log scale)", lang) if logarithmic else message("loss", lang))
    # epochs are whole numbers: ticks at whole epochs only (at most 6, the first and the last among them)
    first, last = int(numbers[0]), int(numbers[-1])
    ticks = sorted({round(float(v)) for v in np.linspace(first, last, min(6, last - first + 1))})
    plt.xticks(ticks, [str(tick) for tick in ticks])
    plt.title(message("loss per epoch", lang))
    plt.xlabel(message("epoch", lang))
    return finished(plt.build(), color, fancy)


def finished(text: str, color: bool, fancy: bool) -> str:
    """plotext's drawing as the terminal should get it: without colour codes unless asked, in ASCII where the
    output cannot show box lines, without trailing blanks."""
    if not color:
        text = _ANSI.sub("", text)
    if not fancy:
        text = text.translate(_ASCII_FRAME)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def layer_plots(result: Any, view: Any, out: Any) -> str:
    """Each layer's activation with every neuron's z marked on it (compute --plot)."""
    from .console import make_console, unicode_ok

    console = make_console(out, color=view.color)
    color = console.is_terminal and not console.no_color
    text = []
    for number, layer_pass in enumerate(result.passes, start=1):
        spec = layer_pass.layer.activation
        z = layer_pass.z if not spec.layerwise else layer_pass.z[:1]
        marks = [Mark(float(v), f"n{j + view.index_base}: z = {v:.4g}") for j, v in enumerate(z)]
        start, stop = range_around(spec, marks)
        if len(result.passes) > 1:
            text.append(message("layer {number}:", view, number=number) + "\n")
        canvas = Canvas(min(72, console.width), color=color, fancy=unicode_ok(console), lang=view.lang)
        text.append(draw(spec, start, stop, marks, canvas))
    return "".join(text)


def plot_text(spec: ActivationSpec, span: tuple[float, float], points: list[float], canvas: Canvas) -> str:
    """`neuron plot`: the curve with each point of --at marked, then each point's values on a line (each part on
    a line of its own where the terminal is narrower than the line, never cut mid-number)."""
    from .numbers import format_number

    start, stop = span
    marks = [Mark(z, f"z = {z:g}") for z in points]
    text = [draw(spec, start, stop, marks, canvas)]
    for z in points:
        value, slope = curve(spec, np.array([z]))
        outside = "" if start <= z <= stop else " " + message("(outside the plotted range, not marked)", canvas.lang)
        parts = [message("at z = {z}:", canvas.lang, z=format_number(z)), f"f(z) = {format_number(value[0])},"]
        parts.append(f"f'(z) = {format_number(slope[0])}{outside}")
        line = " ".join(parts)
        text.append((line if len(line) <= canvas.columns else "\n  ".join(parts)) + "\n")
    return "".join(text)
