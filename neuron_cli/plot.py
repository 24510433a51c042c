"""An activation and its derivative drawn in the terminal by plotext, with marked points; no math of its own."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from .activations import ActivationSpec
from .errors import NeuronError
from .messages import message
from .syntax import parse_number

Array = np.ndarray
LIMIT = 1e9  # plotext's axis arithmetic overflows on larger numbers; neither z nor f(z) beyond this is drawn
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# plotext draws its frame with box-drawing characters; where the output cannot show them, ASCII stands in.
_ASCII_FRAME = str.maketrans("─━│┃┌┐└┘├┤┬┴┼╭╮╰╯", "--||" + "+" * 13)


@dataclass(frozen=True)
class Mark:
    z: float
    label: str


def curve(spec: ActivationSpec, z: Array) -> tuple[Array, Array]:
    """f(z) and f'(z) along z; a layer-wide activation is shown as neuron 1's output with neuron 2's z at 0."""
    if not spec.layerwise:
        return spec(z), spec.derivative(z)
    pairs = np.stack([z, np.zeros_like(z)], axis=-1)
    return spec(pairs)[:, 0], spec.derivative(pairs)[:, 0, 0]


def parse_range(text: str | None, spec: ActivationSpec) -> tuple[float, float]:
    if text is None:
        return spec.activation.plot_range
    low, colon, high = text.partition(":")
    if not colon:
        raise NeuronError("--range takes A:B, e.g. -6:6; got {text!r}", text=text)
    start, stop = parse_number(low, "--range start"), parse_number(high, "--range end")
    if not start < stop:
        raise NeuronError("--range needs its start below its end, got {text!r}", text=text)
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


def draw(
    spec: ActivationSpec,
    start: float,
    stop: float,
    marks: list[Mark],
    width: int = 72,
    height: int = 20,
    color: bool = False,
    fancy: bool = True,
    lang: str = "en",
) -> str:
    """The plot as text: f(z) and f'(z) over [start, stop], each mark a point on f."""
    import plotext as plt

    z = np.linspace(start, stop, 4 * width)
    values, slopes = curve(spec, z)
    shown = (np.abs(values) <= LIMIT) & (np.abs(slopes) <= LIMIT)
    plt.clear_figure()
    plt.plotsize(width, height)
    plt.theme("pro" if color else "clear")
    # Without colour the two curves are told apart by their marks: f in braille dots (or *), f' in middle dots.
    plt.plot(z[shown].tolist(), values[shown].tolist(), label=f"{spec.label}(z)", marker="braille" if fancy else "*")
    slope_marker = ("braille" if color else "·") if fancy else "."
    plt.plot(z[shown].tolist(), slopes[shown].tolist(), label="f'(z)", marker=slope_marker)
    for mark in marks:
        value, _ = curve(spec, np.array([mark.z]))
        if start <= mark.z <= stop and abs(value[0]) <= LIMIT:
            plt.scatter([mark.z], [float(value[0])], marker="x" if not fancy else "●", label=mark.label)
    plt.title(message("{activation} and its derivative", lang, activation=spec.label))
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
    if min(losses) > 0 and max(losses) / min(losses) > 100:
        plt.yscale("log")
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
