"""Epochs of training over a data set, as Keras 3's `model.fit(x, t, batch_size, epochs, shuffle=False)` does
them in float64, or by the perceptron rule for a single step layer; pure computation, no output."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np

from .core import Network, row_losses, weighted_sums
from .errors import NeuronError
from .optimizers import Optimizer

Array = np.ndarray


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
    """Trains a network epoch by epoch; `network` is the network as it stands after the last epoch."""

    def __init__(
        self,
        network: Network,
        inputs: Array,
        targets: Array,
        loss: str,
        optimizer: Optimizer,
        batch_size: int = 32,
        shuffle: bool = False,
        seed: int = 0,
    ) -> None:
        if len(inputs) == 0:
            raise NeuronError("the data set has no rows to train on")
        self.inputs, self.targets = inputs, targets
        self.loss, self.optimizer = loss, optimizer
        self.batch_size, self.shuffle = batch_size, shuffle
        self.rng = np.random.default_rng(seed)
        self.kind = accuracy_kind(targets)
        self.perceptron = len(network.layers) == 1 and network.layers[0].activation.activation.perceptron
        # The variables, in Keras's order (each layer's kernel, then its bias), as arrays updated in place.
        self.weights = [layer.weights.copy() for layer in network.layers]
        self.biases = [layer.bias.copy() for layer in network.layers]
        self.layers = network.layers
        if not self.perceptron:
            optimizer.build(self._variables())

    def _variables(self) -> list[Array]:
        variables = []
        for layer, weights, bias in zip(self.layers, self.weights, self.biases):
            variables.append(weights)
            if layer.use_bias:
                variables.append(bias)
        return variables

    @property
    def network(self) -> Network:
        return Network(
            tuple(
                replace(layer, weights=w.copy(), bias=b.copy())
                for layer, w, b in zip(self.layers, self.weights, self.biases)
            )
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
        variable, by backpropagation through every layer. The forward pass keeps only what the gradients need
        (each layer's inputs and z) and multiplies as Keras's Dense does (x @ kernel)."""
        seen = [inputs]
        zs = []
        with np.errstate(all="ignore"):
            for layer, weights, bias in zip(self.layers, self.weights, self.biases):
                zs.append(seen[-1] @ weights.T + bias)
                seen.append(layer.activation(zs[-1]))
            losses, slopes = row_losses(self.loss, seen[-1], targets)
            upstream = slopes / len(inputs)
            gradients: list[Array] = []
            for index in range(len(self.layers) - 1, -1, -1):
                layer = self.layers[index]
                dz = layer.activation.backward(zs[index], upstream)
                if layer.use_bias:
                    gradients.append(dz.sum(axis=0))
                gradients.append(dz.T @ seen[index])
                upstream = dz @ self.weights[index]
        return float(np.mean(losses)), seen[-1], gradients[::-1]

    def _perceptron_epoch(self, number: int) -> Epoch:
        """The perceptron rule, a row at a time: w_i += lr (t - y) x_i, b += lr (t - y)."""
        layer = self.layers[0]
        weights, bias, rate = self.weights[0], self.biases[0], self.optimizer.rate
        total_loss, mistakes, right = 0.0, 0, 0.0
        for r in self._order():
            x, t = self.inputs[r], self.targets[r]
            y = layer.activation(weighted_sums(x, weights) + bias)
            losses, _ = row_losses(self.loss, y[None, :], t[None, :])
            total_loss += float(losses[0])
            error = t - y
            hits = correct(self.kind, y[None, :], t[None, :])
            right += float(hits[0]) if hits is not None else 0.0
            if np.any(error != 0):
                mistakes += 1
                weights += rate * error[:, None] * x[None, :]
                if layer.use_bias:
                    bias += rate * error
        rows = len(self.inputs)
        return Epoch(number, total_loss / rows, right / rows if self.kind else None, mistakes)
