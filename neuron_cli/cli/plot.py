"""`neuron plot`: an activation and its derivative drawn in the terminal, with points marked. Typer is imported
only where the command is declared."""

import sys
from typing import Any

from ..errors import NeuronError
from ..io.values import parse_activation
from ..nn.numbers import parse_number
from ..render.console import make_console, unicode_ok
from ..render.plot import Canvas, Mark, parse_range, plot_text, range_around
from .build import make_view
from .edge import Outcome

HELP = """The activation and its derivative plotted in the terminal; --at Z marks a point.

    A layer-wide activation (softmax...) is shown as neuron 1's output as its z moves, with neuron 2's z at 0.
    Without --range the z axis widens to show every --at; with it, a point outside is named, not drawn.

    \b
    Examples:
      neuron plot sigmoid --at 0.5
      neuron plot leaky_relu:negative_slope=0.1 --range -3:3
      neuron plot gelu --at -1 --at 1
    """


def run(given: dict[str, Any], outcome: Outcome) -> int:
    spec = parse_activation(given["name"], "NAME")
    out = make_console(sys.stdout, color=make_view(given, outcome.lang).color)
    width, height = given.get("width"), given.get("height")
    height = 20 if height is None else height
    if width is not None and not 10 <= width <= 1000:
        raise NeuronError("--width takes 10 to 1000 columns, got {value}", value=width)
    if not 5 <= height <= 500:
        raise NeuronError("--height takes 5 to 500 lines, got {value}", value=height)
    width = width if width is not None else max(10, min(72, out.width))  # a terminal narrower than 10 scrolls
    points = [parse_number(text, f"--at ({text})") for text in given.get("at") or []]
    marks = [Mark(z, f"z = {z:g}") for z in points]
    range_ = given.get("range_")
    span = parse_range(range_, spec) if range_ is not None else range_around(spec, marks)
    canvas = Canvas(width, height, out.is_terminal and not out.no_color, unicode_ok(out), outcome.lang, out.width)
    sys.stdout.write(plot_text(spec, span, points, canvas))
    sys.stdout.flush()
    return 0


def declare(app: Any) -> None:
    """The command as Typer declares it: its options, from their one declaration (cli/options.py)."""
    from . import params as p

    def plot(
        name: p.PlotName,
        range_: p.Range = None,
        at: p.PlotAt = None,
        width: p.Width = None,
        height: p.Height = 20,
        color: p.Color = p.AUTO,
        lang: p.Lang = None,
    ) -> None:
        p.finish(run, dict(locals()))

    plot.__doc__ = HELP
    app.command()(plot)
