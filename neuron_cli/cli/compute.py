"""`neuron compute`: the options read into a ComputeRequest, the job run (run/compute.py), and a note on stderr
where part of the network cannot learn. Typer is imported only where the command is declared (`declare`), so
that the fast path reads the same options without it."""

import sys
from typing import Any

from ..errors import NeuronError
from ..i18n import message
from ..io.values import parse_vector
from ..nn.layers import Network
from ..run.compute import compute
from ..run.requests import ComputeRequest, Saving, Step
from .build import (
    build_network,
    check_step_options,
    chosen_format,
    make_view,
    refuse_plot,
    stdin_source,
    value,
)
from .edge import Outcome, report

HELP = """Compute a neuron, a layer or a stack of layers on one input row or a stream of rows.

    \b
    Examples:
      neuron compute -x 1,2,3 -w 0.5,-0.2,0.1 -b 0.1 -a sigmoid
      neuron compute -x 1,2,3 -w "0.1,0.2,0.3;0.4,0.5,0.6" -a relu
      neuron compute -x 1,2 -w -0.5,0.3 -b -1 -a step --format json
      neuron compute -x 1,2,3 -w 0.5,-0.2,0.1 -a sigmoid --explain
      neuron compute -x 1,2,3 -w 0.5,-0.2,0.1 -a sigmoid --target 1 --lr 0.5
      seq 1 6 | paste -d, - - | neuron compute -w 1,1 -a tanh
    """


def request(given: dict[str, Any], lang: str, split: bool = False) -> ComputeRequest:
    """The request the options make; what they cannot mean together is refused before any work."""
    target = given.get("target")
    check_step_options(given)
    chosen = chosen_format(given)
    view = make_view(given, lang, grad=bool(given.get("grad")), explain=bool(given.get("explain")))
    refuse_plot(bool(given.get("plot")), chosen)
    x = given.get("x")
    network = build_network(given)
    step = None
    if target is not None:
        rate = given.get("lr")
        step = Step(parse_vector(target, "--target"), value(given, "loss") or "half_sse", 0.1 if rate is None else rate)
    saving = Saving(given.get("save_svg"), given.get("save_html"), given.get("save_model"))
    plot, header = bool(given.get("plot")), given.get("header")
    made = ComputeRequest(network, chosen, view, x, step, saving, plot, header, split)
    once = made.row_only()
    if (x is None or x == "-") and once:
        raise NeuronError("{options}: one input row only, given with -x, not a stream", options=", ".join(once))
    return made


def run(given: dict[str, Any], outcome: Outcome, split: bool = False) -> int:
    """The command on its options; its exit code."""
    asked = request(given, outcome.lang, split)
    stdin = None
    if asked.inputs == "-" or (asked.inputs is None and sys.stdin is not None and not sys.stdin.isatty()):
        stdin = stdin_source(asked.inputs)  # (refused where standard input is closed, or is the output file)
    steps = compute(asked, stdin, sys.stdout)
    if steps:
        note_still(steps[0].still, asked.network)
    return 0


def note_still(still: int, network: Network) -> None:
    """Say once, on stderr, that the layers up to a step do not learn (its derivative is 0)."""
    if not still:
        return
    name = network.layers[still - 1].activation.name
    if still == 1:
        report(message("note: layer 1 does not learn: the derivative of {name} is 0", name=name))
        return
    report(
        message(
            "note: layers 1 to {count} do not learn: the derivative of {name} (layer {count}) is 0, so no gradient "
            "reaches them",
            count=still,
            name=name,
        )
    )


def declare(app: Any) -> None:
    """The command as Typer declares it: its options, from their one declaration (cli/options.py)."""
    from . import params as p

    def compute(
        x: p.X = None,
        w: p.W = None,
        b: p.B = None,
        activation: p.A = None,
        model: p.Model = None,
        max_params: p.MaxParams = None,
        format: p.PassFormat = None,
        digits: p.Digits = None,
        grad: p.Grad = False,
        explain: p.Explain = False,
        target: p.Target = None,
        lr: p.Lr = None,
        loss: p.Loss = None,
        plot: p.Plot = False,
        save_svg: p.SaveSvg = None,
        save_html: p.SaveHtml = None,
        save_model: p.SaveModel = None,
        header: p.Header = None,
        dtype: p.Dtype = p.FLOAT64,
        color: p.Color = p.AUTO,
        lang: p.Lang = None,
        index_base: p.IndexBase = 1,
    ) -> None:
        p.finish(run, dict(locals()))

    compute.__doc__ = HELP
    app.command()(compute)
