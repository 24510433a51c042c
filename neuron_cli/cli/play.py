"""`neuron play`: the network of `compute`'s options on a full screen where every number follows the keys, and on
leaving the `neuron compute` command line of the last screen. Textual is imported here alone, once a terminal
is there to draw on."""

import math
import sys
from typing import Any

import numpy as np

from ..errors import NeuronError
from ..i18n import message
from ..io.values import parse_vector
from .build import build_network, check_step_options, value
from .edge import Outcome, report

HELP = """A playground where every number follows as inputs, weights, bias and activation change.

    The screen shows each connection's product, the weighted sum, z, the output and the activation's curve with
    z marked; with --target, the loss and the step gradient descent would take (g takes it). Keys: Tab and
    Shift+Tab move, + and - (or Up and Down) change a number by --step, digits type one (Enter sets it), a
    changes the activation, ? shows every key, q leaves. On leaving, the neuron compute command line of the last
    screen is printed.

    \b
    Examples:
      neuron play -x 1,2,3 -w 0.5,-0.2,0.1 -b 0.1 -a sigmoid
      neuron play -x 1,0 -w 0.5,0.5 -b -0.7 -a step --target 0 --step 0.05
      neuron play -x 0.05,0.1 --model net.json --target 0.01,0.99 --lr 0.5
    """


def run(given: dict[str, Any], outcome: Outcome) -> int:
    """The command on its options; its exit code."""
    from ..render.play_state import Playground

    play = Playground(*_network_and_inputs(given), _training(given), _step(given), given.get("model"))
    play.learning()  # targets that do not fit the outputs are refused before the screen opens
    saved = given.get("save_model")
    if saved is not None:
        from ..io.models import check_savable

        check_savable(play.network, saved)  # a place that cannot be written, before the screen opens
    if not (_terminal(sys.stdin) and _terminal(sys.stdout) and _terminal(sys.stderr)):
        raise NeuronError(
            "neuron play needs a terminal to draw on; to compute the same network in a script or a pipe, use neuron "
            "compute with the same options"
        )
    from ..render.play_app import PlayApp

    line = PlayApp(play, outcome.lang, given.get("index_base", 1)).run()
    if line is None:  # the app ended without a screen (its driver failed): say nothing was kept
        raise NeuronError("neuron play could not use this terminal")
    if saved is not None:
        _save(play, saved, line)
        line = play.command_line(saved) if len(play.layers) > 1 else line
    elif len(play.layers) > 1 and play.changed:
        report(
            message(
                "note: the numbers changed on screen are not in {model}; give --save-model PATH to keep them",
                model=play.model,
            )
        )
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
    return 0


def _save(play: Any, path: str, line: str) -> None:
    """--save-model on leaving; where it fails (an activation the file's format cannot hold, a full disk), the
    command line of the screen is still printed before the error, so that nothing on the screen is lost."""
    from ..io.models import save_model_file

    try:
        save_model_file(play.network, path)
    except NeuronError:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
        raise


def _terminal(stream: Any) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):
        return False


def _network_and_inputs(given: dict[str, Any]) -> tuple[Any, np.ndarray]:
    from ..io.values import input_rows

    network = build_network(given)
    x = given.get("x")
    if x == "-":
        raise NeuronError("-x: neuron play takes one row of inputs, not a stream; give them as -x 1,2,3")
    rows = input_rows(x, network) if x is not None else np.zeros((1, network.input_size))
    if len(rows) != 1:
        raise NeuronError("-x: neuron play takes one row of inputs; {file} holds {count}", file=x, count=len(rows))
    return network, rows[0]


def _training(given: dict[str, Any]) -> Any:
    from ..render.play_state import Training

    target = given.get("target")
    check_step_options(given)
    if target is None:
        return None
    rate, loss = given.get("lr"), value(given, "loss")
    targets = parse_vector(target, "--target")
    return Training(targets, loss or "half_sse", 0.1 if rate is None else rate, loss is not None, rate is not None)


def _step(given: dict[str, Any]) -> float:
    step = given.get("step")
    if step is None:
        return 0.1
    if not (math.isfinite(step) and step > 0):
        raise NeuronError("--step must be a number above 0, got {value}", value=step)
    return float(step)


def declare(app: Any) -> None:
    """The command as Typer declares it: its options, from their one declaration (cli/options.py)."""
    from . import params as p

    def play(
        x: p.X = None,
        w: p.W = None,
        b: p.B = None,
        activation: p.A = None,
        model: p.Model = None,
        max_params: p.MaxParams = None,
        target: p.Target = None,
        lr: p.Lr = None,
        loss: p.Loss = None,
        step: p.PlayStep = None,
        save_model: p.PlaySave = None,
        lang: p.Lang = None,
        index_base: p.IndexBase = 1,
    ) -> None:
        p.finish(run, dict(locals()))

    play.__doc__ = HELP
    app.command()(play)
