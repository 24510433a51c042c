"""`neuron train`: the data set read, the network sized from it, a TrainRequest run (run/training.py), the loss
curve drawn and the trained model saved. Typer is imported only where the command is declared."""

import math
import sys
from typing import IO, Any, cast

from .. import render
from ..errors import NeuronError
from ..io.files import Sink, open_input
from ..io.models import check_savable, load_model, save_model_file
from ..io.sheets import DataSet, data_arrays, read_data
from ..nn.layers import Network
from ..nn.learning import still_layers
from ..nn.optimizers import make_optimizer
from ..nn.training import Settings
from ..run.requests import Optimizing, TrainRequest
from ..run.training import run_training
from .build import (
    chosen_format,
    described_network,
    given_or,
    make_view,
    max_params,
    refuse_layers_beside_model,
    refuse_plot,
    stdin_source,
    value,
)
from .compute import note_still
from .edge import Outcome, quiet_stdout

HELP = """Train the neuron, layer or network on a data set, epoch by epoch, as Keras's model.fit does.

    Each epoch goes through the rows in batches of --batch-size: the batch's loss is the mean over its rows,
    and the optimizer steps by its gradient. A network of one step layer learns by the perceptron rule, a row
    at a time, and stops after the first epoch without a mistake.

    \b
    Examples:
      neuron train --data and.csv -w 0,0 -b 0 -a step --lr 0.1 --epochs 20
      neuron train --data xor.csv --model net.json --lr 0.5 --epochs 1000
      neuron train --data iris.csv --model net.json --optimizer adam -f json
    """


def run(given: dict[str, Any], outcome: Outcome) -> int:
    lr, epochs, batch_size = given.get("lr"), given_or(given, "epochs", 1), given_or(given, "batch_size", 32)
    if lr is not None and not (math.isfinite(lr) and lr > 0):
        raise NeuronError("--lr must be a finite number above 0, got {value}", value=lr)
    if not 1 <= epochs <= 10_000_000:
        raise NeuronError("--epochs must be from 1 to 10000000, got {value}", value=epochs)
    if batch_size < 1:
        raise NeuronError("--batch-size must be 1 or more, got {value}", value=batch_size)
    view, chosen = make_view(given, outcome.lang), chosen_format(given)
    refuse_plot(bool(given.get("plot")), chosen)
    render.check("training", chosen, view)
    optimizing = Optimizing(
        value(given, "optimizer") or "sgd", lr, given_or(given, "momentum", 0.0), bool(given.get("nesterov"))
    )
    # The optimizer's settings are refused, where they must be, before the data is read.
    make_optimizer(optimizing.name, optimizing.rate, optimizing.momentum, optimizing.nesterov)
    data = given["data"]
    dataset = read_data(stdin_source("-") if data == "-" else open_input(data, "--data"))
    seed = given_or(given, "seed", 0)
    if not 0 <= seed < 2**63:
        raise NeuronError("--seed must be a whole number from 0 to 2**63 - 1, got {value}", value=seed)
    network = training_network(given, dataset, seed)
    if given.get("save_model") is not None:  # refused now, not after a long run
        check_savable(network, given["save_model"])
    inputs, targets = data_arrays(dataset, network.output_size, network.input_size)
    settings = Settings(value(given, "loss") or "half_sse", batch_size, bool(given.get("shuffle")), seed)
    asked = TrainRequest(network, inputs, targets, settings, optimizing, epochs, chosen, view, bool(given.get("plot")))
    note_still(still_layers(network), network)
    stdout = Sink(sys.stdout)  # a reader that leaves early does not stop the model being saved
    trained, curve = run_training(asked, cast(IO[str], stdout))
    if asked.plot:
        from ..render.console import make_console, unicode_ok
        from ..render.plot import loss_curve

        out = make_console(sys.stdout, color=view.color)
        stdout.write(loss_curve(curve, out.is_terminal and not out.no_color, unicode_ok(out), outcome.lang))
    if given.get("save_model") is not None:
        save_model_file(trained, given["save_model"])
    stdout.flush()
    if stdout.gone:
        quiet_stdout()
    return 0


def training_network(given: dict[str, Any], dataset: DataSet, seed: int) -> Network:
    """The network to train: -w/-b/-a, or a model file whose layers may give units (sized from the data)."""
    w, b, a, model = given.get("w"), given.get("b"), given.get("activation"), given.get("model")
    if model is None:
        return described_network(w, b, a, None)
    refuse_layers_beside_model(w, b, a)
    if dataset.inputs is not None:
        return load_model(model, len(dataset.inputs), seed, max_params(given))
    # No header: the inputs are what the outputs leave of a row, and the outputs do not depend on the inputs.
    outputs = load_model(model, 1, seed, max_params(given)).output_size
    return load_model(model, max(dataset.width - outputs, 1), seed, max_params(given))


def declare(app: Any) -> None:
    """The command as Typer declares it: its options, from their one declaration (cli/options.py)."""
    from . import params as p

    def train(
        data: p.Data,
        w: p.W = None,
        b: p.B = None,
        activation: p.A = None,
        model: p.TrainModel = None,
        max_params: p.MaxParams = None,
        loss: p.TrainLoss = p.HALF_SSE,
        optimizer: p.Optimizer = p.SGD,
        lr: p.TrainLr = None,
        momentum: p.Momentum = 0.0,
        nesterov: p.Nesterov = False,
        epochs: p.Epochs = 1,
        batch_size: p.BatchSize = 32,
        shuffle: p.Shuffle = False,
        seed: p.Seed = 0,
        save_model: p.TrainSave = None,
        plot: p.LossPlot = False,
        format: p.TrainingFormat = None,
        digits: p.Digits = None,
        color: p.Color = p.AUTO,
        lang: p.Lang = None,
        index_base: p.IndexBase = 1,
    ) -> None:
        p.finish(run, dict(locals()))

    train.__doc__ = HELP
    app.command()(train)
