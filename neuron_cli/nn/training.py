"""Epochs of training over a data set, as Keras 3's `model.fit(x, t, batch_size, epochs, shuffle=False)` does
them in float64, or by the perceptron rule for a single step layer; pure computation, no output."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np

from ..errors import NeuronError
from .backward import backward
from .layers import Network
from .learning import descend, learns_by_perceptron, still_layers
from .losses import get as get_loss
from .losses import row_losses
from .optimizers import Optimizer
from .sums import ordered_sum, weighted_sums

Array = np.ndarray


@dataclass(frozen=True)
class Settings:
    """How to train, besides the network and the optimizer: Keras's fit arguments, and the loss."""

    loss: str = "half_sse"
    batch_size: int = 32
    shuffle: bool = False
    seed: int = 0


@dataclass(frozen=True)
class Epoch:
    """One epoch's report: Keras's history entries (loss, accuracy) and, for the perceptron, its mistakes."""

    number: int  # from 1
    loss: float  # the mean over the epoch's rows of each batch's loss before its update
    accuracy: float | None  # None where accuracy means nothing (targets that are not classes)
    mistakes: int | None = None  # perceptron: rows whose output differed from the target


def accuracy_kind(targets: Array) -> str | None:
    """Keras's accuracy for these targets: "binary" (one output, 0/1 targets), "categorical" (one-hot rows),
    or None (a regression, where accuracy means nothing)."""
    if targets.shape[1] == 1:
        return "binary" if np.isin(targets, (0.0, 1.0)).all() else None
    one_hot = np.isin(targets, (0.0, 1.0)).all() and np.all(targets.sum(axis=1) == 1)
    return "categorical" if one_hot else None


def correct(kind: str | None, outputs: Array, targets: Array) -> Array | None:
    """Per row, 1.0 where the prediction is right: output > 0.5 against the target (binary) or argmax (categorical)."""
    if kind == "binary":
        return ((outputs > 0.5).astype(np.float64) == targets).mean(axis=1)
    if kind == "categorical":
        return (np.argmax(outputs, axis=1) == np.argmax(targets, axis=1)).astype(np.float64)
    return None


class Trainer:
    """Trains a network epoch by epoch; `network` is the network as it stands after the last epoch.

    Gradient descent: each batch's loss is the mean of its rows' losses, its gradient (by backpropagation,
    nn/backward.py) that mean's, and the optimizer steps by it. A network of one step layer learns by the
    perceptron rule instead, a row at a time (nn/learning.py: the same step `compute --target` takes).
    """

    def __init__(
        self, network: Network, inputs: Array, targets: Array, settings: Settings, optimizer: Optimizer
    ) -> None:
        if len(inputs) == 0:
            raise NeuronError("the data set has no rows to train on")
        self.inputs, self.targets = inputs, targets
        self.loss, self.optimizer = get_loss(settings.loss), optimizer
        self.batch_size, self.shuffle = settings.batch_size, settings.shuffle
        self.rng = np.random.default_rng(settings.seed)
        self.kind = accuracy_kind(targets)
        self.perceptron = learns_by_perceptron(network)
        self.still = still_layers(network)
        # Copies, which the optimizer changes in place: the network given stays as it was.
        self.layers = [replace(layer, weights=layer.weights.copy(), bias=layer.bias.copy()) for layer in network.layers]
        # Gradient descent changes the layers' arrays in place: one Network of them serves every batch.
        self._network = None if self.perceptron else Network(tuple(self.layers))
        if not self.perceptron:
            optimizer.build(self._variables())

    def _variables(self) -> list[Array]:
        """The variables in Keras's order (each layer's kernel, then its bias), as arrays the optimizer updates
        in place."""
        variables = []
        for layer in self.layers:
            if layer.trainable:  # a layer standing for BatchNormalization or PReLU keeps its numbers
                variables.append(layer.weights)
                if layer.use_bias:
                    variables.append(layer.bias)
        return variables

    @property
    def network(self) -> Network:
        return Network(
            tuple(replace(layer, weights=layer.weights.copy(), bias=layer.bias.copy()) for layer in self.layers)
        )

    def epochs(self, count: int) -> Iterator[Epoch]:
        """Up to `count` epochs, each reported as it ends; the perceptron stops after one without a mistake."""
        for number in range(1, count + 1):
            epoch = self._perceptron_epoch(number) if self.perceptron else self._epoch(number)
            if not math.isfinite(epoch.loss):
                raise NeuronError(
                    "the loss became {loss} in epoch {number}: training diverged; try a smaller --lr (nothing was "
                    "saved)",
                    loss=epoch.loss,
                    number=number,
                )
            if not all(np.isfinite(layer.weights).all() and np.isfinite(layer.bias).all() for layer in self.layers):
                raise NeuronError(  # a saturated output can keep the loss finite while a weight runs off to inf
                    "a weight or bias became infinite or not a number in epoch {number}: training diverged; try a "
                    "smaller --lr (nothing was saved)",
                    number=number,
                )
            yield epoch
            if epoch.mistakes == 0:
                return

    def _order(self) -> Array:
        return self.rng.permutation(len(self.inputs)) if self.shuffle else np.arange(len(self.inputs))

    def _epoch(self, number: int) -> Epoch:
        order = self._order()
        total_loss = 0.0
        right = 0.0
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            loss, outputs, gradients = self.gradients(self.inputs[rows], self.targets[rows])
            total_loss += loss * len(rows)
            hits = correct(self.kind, outputs, self.targets[rows])
            if hits is not None:
                right += float(hits.sum())
            if not math.isfinite(loss):
                return Epoch(number, loss, None)
            self.optimizer.apply(gradients, self._variables())
        rows_seen = len(order)
        return Epoch(number, total_loss / rows_seen, right / rows_seen if self.kind else None)

    def gradients(self, inputs: Array, targets: Array) -> tuple[float, Array, list[Array]]:
        """The batch's loss (the mean of its rows' losses), its outputs, and the gradient of that mean for each
        variable (in the order of `_variables`)."""
        trace = Network(tuple(self.layers)).trace(inputs) if self._network is None else self._network.trace(inputs)
        losses, slopes = row_losses(self.loss, trace.outputs, targets)
        chain = backward(self.layers, trace.zs, slopes / len(inputs), to_inputs=False)
        gradients: list[Array] = []
        with np.errstate(all="ignore"):
            for layer, seen, dz in zip(self.layers, trace.inputs, chain.dz):
                if not layer.trainable:
                    continue
                # sum over the batch's rows of dL/dz_j * x_i, in the order of the rows (not BLAS's)
                gradients.append(weighted_sums(seen.T, dz.T).T)
                if layer.use_bias:
                    gradients.append(ordered_sum(dz))
        return float(ordered_sum(losses) / len(losses)), trace.outputs, gradients

    def _perceptron_epoch(self, number: int) -> Epoch:
        """The perceptron rule, a row at a time: w_i += lr (t - y) x_i, b += lr (t - y) (learning.descend)."""
        rate = self.optimizer.rate
        total_loss, mistakes, right = 0.0, 0, 0.0
        for r in self._order():
            x, t = self.inputs[r], self.targets[r]
            layer = self.layers[0]
            y = layer(x)
            losses, _ = row_losses(self.loss, y[None, :], t[None, :])
            total_loss += float(losses[0])
            hits = correct(self.kind, y[None, :], t[None, :])
            right += float(hits[0]) if hits is not None else 0.0
            if np.any(t != y):
                mistakes += 1
                update = descend(layer, x, y - t, rate)
                self.layers[0] = replace(layer, weights=update.weights, bias=update.bias)
        rows = len(self.inputs)
        return Epoch(number, total_loss / rows, right / rows if self.kind else None, mistakes)
