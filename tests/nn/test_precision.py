"""Every element-wise activation and its derivative within a relative 1e-10 of the exact value (mpmath at 50
digits) across the float64 range: near 0, in the tails where exp under- and overflows, and at the overflow edge.
The references are the activations' formulas and their derivatives written again in mpmath (in forms that lose
no digit at 50: expm1, erfc, a rationalized square root), not neuron's code; kinks are left out."""

import math

import mpmath
import numpy as np
import pytest

from neuron_cli.nn.activations import get

mp = mpmath.mp
mp.dps = 50
SELU_ALPHA = mpmath.mpf("1.6732632423543772848170429916717")
SELU_SCALE = mpmath.mpf("1.0507009873554804934193349852946")


def softplus(z):
    return mpmath.log1p(mpmath.exp(z))


def sigmoid(z):
    return 1 / (1 + mpmath.exp(-z))


def squareplus(b):
    b = mpmath.mpf(b)

    def value(z):  # for z < 0 rationalized: (z + sqrt(z^2 + b)) / 2 = b / (2 (sqrt(z^2 + b) - z)), no cancellation
        root = mpmath.sqrt(z**2 + b)
        return (z + root) / 2 if z >= 0 else b / (2 * (root - z))

    def slope(z):  # (1 + z / sqrt(z^2 + b)) / 2; for z < 0, b / (2 root (root - z))
        root = mpmath.sqrt(z**2 + b)
        return (1 + z / root) / 2 if z >= 0 else b / (2 * root * (root - z))

    return value, slope


C, K = mpmath.sqrt(2 / mpmath.pi), mpmath.mpf("0.044715")


def gelu_tanh(z):
    return z * sigmoid(2 * C * (z + K * z**3))  # z (1 + tanh u) / 2, as 1 + tanh u = 2 sigmoid(2u)


def gelu_tanh_slope(z):
    u = C * (z + K * z**3)
    return sigmoid(2 * u) + z * 2 * sigmoid(2 * u) * sigmoid(-2 * u) * C * (1 + 3 * K * z**2)


def phi(z):  # the normal distribution's cumulative function, without cancellation in the left tail
    if abs(z) > 1e4:  # mpmath's erfc fails on huge arguments; Phi is 0 or 1 there to any precision
        return mpmath.mpf(0 if z < 0 else 1)
    return mpmath.erfc(-z / mpmath.sqrt(2)) / 2


def tanh_shrink(z):  # z - tanh z, at enough digits that the difference keeps 50 near 0
    with mp.workdps(60 + 3 * max(0, int(-mpmath.log10(abs(z))) if z else 0)):
        return +(z - mpmath.tanh(z))


# name: (the function, its derivative), each the formula written again in mpmath at 50 digits
REFERENCES = {
    "celu": (lambda z: z if z > 0 else mpmath.expm1(z), lambda z: 1 if z > 0 else mpmath.exp(z)),
    "elu": (lambda z: z if z >= 0 else mpmath.expm1(z), lambda z: 1 if z > 0 else mpmath.exp(z)),
    "exponential": (mpmath.exp, mpmath.exp),
    "gelu": (lambda z: z * phi(z), lambda z: phi(z) + z * mpmath.exp(-(z**2) / 2) / mpmath.sqrt(2 * mpmath.pi)),
    "gelu:approximate=true": (gelu_tanh, gelu_tanh_slope),
    "log_sigmoid": (lambda z: -softplus(-z), lambda z: sigmoid(-z)),
    "mish": (
        lambda z: z * mpmath.tanh(softplus(z)),
        lambda z: mpmath.tanh(softplus(z)) + z * mpmath.sech(softplus(z)) ** 2 * sigmoid(z),
    ),
    "selu": (
        lambda z: SELU_SCALE * (z if z >= 0 else SELU_ALPHA * mpmath.expm1(z)),
        lambda z: SELU_SCALE * (1 if z > 0 else SELU_ALPHA * mpmath.exp(z)),
    ),
    "sigmoid": (sigmoid, lambda z: sigmoid(z) * sigmoid(-z)),
    "silu": (lambda z: z * sigmoid(z), lambda z: sigmoid(z) + z * sigmoid(z) * sigmoid(-z)),
    "softplus": (softplus, sigmoid),
    "softsign": (lambda z: z / (1 + abs(z)), lambda z: 1 / (1 + abs(z)) ** 2),
    "squareplus": squareplus(4),
    "squareplus:b=1e308": squareplus("1e308"),
    "tanh": (mpmath.tanh, lambda z: mpmath.sech(z) ** 2),
    "tanh_shrink": (tanh_shrink, lambda z: mpmath.tanh(z) ** 2),
    "hard_silu": (
        lambda z: z * min(max(z + 3, 0), 6) / 6,
        lambda z: 0 if z < -3 else 1 if z > 3 else (2 * z + 3) / 6,
    ),
}
KINKS = {"celu": [0], "elu": [0], "selu": [0], "softsign": [0], "hard_silu": [-3, 3]}
SIZES = (  # the magnitudes the grid takes on both sides of 0: the tails, the overflow edges, the kinks between
    1e-300,
    1e-200,
    1e-30,
    1e-10,
    1e-8,
    1e-5,
    1e-3,
    0.01,
    0.1,
    0.5,
    1.0,
    2.0,
    3.5,
    5.0,
    8.0,
    8.5,
    10.0,
    20.0,
)
SIZES += (30.0, 37.0, 40.0, 50.0, 100.0, 300.0, 700.0, 709.0, 710.0, 745.0, 1e4, 1e10, 1e100, 1e200, 1e300, 9e307)
SIZES += (1.7e308,)
GRID = sorted({0.0, *SIZES, *(-v for v in SIZES)})
HUGE = mpmath.mpf(np.finfo(np.float64).max)


def close(got: float, want, what: str) -> None:
    """Within a relative 1e-10 of the exact value; inf where it is past float64's range; 0 where it is below the
    smallest normal number it can only be rounded to (a subnormal result keeps an absolute 1e-308)."""
    if abs(want) > HUGE:
        assert math.isinf(got) and (got > 0) == (want > 0), what
        return
    if abs(want) < mpmath.mpf("2.3e-308"):
        assert abs(got - float(want)) <= 1e-308, what
        return
    assert math.isfinite(got), what
    error = abs((mpmath.mpf(got) - want) / want)
    assert error <= 1e-10, f"{what}: got {got!r}, want {mpmath.nstr(want, 17)}, relative error {float(error):.2e}"


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_every_activation_is_exact_to_1e10_across_the_range(name):
    spec, exact = get(name), REFERENCES[name][0]
    got = spec(np.array(GRID))
    for z, value in zip(GRID, got):
        close(float(value), exact(mpmath.mpf(z)), f"{name}({z!r})")


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_every_derivative_is_exact_to_1e10_across_the_range(name):
    spec, slope = get(name), REFERENCES[name][1]
    points = [z for z in GRID if all(abs(z - kink) > 1e-6 for kink in KINKS.get(name.split(":")[0], []))]
    got = spec.derivative(np.array(points))
    for z, value in zip(points, got):
        close(float(value), mpmath.mpf(slope(mpmath.mpf(z))), f"{name}'({z!r})")


def test_an_infinite_slope_is_inf_not_nan():
    # exp's derivative past the overflow edge is inf, as the value is; never nan
    assert get("exponential").derivative(np.array([800.0]))[0] == math.inf
    assert not np.isnan(get("softplus").derivative(np.array([np.inf, -np.inf]))).any()
