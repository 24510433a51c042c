"""`neuron inspect`: a model file's layers as Keras's model.summary() shows them, or converted to a neuron model
file. Typer is imported only where the command is declared."""

import sys
from typing import Any

from .. import render
from ..io.models import model_summary
from .build import chosen_format, make_view, max_params
from .edge import Outcome

HELP = """A model file's layers, shapes, activations and parameter counts, as Keras's model.summary() shows them;
    --format json converts it to a neuron model file.

    Keras files of every Keras (3's .keras and .h5, tf.keras 2's, Keras 1 and 2.0-2.2's) are read without
    Keras: Sequential models, and Functional ones that are one chain; Dense, Activation, ReLU, LeakyReLU, ELU,
    PReLU, Softmax, BatchNormalization, Flatten, Reshape to a flat shape, Dropout and the noise layers. A model
    file is untrusted: no link out of it is followed, and sizes are checked before anything is read.

    \b
    Examples:
      neuron inspect model.keras
      neuron inspect model.h5 --format json > model.json
      neuron compute --model model.keras -x 1,2,3
    """


def run(given: dict[str, Any], outcome: Outcome) -> int:
    view, chosen = make_view(given, outcome.lang), chosen_format(given)
    render.check("inspect", chosen, view)
    render.write("inspect", model_summary(given["file"], max_params(given)), view, chosen, sys.stdout)
    sys.stdout.flush()
    return 0


def declare(app: Any) -> None:
    """The command as Typer declares it: its options, from their one declaration (cli/options.py)."""
    from . import params as p

    def inspect(
        file: p.ModelFile,
        format: p.InspectFormat = None,
        max_params: p.MaxParams = None,
        color: p.Color = p.AUTO,
        lang: p.Lang = None,
    ) -> None:
        p.finish(run, dict(locals()))

    inspect.__doc__ = HELP
    app.command()(inspect)
