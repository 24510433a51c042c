"""A training run as the command drives it: what it keeps of a long run for the loss curve and the table."""

import io

import numpy as np

from neuron_cli.nn.layers import Layer, Network
from neuron_cli.nn.training import Settings
from neuron_cli.render import Format, View
from neuron_cli.run import training
from neuron_cli.run.requests import Optimizing, TrainRequest


def request(epochs, plot=True, form=Format.table):
    network = Network([Layer.create([[0.0, 0.0]], 0.0, "sigmoid")])
    inputs = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    targets = np.array([[0.0], [1.0], [1.0], [1.0]])
    return TrainRequest(
        network, inputs, targets, Settings("half_sse", 4, False, 0), Optimizing("sgd", 0.5), epochs, form, View(), plot
    )


def test_a_long_runs_loss_curve_is_thinned_to_bounded_memory_and_keeps_the_last_epoch(monkeypatch):
    monkeypatch.setattr(training, "CURVE_POINTS", 10)
    _, curve = training.run_training(request(1000), io.StringIO())
    numbers = [epoch.number for epoch in curve]
    assert 10 <= len(numbers) <= 21 and numbers[-1] == 1000
    strides = set(np.diff(numbers[:-1]).tolist())
    assert len(strides) == 1 and numbers == sorted(numbers)  # evenly spaced, then the last one


def test_a_table_keeps_about_twenty_epochs_of_a_long_run():
    out = io.StringIO()
    _, curve = training.run_training(request(5000, plot=False), out)
    assert curve == []
    cells = [line.strip("│ ").split()[0] for line in out.getvalue().splitlines() if line.startswith("│")]
    epochs = [int(cell) for cell in cells if cell.isdigit()]
    assert len(epochs) == training.TABLE_EPOCHS and epochs[0] == 1 and epochs[-1] == 5000
    assert "20 of 5000 shown" in out.getvalue()
