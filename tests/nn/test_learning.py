"""The learning rules, each written once: a step of `compute --target` and an epoch of `train` (batch size 1,
plain sgd) give the same weights for the same row, whatever the network; a step inside a deeper network stops
the gradient (the layers up to it do not learn), a lone step learns by the perceptron rule."""

import numpy as np
import pytest

from neuron_cli.nn.layers import Layer, Network
from neuron_cli.nn.learning import learning_step, learns_by_perceptron, still_layers
from neuron_cli.nn.optimizers import SGD
from neuron_cli.nn.training import Settings, Trainer

NETWORKS = {
    "sigmoid layer": [Layer.create([[0.5, -0.2, 0.1], [0.3, 0.8, -0.5]], [0.1, -0.2], "sigmoid")],
    "step then sigmoid": [
        Layer.create([[1.0, -1.0, 0.5], [0.5, 0.5, 0.5]], [0.0, -1.0], "step"),
        Layer.create([[0.7, -0.3]], 0.2, "sigmoid"),
    ],
    "sigmoid then step": [
        Layer.create([[1.0, -1.0, 0.5], [0.5, 0.5, 0.5]], [0.0, -1.0], "sigmoid"),
        Layer.create([[0.7, -0.3]], 0.2, "step"),
    ],
    "tanh, relu, softmax": [
        Layer.create(np.linspace(-1, 1, 12).reshape(4, 3), 0.1, "tanh"),
        Layer.create(np.linspace(1, -1, 12).reshape(3, 4), -0.1, "relu"),
        Layer.create(np.linspace(-0.5, 0.5, 6).reshape(2, 3), 0.0, "softmax"),
    ],
}
X = np.array([0.5, -1.0, 2.0])


@pytest.mark.parametrize("name", NETWORKS)
@pytest.mark.parametrize("loss", ["half_sse", "mse", "binary_crossentropy"])
def test_a_step_and_one_epoch_of_one_row_give_the_same_weights(name, loss):
    network = Network(NETWORKS[name])
    targets = np.full(network.output_size, 0.25)
    step = learning_step(network.forward(X), targets, loss, 0.3)
    trainer = Trainer(network, X[None, :], targets[None, :], Settings(loss, batch_size=1), SGD(0.3))
    list(trainer.epochs(1))
    for layer, update in zip(trainer.network.layers, step.updates):
        np.testing.assert_array_equal(layer.weights, update.weights)
        np.testing.assert_array_equal(layer.bias, update.bias)
    assert trainer.perceptron == step.perceptron == learns_by_perceptron(network)
    assert trainer.still == step.still == still_layers(network)


def test_a_step_inside_a_network_stops_the_gradient_at_it():
    network = Network(NETWORKS["sigmoid then step"])
    step = learning_step(network.forward(X), np.array([1.0]), "half_sse", 0.5)
    assert not step.perceptron and step.still == 2  # both layers: the step's own and the one before it
    for layer, update in zip(network.layers, step.updates):
        np.testing.assert_array_equal(update.weights, layer.weights)
    after = Network(NETWORKS["step then sigmoid"])
    moved = learning_step(after.forward(X), np.array([1.0]), "half_sse", 0.5)
    assert moved.still == 1
    np.testing.assert_array_equal(moved.updates[0].weights, after.layers[0].weights)
    assert not np.array_equal(moved.updates[1].weights, after.layers[1].weights)  # the layer after the step learns


def test_a_lone_step_learns_by_the_perceptron_rule():
    network = Network([Layer.create([0.0, 0.0], 0.0, "step")])
    x, t = np.array([1.0, 1.0]), np.array([0.0])  # fires (z = 0 >= 0) where it should not: y - t = 1
    step = learning_step(network.forward(x), t, "half_sse", 0.1)
    assert step.perceptron and step.still == 0
    np.testing.assert_allclose(step.updates[0].weights, [[-0.1, -0.1]])  # w + r (t - y) x
    np.testing.assert_allclose(step.updates[0].bias, [-0.1])


def test_each_row_of_a_block_takes_its_own_step():
    network = Network(NETWORKS["tanh, relu, softmax"])
    rows = np.array([X, -X, 2 * X])
    targets = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    block = learning_step(network.forward(rows), targets, "mse", 0.2)
    for r in range(len(rows)):
        one = learning_step(network.forward(rows[r]), targets[r], "mse", 0.2)
        assert block.loss[r] == one.loss
        for together, alone in zip(block.updates, one.updates):
            np.testing.assert_array_equal(together.weights[r], alone.weights)
            np.testing.assert_array_equal(together.dz[r], alone.dz)
