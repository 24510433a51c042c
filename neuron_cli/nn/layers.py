"""Layers and networks: products, weighted sums, z and outputs for one row or a block of rows, every intermediate
kept where it is shown (LayerPass, NetworkPass), and each neuron's own derivatives."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from ..errors import NeuronError
from ..i18n import Phrase
from .activations import ActivationSpec, get
from .backward import backward
from .sums import weighted_sums

MAX_PARAMS = 100_000_000  # a model file of more parameters is refused before anything is allocated (--max-params)
NOISE = 1e-12  # relative: a sum within this of the size of its terms is floating noise, a true 0

Array = np.ndarray


@dataclass(frozen=True, eq=False)
class Layer:
    """Neurons that share their inputs: `weights` has a row per neuron (neurons x inputs), `bias` one per neuron."""

    weights: Array
    bias: Array
    activation: ActivationSpec
    use_bias: bool = True  # Keras's Dense(use_bias=False): no bias at all, and training gives it none
    label: str = ""  # the Keras layer it stands for, where not a Dense: "batch_normalization (BatchNormalization)"
    trainable: bool = True  # False: the numbers of a layer training leaves (BatchNormalization, an Activation)

    @classmethod
    def create(
        cls,
        weights: Sequence[float] | Sequence[Sequence[float]] | Array,
        bias: float | Sequence[float] | Array = 0.0,
        activation: str | ActivationSpec = "linear",
        use_bias: bool = True,
    ) -> Layer:
        """A layer from plain numbers: one neuron's weights (a flat list) or a row per neuron."""
        matrix = np.array(weights, dtype=np.float64, ndmin=2)
        if matrix.ndim != 2 or matrix.size == 0:
            raise NeuronError(
                "weights must be a non-empty list of rows (neurons x inputs), got shape {shape}", shape=matrix.shape
            )
        spec = get(activation)
        spec.check_size(matrix.shape[0])
        bias_values = broadcast_bias(bias, matrix.shape[0])
        if not use_bias and np.any(bias_values != 0):
            raise NeuronError("a layer without a bias (use_bias false) cannot be given one")
        return cls(matrix, bias_values, spec, use_bias)

    @classmethod
    def initial(
        cls, inputs: int, units: int, activation: str | ActivationSpec, rng: np.random.Generator, use_bias: bool = True
    ) -> Layer:
        """A layer as Keras's Dense starts: kernel glorot_uniform (uniform within +-sqrt(6 / (inputs + units))),
        bias zeros. The numbers come from NumPy's generator, not Keras's, so they differ from Keras's own."""
        limit = np.sqrt(6.0 / (inputs + units))
        kernel = rng.uniform(-limit, limit, size=(inputs, units))
        return cls.create(kernel.T, 0.0, activation, use_bias)

    @classmethod
    def from_kernel(
        cls,
        kernel: Sequence[Sequence[float]] | Array,
        bias: float | Sequence[float] | Array = 0.0,
        activation: str | ActivationSpec = "linear",
    ) -> Layer:
        """A layer from Keras's layout: `kernel` is inputs x outputs, as `Dense.get_weights()[0]` returns it."""
        matrix = np.array(kernel, dtype=np.float64, ndmin=2)
        return cls.create(matrix.T, bias, activation)

    @property
    def input_size(self) -> int:
        return int(self.weights.shape[1])

    @property
    def neurons(self) -> int:
        return int(self.weights.shape[0])

    @property
    def output_size(self) -> int:
        return self.activation.output_size(self.neurons)

    @property
    def dtype(self) -> np.dtype:
        """float64, or float32 for Keras's own arithmetic (`--dtype float32`): every step is rounded to it."""
        return self.weights.dtype

    def astype(self, dtype: type) -> Layer:
        return replace(self, weights=self.weights.astype(dtype), bias=self.bias.astype(dtype))

    def z(self, inputs: Array) -> Array:
        with np.errstate(all="ignore"):
            return weighted_sums(inputs, self.weights) + self.bias

    def __call__(self, inputs: Array) -> Array:
        """The outputs for one input row (m,) or for a block of rows (rows, m)."""
        z = self.z(np.asarray(inputs, dtype=self.dtype))
        return self.activation(z).astype(self.dtype, copy=False)

    def forward(self, inputs: Array) -> LayerPass:
        """Every step for one input row (inputs,), or for a block of rows (rows, inputs) at once: products,
        sums, z, each neuron's value and the outputs, each with the block's rows first."""
        x = np.asarray(inputs, dtype=self.dtype)
        with np.errstate(all="ignore"):
            products = x[..., None, :] * self.weights
            sums = weighted_sums(x, self.weights)
            z = sums + self.bias
        values = self.activation.neuron_values(z).astype(self.dtype, copy=False)
        return LayerPass(self, x, products, sums, z, values, self.activation(z).astype(self.dtype, copy=False))


def broadcast_bias(bias: float | Sequence[float] | Array, neurons: int) -> Array:
    values = np.array(bias, dtype=np.float64).reshape(-1)
    if values.size == 1:
        return np.full(neurons, values[0])
    if values.size != neurons:
        raise NeuronError(
            "b has {size} values but the layer has {neurons} neuron{s}; give one bias shared by all, or one per neuron",
            size=values.size,
            neurons=neurons,
            s="s" if neurons != 1 else "",
        )
    return values


@dataclass(frozen=True)
class Gradient:
    """Derivatives of each neuron's value a_j: d a_j/d z_j, d a_j/d w_ji, d a_j/d b_j and d a_j/d x_i
    (for a block of rows, each with the rows first)."""

    dz: Array  # (neurons,)
    dw: Array  # (neurons, inputs)
    db: Array  # (neurons,)
    dx: Array  # (neurons, inputs)


@dataclass(frozen=True, eq=False)
class LayerPass:
    """One layer's forward pass, every intermediate kept: on one input row (the shapes below), or on a block of
    rows (each shape with the rows first)."""

    layer: Layer
    inputs: Array  # (inputs,)
    products: Array  # (neurons, inputs): x_i * w_ji
    weighted_sums: Array  # (neurons,)
    z: Array  # (neurons,)
    values: Array  # (neurons,): what each neuron shows, f(z_j) (for glu's gates, sigmoid(z_j))
    outputs: Array  # (outputs,): what the layer passes on

    @property
    def scale(self) -> Array:
        """The size of the terms each z is summed from, sum_i |x_i * w_ji| + |b_j|: a z within 1e-12 of it is
        floating noise (z = 5.55e-17 for 1*0.1 + 1*0.2 - 0.3), a true 0."""
        with np.errstate(all="ignore"):
            return np.sum(np.abs(self.products), axis=-1) + np.abs(self.layer.bias)

    def output_scale(self) -> Array:
        """The noise scale of each output: the scale of its z where z is noise and the activation passes it on
        as it is or smaller (relu, tanh, linear of a noise z), else 0 (a small output that is no noise)."""
        if self.layer.activation.layerwise:
            return np.zeros_like(self.outputs)
        with np.errstate(all="ignore"):
            noise = (np.abs(self.z) <= NOISE * self.scale) & (np.abs(self.values) <= np.abs(self.z))
        return np.where(noise, self.scale, 0.0)

    def as_read(self, inputs: Array | None = None) -> LayerPass:
        """This pass as a person reads it (tables, --explain): a sum, z, value or output that is floating noise
        (within 1e-12 of the size of the terms it came from) as the 0 it stands for; on `inputs` instead, where
        the layer before was read so."""
        if inputs is not None:
            return self.layer.forward(inputs).as_read()
        with np.errstate(all="ignore"):
            size = np.sum(np.abs(self.products), axis=-1)
            sums = np.where(np.abs(self.weighted_sums) <= NOISE * size, 0.0, self.weighted_sums)
            noise = np.abs(self.z) <= NOISE * self.scale
            z = np.where(noise, 0.0, self.z)
            values = np.where(noise & (np.abs(self.values) <= np.abs(self.z)), 0.0, self.values)
            outputs = np.where(self.output_scale() > 0, 0.0, self.outputs)
        return replace(self, weighted_sums=sums, z=z, values=values, outputs=outputs)

    def gradient(self) -> Gradient:
        jacobian = self.layer.activation.neuron_jacobian(self.z)
        own = np.diagonal(jacobian, axis1=-2, axis2=-1).copy()
        with np.errstate(all="ignore"):
            dx = weighted_sums(jacobian, self.layer.weights.T)  # sum_k df_j/dz_k * w_ki, in the order of k
            return Gradient(own, own[..., :, None] * self.inputs[..., None, :], own, dx)


@dataclass(frozen=True, eq=False)
class Network:
    """Layers stacked one after another, each taking the previous one's outputs (Keras's Dense, in sequence)."""

    layers: tuple[Layer, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "layers", tuple(self.layers))  # a list of layers is welcome too
        if not self.layers:
            raise NeuronError("a model needs at least one layer")
        for number, (before, after) in enumerate(zip(self.layers, self.layers[1:]), start=2):
            if after.input_size != before.output_size:
                raise NeuronError(
                    "layer {number} takes {input_size} inputs but layer {number2} gives {output_size} outputs; "
                    "the sizes of neighbouring layers must chain",
                    number=number,
                    input_size=after.input_size,
                    number2=number - 1,
                    output_size=before.output_size,
                )

    @property
    def input_size(self) -> int:
        return self.layers[0].input_size

    @property
    def output_size(self) -> int:
        return self.layers[-1].output_size

    def row_bytes(self, every_step: bool = False) -> int:
        """Bytes one input row needs while it is computed and written: its inputs, each layer's z and outputs, and
        the outputs' text; with `every_step` (JSON, gradients) also each layer's products x_i * w_ji, the
        activation's Jacobian, and the JSON text of every input, neuron and connection with the Python objects
        behind it (measured with tracemalloc: 7 KB a row of 8 inputs and one neuron, 43 KB with 16 neurons; these
        figures are above both)."""
        total = 8 * self.input_size + 40 * self.output_size + every_step * 800 * self.input_size
        for layer in self.layers:
            total += 32 * layer.neurons
            if every_step:
                connections = layer.neurons * layer.input_size
                total += 300 * connections + 1800 * layer.neurons + 8 * layer.neurons**2 * layer.activation.layerwise
        return total

    def rows_within(self, budget: int, every_step: bool = False) -> int:
        """How many rows fit `budget` bytes at once (at least one)."""
        return max(1, budget // self.row_bytes(every_step))

    def check_inputs(self, count: int, where: str) -> None:
        """An error unless `count` input values fit the first layer; `where` names them (-x, line 7)."""
        expected = self.input_size
        if count == expected:
            return
        if len(self.layers) > 1:
            takes = Phrase("the model's first layer takes {count} input{s}", count=expected, s="s"[: expected != 1])
        else:
            takes = Phrase("each neuron has {count} weight{s}", count=expected, s="s"[: expected != 1])
        raise NeuronError(
            "{where} has {count} value{s} but {takes}",
            where=where,
            count=count,
            s="s" if count != 1 else "",
            takes=takes,
        )

    def astype(self, dtype: type) -> Network:
        """The same network computing in another float type (float32: Keras's default arithmetic)."""
        return Network(tuple(layer.astype(dtype) for layer in self.layers))

    def __call__(self, inputs: Array) -> Array:
        """The final outputs for one input row or a block of rows (in float64, whatever the arithmetic)."""
        values = np.asarray(inputs, dtype=np.float64)
        for layer in self.layers:
            values = layer(values)
        return values.astype(np.float64, copy=False)

    def forward(self, inputs: Array) -> NetworkPass:
        passes = []
        values = np.asarray(inputs, dtype=np.float64)
        for layer in self.layers:
            passes.append(layer.forward(values))
            values = passes[-1].outputs
        return NetworkPass(self, tuple(passes))

    def trace(self, inputs: Array) -> Trace:
        """The forward pass that learning needs and no more: each layer's inputs and z, and the outputs (for a
        block of rows: no products x_i * w_ji are kept)."""
        seen = [np.asarray(inputs, dtype=self.layers[0].dtype)]
        zs = []
        for layer in self.layers:
            zs.append(layer.z(seen[-1]))
            seen.append(layer.activation(zs[-1]).astype(layer.dtype, copy=False))
        return Trace(tuple(seen[:-1]), tuple(zs), seen[-1])


@dataclass(frozen=True, eq=False)
class Trace:
    """What a forward pass leaves for the backward one: each layer's inputs and z, and the final outputs."""

    inputs: tuple[Array, ...]
    zs: tuple[Array, ...]
    outputs: Array


@dataclass(frozen=True, eq=False)
class Block:
    """Rows of a stream (or of a file given to -x): the inputs, numbered from `first_row`, and what the network
    makes of them, computed when first asked for."""

    network: Network
    inputs: Array  # (rows, inputs)
    first_row: int = 1

    @cached_property
    def outputs(self) -> Array:
        return self.network(self.inputs)

    @cached_property
    def forward(self) -> NetworkPass:
        return self.network.forward(self.inputs)


@dataclass(frozen=True, eq=False)
class NetworkPass:
    network: Network
    passes: tuple[LayerPass, ...]

    @property
    def inputs(self) -> Array:
        return self.passes[0].inputs

    @property
    def outputs(self) -> Array:
        return self.passes[-1].outputs

    def as_read(self) -> NetworkPass:
        """Every layer as a person reads it (LayerPass.as_read), each taking the layer before's outputs so read."""
        passes: list[LayerPass] = []
        for layer_pass in self.passes:
            passes.append(layer_pass.as_read(passes[-1].outputs if passes else None))
        return replace(self, passes=tuple(passes))

    def input_gradient(self) -> Array:
        """d output_k / d x_i for the whole stack (outputs x inputs, the rows first for a block): backpropagation
        of each output's unit gradient through every layer."""
        eye = np.eye(self.network.output_size)
        zs = [layer_pass.z[..., None, :] for layer_pass in self.passes]  # room for the outputs' axis
        upstream = np.broadcast_to(eye, (*self.outputs.shape[:-1], *eye.shape))
        return backward(self.network.layers, zs, upstream).dx
