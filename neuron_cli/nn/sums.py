"""Sums in a fixed order: a weighted sum adds x1*w1 + x2*w2 + ... from left to right, as a student adds by hand,
so that the same numbers give the same bits on every machine, for one row or many, forward and backward."""

from __future__ import annotations

import numpy as np

Array = np.ndarray

LEFT_TO_RIGHT = 32  # up to this many inputs the products are added one column at a time; beyond, by a running sum
PRODUCTS_AT_ONCE = 1 << 21  # the products x_i * w_ji of this many connections are held at once, at the most


def weighted_sums(inputs: Array, weights: Array) -> Array:
    """sum_i x_i * w_ji for every neuron j, for one input row (m,) or many (rows, m), added in the order of the
    inputs (x1*w1 + x2*w2 + ...), as a student adds by hand: the same bits on every machine, alone, in a stream
    or in a table, never in an order a BLAS library picks for its processor.

    Narrow rows add one column at a time; wide ones take the last element of a running sum (np.cumsum, which
    adds strictly left to right) of each row's products, a bounded number of products at a time.
    """
    if weights.shape[1] <= LEFT_TO_RIGHT:
        # in C order whatever the inputs' order (polars' rows come in Fortran order): a reduction along a row of
        # what follows (softmax's sum) adds in one order, and the same rows give the same bits on every path
        total = inputs[..., 0, None] * weights[:, 0]
        if not total.flags.c_contiguous:  # (a flag read: a training step's small batches pay nothing more)
            total = np.ascontiguousarray(total)
        for i in range(1, weights.shape[1]):
            total += inputs[..., i, None] * weights[:, i]
        return total
    if inputs.ndim == 1:
        return _running_sum(inputs * weights)
    if not len(inputs):
        return np.zeros((*inputs.shape[:-1], weights.shape[0]), dtype=np.result_type(inputs, weights))
    step = max(1, PRODUCTS_AT_ONCE // (weights.size * int(np.prod(inputs.shape[1:-1]))))
    parts = [
        _running_sum(inputs[start : start + step, ..., None, :] * weights) for start in range(0, len(inputs), step)
    ]
    return np.ascontiguousarray(np.concatenate(parts))  # C order, as above, whatever the inputs' order


def ordered_sum(values: Array) -> Array:
    """The sum over the first axis (a batch's rows), added strictly in order: the same bits on every machine."""
    if len(values) <= LEFT_TO_RIGHT:
        total = values[0].copy() if len(values) else np.zeros(values.shape[1:], dtype=values.dtype)
        for row in values[1:]:
            total += row
        return total
    return _running_sum(np.moveaxis(values, 0, -1))


def _running_sum(products: Array) -> Array:
    """The sum of the last axis, added strictly left to right."""
    return np.cumsum(products, axis=-1)[..., -1]
