"""What `neuron play` shows and changes, without the screen: the network's numbers as fields, the focus, a number
being typed, the forward pass and the step gradient descent would take, and the `neuron compute` command line
that gives the same numbers back. The Textual screen (render/play_app.py) draws it and sends it keys; tests
drive it directly."""

from __future__ import annotations

import math
import shlex
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

import numpy as np

from ..errors import NeuronError
from ..nn.activations import REGISTRY, ActivationSpec, get
from ..nn.layers import Layer, Network, NetworkPass
from ..nn.learning import TrainingStep, learning_step
from ..nn.numbers import parse_number
from .numbers import full_number

TYPED = frozenset("0123456789.eE")  # the characters that start or continue a typed number ('-': its sign)


@dataclass(frozen=True)
class Field:
    """A number or choice on the screen: an input (`x`), a weight (`w`), a bias (`b`) or an activation (`a`);
    `layer` and `neuron` count from 0, `index` is the input's place (for x and w)."""

    kind: str
    layer: int = 0
    neuron: int = 0
    index: int = 0

    def name(self, base: int = 1) -> str:
        """How the screen names it: x2, w1 (n2, L1), b (n1, L2), a (L1)."""
        if self.kind == "x":
            return f"x{self.index + base}"
        if self.kind == "w":
            return f"w{self.index + base} (n{self.neuron + base}, L{self.layer + 1})"
        if self.kind == "b":
            return f"b (n{self.neuron + base}, L{self.layer + 1})"
        return f"a (L{self.layer + 1})"


@dataclass(frozen=True)
class Training:
    """With --target: what the step aims at and how (the options as given, for the command line)."""

    targets: np.ndarray
    loss: str
    rate: float
    loss_given: bool
    rate_given: bool


class Playground:
    """The network being played with: its inputs and layers change with every key; the rest is computed."""

    def __init__(
        self, network: Network, inputs: np.ndarray, training: Training | None, step: float, model: str | None = None
    ) -> None:
        self.inputs = np.array(inputs, dtype=np.float64)
        self.layers = list(network.layers)
        self.training, self.step, self.model = training, step, model
        self.changed = False  # a number differs from the model file's
        self.focus, self.typed = 0, ""
        self.fields = [Field("x", index=i) for i in range(len(self.inputs))]
        for k, layer in enumerate(self.layers):
            for j in range(layer.neurons):
                self.fields += [Field("w", k, j, i) for i in range(layer.input_size)]
                self.fields += [Field("b", k, j)] if layer.use_bias else []
            self.fields.append(Field("a", k))
        self.forward()  # a network that cannot take these inputs is refused before the screen opens

    # ------------------------------------------------------------ what is computed

    @property
    def network(self) -> Network:
        return Network(tuple(self.layers))

    def forward(self) -> NetworkPass:
        return self.network.forward(self.inputs)

    def learning(self) -> TrainingStep | None:
        """The step gradient descent (or the perceptron rule) would take now; None without --target."""
        if self.training is None:
            return None
        return learning_step(self.forward(), self.training.targets, self.training.loss, self.training.rate)

    # ------------------------------------------------------------ the fields

    @property
    def field(self) -> Field:
        return self.fields[self.focus]

    def value(self, field: Field) -> float:
        layer = self.layers[field.layer]
        if field.kind == "x":
            return float(self.inputs[field.index])
        if field.kind == "w":
            return float(layer.weights[field.neuron, field.index])
        return float(layer.bias[field.neuron])

    def move(self, by: int) -> None:
        """Tab (1) and Shift+Tab (-1); a number being typed is set first, as Enter would."""
        self.enter()
        self.focus = (self.focus + by) % len(self.fields)

    def nudge(self, sign: int) -> NeuronError | None:
        """+/- or Up/Down: the focused number by --step (in decimal: 0.1 + 0.2 is 0.3), an activation to the next
        or the one before; why not, where the number would leave the finite floats."""
        if self.field.kind == "a":
            self.cycle(sign)
            return None
        try:
            moved = float(Decimal(repr(self.value(self.field))) + sign * Decimal(repr(self.step)))
        except InvalidOperation:
            moved = math.inf
        if not math.isfinite(moved):
            return NeuronError("{where} would become infinite; it stays as it is", where=self.field.name())
        self.set(self.field, moved)
        return None

    def set(self, field: Field, value: float) -> None:
        if field.kind == "x":
            self.inputs[field.index] = value
            return
        layer = self.layers[field.layer]
        weights, bias = layer.weights.copy(), layer.bias.copy()
        if field.kind == "w":
            weights[field.neuron, field.index] = value
        else:
            bias[field.neuron] = value
        self.layers[field.layer] = replace(layer, weights=weights, bias=bias)
        self.changed = True

    def cycle(self, by: int = 1) -> None:
        """The focused layer's activation (or the first layer's, where the focus is on an input) changed to the
        next in the registry that fits the layer, with its parameters at their defaults."""
        k = self.field.layer if self.field.kind != "x" else 0  # an input's: the first layer's, as the curve shows
        layer = self.layers[k]
        names = [activation.name for activation in REGISTRY]
        at = names.index(layer.activation.name) if layer.activation.name in names else 0
        for step in range(1, len(names) + 1):
            candidate = _default_spec(names[(at + by * step) % len(names)])
            if candidate is not None and _fits(candidate, k, self.layers):
                self.layers[k] = replace(layer, activation=candidate)
                self.changed = True
                return

    # ------------------------------------------------------------ typing a number

    def type(self, character: str) -> bool:
        """A character typed on a number field; False where it is no part of a number (the key is a command).
        A '-' is the sign of the number being typed, at its start (or after its e)."""
        if self.field.kind == "a":
            return False
        if character in TYPED:
            self.typed += character
            return True
        if character == "-" and self.typed:
            if self.typed[-1] in "eE":
                self.typed += "-"
            else:
                self.typed = self.typed[1:] if self.typed.startswith("-") else "-" + self.typed
            return True
        return False

    def backspace(self) -> None:
        self.typed = self.typed[:-1]

    def cancel(self) -> None:
        self.typed = ""

    def enter(self) -> NeuronError | None:
        """The typed number set on the focused field; the reason where it is no number (the text stays)."""
        if not self.typed:
            return None
        try:
            value = parse_number(self.typed, self.field.name())
        except NeuronError as problem:
            return problem
        self.set(self.field, value)
        self.typed = ""
        return None

    # ------------------------------------------------------------ a step, and leaving

    def take_step(self) -> NeuronError | None:
        """`g`: the weights and biases after one step towards the targets; why not, where none is taken (no
        --target, or a step that would leave a weight or bias infinite or not a number)."""
        step = self.learning()
        if step is None:
            return NeuronError("g takes a step towards --target; give --target to play with one")
        after = step.network(self.network).layers
        if not all(np.isfinite(layer.weights).all() and np.isfinite(layer.bias).all() for layer in after):
            return NeuronError("this step would make a weight or bias infinite or not a number; it is not taken")
        self.layers = list(after)
        self.changed = True
        return None

    def command_line(self, model: str | None = None) -> str:
        """The `neuron compute` command line that computes this screen: one layer by -w, -b and -a (numbers in
        full), a stack of layers by the model file `model` (where it was saved) or the one it came from."""
        words = ["neuron", "compute", "-x", ",".join(map(full_number, self.inputs))]
        if len(self.layers) == 1 and not self.layers[0].label:
            layer = self.layers[0]
            words += ["-w", ";".join(",".join(map(full_number, row)) for row in layer.weights)]
            if layer.use_bias:
                bias = layer.bias if len(set(layer.bias.tolist())) > 1 else layer.bias[:1]
                words += ["-b", ",".join(map(full_number, bias))]
            words += ["-a", layer.activation.label]
        else:
            words += ["--model", model or self.model or ""]
        if self.training is not None:
            words += ["--target", ",".join(map(full_number, self.training.targets))]
            words += ["--lr", full_number(self.training.rate)] if self.training.rate_given else []
            words += ["--loss", self.training.loss] if self.training.loss_given else []
        return " ".join(words[:2] + [shlex.quote(word) for word in words[2:]])


def _default_spec(name: str) -> ActivationSpec | None:
    """An activation with every parameter at its default (a required one at 0); None where that is refused."""
    activation = next(a for a in REGISTRY if a.name == name)
    given = ",".join(f"{param.name}=0" for param in activation.params if param.required)
    try:
        return get(name + (":" + given if given else ""))
    except NeuronError:
        return None


def _fits(spec: ActivationSpec, k: int, layers: list[Layer]) -> bool:
    """Whether layer k can take the activation: its neuron count, and as many outputs as it gives now."""
    layer = layers[k]
    try:
        spec.check_size(layer.neurons)
    except NeuronError:
        return False
    return spec.output_size(layer.neurons) == layer.output_size  # what the next layer (or the targets) take
