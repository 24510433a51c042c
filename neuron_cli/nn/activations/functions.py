"""The mathematics of the activations: each function and its derivative in a numerically stable NumPy form
(exp only of non-positive numbers, logaddexp, expm1, hypot), element by element or over a layer's whole vector
of z. No names, no text: the registry (registry.py) gives each a name, parameters and formulas."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

Array = np.ndarray
Value = float | bool | None
Params = Mapping[str, Any]
Function = Callable[[Array, Params], Array]

# Keras 3's SELU constants (keras/src/backend/*/nn.py).
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
GELU_CUBIC = 0.044715

_erf = np.frompyfunc(math.erf, 1, 1)
_erfc = np.frompyfunc(math.erfc, 1, 1)


def erf(x: Array) -> Array:
    """The error function, element by element (NumPy has none; math.erf is correctly rounded to an ulp)."""
    return np.asarray(_erf(x), dtype=np.float64)


def normal_cdf(z: Array) -> Array:
    """Phi(z) = (1 + erf(z / sqrt 2)) / 2, as erfc(-z / sqrt 2) / 2: no cancellation in the left tail, where
    1 + erf loses every digit below z = -8."""
    return np.asarray(_erfc(-np.asarray(z, dtype=np.float64) / math.sqrt(2.0)), dtype=np.float64) / 2.0


# ---------------------------------------------------------------- stable building blocks


def sigmoid(z: Array) -> Array:
    """1 / (1 + exp(-z)) without overflow: exp is only ever taken of a non-positive number."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_slope(z: Array) -> Array:
    """sigmoid(z) * sigmoid(-z), the sigmoid's derivative without cancellation, bit for bit as those two calls
    give it, from one exp."""
    e = np.exp(-np.abs(z))
    up, down = 1.0 / (1.0 + e), e / (1.0 + e)
    return np.where(z >= 0, up, down) * np.where(z <= 0, up, down)


def softplus(z: Array) -> Array:
    return np.logaddexp(z, 0.0)


def where(condition: Array, then: Array | float, otherwise: Array | float) -> Array:
    return np.where(condition, then, otherwise).astype(np.float64)


# ---------------------------------------------------------------- element-wise activations


def relu(z: Array, p: Params) -> Array:
    """Keras 3's relu, branch for branch (keras/src/activations/activations.py, ReLU.static_call)."""
    slope, max_value, threshold = p["negative_slope"], p["max_value"], p["threshold"]
    if slope != 0 and max_value is None and threshold == 0:
        return np.maximum(z, slope * z)
    positive = where(z > threshold, z, 0.0) if threshold != 0 else np.maximum(z, 0.0)
    if max_value is not None:
        positive = np.clip(positive, 0.0, max_value)
    if slope != 0:
        positive = positive - slope * np.maximum(threshold - z, 0.0)
    return positive


def relu_derivative(z: Array, p: Params) -> Array:
    slope, max_value, threshold = p["negative_slope"], p["max_value"], p["threshold"]
    if slope != 0 and max_value is None and threshold == 0:
        return where(z > 0, max(1.0, slope), min(1.0, slope))
    rising = z > threshold
    if threshold == 0 or max_value is not None:
        rising &= z > 0
    if max_value is not None:
        rising &= z <= max_value
    return rising + where(z <= threshold, slope, 0.0)


def elu(z: Array, alpha: float) -> Array:
    return where(z >= 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def elu_derivative(z: Array, alpha: float) -> Array:
    return where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))


def gelu(z: Array, p: Params) -> Array:
    """z Phi(z) (Keras's z (1 + erf(z / sqrt 2)) / 2), or the tanh form z (1 + tanh u) / 2 written as
    z sigmoid(2u): both without cancellation in the left tail, and z never doubled (no overflow near 1e308)."""
    z = np.asarray(z, dtype=np.float64)
    if p["approximate"]:
        with np.errstate(over="ignore", invalid="ignore"):
            u = SQRT_2_OVER_PI * (z + GELU_CUBIC * z**3)
            return z * sigmoid(2.0 * u)
    return z * normal_cdf(z)


def gelu_derivative(z: Array, p: Params) -> Array:
    z = np.asarray(z, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        if p["approximate"]:
            u = SQRT_2_OVER_PI * (z + GELU_CUBIC * z**3)
            s, t = sigmoid(2.0 * u), sigmoid(-2.0 * u)
            # s t vanishes where u is huge; z (1 + 3k z^2) does not: their product is 0, not inf * 0
            tail = np.where(s * t == 0.0, 0.0, z * 2.0 * s * t * SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_CUBIC * z * z))
            return s + tail
        density = np.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)
        return normal_cdf(z) + np.where(density == 0.0, 0.0, z * density)


def squareplus(z: Array, p: Params) -> Array:
    """(z + sqrt(z^2 + b)) / 2, written so that neither z^2 nor a sum overflows (halves are added), and the sum
    does not cancel for negative z: there it is b / (2 (sqrt(z^2 + b) - z)), as (b / 4) / (root / 2 - z / 2)."""
    if p["b"] == 0:  # (z + |z|) / 2, relu: the quotient below is 0 / 0 where z / 2 underflows (-5e-324)
        return where(z >= 0, z, 0.0)
    root = np.hypot(z, math.sqrt(p["b"]))
    with np.errstate(divide="ignore", invalid="ignore"):
        negative = (p["b"] / 4.0) / (root / 2.0 - z / 2.0)
    return where(z >= 0, z / 2.0 + root / 2.0, negative)


def squareplus_derivative(z: Array, p: Params) -> Array:
    """(1 + z / root) / 2; for negative z b / (2 root (root - z)), as (b / root) / (4 (root / 2 - z / 2))."""
    if p["b"] == 0:  # relu's: at the kink z = 0, the left piece's 0
        return where(z > 0, 1.0, 0.0)
    root = np.hypot(z, math.sqrt(p["b"]))
    with np.errstate(divide="ignore", invalid="ignore"):
        negative = (p["b"] / root) / (4.0 * (root / 2.0 - z / 2.0))
        positive = (1.0 + z / root) / 2.0
    return where(z >= 0, positive, negative)


# z - tanh z near 0, where the difference cancels: its series z^3/3 - 2z^5/15 + 17z^7/315 - ... (in z^2, from z^3)
TANH_SHRINK_SERIES = (1 / 3, -2 / 15, 17 / 315, -62 / 2835, 1382 / 155925, -21844 / 6081075, 929569 / 638512875)


def tanh_shrink(z: Array) -> Array:
    """z - tanh(z); below |z| = 0.1 by its series (the difference loses every digit near 0: 0 for 1e-8)."""
    z = np.asarray(z, dtype=np.float64)
    square = z * z
    series = np.zeros_like(z)
    for coefficient in reversed(TANH_SHRINK_SERIES):
        series = series * square + coefficient
    return np.where(np.abs(z) < 0.1, series * square * z, z - np.tanh(z))


def sparse_plus(z: Array, _: Params) -> Array:
    return where(z <= -1, 0.0, where(z < 1, 0.25 * (z + 1.0) ** 2, z))


def sparse_plus_derivative(z: Array, _: Params) -> Array:
    return where(z <= -1, 0.0, where(z <= 1, 0.5 * (z + 1.0), 1.0))


def mish(z: Array, _: Params) -> Array:
    return z * np.tanh(softplus(z))


def mish_derivative(z: Array, _: Params) -> Array:
    t = np.tanh(softplus(z))
    return t + z * (1.0 - t * t) * sigmoid(z)


def hard_sigmoid(z: Array, _: Params) -> Array:
    return np.clip(z / 6.0 + 0.5, 0.0, 1.0)


def hard_sigmoid_derivative(z: Array, _: Params) -> Array:
    return where((z > -3) & (z <= 3), 1.0 / 6.0, 0.0)


def hard_silu(z: Array, p: Params) -> Array:
    return z * hard_sigmoid(z, p)


def hard_silu_derivative(z: Array, _: Params) -> Array:
    return where(z <= -3, 0.0, where(z <= 3, (2.0 * z + 3.0) / 6.0, 1.0))


def soft_shrink(z: Array, p: Params) -> Array:
    t = p["threshold"]
    return where(z > t, z - t, where(z < -t, z + t, 0.0))


def shrink_derivative(z: Array, p: Params) -> Array:
    t = p["threshold"]
    return where((z > t) | (z <= -t), 1.0, 0.0)


def hard_shrink(z: Array, p: Params) -> Array:
    return where(np.abs(z) > p["threshold"], z, 0.0)


def threshold(z: Array, p: Params) -> Array:
    return where(z > p["threshold"], z, p["default_value"])


def threshold_derivative(z: Array, p: Params) -> Array:
    return where(z > p["threshold"], 1.0, 0.0)


def step(z: Array, p: Params) -> Array:
    fires = z > p["threshold"] if p["strict"] else z >= p["threshold"]
    return where(fires, p["high"], p["low"])


def tanh_derivative(z: Array) -> Array:
    # sech(z)^2 = 4 e^(-2|z|) / (1 + e^(-2|z|))^2: no cancellation, unlike 1 - tanh(z)^2 for large |z|.
    e = np.exp(-2.0 * np.abs(z))
    return 4.0 * e / (1.0 + e) ** 2


def silu_derivative(z: Array, _: Params) -> Array:
    s = sigmoid(z)
    return s * (1.0 + z * (1.0 - s))


# ---------------------------------------------------------------- activations of the whole layer


def softmax_steps(z: Array) -> tuple[Array, Array, Array]:
    """softmax's intermediates: the largest z (taken off first, against overflow), exp(z - largest), their sum."""
    largest = np.max(z, axis=-1, keepdims=True)
    e = np.exp(z - largest)
    return largest, e, np.sum(e, axis=-1, keepdims=True)


def softmax(z: Array, _: Params) -> Array:
    _largest, e, total = softmax_steps(z)
    return e / total


def softmax_jacobian(z: Array, p: Params) -> Array:
    s = softmax(z, p)
    return diagonal(s) - s[..., :, None] * s[..., None, :]


def log_softmax(z: Array, _: Params) -> Array:
    largest, _exps, total = softmax_steps(z)
    return z - largest - np.log(total)


def log_softmax_jacobian(z: Array, p: Params) -> Array:
    s = softmax(z, p)
    return np.eye(z.shape[-1]) - s[..., None, :]


def sparsemax(z: Array, _: Params) -> Array:
    """Euclidean projection of z onto the probability simplex (Martins and Astudillo, 2016, Algorithm 1)."""
    shifted, tau = sparsemax_shift(z)
    return np.maximum(shifted - tau, 0.0)


def sparsemax_threshold(z: Array) -> Array:
    """sparsemax's tau, in z's own terms: the outputs are max(z - tau, 0)."""
    shifted, tau = sparsemax_shift(z)
    return tau + (z - shifted)[..., :1]


def sparsemax_shift(z: Array) -> tuple[Array, Array]:
    z = z - np.max(z, axis=-1, keepdims=True)  # sparsemax ignores a shift; this keeps 1e300 from swallowing the 1
    ordered = -np.sort(-z, axis=-1)
    cumulative = np.cumsum(ordered, axis=-1)
    k = np.arange(1, z.shape[-1] + 1)
    support = 1.0 + k * ordered > cumulative
    # The largest z is always in the support; rounding (1 + 1e300 == 1e300) must not take it out.
    size = np.maximum(np.sum(support, axis=-1, keepdims=True), 1)
    return z, (np.take_along_axis(cumulative, size - 1, axis=-1) - 1.0) / size


def sparsemax_jacobian(z: Array, p: Params) -> Array:
    inside = (sparsemax(z, p) > 0).astype(np.float64)
    count = np.sum(inside, axis=-1)[..., None, None]
    return diagonal(inside) - inside[..., :, None] * inside[..., None, :] / count


def glu(z: Array, _: Params) -> Array:
    half = z.shape[-1] // 2
    return z[..., :half] * sigmoid(z[..., half:])


def glu_jacobian(z: Array, _: Params) -> Array:
    half = z.shape[-1] // 2
    a, gate = z[..., :half], sigmoid(z[..., half:])
    return np.concatenate([diagonal(gate), diagonal(a * gate * (1.0 - gate))], axis=-1)


def diagonal(v: Array) -> Array:
    return v[..., :, None] * np.eye(v.shape[-1])
