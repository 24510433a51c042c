"""`neuron inspect`: a model file's layers as Keras's model.summary() shows them, or converted to a neuron model
file. Typer is imported only where the command is declared."""

import sys
from typing import Any

from .. import render
from ..io.models import model_summary
from .build import chosen_format, make_view
from .edge import Outcome

HELP = """A model file's layers, shapes, activations and parameter counts, as Keras's model.summary() shows them;
    --format json converts it to a neuron model file.

    Keras files are read without Keras (h5py reads the HDF5): InputLayer, Dense, Activation, Dropout and a
    Sequential inside; any other layer is refused with its class name.

    \b
    Examples:
      neuron inspect model.keras
      neuron inspect model.h5 --format json > model.json
      neuron compute --model model.keras -x 1,2,3
    """


def run(given: dict[str, Any], outcome: Outcome) -> int:
    view, chosen = make_view(given, outcome.lang), chosen_format(given)
    render.check("inspect", chosen, view)
    render.write("inspect", model_summary(given["file"]), view, chosen, sys.stdout)
    sys.stdout.flush()
    return 0


def declare(app: Any) -> None:
    """The command as Typer declares it: its options, from their one declaration (cli/options.py)."""
    from . import params as p

    def inspect(
        file: p.ModelFile, format: p.InspectFormat = None, color: p.Color = p.AUTO, lang: p.Lang = None
    ) -> None:
        p.finish(run, dict(locals()))

    inspect.__doc__ = HELP
    app.command()(inspect)
