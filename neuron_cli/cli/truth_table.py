"""`neuron truth-table`: the network on every 0/1 combination of its inputs, against a gate; exit 1 where a row
differs. Typer is imported only where the command is declared."""

import sys
from typing import Any

from .. import render
from ..errors import MISMATCH, SUCCESS
from ..nn.truth import truth_table
from .build import build_network, chosen_format, make_view, value
from .edge import Outcome

HELP = """The neuron on every 0/1 combination of its inputs; --gate checks it against a logic gate.

    For n inputs: and = all 1, or = any 1, nand = not all 1, nor = none 1, xor = an odd number of 1s,
    xnor = an even number. A step fires at 1; any other activation counts as 1 where its output is 0.5 or
    more. A layer of several neurons: each output is checked, and the notes say which are the gate.

    \b
    Examples:
      neuron truth-table -w 1,1 -b -1.5 -a step --gate and
      neuron truth-table -w 1,1,1 -b -0.5 -a step --gate or
      neuron truth-table -w 20,20 -b -10 -a sigmoid --gate or
    """


def run(given: dict[str, Any], outcome: Outcome) -> int:
    view, chosen = make_view(given, outcome.lang), chosen_format(given)
    render.check("truth_table", chosen, view)
    table = truth_table(build_network(given), value(given, "gate"))
    outcome.if_the_pipe_closes = SUCCESS if table.passed else MISMATCH
    render.write("truth_table", table, view, chosen, sys.stdout)
    sys.stdout.flush()
    return outcome.if_the_pipe_closes


def declare(app: Any) -> None:
    """The command as Typer declares it: its options, from their one declaration (cli/options.py)."""
    from . import params as p

    def truth_table(
        w: p.W = None,
        b: p.B = None,
        activation: p.A = None,
        model: p.Model = None,
        max_params: p.MaxParams = None,
        gate: p.Gate = None,
        format: p.TruthFormat = None,
        digits: p.Digits = None,
        dtype: p.Dtype = p.FLOAT64,
        color: p.Color = p.AUTO,
        lang: p.Lang = None,
        index_base: p.IndexBase = 1,
    ) -> None:
        p.finish(run, dict(locals()))

    truth_table.__doc__ = HELP
    app.command("truth-table")(truth_table)
