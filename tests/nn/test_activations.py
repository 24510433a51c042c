"""Every activation against Keras 3's own numbers, its derivative against a central difference, its extremes."""

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neuron_cli.errors import NeuronError
from neuron_cli.nn.activations import REGISTRY, bind, get, lookup

REFERENCE = json.loads((Path(__file__).parent.parent / "reference" / "keras_reference.json").read_text())
REQUIRED = {"threshold": {"threshold": 0.3, "default_value": -1.0}}
# Away from every kink of every activation, so that a central difference is a fair check.
SMOOTH_Z = np.array([-4.1, -3.7, -2.3, -1.3, -0.7, -0.2, 0.2, 0.6, 1.3, 2.2, 3.3, 4.1, 7.5])


def default(activation):
    return bind(activation, REQUIRED.get(activation.name, {}))


def elementwise_cases():
    return [pytest.param(case, id=f"{case['activation']}{case['params'] or ''}") for case in REFERENCE["elementwise"]]


@pytest.mark.parametrize("case", elementwise_cases())
def test_values_agree_with_keras_to_1e_9_relative(case):
    spec = bind(lookup(case["activation"]), case["params"])
    z = np.array(case["z"])
    # Where Keras's own form cancels (gelu's left tail, 1 + erf; tanh_shrink near 0, z - tanh z) it gives 0 for a
    # value of 1e-23: ours is the exact value (tests/nn/test_precision.py), within Keras's cancellation error
    cancels = case["activation"] in ("gelu", "tanh_shrink")
    np.testing.assert_allclose(spec(z), np.array(case["f"], dtype=float), rtol=1e-9, atol=1e-15 if cancels else 0)


@pytest.mark.parametrize("case", elementwise_cases())
def test_slopes_agree_with_autograd_through_keras(case):
    spec = bind(lookup(case["activation"]), case["params"])
    points = [(z, s) for z, s in zip(case["z"], case["slope"]) if s is not None]
    z = np.array([p[0] for p in points])
    expected = np.array([p[1] for p in points], dtype=float)
    # autograd's own forms (1 - tanh^2, float32 constants in hard_sigmoid) lose digits; ours are the exact ones.
    np.testing.assert_allclose(spec.derivative(z), expected, rtol=2e-7, atol=1e-15)


@pytest.mark.parametrize("name", [case["activation"] for case in REFERENCE["layerwise"]])
def test_layerwise_values_and_jacobians_agree_with_the_reference(name):
    spec = get(name)
    for row in next(c for c in REFERENCE["layerwise"] if c["activation"] == name)["rows"]:
        z = np.array(row["z"])
        np.testing.assert_allclose(spec(z), row["f"], rtol=1e-9, atol=1e-15)
        if "jacobian" in row:
            np.testing.assert_allclose(spec.derivative(z), row["jacobian"], rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize("activation", [a for a in REGISTRY if not a.layerwise], ids=lambda a: a.name)
def test_derivative_matches_a_central_difference(activation):
    spec = default(activation)
    h = 1e-6
    numeric = (spec(SMOOTH_Z + h) - spec(SMOOTH_Z - h)) / (2 * h)
    np.testing.assert_allclose(spec.derivative(SMOOTH_Z), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("activation", [a for a in REGISTRY if a.layerwise], ids=lambda a: a.name)
def test_layer_jacobian_matches_central_differences(activation):
    spec = default(activation)
    z = np.array([0.3, -1.2, 0.8, 0.15])
    h = 1e-6
    columns = [(spec(z + h * e) - spec(z - h * e)) / (2 * h) for e in np.eye(z.size)]
    np.testing.assert_allclose(spec.derivative(z), np.array(columns).T, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("activation", REGISTRY, ids=lambda a: a.name)
def test_extremes_are_finite_and_warning_free(activation):
    spec = default(activation)
    z = np.array([-1000.0, -745.0, -40.0, 40.0, 709.0, 1000.0, 1e300, -1e300])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values, slopes = spec(z), spec.derivative(z)
    if activation.name != "exponential":
        assert np.isfinite(values).all(), values
        assert np.isfinite(slopes).all(), slopes
    else:
        assert np.isfinite(values[:5]).all() and np.isinf(values[5])


def test_stable_forms_at_the_extremes():
    assert get("sigmoid")(np.array([-1000.0]))[0] == 0.0
    assert get("sigmoid")(np.array([1000.0]))[0] == 1.0
    assert get("softplus")(np.array([1000.0]))[0] == 1000.0
    assert get("softplus")(np.array([-1000.0]))[0] == 0.0
    assert get("log_sigmoid")(np.array([-1000.0]))[0] == -1000.0
    assert get("squareplus")(np.array([-1e8]))[0] == pytest.approx(1e-8, rel=1e-12)  # b / (2 * 2e8)
    # b = 0 is relu: finite where z / 2 underflows, and the left piece's derivative at the kink
    relu_like = get("squareplus:b=0")
    z = np.array([-5e-324, 0.0, -1.0, 5e-324, 2.0])
    assert relu_like(z).tolist() == [0.0, 0.0, 0.0, 5e-324, 2.0]
    assert relu_like.derivative(z).tolist() == [0.0, 0.0, 0.0, 1.0, 1.0]
    np.testing.assert_allclose(get("softmax")(np.array([1000.0, 0.0])), [1.0, 0.0])


def test_keras_3_defaults_not_keras_2():
    assert get("hard_sigmoid")(np.array([1.0]))[0] == pytest.approx(1 / 6 + 0.5)  # Keras 2: 0.2 * z + 0.5 = 0.7
    assert get("leaky_relu")(np.array([-1.0]))[0] == pytest.approx(-0.2)  # Keras 2's alpha was 0.3


def test_kinks_take_the_left_piece():
    assert get("relu").derivative(np.array([0.0]))[0] == 0.0
    assert get("leaky_relu").derivative(np.array([0.0]))[0] == pytest.approx(0.2)
    assert get("relu6").derivative(np.array([6.0]))[0] == 1.0
    assert get("hard_tanh").derivative(np.array([-1.0, 1.0])).tolist() == [0.0, 1.0]
    assert get("step").derivative(np.array([0.0]))[0] == 0.0


def test_keras_edge_semantics():
    relu = get("relu:threshold=1,negative_slope=0.5")
    np.testing.assert_allclose(relu(np.array([2.0, 1.0, 0.0])), [2.0, 0.0, -0.5])  # z above it, else s * (z - t)
    assert get("threshold:threshold=1,default_value=9")(np.array([1.0]))[0] == 9.0  # keeps z only where z > t
    np.testing.assert_array_equal(get("step")(np.array([-1e-9, 0.0, 2.0])), [0.0, 1.0, 1.0])
    np.testing.assert_array_equal(get("step:threshold=0.5,high=1,low=-1")(np.array([0.4, 0.5])), [-1.0, 1.0])


def test_sparsemax_follows_the_paper_also_where_keras_does_not():
    # Keras 3.15 gives [0.25, 0] here: it sums cumulative sums; the projection onto the simplex is [0.75, 0.25].
    np.testing.assert_allclose(get("sparsemax")(np.array([1.0, 0.5])), [0.75, 0.25])
    np.testing.assert_allclose(get("sparsemax")(np.array([2.0, 2.0, -5.0])), [0.5, 0.5, 0.0])


def test_glu_halves_the_layer():
    z = np.array([1.0, -2.0, 0.0, 3.0])
    sig = 1 / (1 + np.exp(-z[2:]))
    np.testing.assert_allclose(get("glu")(z), z[:2] * sig)
    with pytest.raises(NeuronError, match="even number"):
        get("glu").check_size(3)


@pytest.mark.parametrize("text", ["Leaky-ReLU", "LEAKY_RELU", "leaky_relu", " leaky-relu "])
def test_names_are_case_insensitive_and_dash_is_underscore(text):
    assert get(text).name == "leaky_relu"


@pytest.mark.parametrize(
    ("alias", "name"), [("swish", "silu"), ("hard_swish", "hard_silu"), ("heaviside", "step"), ("binary_step", "step")]
)
def test_aliases(alias, name):
    assert get(alias).name == name
    np.testing.assert_array_equal(get(alias)(SMOOTH_Z), get(name)(SMOOTH_Z))


def test_specs_with_parameters_and_labels_that_give_them_back():
    spec = get("leaky_relu:negative_slope=0.1")
    assert spec.params == {"negative_slope": 0.1}
    assert spec.label == "leaky_relu:negative_slope=0.1"
    assert get(spec.label) == spec
    assert get("gelu:approximate=true").params["approximate"] is True
    assert get("relu:max_value=none").params["max_value"] is None
    assert get("sigmoid").label == "sigmoid"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sigmod", "did you mean sigmoid"),
        ("leaky_relu:alpha=0.1", "no parameter alpha"),
        ("leaky_relu:negative_slope", "key=value"),
        ("leaky_relu:negative_slope=abc", "negative_slope is .abc., which is not a number"),
        ("leaky_relu:negative_slope=nan", "finite"),
        ("threshold", "needs threshold and default_value"),
        ("gelu:approximate=maybe", "true or false"),
        ("celu:alpha=0", "must not be 0"),
        ("squareplus:b=-1", "0 or more"),
        (":x=1", "no name"),
    ],
)
def test_bad_specs_say_what_is_wrong(text, message):
    with pytest.raises(NeuronError, match=message):
        get(text)


def test_every_entry_has_its_text():
    names = [a.name for a in REGISTRY]
    assert len(names) == len(set(names)) == 31
    for activation in REGISTRY:
        assert activation.formula and activation.derivative_formula and activation.output_range and activation.summary
        assert activation.formula.isascii() and activation.derivative_formula.isascii()


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_no_warning_for_any_finite_z(value):
    z = np.array([value, -value, value / 3, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for activation in REGISTRY:
            spec = default(activation)
            spec(z)
            spec.derivative(z)


@given(st.lists(st.floats(min_value=-700, max_value=700), min_size=1, max_size=8))
def test_ranges_of_the_bounded_ones(values):
    z = np.array(values)
    assert ((get("sigmoid")(z) >= 0) & (get("sigmoid")(z) <= 1)).all()
    assert ((get("tanh")(z) >= -1) & (get("tanh")(z) <= 1)).all()
    assert math.isclose(get("softmax")(z).sum(), 1.0, rel_tol=1e-12)
    assert math.isclose(get("sparsemax")(z).sum(), 1.0, rel_tol=1e-9)
    assert (get("sparsemax")(z) >= 0).all()


def test_a_layer_wide_jacobian_is_made_only_where_written_and_within_a_limit(neuron):
    values = ",".join(["0.5"] * 12000)  # its Jacobian: 12000 x 12000, 1.1 GB
    plain = neuron("activations", "softmax", "--at", values, "-f", "plain")
    assert plain.code == 0 and plain.out.count(",") == 11999
    run = neuron("activations", "softmax", "--at", values, "-f", "json")
    assert run.code == 2 and "12000 x 12000 matrix; give at most 2048 values" in run.err
