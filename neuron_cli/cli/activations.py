"""`neuron activations`: the registry's catalogue, one activation in full, or one at given z. Typer is imported
only where the command is declared."""

import sys
from typing import Any

from .. import render
from ..errors import NeuronError
from ..io.values import parse_activation, parse_vector
from ..nn.activations import REGISTRY, activation_values
from .build import chosen_format, make_view, refuse_unused
from .edge import Outcome

HELP = """List every activation with its formula; with NAME, its derivative, parameters, range and sample values.

    With NAME --at Z,..: the activation at those z (element by element, or the whole vector for softmax,
    log_softmax, sparsemax and glu); --format plain prints the values alone.

    \b
    Examples:
      neuron activations
      neuron activations leaky-relu
      neuron activations gelu --format json
      neuron activations softmax --at 1,2,3 --format plain
    """


def run(given: dict[str, Any], outcome: Outcome) -> int:
    view, chosen = make_view(given, outcome.lang), chosen_format(given)
    name, at = given.get("name"), given.get("at")
    if at is not None:
        if name is None:
            raise NeuronError("--at needs an activation NAME, e.g. neuron activations sigmoid --at 0.5")
        render.check("values", chosen, view)
        spec = parse_activation(name, "NAME")
        render.write("values", activation_values(spec, parse_vector(at, "--at")), view, chosen, sys.stdout)
    elif name is None:
        render.check("activations", chosen, view)
        render.write("activations", list(REGISTRY), view, chosen, sys.stdout)
    else:
        refuse_unused(**{"--digits": (given.get("digits") is not None, "--at")})
        render.check("activation", chosen, view)
        render.write("activation", parse_activation(name, "NAME").activation, view, chosen, sys.stdout)
    sys.stdout.flush()
    return 0


def declare(app: Any) -> None:
    """The command as Typer declares it: its options, from their one declaration (cli/options.py)."""
    from . import params as p

    def activations(
        name: p.ActivationName = None,
        at: p.ValuesAt = None,
        format: p.CatalogueFormat = None,
        digits: p.Digits = None,
        color: p.Color = p.AUTO,
        lang: p.Lang = None,
    ) -> None:
        p.finish(run, dict(locals()))

    activations.__doc__ = HELP
    app.command()(activations)
