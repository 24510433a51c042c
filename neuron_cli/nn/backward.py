"""Backpropagation, written once: the chain rule from a gradient at the outputs back through every layer, for
one row, a block of rows (each row its own), or several gradients at once (an extra axis before the last).
A training step (compute --target, answer sheets), a training run and the input gradient (--grad) all use it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .sums import weighted_sums

Array = np.ndarray


@dataclass(frozen=True, eq=False)
class Chain:
    """The gradients backpropagation leaves, layer by layer in the network's order: dL/d(outputs) of each layer
    (`da`), dL/dz of each (`dz`), and dL/d(inputs) of the first (`dx`)."""

    da: tuple[Array, ...]
    dz: tuple[Array, ...]
    dx: Array


def backward(layers: Sequence[Any], zs: Sequence[Array], upstream: Array, to_inputs: bool = True) -> Chain:
    """Backpropagate dL/d(outputs) `upstream` through `layers` (each with `.activation` and `.weights`), whose
    z were `zs`: through each activation (its Jacobian, element by element or layer-wide), then through its
    weights to the layer before. Without `to_inputs` (training, which changes no input) the first layer's
    dL/d(inputs) is not worked out: `dx` is then empty."""
    da: list[Array] = []
    dz: list[Array] = []
    with np.errstate(all="ignore"):
        for depth, (layer, z) in enumerate(zip(reversed(layers), reversed(zs)), start=1):
            da.append(upstream)
            dz.append(layer.activation.backward(z, upstream))
            needed = to_inputs or depth < len(layers)
            # sum_j dL/dz_j * w_ji, in the order of j
            upstream = weighted_sums(dz[-1], layer.weights.T) if needed else np.zeros(0)
    return Chain(tuple(reversed(da)), tuple(reversed(dz)), upstream)
