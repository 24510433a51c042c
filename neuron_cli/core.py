"""Pure computation on NumPy arrays: products, sums, z, outputs, derivatives and one step of gradient descent."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from .activations import ActivationSpec, get
from .errors import NeuronError
from .messages import message

Array = np.ndarray

LOSSES = ("half_sse", "mse", "binary_crossentropy", "categorical_crossentropy")
KERAS_EPSILON = 1e-7  # keras.config.epsilon(): binary_crossentropy clips probabilities to [eps, 1 - eps]


LEFT_TO_RIGHT = 32  # up to this many inputs the products are added left to right, one column at a time
PRODUCTS_AT_ONCE = 1 << 21  # beyond, the products x_i * w_ji of this many connections are held at once


def weighted_sums(inputs: Array, weights: Array) -> Array:
    """sum_i x_i * w_ji for every neuron j, for one input row (m,) or many (rows, m).

    One fixed order of addition for each width, so that a row gives the same bits alone, in a stream, or in the
    table: left to right up to 32 inputs; beyond, NumPy's pairwise summation along each row's products (the
    same for every row, however many come together), with no Python loop over the inputs.
    """
    if weights.shape[1] <= LEFT_TO_RIGHT:
        total = inputs[..., 0, None] * weights[:, 0]
        for i in range(1, weights.shape[1]):
            total += inputs[..., i, None] * weights[:, i]
        return total
    if inputs.ndim == 1:
        return (inputs * weights).sum(axis=-1)
    step = max(1, PRODUCTS_AT_ONCE // weights.size)
    return (
        np.concatenate(
            [(inputs[start : start + step, None, :] * weights).sum(axis=-1) for start in range(0, len(inputs), step)]
        )
        if len(inputs)
        else np.zeros((0, weights.shape[0]), dtype=np.result_type(inputs, weights))
    )


@dataclass(frozen=True, eq=False)
class Layer:
    """Neurons that share their inputs: `weights` has a row per neuron (neurons x inputs), `bias` one per neuron."""

    weights: Array
    bias: Array
    activation: ActivationSpec
    use_bias: bool = True  # Keras's Dense(use_bias=False): no bias at all, and training gives it none

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

    def gradient(self) -> Gradient:
        jacobian = self.layer.activation.neuron_jacobian(self.z)
        own = np.diagonal(jacobian, axis1=-2, axis2=-1).copy()
        with np.errstate(all="ignore"):
            return Gradient(own, own[..., :, None] * self.inputs[..., None, :], own, jacobian @ self.layer.weights)


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
            takes = message("the model's first layer takes {count} input{s}", count=expected, s="s"[: expected != 1])
        else:
            takes = message("each neuron has {count} weight{s}", count=expected, s="s"[: expected != 1])
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

    def train_step(self, inputs: Array, targets: Array, loss: str = "half_sse", rate: float = 0.1) -> TrainingStep:
        """One step of gradient descent on one example: the loss before it, every gradient, the new weights."""
        return self.forward(inputs).train_step(targets, loss, rate)


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


@dataclass(frozen=True)
class Update:
    """One layer's share of a training step: dL/dz, dL/dw, dL/db per neuron and the weights after the step."""

    dz: Array
    dw: Array
    db: Array
    weights: Array
    bias: Array


@dataclass(frozen=True, eq=False)
class TrainingStep:
    loss_name: str
    loss: float
    rate: float
    targets: Array
    output_gradient: Array  # dL/d(outputs)
    updates: tuple[Update, ...]  # one per layer
    perceptron: bool  # the last layer is a step: its update follows the perceptron rule

    def network(self, before: Network) -> Network:
        """The network after the step."""
        return Network(
            tuple(
                replace(layer, weights=u.weights, bias=u.bias if layer.use_bias else layer.bias)
                for layer, u in zip(before.layers, self.updates)
            )
        )


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

    def input_gradient(self) -> Array:
        """d output_k / d x_i for the whole stack: the chain of each layer's activation Jacobian and weights."""
        total = np.eye(self.network.input_size)
        with np.errstate(all="ignore"):
            for layer_pass in self.passes:
                activation = layer_pass.layer.activation
                slope = activation.derivative(layer_pass.z)
                jacobian = slope if activation.layerwise else slope[..., :, None] * np.eye(slope.shape[-1])
                total = jacobian @ layer_pass.layer.weights @ total
        return total

    def train_step(self, targets: Array, loss: str = "half_sse", rate: float = 0.1) -> TrainingStep:
        """One step of gradient descent on this pass's one input row."""
        if self.inputs.ndim != 1:
            raise NeuronError(
                "a training step takes one input row, not a block of {inputs_count}", inputs_count=len(self.inputs)
            )
        targets = np.asarray(targets, dtype=np.float64).reshape(-1)
        outputs = self.outputs
        if targets.size != outputs.size:
            raise NeuronError(
                "--target has {size} value{s} but the {s2} has {size2} output{s3}; give one target per output",
                size=targets.size,
                s="s" if targets.size != 1 else "",
                s2="network" if len(self.passes) > 1 else "layer",
                size2=outputs.size,
                s3="s" if outputs.size != 1 else "",
            )
        loss_value, gradient = loss_and_gradient(loss, outputs, targets)
        last = self.passes[-1].layer.activation
        perceptron = last.activation.perceptron
        updates: list[Update] = []
        upstream = gradient
        with np.errstate(all="ignore"):
            for index in range(len(self.passes) - 1, -1, -1):
                layer_pass = self.passes[index]
                layer = layer_pass.layer
                if perceptron and index == len(self.passes) - 1:
                    # The step's derivative is 0 everywhere; the perceptron rule moves by the error instead.
                    dz = outputs - targets
                else:
                    dz = layer.activation.backward(layer_pass.z, upstream)
                dw = dz[:, None] * layer_pass.inputs
                updates.append(Update(dz, dw, dz, layer.weights - rate * dw, layer.bias - rate * dz))
                # Below a step the true gradient is 0: the perceptron rule has no error to pass further back.
                upstream = np.zeros(layer.input_size) if perceptron else dz @ layer.weights
        return TrainingStep(loss, loss_value, rate, targets, gradient, tuple(reversed(updates)), perceptron)


def loss_and_gradient(loss: str, outputs: Array, targets: Array) -> tuple[float, Array]:
    """The loss of one row's outputs against its targets, and dL/d(outputs)."""
    losses, gradients = row_losses(loss, outputs[None, :], targets[None, :])
    return float(losses[0]), gradients[0]


def row_losses(loss: str, outputs: Array, targets: Array) -> tuple[Array, Array]:
    """Each row's loss (rows,) and its gradient dL/d(outputs) (rows, k), as Keras computes them: mse and the
    cross-entropies average over the outputs; the probabilities are clipped to [1e-7, 1 - 1e-7] (no slope
    where clipped); categorical_crossentropy first divides the outputs by their sum, as Keras does."""
    error = outputs - targets
    count = outputs.shape[-1]
    with np.errstate(all="ignore"):
        if loss == "half_sse":
            return 0.5 * np.sum(error**2, axis=-1), error
        if loss == "mse":
            return np.mean(error**2, axis=-1), 2.0 * error / count
        if loss == "binary_crossentropy":
            clipped = np.clip(outputs, KERAS_EPSILON, 1.0 - KERAS_EPSILON)
            value = -np.mean(targets * np.log(clipped) + (1.0 - targets) * np.log(1.0 - clipped), axis=-1)
            inside = (outputs >= KERAS_EPSILON) & (outputs <= 1.0 - KERAS_EPSILON)
            slope = (clipped - targets) / (clipped * (1.0 - clipped)) / count
            return value, np.where(inside, slope, 0.0)
        if loss == "categorical_crossentropy":
            total = np.sum(outputs, axis=-1, keepdims=True)
            shares = outputs / total
            clipped = np.clip(shares, KERAS_EPSILON, 1.0 - KERAS_EPSILON)
            value = -np.sum(targets * np.log(clipped), axis=-1)
            inside = (shares >= KERAS_EPSILON) & (shares <= 1.0 - KERAS_EPSILON)
            by_share = np.where(inside, -targets / clipped, 0.0)  # dL/d(share)
            # share_m = y_m / S: dL/dy_j = (dL/dshare_j - sum_m dL/dshare_m * share_m) / S
            return value, (by_share - np.sum(by_share * shares, axis=-1, keepdims=True)) / total
    raise NeuronError("unknown loss {loss!r}; choose one of {items}", loss=loss, items=", ".join(LOSSES))


# ---------------------------------------------------------------- an activation without weights


@dataclass(frozen=True, eq=False)
class ActivationValues:
    """An activation at given z: element by element, or for a layer-wide one on the whole vector (then `slopes`
    is the Jacobian d out_i / d z_j)."""

    spec: ActivationSpec
    z: Array
    values: Array
    slopes: Array


def activation_values(spec: ActivationSpec, z: Array) -> ActivationValues:
    z = np.asarray(z, dtype=np.float64).reshape(-1)
    spec.check_size(z.size)
    return ActivationValues(spec, z, spec(z), spec.derivative(z))


# ---------------------------------------------------------------- truth tables

MAX_TRUTH_INPUTS = 16
GATES = {
    "and": ("all inputs are 1", lambda ones, n: ones == n),
    "or": ("any input is 1", lambda ones, n: ones > 0),
    "nand": ("not all inputs are 1", lambda ones, n: ones < n),
    "nor": ("no input is 1", lambda ones, n: ones == 0),
    "xor": ("an odd number of inputs are 1", lambda ones, n: ones % 2 == 1),
    "xnor": ("an even number of inputs are 1", lambda ones, n: ones % 2 == 0),
}


def truth_inputs(count: int) -> Array:
    """Every 0/1 combination of `count` inputs, one a row, counting up in binary (x1 is the highest bit)."""
    if not 1 <= count <= MAX_TRUTH_INPUTS:
        raise NeuronError(
            "a truth table takes 1 to {MAX_TRUTH_INPUTS} inputs (2^{MAX_TRUTH_INPUTS} rows); this neuron has {count}",
            MAX_TRUTH_INPUTS=MAX_TRUTH_INPUTS,
            count=count,
        )
    numbers = np.arange(2**count)[:, None]
    return ((numbers >> np.arange(count - 1, -1, -1)) & 1).astype(np.float64)


def gate_outputs(gate: str, inputs: Array) -> Array:
    """What the logic gate gives on each row of 0/1 inputs, as 0.0 or 1.0."""
    if gate not in GATES:
        raise NeuronError("unknown gate {gate!r}; choose one of {items}", gate=gate, items=", ".join(GATES))
    ones = inputs.sum(axis=1)
    return GATES[gate][1](ones, inputs.shape[1]).astype(np.float64)


def fired(outputs: Array, activation: ActivationSpec) -> Array:
    """1.0 where a neuron fires: a step's high value, or for any other activation an output of 0.5 or more."""
    if activation.activation.perceptron:
        return (outputs == activation.params["high"]).astype(np.float64)
    return (outputs >= 0.5).astype(np.float64)


@dataclass(frozen=True, eq=False)
class TruthTable:
    """A network on every 0/1 combination of its inputs, and, with a gate, where it differs from the gate."""

    inputs: Array  # (rows, n) of 0.0 and 1.0
    outputs: Array  # (rows, k)
    fires: Array  # (rows, k) of 0.0 and 1.0
    expected: Array | None  # (rows,): what the gate gives
    gate: str | None
    activation: str  # the last layer's
    layers: int
    perceptron: bool = False  # the last layer fires at a step's high value (else: an output of 0.5 or more)

    @property
    def output_mismatches(self) -> Array:
        """(rows, k): where each output differs from the gate; every output is checked on its own."""
        if self.expected is None:
            return np.zeros(self.fires.shape, dtype=bool)
        return self.fires != self.expected[:, None]

    @property
    def mismatches(self) -> Array:
        return np.any(self.output_mismatches, axis=1)

    @property
    def passed(self) -> bool:
        return not self.mismatches.any()


TRUTH_BUDGET = 256 << 20  # bytes a truth table may hold: its outputs, and the layers of a block of rows at once


def truth_table(network: Network, gate: str | None = None) -> TruthTable:
    rows = 2**network.input_size if 1 <= network.input_size <= MAX_TRUTH_INPUTS else 0
    if rows * network.output_size * 8 * 3 > TRUTH_BUDGET:
        raise NeuronError(
            "a truth table of {rows} rows x {outputs} outputs would need more than {budget} MiB; "
            "use fewer inputs or outputs",
            rows=rows,
            outputs=network.output_size,
            budget=TRUTH_BUDGET >> 20,
        )
    inputs = truth_inputs(network.input_size)
    step = network.rows_within(TRUTH_BUDGET // 4)
    outputs = np.vstack([network(inputs[start : start + step]) for start in range(0, len(inputs), step)])
    last = network.layers[-1].activation
    expected = gate_outputs(gate, inputs) if gate is not None else None
    return TruthTable(
        inputs,
        outputs,
        fired(outputs, last),
        expected,
        gate,
        last.name,
        len(network.layers),
        last.activation.perceptron,
    )


# ---------------------------------------------------------------- checking an answer


@dataclass(frozen=True, eq=False)
class Verdict:
    """Each output against the value expected, within its tolerance."""

    expected: Array
    got: Array
    tolerances: Array
    from_decimals: bool  # the tolerances come from the decimals written, not from --tol

    @property
    def differences(self) -> Array:
        return np.abs(self.got - self.expected)

    @property
    def matches(self) -> Array:
        # A hair of slack: 0.62245 written exactly at the edge must not fail on binary rounding.
        return self.differences <= self.tolerances * (1 + 1e-9) + 1e-300

    @property
    def passed(self) -> bool:
        return bool(self.matches.all())


# ---------------------------------------------------------------- grading written answers

VERDICTS = ("pass", "fail", "missing", "invalid", "too_coarse")


@dataclass(frozen=True)
class Tolerance:
    """How near a written answer must be to the true value: one rule for a whole sheet.

    `rule` is "written" (half a unit of the answer's last written decimal), "absolute" (`value`), "relative"
    (`value` times the true value) or "significant" (half a unit of the true value's `value`-th significant digit).
    """

    rule: str = "written"
    value: float = 0.0
    min_decimals: int | None = None  # fewer decimals written than this is too_coarse


def written_exponent(text: str) -> int:
    """The power of ten of the last written digit of a number in Python's float syntax: 0.6225 -> -4, 3 -> 0,
    6.2e-1 -> -2, 1.5e3 -> 2."""
    written = text.strip()
    if "e" not in written and "E" not in written and "_" not in written:  # the common case, quickly
        dot = written.find(".")
        return 0 if dot < 0 else dot + 1 - len(written)
    mantissa, _, exponent = written.lower().replace("_", "").partition("e")
    decimals = len(mantissa.partition(".")[2])
    return (int(exponent) if exponent else 0) - decimals


def grade_cell(text: str, got: float, tolerance: Tolerance) -> tuple[str, float | None]:
    """The verdict of one written answer against the true value, and the tolerance it was held to."""
    written = text.strip()
    if not written:
        return "missing", None
    try:
        value = float(written)
    except ValueError:
        return "invalid", None
    if math.isnan(value):
        return "invalid", None
    if math.isinf(value) or not math.isfinite(got):
        return ("pass" if value == got else "fail"), 0.0
    exponent = written_exponent(written)
    if tolerance.min_decimals is not None and -exponent < tolerance.min_decimals:
        return "too_coarse", None
    if tolerance.rule == "absolute":
        allowed = tolerance.value
    elif tolerance.rule == "relative":
        allowed = tolerance.value * abs(got)
    elif tolerance.rule == "significant":
        allowed = 0.5 * 10.0 ** (math.floor(math.log10(abs(got))) - int(tolerance.value) + 1) if got else 0.0
    else:
        allowed = 0.5 * 10.0**exponent if exponent < 309 else math.inf  # 0e309: a last digit beyond any float
    # A hair of slack, as for check: 0.62245 written exactly at the edge must not fail on binary rounding.
    return ("pass" if abs(value - got) <= allowed * (1 + 1e-9) + 1e-300 else "fail"), allowed
