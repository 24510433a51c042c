"""The registry of activations: each one's name, parameters, function, derivative and formula, kept as data,
with what makes it special (acting on the whole layer, halving it, learning by the perceptron rule) as fields of
its entry, so that no other module asks for an activation by its name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...errors import NeuronError
from ...i18n import Phrase
from . import functions as f
from .functions import Array, Function, Params, Value


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
    perceptron: bool = False  # a network of this one layer learns by the perceptron rule, not by its slope
    flat: bool = False  # its derivative is 0 everywhere: no gradient passes back through it (step)
    identity: bool = False  # f(z) = z (linear)
    fires: Callable[[Array, Params], Array] | None = None  # where a neuron fires, if not at an output of 0.5 or more
    # how --explain works a layer-wide activation out: "exponentials", "log_exponentials", "gate" or "simplex"
    worked: str = ""
    in_keras: bool = True  # one of keras.activations (step is not)
    keras_departs: bool = False  # Keras 3's own code computes otherwise (a .keras file would predict other numbers)
    # the Keras layer object that carries its parameters in a Dense (LeakyReLU...): (class name, its config)
    keras_layer: Callable[[Params], tuple[str, dict[str, Any]]] | None = None

    def output_size(self, neurons: int) -> int:
        return neurons // 2 if self.halves_layer else neurons

    def gates(self, neurons: int) -> range:
        """The neurons that gate others rather than give outputs of their own (glu's second half)."""
        return range(neurons // 2, neurons) if self.halves_layer else range(0)


def relu_formula(p: Params) -> str:
    slope, max_value, threshold = p["negative_slope"], p["max_value"], p["threshold"]
    if slope != 0 and max_value is None and threshold == 0:
        return "max(z, negative_slope * z)"
    text = "(z if z > threshold else 0)" if threshold != 0 else "max(z, 0)"
    if max_value is not None:
        text = f"clip({text}, 0, max_value)"
    if slope != 0:
        text += " - negative_slope * max(threshold - z, 0)"
    return text


GELU_FORMULAS = {
    False: "z * (1 + erf(z / sqrt(2))) / 2",
    True: "z * (1 + tanh(sqrt(2/pi) * (z + 0.044715 * z^3))) / 2",
}


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
        lambda z, p: f.where(z > 0, 1.0, np.exp(np.minimum(z, 0.0) / p["alpha"])),
        (Param("alpha", 1.0, help="scale of the negative part"),),
        summary="Continuously differentiable ELU.",
        validate=_nonzero("alpha"),
    ),
    Activation(
        "elu",
        "z if z >= 0 else alpha * (exp(z) - 1)",
        "1 if z > 0 else alpha * exp(z)",
        "(-alpha, inf)",
        lambda z, p: f.elu(z, p["alpha"]),
        lambda z, p: f.elu_derivative(z, p["alpha"]),
        (Param("alpha", 1.0, help="scale of the negative part"),),
        summary="Exponential linear unit.",
        keras_layer=lambda p: ("ELU", {"alpha": p["alpha"]}),
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
        f.gelu,
        f.gelu_derivative,
        (Param("approximate", False, kind="bool", help="use the tanh approximation"),),
        summary="Gaussian error linear unit: z times the standard normal CDF of z.",
        formula_of=lambda p: GELU_FORMULAS[bool(p["approximate"])],
    ),
    Activation(
        "glu",
        "a * sigmoid(g), where a is the first half of the layer's z and g the second half",
        "d/da = sigmoid(g); d/dg = a * sigmoid(g) * (1 - sigmoid(g))",
        "(-inf, inf)",
        f.glu,
        f.glu_jacobian,
        layerwise=True,
        halves_layer=True,
        summary="Gated linear unit: needs an even number of neurons and gives half as many outputs.",
        worked="gate",
    ),
    Activation(
        "hard_shrink",
        "z if |z| > threshold else 0",
        "1 if |z| > threshold else 0",
        "(-inf, inf)",
        f.hard_shrink,
        f.shrink_derivative,
        (Param("threshold", 0.5, help="values with |z| at most this become 0"),),
        summary="Zero inside [-threshold, threshold], z outside.",
        plot_range=(-2.0, 2.0),
    ),
    Activation(
        "hard_sigmoid",
        "relu6(z + 3) / 6 = clip(z / 6 + 1/2, 0, 1)",
        "1/6 if -3 < z <= 3 else 0",
        "[0, 1]",
        f.hard_sigmoid,
        f.hard_sigmoid_derivative,
        summary="Piecewise linear sigmoid (Keras 3's; Keras 2 used 0.2 * z + 0.5).",
    ),
    Activation(
        "hard_silu",
        "z * relu6(z + 3) / 6",
        "0 if z <= -3, (2z + 3) / 6 if z <= 3, else 1",
        "[-0.375, inf)",
        f.hard_silu,
        f.hard_silu_derivative,
        aliases=("hard_swish",),
        summary="z times hard_sigmoid(z).",
    ),
    Activation(
        "hard_tanh",
        "clip(z, -1, 1)",
        "1 if -1 < z <= 1 else 0",
        "[-1, 1]",
        lambda z, p: np.clip(z, -1.0, 1.0),
        lambda z, p: f.where((z > -1) & (z <= 1), 1.0, 0.0),
        summary="tanh's piecewise linear cousin.",
        plot_range=(-3.0, 3.0),
    ),
    Activation(
        "leaky_relu",
        "max(z, negative_slope * z)",
        "1 if z > 0 else negative_slope",
        "(-inf, inf)",
        lambda z, p: np.maximum(z, p["negative_slope"] * z),
        lambda z, p: f.relu_derivative(z, {"negative_slope": p["negative_slope"], "max_value": None, "threshold": 0}),
        (Param("negative_slope", 0.2, help="slope for z < 0 (Keras 3: 0.2; Keras 2's alpha was 0.3)"),),
        summary="relu that lets a little through below zero.",
        keras_layer=lambda p: ("LeakyReLU", {"negative_slope": p["negative_slope"]}),
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
        identity=True,
    ),
    Activation(
        "log_sigmoid",
        "-softplus(-z) = log(sigmoid(z))",
        "sigmoid(-z)",
        "(-inf, 0)",
        lambda z, p: -f.softplus(-z),
        lambda z, p: f.sigmoid(-z),
        summary="Logarithm of the sigmoid.",
    ),
    Activation(
        "log_softmax",
        "z_i - log(sum_j exp(z_j))",
        "d out_i / d z_j = [i == j] - softmax(z)_j",
        "(-inf, 0]",
        f.log_softmax,
        f.log_softmax_jacobian,
        layerwise=True,
        summary="Logarithm of the softmax, over the whole layer.",
        worked="log_exponentials",
    ),
    Activation(
        "mish",
        "z * tanh(softplus(z))",
        "tanh(softplus(z)) + z * (1 - tanh(softplus(z))^2) * sigmoid(z)",
        "[-0.31, inf)",
        f.mish,
        f.mish_derivative,
        summary="Self-regularised smooth activation.",
    ),
    Activation(
        "relu",
        "max(z, 0); in general "
        "clip((z if z > threshold else 0), 0, max_value) - negative_slope * max(threshold - z, 0)",
        "1 if t < z <= m else (s if z <= t else 0)",
        "[0, inf) by default",
        f.relu,
        f.relu_derivative,
        (
            Param("negative_slope", 0.0, help="slope below the threshold"),
            Param("max_value", None, kind="number_or_none", help="saturation value (none: no limit)"),
            Param("threshold", 0.0, help="z must pass this to go through"),
        ),
        summary="Rectified linear unit.",
        formula_of=relu_formula,
        keras_layer=lambda p: (
            "ReLU",
            {"max_value": p["max_value"], "negative_slope": p["negative_slope"], "threshold": p["threshold"]},
        ),
    ),
    Activation(
        "relu6",
        "min(max(z, 0), 6)",
        "1 if 0 < z <= 6 else 0",
        "[0, 6]",
        lambda z, p: np.minimum(np.maximum(z, 0.0), 6.0),
        lambda z, p: f.where((z > 0) & (z <= 6), 1.0, 0.0),
        summary="relu capped at 6.",
        plot_range=(-2.0, 8.0),
    ),
    Activation(
        "selu",
        "scale * (z if z >= 0 else alpha * (exp(z) - 1)), alpha = 1.6732632423543772, scale = 1.0507009873554805",
        "scale * (1 if z > 0 else alpha * exp(z))",
        "(-scale * alpha, inf)",
        lambda z, p: f.SELU_SCALE * f.elu(z, f.SELU_ALPHA),
        lambda z, p: f.SELU_SCALE * f.elu_derivative(z, f.SELU_ALPHA),
        summary="Scaled ELU, self-normalising.",
    ),
    Activation(
        "sigmoid",
        "1 / (1 + exp(-z))",
        "sigmoid(z) * (1 - sigmoid(z))",
        "(0, 1)",
        lambda z, p: f.sigmoid(z),
        lambda z, p: f.sigmoid_slope(z),
        summary="The logistic function: a smooth firing threshold.",
    ),
    Activation(
        "silu",
        "z * sigmoid(z)",
        "sigmoid(z) * (1 + z * (1 - sigmoid(z)))",
        "[-0.28, inf)",
        lambda z, p: z * f.sigmoid(z),
        f.silu_derivative,
        aliases=("swish",),
        summary="Sigmoid linear unit (swish).",
    ),
    Activation(
        "soft_shrink",
        "z - threshold if z > threshold, z + threshold if z < -threshold, else 0",
        "1 if |z| > threshold else 0",
        "(-inf, inf)",
        f.soft_shrink,
        f.shrink_derivative,
        (Param("threshold", 0.5, help="half-width of the zero band"),),
        summary="Shrinks z towards zero by threshold.",
        plot_range=(-2.0, 2.0),
    ),
    Activation(
        "softmax",
        "exp(z_i) / sum_j exp(z_j)",
        "d out_i / d z_j = softmax_i * ([i == j] - softmax_j)",
        "(0, 1), summing to 1",
        f.softmax,
        f.softmax_jacobian,
        layerwise=True,
        summary="Turns the layer's z values into probabilities.",
        worked="exponentials",
    ),
    Activation(
        "softplus",
        "log(1 + exp(z))",
        "sigmoid(z)",
        "(0, inf)",
        lambda z, p: f.softplus(z),
        lambda z, p: f.sigmoid(z),
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
        f.sparse_plus,
        f.sparse_plus_derivative,
        summary="Smooth, sparse softplus.",
        plot_range=(-3.0, 3.0),
    ),
    Activation(
        "sparse_sigmoid",
        "0 if z <= -1, 1 if z >= 1, else (z + 1) / 2",
        "1/2 if -1 < z <= 1 else 0",
        "[0, 1]",
        lambda z, p: f.where(z <= -1, 0.0, f.where(z >= 1, 1.0, 0.5 * (z + 1.0))),
        lambda z, p: f.where((z > -1) & (z <= 1), 0.5, 0.0),
        summary="Piecewise linear sigmoid reaching 0 and 1.",
        plot_range=(-3.0, 3.0),
    ),
    Activation(
        "sparsemax",
        "max(z_i - tau, 0), tau chosen so that the outputs sum to 1",
        "d out_i / d z_j = [i == j] - 1/|S| for i, j in the support S, else 0",
        "[0, 1], summing to 1",
        f.sparsemax,
        f.sparsemax_jacobian,
        layerwise=True,
        summary="Projection onto the probability simplex: softmax with exact zeros (Martins and Astudillo, 2016).",
        worked="simplex",
        keras_departs=True,
    ),
    Activation(
        "squareplus",
        "(z + sqrt(z^2 + b)) / 2",
        "(1 + z / sqrt(z^2 + b)) / 2",
        "(0, inf)",
        f.squareplus,
        f.squareplus_derivative,
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
        lambda z, p: f.tanh_derivative(z),
        summary="Hyperbolic tangent.",
    ),
    Activation(
        "tanh_shrink",
        "z - tanh(z)",
        "tanh(z)^2",
        "(-inf, inf)",
        lambda z, p: f.tanh_shrink(z),
        lambda z, p: np.tanh(z) ** 2,
        summary="z minus its tanh.",
    ),
    Activation(
        "threshold",
        "z if z > threshold else default_value",
        "1 if z > threshold else 0",
        "(-inf, inf)",
        f.threshold,
        f.threshold_derivative,
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
        f.step,
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
        fires=lambda y, p: y == p["high"],
        in_keras=False,
        flat=True,
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

    if near:
        names = near[0] if len(near) == 1 else Phrase("{names} or {last}", names=", ".join(near[:-1]), last=near[-1])
        hint = Phrase("; did you mean {names}?", names=names)
    else:
        hint = Phrase("; `neuron activations` lists them all")
    raise NeuronError("unknown activation {name!r}{hint}", name=name, hint=hint)
