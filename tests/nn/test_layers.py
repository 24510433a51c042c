"""The arithmetic of a neuron, a layer and a stack of layers, against hand-worked numbers and its own laws."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from neuron_cli.errors import NeuronError
from neuron_cli.nn.layers import Layer, Network

finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False)


def test_the_hand_checked_neuron():
    # 1*0.5 + 2*(-0.2) + 3*0.1 = 0.4; z = 0.4 + 0.1 = 0.5; sigmoid(0.5) = 1 / (1 + e^-0.5)
    result = Layer.create([0.5, -0.2, 0.1], 0.1, "sigmoid").forward(np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(result.products[0], [0.5, -0.4, 0.3])
    assert result.weighted_sums[0] == pytest.approx(0.4, rel=1e-15)
    assert result.z[0] == pytest.approx(0.5, rel=1e-15)
    assert result.outputs[0] == pytest.approx(0.6224593312018546, rel=1e-15)
    assert result.outputs[0] == pytest.approx(1 / (1 + math.exp(-0.5)), rel=1e-15)


def test_the_contracts_three_by_two_layer():
    layer = Layer.create([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], 0.0, "relu")
    result = layer.forward(np.array([1.0, 2.0, 3.0]))
    assert result.products.shape == (2, 3)  # 6 connections
    np.testing.assert_allclose(result.outputs, [1.4, 3.2], rtol=1e-15)


def test_a_layer_with_a_bias_per_neuron_and_a_negative_output():
    layer = Layer.create([[1.0, -1.0], [2.0, 0.5]], [0.5, -3.0], "relu")
    np.testing.assert_allclose(layer(np.array([1.0, 2.0])), [0.0, 0.0])
    np.testing.assert_allclose(layer.z(np.array([1.0, 2.0])), [-0.5, 0.0])


def test_one_row_and_a_block_of_rows_give_the_same_bits():
    rng = np.random.default_rng(1)
    layer = Layer.create(rng.normal(size=(3, 5)), rng.normal(size=3), "tanh")
    rows = rng.normal(size=(50, 5))
    block = layer(rows)
    for row, out in zip(rows, block):
        np.testing.assert_array_equal(layer.forward(row).outputs, out)


def test_gradient_of_a_single_neuron_by_hand():
    x = np.array([1.0, 2.0, 3.0])
    result = Layer.create([0.5, -0.2, 0.1], 0.1, "sigmoid").forward(x)
    s = 1 / (1 + math.exp(-0.5))
    g = result.gradient()
    assert g.dz[0] == pytest.approx(s * (1 - s))
    np.testing.assert_allclose(g.dw[0], s * (1 - s) * x)
    assert g.db[0] == pytest.approx(s * (1 - s))
    np.testing.assert_allclose(g.dx[0], s * (1 - s) * np.array([0.5, -0.2, 0.1]))


def test_softmax_gradient_to_the_inputs_goes_through_every_neuron():
    weights = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    x = np.array([0.2, -0.4])
    g = Layer.create(weights, 0.0, "softmax").forward(x).gradient()
    h = 1e-6
    for j in range(3):
        for i in range(2):
            step = np.eye(2)[i] * h
            up = Layer.create(weights, 0.0, "softmax")(x + step)[j]
            down = Layer.create(weights, 0.0, "softmax")(x - step)[j]
            assert g.dx[j, i] == pytest.approx((up - down) / (2 * h), abs=1e-8)


def test_glu_layer_gives_half_the_outputs():
    layer = Layer.create(np.eye(4), 0.0, "glu")
    result = layer.forward(np.array([1.0, 2.0, 0.0, 100.0]))
    np.testing.assert_allclose(result.outputs, [0.5, 2.0])
    assert layer.output_size == 2


@pytest.mark.parametrize(
    ("weights", "bias", "message"),
    [
        ([[1.0, 2.0]], [1.0, 2.0], "b has 2 values but the layer has 1 neuron"),
        ([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], 0.0, None),
    ],
)
def test_bias_must_fit(weights, bias, message):
    if message is None:
        assert Layer.create(weights, bias).neurons == 3
    else:
        with pytest.raises(NeuronError, match=message):
            Layer.create(weights, bias)


def test_network_sizes_must_chain():
    with pytest.raises(NeuronError, match="layer 2 takes 3 inputs but layer 1 gives 2 outputs"):
        Network((Layer.create(np.ones((2, 3))), Layer.create(np.ones((1, 3)))))


def test_network_checks_the_width_of_the_inputs():
    network = Network((Layer.create(np.ones((2, 3))),))
    with pytest.raises(NeuronError, match="-x has 2 values but each neuron has 3 weights"):
        network.check_inputs(2, "-x")


@given(
    arrays(np.float64, 4, elements=finite),
    arrays(np.float64, 4, elements=finite),
    arrays(np.float64, (3, 4), elements=finite),
    st.floats(min_value=-10, max_value=10),
)
def test_weighted_sum_is_linear_in_x_and_in_w(x, y, w, scale):
    layer = Layer.create(w)
    z = layer.z
    np.testing.assert_allclose(z(x + y), z(x) + z(y), rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(z(scale * x), scale * z(x), rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(Layer.create(scale * w).z(x), scale * z(x), rtol=1e-9, atol=1e-6)


@given(st.integers(1, 6), st.integers(1, 6), st.integers(1, 5), st.sampled_from(["relu", "softmax", "sigmoid"]))
def test_output_shapes(inputs, neurons, rows, activation):
    layer = Layer.create(np.ones((neurons, inputs)), 0.0, activation)
    assert layer(np.zeros(inputs)).shape == (neurons,)
    assert layer(np.zeros((rows, inputs))).shape == (rows, neurons)
    result = layer.forward(np.zeros(inputs))
    assert result.products.shape == (neurons, inputs)
    assert result.gradient().dx.shape == (neurons, inputs)


@given(arrays(np.float64, 3, elements=st.floats(min_value=-1e300, max_value=1e300)))
def test_no_warning_for_huge_inputs(x):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Layer.create(np.full((2, 3), 1e10), 0.0, "sigmoid").forward(x).gradient()


def test_from_kernel_takes_keras_layout():
    kernel = np.array([[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]])  # inputs x outputs, as Dense.get_weights()[0]
    layer = Layer.from_kernel(kernel, [0.0, 0.1], "relu")
    np.testing.assert_array_equal(layer.weights, kernel.T)
    np.testing.assert_allclose(layer(np.array([1.0, 2.0, 3.0])), [1.4, 3.3])


def test_the_command_line_offers_every_loss_and_gate():
    from neuron_cli.cli import options
    from neuron_cli.nn.losses import NAMES
    from neuron_cli.nn.truth import GATES

    assert options.LOSS.choices == options.SHEET_LOSS.choices == options.TRAIN_LOSS.choices == NAMES
    assert options.GATE.choices == tuple(GATES)


def test_truth_table_and_its_mismatches():
    from neuron_cli.nn.truth import truth_table

    perceptron = Network([Layer.create([1.0, 1.0], -1.5, "step")])
    assert truth_table(perceptron, "and").passed
    xor = truth_table(perceptron, "xor")
    assert not xor.passed and xor.mismatches.tolist() == [False, True, True, True]  # AND differs from XOR thrice
    assert truth_table(perceptron).passed  # no gate: nothing to differ from


def test_verdict_at_the_edge_of_its_tolerance():
    from neuron_cli.nn.grading import Tolerance, check_outputs

    edge = check_outputs(["0.6225"], np.array([0.62245]), Tolerance())
    assert edge.passed  # exactly half a unit away counts, despite binary rounding
    beyond = check_outputs(["0.6225"], np.array([0.62244]), Tolerance())
    assert not beyond.passed
    np.testing.assert_allclose(beyond.differences, [0.00006])
    np.testing.assert_allclose(beyond.tolerances, [0.00005])
