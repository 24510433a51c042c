"""`neuron diagram`: the network drawn as Mermaid or Graphviz DOT. Typer is imported only where the command is
declared."""

import sys
from typing import Any

from ..io.values import input_rows
from ..render.diagram import dot, graph, mermaid
from .build import build_network, check_digits, value
from .edge import Outcome

HELP = """Draw the neuron, layer or network as Mermaid or Graphviz DOT: inputs, neurons, weighted connections.

    With -x the inputs' values and each neuron's output are written on the nodes.

    \b
    Examples:
      neuron diagram -w "0.1,0.2,0.3;0.4,0.5,0.6" -a relu
      neuron diagram --model net.json --format dot | dot -Tpng -o net.png
      neuron diagram -x 1,2,3 -w 0.5,-0.2,0.1 -b 0.1 -a sigmoid
    """


def run(given: dict[str, Any], outcome: Outcome) -> int:
    digits = given.get("digits")
    check_digits(digits)
    network = build_network(given)
    x = given.get("x")
    result = network.forward(input_rows(x, network)[0]) if x is not None else None
    base = given.get("index_base")
    nodes, edges = graph(network, result, digits, 1 if base is None else base)
    sys.stdout.write(dot(nodes, edges) if value(given, "format") == "dot" else mermaid(nodes, edges))
    sys.stdout.flush()
    return 0


def declare(app: Any) -> None:
    """The command as Typer declares it: its options, from their one declaration (cli/options.py)."""
    from . import params as p

    def diagram(
        x: p.X = None,
        w: p.W = None,
        b: p.B = None,
        activation: p.A = None,
        model: p.Model = None,
        max_params: p.MaxParams = None,
        format: p.Drawing = p.MERMAID,
        digits: p.LabelDigits = None,
        lang: p.Lang = None,
        index_base: p.IndexBase = 1,
    ) -> None:
        p.finish(run, dict(locals()))

    diagram.__doc__ = HELP
    app.command()(diagram)
