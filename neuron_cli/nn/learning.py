"""The learning rules, each written once: gradient descent by backpropagation, and the perceptron rule for a
network of one layer whose activation learns by it (step). A training step of `compute --target`, of an answer
sheet's rows and of `train` all come from here, so the same row gives the same weights everywhere.

In a deeper network a `step` is an activation like any other: its derivative is 0, so no gradient passes back
through it, and the layers up to it do not learn (`still_layers` counts them, for the note a person reads).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..errors import NeuronError
from .backward import backward
from .layers import Array, Layer, Network, NetworkPass
from .losses import Loss, get, row_losses


def learns_by_perceptron(network: Network) -> bool:
    """Whether the network is one layer whose activation learns by the perceptron rule."""
    return len(network.layers) == 1 and network.layers[0].activation.activation.perceptron


def still_layers(network: Network) -> int:
    """How many layers, from the first, gradient descent leaves as they are: those up to the last one whose
    activation's derivative is 0 everywhere (a step inside a deeper network). 0 for the perceptron rule."""
    if learns_by_perceptron(network):
        return 0
    flat = [number for number, layer in enumerate(network.layers, start=1) if layer.activation.activation.flat]
    return max(flat, default=0)


@dataclass(frozen=True)
class Update:
    """One layer's share of a training step, per neuron: dL/d(output) `da`, dL/dz, dL/dw, dL/db, and the weights
    and bias after the step (for a block of rows, each row's own, the rows first)."""

    da: Array
    dz: Array
    dw: Array
    db: Array
    weights: Array
    bias: Array


def descend(layer: Layer, inputs: Array, dz: Array, rate: float) -> Update:
    """The step every rule ends in: dL/dw_ji = dL/dz_j * x_i, then w - rate * dL/dw and b - rate * dL/db."""
    with np.errstate(all="ignore"):
        dw = dz[..., :, None] * inputs[..., None, :]
        if not layer.trainable:  # it stands for a Keras layer whose numbers a step leaves (BatchNormalization)
            kept = np.broadcast_to(layer.weights, dw.shape).copy()
            return Update(dz, dz, dw, dz, kept, np.broadcast_to(layer.bias, dz.shape).copy())
        bias = layer.bias - rate * dz if layer.use_bias else np.broadcast_to(layer.bias, dz.shape).copy()
        return Update(dz, dz, dw, dz, layer.weights - rate * dw, bias)


@dataclass(frozen=True, eq=False)
class TrainingStep:
    """One step towards the targets, on one row (or on each row of a block, each its own step)."""

    loss_function: Loss
    loss: float | Array  # the loss before the step: a number for one row, one per row for a block
    rate: float
    targets: Array
    output_gradient: Array  # dL/d(outputs)
    updates: tuple[Update, ...]  # one per layer
    perceptron: bool  # the perceptron rule, not gradient descent
    still: int  # layers, from the first, that this step leaves as they are (see still_layers)

    def network(self, before: Network) -> Network:
        """The network after the step (of one row)."""
        return Network(
            tuple(replace(layer, weights=u.weights, bias=u.bias) for layer, u in zip(before.layers, self.updates))
        )


def learning_step(
    forward: NetworkPass, targets: Array, loss: str | Loss = "half_sse", rate: float = 0.1
) -> TrainingStep:
    """One step towards `targets` from a forward pass of one row (targets (k,)) or of a block of rows, each with
    its own targets (rows, k): by the perceptron rule where the network learns by it, else by gradient descent."""
    entry = get(loss)
    outputs = forward.outputs
    targets = np.asarray(targets, dtype=np.float64).reshape((*outputs.shape[:-1], -1))
    if targets.shape[-1] != outputs.shape[-1]:
        raise NeuronError(
            "--target has {size} value{s} but the {s2} has {size2} output{s3}; give one target per output",
            size=targets.shape[-1],
            s="s" if targets.shape[-1] != 1 else "",
            s2="network" if len(forward.passes) > 1 else "layer",
            size2=outputs.shape[-1],
            s3="s" if outputs.shape[-1] != 1 else "",
        )
    values, gradient = row_losses(entry, np.atleast_2d(outputs), np.atleast_2d(targets))
    gradient = gradient.reshape(outputs.shape)
    network = forward.network
    perceptron = learns_by_perceptron(network)
    if perceptron:
        # The step's derivative is 0 everywhere: the perceptron rule moves by the error instead.
        with np.errstate(all="ignore"):
            dzs: tuple[Array, ...] = (outputs - targets,)
        das: tuple[Array, ...] = (gradient,)
    else:
        chain = backward(network.layers, [layer_pass.z for layer_pass in forward.passes], gradient)
        dzs, das = chain.dz, chain.da
    updates = []
    for layer_pass, dz, da in zip(forward.passes, dzs, das):
        updates.append(replace(descend(layer_pass.layer, layer_pass.inputs, dz, rate), da=da))
    value = values[0] if outputs.ndim == 1 else values
    return TrainingStep(entry, value, rate, targets, gradient, tuple(updates), perceptron, still_layers(network))
