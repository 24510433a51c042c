"""The registry of losses: each one's name, value and gradient (as Keras 3 computes them), and its formulas for
--explain, kept as data, so that no other module asks for a loss by its name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..errors import NeuronError

Array = np.ndarray
KERAS_EPSILON = 1e-7  # keras.config.epsilon(): the cross-entropies clip probabilities to [eps, 1 - eps]


@dataclass(frozen=True)
class Loss:
    """One entry of the registry. `function(outputs, targets)` takes rows of outputs and targets (rows, k) and
    gives each row's loss (rows,) and its gradient dL/d(outputs) (rows, k)."""

    name: str
    summary: str
    formula: str  # L, as --explain writes it
    slope: str  # dL/dy_k, as --explain writes it
    function: Callable[[Array, Array], tuple[Array, Array]]
    keras_name: str | None = None  # the loss's name in keras.losses; None: not one of Keras's


def _half_sse(outputs: Array, targets: Array) -> tuple[Array, Array]:
    error = outputs - targets
    return 0.5 * np.sum(error**2, axis=-1), error


def _mse(outputs: Array, targets: Array) -> tuple[Array, Array]:
    error = outputs - targets
    return np.mean(error**2, axis=-1), 2.0 * error / outputs.shape[-1]


def _binary_crossentropy(outputs: Array, targets: Array) -> tuple[Array, Array]:
    """Keras's, on probabilities: clipped to [1e-7, 1 - 1e-7] (no slope where clipped), averaged over outputs."""
    clipped = np.clip(outputs, KERAS_EPSILON, 1.0 - KERAS_EPSILON)
    value = -np.mean(targets * np.log(clipped) + (1.0 - targets) * np.log(1.0 - clipped), axis=-1)
    inside = (outputs >= KERAS_EPSILON) & (outputs <= 1.0 - KERAS_EPSILON)
    slope = (clipped - targets) / (clipped * (1.0 - clipped)) / outputs.shape[-1]
    return value, np.where(inside, slope, 0.0)


def _categorical_crossentropy(outputs: Array, targets: Array) -> tuple[Array, Array]:
    """Keras's, on probabilities: the outputs divided by their sum, clipped to [1e-7, 1 - 1e-7]."""
    total = np.sum(outputs, axis=-1, keepdims=True)
    shares = outputs / total
    clipped = np.clip(shares, KERAS_EPSILON, 1.0 - KERAS_EPSILON)
    value = -np.sum(targets * np.log(clipped), axis=-1)
    inside = (shares >= KERAS_EPSILON) & (shares <= 1.0 - KERAS_EPSILON)
    by_share = np.where(inside, -targets / clipped, 0.0)  # dL/d(share)
    # share_m = y_m / S: dL/dy_j = (dL/dshare_j - sum_m dL/dshare_m * share_m) / S
    return value, (by_share - np.sum(by_share * shares, axis=-1, keepdims=True)) / total


REGISTRY: tuple[Loss, ...] = (
    Loss(
        "half_sse",
        "Half the sum of squared errors: the delta rule's loss.",
        "L = 1/2 * sum_k (y_k - t_k)^2",
        "dL/dy_k = y_k - t_k",
        _half_sse,
    ),
    Loss(
        "mse",
        "Keras's mean squared error, averaged over the outputs.",
        "L = 1/K * sum_k (y_k - t_k)^2  (Keras's mean squared error, K outputs)",
        "dL/dy_k = 2 (y_k - t_k) / K",
        _mse,
        "mean_squared_error",
    ),
    Loss(
        "binary_crossentropy",
        "Keras's binary cross-entropy on probabilities, averaged over the outputs.",
        "L = -1/K * sum_k [t_k log(y_k) + (1 - t_k) log(1 - y_k)]  (y clipped to [1e-7, 1 - 1e-7])",
        "dL/dy_k = (y_k - t_k) / (y_k (1 - y_k)) / K",
        _binary_crossentropy,
        "binary_crossentropy",
    ),
    Loss(
        "categorical_crossentropy",
        "Keras's categorical cross-entropy on probabilities (after softmax).",
        "L = -sum_k t_k log(s_k), s_k = y_k / sum_j y_j  (s clipped to [1e-7, 1 - 1e-7])",
        "dL/dy_k = (dL/ds_k - sum_j dL/ds_j * s_j) / sum_j y_j, dL/ds_k = -t_k / s_k",
        _categorical_crossentropy,
        "categorical_crossentropy",
    ),
)
NAMES = tuple(loss.name for loss in REGISTRY)
_BY_NAME = {loss.name: loss for loss in REGISTRY}


def get(name: str | Loss) -> Loss:
    """The loss called `name` (a Loss passes through), or an error naming the choices."""
    if isinstance(name, Loss):
        return name
    key = name.strip().lower().replace("-", "_")
    if key not in _BY_NAME:
        raise NeuronError("unknown loss {loss!r}; choose one of {items}", loss=name, items=", ".join(NAMES))
    return _BY_NAME[key]


def row_losses(loss: str | Loss, outputs: Array, targets: Array) -> tuple[Array, Array]:
    """Each row's loss (rows,) and its gradient dL/d(outputs) (rows, k), as Keras computes them."""
    with np.errstate(all="ignore"):
        return get(loss).function(outputs, targets)
