"""The registry of activations: each one's name, parameters, function, derivative and formula, kept as data."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import NeuronError
from .syntax import parse_number

Array = np.ndarray
Value = float | bool | None
Params = Mapping[str, Any]
Function = Callable[[Array, Params], Array]

# Keras 3's SELU constants (keras/src/backend/*/nn.py).
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
GELU_FORMULAS = {
    False: "z * (1 + erf(z / sqrt(2))) / 2",
    True: "z * (1 + tanh(sqrt(2/pi) * (z + 0.044715 * z^3))) / 2",
}
GELU_CUBIC = 0.044715

_erf = np.frompyfunc(math.erf, 1, 1)


def erf(x: Array) -> Array:
    """The error function, element by element (NumPy has none; math.erf is correctly rounded to an ulp)."""
    return np.asarray(_erf(x), dtype=np.float64)


@dataclass(frozen=True)
class Param:
    """One parameter of an activation: its Keras 3 name, its default, and what kind of value it takes."""

    name: str
    default: Value = None
    kind: str = "number"  # "number", "number_or_none" or "bool"
    required: bool = False
    help: str = ""


@dataclass(frozen=True)
class Activation:
    """One entry of the registry.

    `function(z, params)` and `derivative(z, params)` act element by element, unless `layerwise` is set: then
    they take the layer's whole vector of z (the last axis) and `derivative` returns the Jacobian
    d output_i / d z_j with shape (..., outputs, neurons).
    """

    name: str
    formula: str
    derivative_formula: str
    output_range: str
    function: Function
    derivative: Function
    params: tuple[Param, ...] = ()
    aliases: tuple[str, ...] = ()
    layerwise: bool = False
    summary: str = ""
    validate: Callable[[Params], str | None] | None = None
    plot_range: tuple[float, float] = (-6.0, 6.0)
    formula_of: Callable[[Params], str] | None = None  # the formula for these parameters, where they change it
    halves_layer: bool = False  # the second half of the neurons gate the first (glu): half as many outputs
    perceptron: bool = False  # a network ending in it learns by the perceptron rule (step), not by its slope

    def output_size(self, neurons: int) -> int:
        return neurons // 2 if self.halves_layer else neurons

    def gates(self, neurons: int) -> range:
        """The neurons that gate others rather than give outputs of their own (glu's second half)."""
        return range(neurons // 2, neurons) if self.halves_layer else range(0)


# ---------------------------------------------------------------- stable building blocks


def sigmoid(z: Array) -> Array:
    """1 / (1 + exp(-z)) without overflow: exp is only ever taken of a non-positive number."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softplus(z: Array) -> Array:
    return np.logaddexp(z, 0.0)


def _where(condition: Array, then: Array | float, otherwise: Array | float) -> Array:
    return np.where(condition, then, otherwise).astype(np.float64)


# ---------------------------------------------------------------- element-wise activations


def _relu(z: Array, p: Params) -> Array:
    """Keras 3's relu, branch for branch (keras/src/activations/activations.py, ReLU.static_call)."""
    slope, max_value, threshold = p["negative_slope"], p["max_value"], p["threshold"]
    if slope != 0 and max_value is None and threshold == 0:
        return np.maximum(z, slope * z)
    positive = _where(z > threshold, z, 0.0) if threshold != 0 else np.maximum(z, 0.0)
    if max_value is not None:
        positive = np.clip(positive, 0.0, max_value)
    if slope != 0:
        positive = positive - slope * np.maximum(threshold - z, 0.0)
    return positive


def _relu_formula(p: Params) -> str:
    slope, max_value, threshold = p["negative_slope"], p["max_value"], p["threshold"]
    if slope != 0 and max_value is None and threshold == 0:
        return "max(z, negative_slope * z)"
    text = "(z if z > threshold else 0)" if threshold != 0 else "max(z, 0)"
    if max_value is not None:
        text = f"clip({text}, 0, max_value)"
    if slope != 0:
        text += " - negative_slope * max(threshold - z, 0)"
    return text


def _relu_derivative(z: Array, p: Params) -> Array:
    slope, max_value, threshold = p["negative_slope"], p["max_value"], p["threshold"]
    if slope != 0 and max_value is None and threshold == 0:
        return _where(z > 0, max(1.0, slope), min(1.0, slope))
    rising = z > threshold
    if threshold == 0 or max_value is not None:
        rising &= z > 0
    if max_value is not None:
        rising &= z <= max_value
    return rising + _where(z <= threshold, slope, 0.0)


def _elu(z: Array, alpha: float) -> Array:
    return _where(z >= 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def _elu_derivative(z: Array, alpha: float) -> Array:
    return _where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))


def _gelu(z: Array, p: Params) -> Array:
    if p["approximate"]:
        return z * (0.5 * (1.0 + np.tanh(SQRT_2_OVER_PI * (z + GELU_CUBIC * z**3))))
    return z * (erf(z / math.sqrt(2.0)) + 1.0) / 2.0


def _gelu_derivative(z: Array, p: Params) -> Array:
    if p["approximate"]:
        t = np.tanh(SQRT_2_OVER_PI * (z + GELU_CUBIC * z**3))
        return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_CUBIC * z * z)
    cdf = (erf(z / math.sqrt(2.0)) + 1.0) / 2.0
    pdf = np.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)
    return cdf + z * pdf


def _squareplus(z: Array, p: Params) -> Array:
    # (z + sqrt(z^2 + b)) / 2, written so that neither z^2 overflows nor the sum cancels for negative z.
    root = np.hypot(z, math.sqrt(p["b"]))
    with np.errstate(divide="ignore", invalid="ignore"):
        negative = p["b"] / (2.0 * (root - z))
    return _where(z >= 0, (z + root) / 2.0, negative)


def _squareplus_derivative(z: Array, p: Params) -> Array:
    root = np.hypot(z, math.sqrt(p["b"]))
    with np.errstate(divide="ignore", invalid="ignore"):
        negative = p["b"] / (2.0 * root * (root - z))
        positive = (1.0 + z / root) / 2.0
    return _where(z >= 0, positive, negative)


def _sparse_plus(z: Array, _: Params) -> Array:
    return _where(z <= -1, 0.0, _where(z < 1, 0.25 * (z + 1.0) ** 2, z))


def _sparse_plus_derivative(z: Array, _: Params) -> Array:
    return _where(z <= -1, 0.0, _where(z <= 1, 0.5 * (z + 1.0), 1.0))


def _mish(z: Array, _: Params) -> Array:
    return z * np.tanh(softplus(z))


def _mish_derivative(z: Array, _: Params) -> Array:
    t = np.tanh(softplus(z))
    return t + z * (1.0 - t * t) * sigmoid(z)


def _hard_sigmoid(z: Array, _: Params) -> Array:
    return np.clip(z / 6.0 + 0.5, 0.0, 1.0)


def _hard_sigmoid_derivative(z: Array, _: Params) -> Array:
    return _where((z > -3) & (z <= 3), 1.0 / 6.0, 0.0)


def _hard_silu(z: Array, p: Params) -> Array:
    return z * _hard_sigmoid(z, p)


def _hard_silu_derivative(z: Array, _: Params) -> Array:
    return _where(z <= -3, 0.0, _where(z <= 3, (2.0 * z + 3.0) / 6.0, 1.0))


def _soft_shrink(z: Array, p: Params) -> Array:
    t = p["threshold"]
    return _where(z > t, z - t, _where(z < -t, z + t, 0.0))


def _shrink_derivative(z: Array, p: Params) -> Array:
    t = p["threshold"]
    return _where((z > t) | (z <= -t), 1.0, 0.0)


def _hard_shrink(z: Array, p: Params) -> Array:
    return _where(np.abs(z) > p["threshold"], z, 0.0)


def _threshold(z: Array, p: Params) -> Array:
    return _where(z > p["threshold"], z, p["default_value"])


def _threshold_derivative(z: Array, p: Params) -> Array:
    return _where(z > p["threshold"], 1.0, 0.0)


def _step(z: Array, p: Params) -> Array:
    fires = z > p["threshold"] if p["strict"] else z >= p["threshold"]
    return _where(fires, p["high"], p["low"])


def _tanh_derivative(z: Array) -> Array:
    # sech(z)^2 = 4 e^(-2|z|) / (1 + e^(-2|z|))^2: no cancellation, unlike 1 - tanh(z)^2 for large |z|.
    e = np.exp(-2.0 * np.abs(z))
    return 4.0 * e / (1.0 + e) ** 2


def _silu_derivative(z: Array, _: Params) -> Array:
    s = sigmoid(z)
    return s * (1.0 + z * (1.0 - s))


# ---------------------------------------------------------------- activations of the whole layer


def softmax_steps(z: Array) -> tuple[Array, Array, Array]:
    """softmax's intermediates: the largest z (taken off first, against overflow), exp(z - largest), their sum."""
    largest = np.max(z, axis=-1, keepdims=True)
    e = np.exp(z - largest)
    return largest, e, np.sum(e, axis=-1, keepdims=True)


def _softmax(z: Array, _: Params) -> Array:
    _largest, e, total = softmax_steps(z)
    return e / total


def _softmax_jacobian(z: Array, p: Params) -> Array:
    s = _softmax(z, p)
    return _diagonal(s) - s[..., :, None] * s[..., None, :]


def _log_softmax(z: Array, _: Params) -> Array:
    largest, _exps, total = softmax_steps(z)
    return z - largest - np.log(total)


def _log_softmax_jacobian(z: Array, p: Params) -> Array:
    s = _softmax(z, p)
    return np.eye(z.shape[-1]) - s[..., None, :]


def _sparsemax(z: Array, _: Params) -> Array:
    """Euclidean projection of z onto the probability simplex (Martins and Astudillo, 2016, Algorithm 1)."""
    shifted, tau = _sparsemax_threshold(z)
    return np.maximum(shifted - tau, 0.0)


def sparsemax_threshold(z: Array) -> Array:
    """sparsemax's tau, in z's own terms: the outputs are max(z - tau, 0)."""
    shifted, tau = _sparsemax_threshold(z)
    return tau + (z - shifted)[..., :1]


def _sparsemax_threshold(z: Array) -> tuple[Array, Array]:
    z = z - np.max(z, axis=-1, keepdims=True)  # sparsemax ignores a shift; this keeps 1e300 from swallowing the 1
    ordered = -np.sort(-z, axis=-1)
    cumulative = np.cumsum(ordered, axis=-1)
    k = np.arange(1, z.shape[-1] + 1)
    support = 1.0 + k * ordered > cumulative
    # The largest z is always in the support; rounding (1 + 1e300 == 1e300) must not take it out.
    size = np.maximum(np.sum(support, axis=-1, keepdims=True), 1)
    return z, (np.take_along_axis(cumulative, size - 1, axis=-1) - 1.0) / size


def _sparsemax_jacobian(z: Array, p: Params) -> Array:
    inside = (_sparsemax(z, p) > 0).astype(np.float64)
    count = np.sum(inside, axis=-1)[..., None, None]
    return _diagonal(inside) - inside[..., :, None] * inside[..., None, :] / count


def _glu(z: Array, _: Params) -> Array:
    half = z.shape[-1] // 2
    return z[..., :half] * sigmoid(z[..., half:])


def _glu_jacobian(z: Array, _: Params) -> Array:
    half = z.shape[-1] // 2
    a, gate = z[..., :half], sigmoid(z[..., half:])
    return np.concatenate([_diagonal(gate), _diagonal(a * gate * (1.0 - gate))], axis=-1)


def _diagonal(v: Array) -> Array:
    return v[..., :, None] * np.eye(v.shape[-1])


# ---------------------------------------------------------------- the registry


def _nonzero(name: str) -> Callable[[Params], str | None]:
    def check(p: Params) -> str | None:
        return None if p[name] != 0 else f"{name} must not be 0 (it divides z)"

    return check


def _non_negative(name: str) -> Callable[[Params], str | None]:
    def check(p: Params) -> str | None:
        value = p[name]
        return None if value is not None and value >= 0 else f"{name} must be 0 or more, got {value}"

    return check


REGISTRY: tuple[Activation, ...] = (
    Activation(
        "celu",
        "max(z, 0) + alpha * (exp(min(z, 0) / alpha) - 1)",
        "1 if z > 0 else exp(z / alpha)",
        "(-alpha, inf)",
        lambda z, p: np.maximum(z, 0.0) + p["alpha"] * np.expm1(np.minimum(z, 0.0) / p["alpha"]),
        lambda z, p: _where(z > 0, 1.0, np.exp(np.minimum(z, 0.0) / p["alpha"])),
        (Param("alpha", 1.0, help="scale of the negative part"),),
        summary="Continuously differentiable ELU.",
        validate=_nonzero("alpha"),
    ),
    Activation(
        "elu",
        "z if z >= 0 else alpha * (exp(z) - 1)",
        "1 if z > 0 else alpha * exp(z)",
        "(-alpha, inf)",
        lambda z, p: _elu(z, p["alpha"]),
        lambda z, p: _elu_derivative(z, p["alpha"]),
        (Param("alpha", 1.0, help="scale of the negative part"),),
        summary="Exponential linear unit.",
    ),
    Activation(
        "exponential",
        "exp(z)",
        "exp(z)",
        "(0, inf)",
        lambda z, p: np.exp(z),
        lambda z, p: np.exp(z),
        summary="The exponential function.",
        plot_range=(-3.0, 3.0),
    ),
    Activation(
        "gelu",
        "z * (1 + erf(z / sqrt(2))) / 2; approximate: z * (1 + tanh(sqrt(2/pi) * (z + 0.044715 * z^3))) / 2",
        "Phi(z) + z * exp(-z^2 / 2) / sqrt(2 * pi); approximate: derivative of the tanh form",
        "(-0.17, inf)",
        _gelu,
        _gelu_derivative,
        (Param("approximate", False, kind="bool", help="use the tanh approximation"),),
        summary="Gaussian error linear unit: z times the standard normal CDF of z.",
        formula_of=lambda p: GELU_FORMULAS[bool(p["approximate"])],
    ),
    Activation(
        "glu",
        "a * sigmoid(g), where a is the first half of the layer's z and g the second half",
        "d/da = sigmoid(g); d/dg = a * sigmoid(g) * (1 - sigmoid(g))",
        "(-inf, inf)",
        _glu,
        _glu_jacobian,
        layerwise=True,
        halves_layer=True,
        summary="Gated linear unit: needs an even number of neurons and gives half as many outputs.",
    ),
    Activation(
        "hard_shrink",
        "z if |z| > threshold else 0",
        "1 if |z| > threshold else 0",
        "(-inf, inf)",
        _hard_shrink,
        _shrink_derivative,
        (Param("threshold", 0.5, help="values with |z| at most this become 0"),),
        summary="Zero inside [-threshold, threshold], z outside.",
        plot_range=(-2.0, 2.0),
    ),
    Activation(
        "hard_sigmoid",
        "relu6(z + 3) / 6 = clip(z / 6 + 1/2, 0, 1)",
        "1/6 if -3 < z <= 3 else 0",
        "[0, 1]",
        _hard_sigmoid,
        _hard_sigmoid_derivative,
        summary="Piecewise linear sigmoid (Keras 3's; Keras 2 used 0.2 * z + 0.5).",
    ),
    Activation(
        "hard_silu",
        "z * relu6(z + 3) / 6",
        "0 if z <= -3, (2z + 3) / 6 if z <= 3, else 1",
        "[-0.375, inf)",
        _hard_silu,
        _hard_silu_derivative,
        aliases=("hard_swish",),
        summary="z times hard_sigmoid(z).",
    ),
    Activation(
        "hard_tanh",
        "clip(z, -1, 1)",
        "1 if -1 < z <= 1 else 0",
        "[-1, 1]",
        lambda z, p: np.clip(z, -1.0, 1.0),
        lambda z, p: _where((z > -1) & (z <= 1), 1.0, 0.0),
        summary="tanh's piecewise linear cousin.",
        plot_range=(-3.0, 3.0),
    ),
    Activation(
        "leaky_relu",
        "max(z, negative_slope * z)",
        "1 if z > 0 else negative_slope",
        "(-inf, inf)",
        lambda z, p: np.maximum(z, p["negative_slope"] * z),
        lambda z, p: _relu_derivative(z, {"negative_slope": p["negative_slope"], "max_value": None, "threshold": 0}),
        (Param("negative_slope", 0.2, help="slope for z < 0 (Keras 3: 0.2; Keras 2's alpha was 0.3)"),),
        summary="relu that lets a little through below zero.",
    ),
    Activation(
        "linear",
        "z",
        "1",
        "(-inf, inf)",
        lambda z, p: np.asarray(z, dtype=np.float64),
        lambda z, p: np.ones_like(z, dtype=np.float64),
        aliases=("identity",),
        summary="The identity: the neuron's output is z.",
        plot_range=(-5.0, 5.0),
    ),
    Activation(
        "log_sigmoid",
        "-softplus(-z) = log(sigmoid(z))",
        "sigmoid(-z)",
        "(-inf, 0)",
        lambda z, p: -softplus(-z),
        lambda z, p: sigmoid(-z),
        summary="Logarithm of the sigmoid.",
    ),
    Activation(
        "log_softmax",
        "z_i - log(sum_j exp(z_j))",
        "d out_i / d z_j = [i == j] - softmax(z)_j",
        "(-inf, 0]",
        _log_softmax,
        _log_softmax_jacobian,
        layerwise=True,
        summary="Logarithm of the softmax, over the whole layer.",
    ),
    Activation(
        "mish",
        "z * tanh(softplus(z))",
        "tanh(softplus(z)) + z * (1 - tanh(softplus(z))^2) * sigmoid(z)",
        "[-0.31, inf)",
        _mish,
        _mish_derivative,
        summary="Self-regularised smooth activation.",
    ),
    Activation(
        "relu",
        "max(z, 0); in general "
        "clip((z if z > threshold else 0), 0, max_value) - negative_slope * max(threshold - z, 0)",
        "1 if t < z <= m else (s if z <= t else 0)",
        "[0, inf) by default",
        _relu,
        _relu_derivative,
        (
            Param("negative_slope", 0.0, help="slope below the threshold"),
            Param("max_value", None, kind="number_or_none", help="saturation value (none: no limit)"),
            Param("threshold", 0.0, help="z must pass this to go through"),
        ),
        summary="Rectified linear unit.",
        formula_of=_relu_formula,
    ),
    Activation(
        "relu6",
        "min(max(z, 0), 6)",
        "1 if 0 < z <= 6 else 0",
        "[0, 6]",
        lambda z, p: np.minimum(np.maximum(z, 0.0), 6.0),
        lambda z, p: _where((z > 0) & (z <= 6), 1.0, 0.0),
        summary="relu capped at 6.",
        plot_range=(-2.0, 8.0),
    ),
    Activation(
        "selu",
        "scale * (z if z >= 0 else alpha * (exp(z) - 1)), alpha = 1.6732632423543772, scale = 1.0507009873554805",
        "scale * (1 if z > 0 else alpha * exp(z))",
        "(-scale * alpha, inf)",
        lambda z, p: SELU_SCALE * _elu(z, SELU_ALPHA),
        lambda z, p: SELU_SCALE * _elu_derivative(z, SELU_ALPHA),
        summary="Scaled ELU, self-normalising.",
    ),
    Activation(
        "sigmoid",
        "1 / (1 + exp(-z))",
        "sigmoid(z) * (1 - sigmoid(z))",
        "(0, 1)",
        lambda z, p: sigmoid(z),
        lambda z, p: sigmoid(z) * sigmoid(-z),
        summary="The logistic function: a smooth firing threshold.",
    ),
    Activation(
        "silu",
        "z * sigmoid(z)",
        "sigmoid(z) * (1 + z * (1 - sigmoid(z)))",
        "[-0.28, inf)",
        lambda z, p: z * sigmoid(z),
        _silu_derivative,
        aliases=("swish",),
        summary="Sigmoid linear unit (swish).",
    ),
    Activation(
        "soft_shrink",
        "z - threshold if z > threshold, z + threshold if z < -threshold, else 0",
        "1 if |z| > threshold else 0",
        "(-inf, inf)",
        _soft_shrink,
        _shrink_derivative,
        (Param("threshold", 0.5, help="half-width of the zero band"),),
        summary="Shrinks z towards zero by threshold.",
        plot_range=(-2.0, 2.0),
    ),
    Activation(
        "softmax",
        "exp(z_i) / sum_j exp(z_j)",
        "d out_i / d z_j = softmax_i * ([i == j] - softmax_j)",
        "(0, 1), summing to 1",
        _softmax,
        _softmax_jacobian,
        layerwise=True,
        summary="Turns the layer's z values into probabilities.",
    ),
    Activation(
        "softplus",
        "log(1 + exp(z))",
        "sigmoid(z)",
        "(0, inf)",
        lambda z, p: softplus(z),
        lambda z, p: sigmoid(z),
        summary="Smooth relu.",
    ),
    Activation(
        "softsign",
        "z / (1 + |z|)",
        "1 / (1 + |z|)^2",
        "(-1, 1)",
        lambda z, p: z / (1.0 + np.abs(z)),
        lambda z, p: 1.0 / (1.0 + np.abs(z)) ** 2,
        summary="tanh-like, with polynomial tails.",
    ),
    Activation(
        "sparse_plus",
        "0 if z <= -1, (z + 1)^2 / 4 if z < 1, else z",
        "0 if z <= -1, (z + 1) / 2 if z <= 1, else 1",
        "[0, inf)",
        _sparse_plus,
        _sparse_plus_derivative,
        summary="Smooth, sparse softplus.",
        plot_range=(-3.0, 3.0),
    ),
    Activation(
        "sparse_sigmoid",
        "0 if z <= -1, 1 if z >= 1, else (z + 1) / 2",
        "1/2 if -1 < z <= 1 else 0",
        "[0, 1]",
        lambda z, p: _where(z <= -1, 0.0, _where(z >= 1, 1.0, 0.5 * (z + 1.0))),
        lambda z, p: _where((z > -1) & (z <= 1), 0.5, 0.0),
        summary="Piecewise linear sigmoid reaching 0 and 1.",
        plot_range=(-3.0, 3.0),
    ),
    Activation(
        "sparsemax",
        "max(z_i - tau, 0), tau chosen so that the outputs sum to 1",
        "d out_i / d z_j = [i == j] - 1/|S| for i, j in the support S, else 0",
        "[0, 1], summing to 1",
        _sparsemax,
        _sparsemax_jacobian,
        layerwise=True,
        summary="Projection onto the probability simplex: softmax with exact zeros (Martins and Astudillo, 2016).",
    ),
    Activation(
        "squareplus",
        "(z + sqrt(z^2 + b)) / 2",
        "(1 + z / sqrt(z^2 + b)) / 2",
        "(0, inf)",
        _squareplus,
        _squareplus_derivative,
        (Param("b", 4.0, help="smoothness near 0"),),
        summary="Smooth relu made of a square root.",
        validate=_non_negative("b"),
    ),
    Activation(
        "tanh",
        "tanh(z) = (exp(z) - exp(-z)) / (exp(z) + exp(-z))",
        "1 - tanh(z)^2",
        "(-1, 1)",
        lambda z, p: np.tanh(z),
        lambda z, p: _tanh_derivative(z),
        summary="Hyperbolic tangent.",
    ),
    Activation(
        "tanh_shrink",
        "z - tanh(z)",
        "tanh(z)^2",
        "(-inf, inf)",
        lambda z, p: z - np.tanh(z),
        lambda z, p: np.tanh(z) ** 2,
        summary="z minus its tanh.",
    ),
    Activation(
        "threshold",
        "z if z > threshold else default_value",
        "1 if z > threshold else 0",
        "(-inf, inf)",
        _threshold,
        _threshold_derivative,
        (
            Param("threshold", required=True, help="z must pass this to go through"),
            Param("default_value", required=True, help="the output where it does not"),
        ),
        summary="Keeps z above the threshold, replaces the rest.",
    ),
    Activation(
        "step",
        "high if z >= threshold else low",
        "0",
        "{low, high}",
        _step,
        lambda z, p: np.zeros_like(z, dtype=np.float64),
        (
            Param("threshold", 0.0, help="the neuron fires where z reaches this"),
            Param("high", 1.0, help="the output when it fires"),
            Param("low", 0.0, help="the output when it does not"),
            Param("strict", False, kind="bool", help="fire only where z passes the threshold (z > threshold)"),
        ),
        formula_of=lambda p: "high if z > threshold else low" if p["strict"] else "high if z >= threshold else low",
        aliases=("heaviside", "binary_step"),
        perceptron=True,
        summary="The perceptron's firing threshold (not in Keras).",
        plot_range=(-3.0, 3.0),
    ),
)

_BY_NAME: dict[str, Activation] = {}
for _activation in REGISTRY:
    for _name in (_activation.name, *_activation.aliases):
        _BY_NAME[_name] = _activation


def normalise_name(name: str) -> str:
    return name.strip().lower().replace("-", "_")


def lookup(name: str) -> Activation:
    """The activation called `name` (case-insensitive, `-` same as `_`, aliases too), or an error naming the nearest."""
    key = normalise_name(name)
    if key in _BY_NAME:
        return _BY_NAME[key]
    import difflib  # only on this path: it costs start-up time on every other

    near = difflib.get_close_matches(key, list(_BY_NAME), n=3, cutoff=0.6)
    from .messages import message

    if near:
        hint = message("; did you mean {names}?", names=message(" or ").join(near))
    else:
        hint = message("; `neuron activations` lists them all")
    raise NeuronError("unknown activation {name!r}{hint}", name=name, hint=hint)


@dataclass(frozen=True)
class ActivationSpec:
    """An activation bound to its parameter values: what a layer applies to its z."""

    activation: Activation
    values: tuple[tuple[str, Value], ...] = ()

    @property
    def params(self) -> dict[str, Value]:
        return dict(self.values)

    @property
    def name(self) -> str:
        return self.activation.name

    @property
    def layerwise(self) -> bool:
        return self.activation.layerwise

    @property
    def formula(self) -> str:
        """f(z) as one line of text, for these parameter values."""
        written = self.activation.formula_of
        return written(self.params) if written is not None else self.activation.formula

    @property
    def label(self) -> str:
        """The SPEC string that gives this activation back: the name, then any parameter not at its default."""
        changed = [
            f"{param.name}={format_value(self.params[param.name])}"
            for param in self.activation.params
            if param.required or self.params[param.name] != param.default
        ]
        return self.name + (":" + ",".join(changed) if changed else "")

    def output_size(self, neurons: int) -> int:
        return self.activation.output_size(neurons)

    def check_size(self, neurons: int) -> None:
        if self.activation.halves_layer and neurons % 2:
            raise NeuronError(
                "{name} needs an even number of neurons (it halves them); this layer has {neurons}",
                name=self.name,
                neurons=neurons,
            )

    def __call__(self, z: Array) -> Array:
        with np.errstate(all="ignore"):
            return np.asarray(self.activation.function(np.asarray(z, dtype=np.float64), self.params), np.float64)

    def derivative(self, z: Array) -> Array:
        """f'(z) element by element, or for a layer-wide activation the Jacobian d out_i / d z_j."""
        with np.errstate(all="ignore"):
            return np.asarray(self.activation.derivative(np.asarray(z, dtype=np.float64), self.params), np.float64)

    def neuron_jacobian(self, z: Array) -> Array:
        """d a_j / d z_k for the value a_j each neuron shows: f(z_j), or for glu's gate neurons sigmoid(z_j).

        A square matrix per row of z; diagonal for an element-wise activation.
        """
        z = np.asarray(z, dtype=np.float64)
        slope = self.derivative(z)
        if not self.layerwise:
            return _diagonal(slope)
        if self.activation.halves_layer:
            half = z.shape[-1] // 2
            gate = sigmoid(z[..., half:])
            gates = np.concatenate([np.zeros((*gate.shape, half)), _diagonal(gate * (1.0 - gate))], axis=-1)
            return np.concatenate([slope, gates], axis=-2)
        return slope

    def neuron_values(self, z: Array) -> Array:
        """The value each neuron shows: its output, or for glu's second half its gate sigmoid(z)."""
        out = self(z)
        if self.activation.halves_layer:
            with np.errstate(all="ignore"):
                return np.concatenate([out, sigmoid(np.asarray(z, dtype=np.float64)[..., z.shape[-1] // 2 :])], -1)
        return out

    def backward(self, z: Array, grad_output: Array) -> Array:
        """dL/dz from dL/d(output): the chain rule through this activation."""
        slope = self.derivative(z)
        if self.layerwise:
            return np.einsum("...i,...ij->...j", grad_output, slope)
        return np.asarray(grad_output * slope)


def format_value(value: Value) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(float(value))


def bind(activation: Activation, given: Mapping[str, Value]) -> ActivationSpec:
    """Check the parameters given against the activation's own and fill in the defaults."""
    known = {param.name: param for param in activation.params}
    for key in given:
        if key not in known:
            offered = ", ".join(known) if known else "none"
            raise NeuronError(
                "{name} has no parameter {key} (its parameters: {offered})",
                name=activation.name,
                key=key,
                offered=offered,
            )
    missing = [param.name for param in activation.params if param.required and param.name not in given]
    if missing:
        example = ",".join(f"{name}=0" for name in missing)
        raise NeuronError(
            "activation {name} needs {items}: write e.g. {name}:{example}",
            name=activation.name,
            items=" and ".join(missing),
            example=example,
        )
    values = tuple((param.name, given.get(param.name, param.default)) for param in activation.params)
    spec = ActivationSpec(activation, values)
    if activation.validate is not None:
        problem = activation.validate(spec.params)
        if problem:
            raise NeuronError("activation {name}: {problem}", name=activation.name, problem=problem)
    return spec


def get(spec: str | ActivationSpec) -> ActivationSpec:
    """An activation from its SPEC string, `NAME` or `NAME:key=value[,key=value]` (a spec passes through)."""
    if isinstance(spec, ActivationSpec):
        return spec
    name, _, rest = spec.partition(":")
    if not name.strip():
        raise NeuronError(
            "activation {spec!r} has no name; write e.g. relu or leaky_relu:negative_slope=0.1", spec=spec
        )
    activation = lookup(name)
    kinds = {param.name: param.kind for param in activation.params}
    given: dict[str, Value] = {}
    for item in rest.split(",") if rest.strip() else []:
        key, equals, text = item.partition("=")
        key = normalise_name(key)
        if not equals or not key or not text.strip():
            raise NeuronError(
                "activation {spec!r}: {item!r} should read key=value, e.g. {example}",
                spec=spec,
                item=item,
                example=_example(activation),
            )
        if key in given:
            raise NeuronError("activation {spec!r} gives {key} twice", spec=spec, key=key)
        given[key] = _parameter_value(text, kinds.get(key, "number"), f"{activation.name}'s {key}")
    return bind(activation, given)


def _example(activation: Activation) -> str:
    param = activation.params[0] if activation.params else Param("negative_slope", 0.1)
    return f"{activation.name}:{param.name}={format_value(param.default if param.default is not None else 1.0)}"


def _parameter_value(text: str, kind: str, where: str) -> Value:
    word = text.strip().lower()
    if kind == "bool":
        if word in ("true", "1", "yes"):
            return True
        if word in ("false", "0", "no"):
            return False
        raise NeuronError("{where} takes true or false, got {strip!r}", where=where, strip=text.strip())
    if kind == "number_or_none" and word in ("none", "null"):
        return None
    return parse_number(text, where)
