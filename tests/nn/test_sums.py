"""Sums in a fixed order: every sum the numbers go through, forward and backward and over a training batch, is
the one a person gets adding left to right, bit for bit, whatever BLAS the machine has."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from neuron_cli.nn.layers import Layer, Network
from neuron_cli.nn.optimizers import SGD
from neuron_cli.nn.sums import ordered_sum, weighted_sums
from neuron_cli.nn.training import Settings, Trainer


def by_hand(terms) -> float:
    total = 0.0
    for term in terms:
        total += float(term)
    return total


# magnitudes far apart: an order other than left to right gives other bits (1e16 + 1 - 1e16 is 0, not 1)
UNEVEN = st.sampled_from([1e16, 1.0, -1e16, 3.5, 1e-8, -2.25, 0.1, 1e8])


@pytest.mark.parametrize("length", [3, 32, 33, 200])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_ordered_and_weighted_sums_add_left_to_right(length, data):
    values = data.draw(arrays(np.float64, (length, 2), elements=UNEVEN))
    assert ordered_sum(values).tolist() == [by_hand(values[:, 0]), by_hand(values[:, 1])]
    weights = data.draw(arrays(np.float64, (2, length), elements=UNEVEN))
    x = data.draw(arrays(np.float64, (length,), elements=UNEVEN))
    expected = [by_hand(x * weights[j]) for j in range(2)]
    assert weighted_sums(x, weights).tolist() == expected


def test_a_training_batchs_gradients_add_its_rows_in_order():
    rng = np.random.default_rng(3)
    layer = Layer.create(rng.normal(size=(2, 3)), rng.normal(size=2), "linear")
    rows = np.array([[1e16, 1.0, 3.0], [1.0, -2.0, 0.5], [-1e16, 4.0, 1.0]])
    targets = rng.normal(size=(3, 2))
    trainer = Trainer(Network((layer,)), rows, targets, Settings(loss="mse"), SGD(0.1))
    _, outputs, (dw, db) = trainer.gradients(rows, targets)
    dz = 2 * (outputs - targets) / targets.size  # mse's slope of the batch's mean, through a linear layer
    for j in range(2):
        assert db[j] == by_hand(dz[:, j])
        for i in range(3):
            assert dw[j, i] == by_hand(dz[:, j] * rows[:, i])


@pytest.mark.parametrize(("rows", "inputs"), [(12, 3), (12, 40), (10, 784)])
def test_rows_in_fortran_order_give_the_bits_of_rows_in_c_order(rows, inputs):
    """Polars hands rows over in Fortran order; softmax's sum over a row must add as it does for the careful
    parser's C-ordered rows (a reduction over a Fortran array adds in another order)."""
    from neuron_cli.nn.layers import Layer, Network

    rng = np.random.default_rng(11)
    network = Network((Layer.create(rng.normal(size=(10, inputs)), rng.normal(size=10), "softmax"),))
    block = rng.normal(size=(rows, inputs)) * 3
    assert weighted_sums(np.asfortranarray(block), network.layers[0].weights).flags.c_contiguous
    c_order = network.forward(np.ascontiguousarray(block)).outputs
    fortran = network.forward(np.asfortranarray(block)).outputs
    assert c_order.tobytes() == fortran.tobytes()
