"""Truth tables: a network on every 0/1 combination of its inputs, and where it differs from a logic gate."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import NeuronError
from .activations import ActivationSpec
from .layers import Array, Network

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
    """1.0 where a neuron fires: by the activation's own rule (a step's high value), or for any other activation
    an output of 0.5 or more."""
    rule = activation.activation.fires
    if rule is not None:
        return rule(outputs, activation.params).astype(np.float64)
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
    own_rule: bool = False  # the last layer fires by its activation's rule (a step's high value), not at 0.5

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
        last.activation.fires is not None,
    )
