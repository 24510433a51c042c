"""A model as Keras's layers (what `model.summary()` shows, with Keras's parameter counts) and the network
neuron computes from them.

The layers neuron reads: InputLayer; Dense; Activation and the activation layers (ReLU, LeakyReLU, ELU,
PReLU, Softmax); BatchNormalization at inference; Flatten, and Reshape to a flat shape; Dropout and the noise
layers (nothing at inference). In the network, an activation after a linear Dense becomes that Dense's; a
BatchNormalization is a layer of its own, x * (gamma / sqrt(variance + epsilon)) + (beta - mean * that), as
Keras computes it; a PReLU of one slope is leaky_relu's, of a slope per unit the two layers of Keras's own
formula, relu(x) - alpha * relu(-x). Layers that stand for a Keras layer without a kernel keep their numbers
when the network trains.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ...errors import NeuronError
from ...nn.activations import get
from ...nn.layers import MAX_PARAMS, Layer, Network

Array = np.ndarray
ACTIVATION_LAYERS = ("Activation", "ReLU", "LeakyReLU", "ELU", "Softmax")
NOTHING_AT_INFERENCE = (
    "Dropout",
    "GaussianNoise",
    "GaussianDropout",
    "AlphaDropout",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "SpatialDropout3D",
    "ActivityRegularization",
)
SHAPE_LAYERS = ("Flatten", "Reshape")


@dataclass
class KerasLayer:
    """One of Keras's layers: its name and class, what kind of work it does, its activation (a neuron SPEC),
    its numbers by Keras's names (kernel, bias; gamma, beta, moving_mean, moving_variance; alpha), its output
    shape (without the batch axis) and Keras's parameter counts."""

    name: str
    class_name: str
    kind: str  # dense, activation, batch_normalization, prelu, shape, nothing
    activation: str = ""
    units: int | None = None
    use_bias: bool = True
    arrays: dict[str, Array] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)  # epsilon, center, scale, target_shape
    output_shape: tuple[int, ...] | None = None
    params: int = 0
    trainable: int = 0
    within: str = ""  # the nested Sequential it belongs to

    @property
    def kernel(self) -> Array | None:
        return self.arrays.get("kernel")

    @property
    def bias(self) -> Array | None:
        return self.arrays.get("bias")

    @property
    def label(self) -> str:
        return f"{self.name} ({self.class_name})"


@dataclass
class KerasModel:
    """A model: its name, the shape of one input, its layers, and the dtype its weights were kept in."""

    name: str
    input_shape: tuple[int, ...] | None
    layers: list[KerasLayer] = field(default_factory=list)
    dtype: str = "float32"

    @property
    def input_size(self) -> int | None:
        return None if self.input_shape is None else int(np.prod(self.input_shape))

    @property
    def params(self) -> int:
        return sum(layer.params for layer in self.layers)

    @property
    def trainable(self) -> int:
        return sum(layer.trainable for layer in self.layers)

    def network(self, max_params: int = MAX_PARAMS) -> Network:
        """The network neuron computes (see the module's docstring), of at most `max_params` weights."""
        layers: list[Layer] = []
        for layer in self.layers:
            layers.extend(_computed(layer, layers, max_params))
        if not layers:
            raise NeuronError("the model has no layer that computes (Dense, BatchNormalization, ...)")
        return Network(tuple(layers))


def _computed(layer: KerasLayer, before: list[Layer], max_params: int = MAX_PARAMS) -> list[Layer]:
    """The layers of the network that compute what this Keras layer does (none for a shape or nothing layer; an
    activation after a linear Dense replaces that Dense's). A layer Keras computes value by value (Activation,
    BatchNormalization, PReLU) is a square layer here: its weights count towards `max_params` before they are
    made, so that a wide input cannot ask for gigabytes."""
    if layer.kind in ("activation", "batch_normalization", "prelu"):
        merged = layer.kind == "activation" and (
            get(layer.activation).is_identity or (before and before[-1].activation.is_identity and not before[-1].label)
        )
        size = 0 if merged else before[-1].output_size if before and layer.kind == "activation" else _size(layer)
        alpha = layer.arrays.get("alpha") if layer.kind == "prelu" else None
        per_unit = alpha is not None and not np.all(alpha == alpha.reshape(-1)[0])
        made = (4 if per_unit else 1) * size * size  # a PReLU of a slope per unit: two layers of 2 x size x size
        if sum(part.weights.size for part in before) + made > max_params:
            raise NeuronError(
                "layer {name!r} ({kind}) on {size} values is computed with {count} weights, more than {limit} "
                "parameters in all (--max-params)",
                name=layer.name,
                kind=layer.class_name,
                size=size,
                count=made,
                limit=max_params,
            )
    if layer.kind == "dense":
        assert layer.kernel is not None
        bias = layer.bias if layer.bias is not None else 0.0
        return [Layer.create(layer.kernel.T, bias, layer.activation or "linear", layer.bias is not None)]
    if layer.kind == "activation":
        if get(layer.activation).is_identity:
            return []
        if before and before[-1].activation.is_identity and not before[-1].label:
            last = before.pop()
            return [Layer.create(last.weights, last.bias, layer.activation, last.use_bias)]
        size = before[-1].output_size if before else _size(layer)
        return [_fixed(np.eye(size), np.zeros(size), layer.activation, layer, use_bias=False)]
    if layer.kind == "batch_normalization":
        return [_batch_normalization(layer)]
    if layer.kind == "prelu":
        return _prelu(layer)
    return []


def _size(layer: KerasLayer) -> int:
    if layer.output_shape is None:
        raise NeuronError("layer {name!r}: its size is not known", name=layer.name)
    return int(np.prod(layer.output_shape))


def _fixed(weights: Array, bias: Array, activation: str, layer: KerasLayer, use_bias: bool = True) -> Layer:
    return replace(Layer.create(weights, bias, activation, use_bias), label=layer.label, trainable=False)


def _batch_normalization(layer: KerasLayer) -> Layer:
    """Keras's batch_normalization at inference: inv = rsqrt(variance + epsilon) * gamma; x * inv + (beta -
    mean * inv)."""
    a = layer.arrays
    with np.errstate(all="ignore"):
        inv = 1.0 / np.sqrt(a["moving_variance"] + float(layer.settings.get("epsilon", 1e-3)))
        if "gamma" in a:
            inv = inv * a["gamma"]
        shift = -a["moving_mean"] * inv
        if "beta" in a:
            shift = shift + a["beta"]
    return _fixed(np.diag(inv), shift, "linear", layer)


def _prelu(layer: KerasLayer) -> list[Layer]:
    """PReLU: one slope is leaky_relu's; a slope per unit, Keras's own relu(x) - alpha * relu(-x) in two layers."""
    alpha = layer.arrays["alpha"].reshape(-1)
    size = _size(layer)
    if np.all(alpha == alpha[0]):
        return [_fixed(np.eye(size), np.zeros(size), f"leaky_relu:negative_slope={float(alpha[0])!r}", layer, False)]
    alpha = np.broadcast_to(alpha, (size,)) if alpha.size == 1 else alpha
    eye = np.eye(size)
    split = _fixed(np.vstack([eye, -eye]), np.zeros(2 * size), "relu", layer, use_bias=False)
    joined = _fixed(np.hstack([eye, -np.diag(alpha)]), np.zeros(size), "linear", layer, use_bias=False)
    return [split, joined]
