"""An activation bound to its parameter values (ActivationSpec), from a SPEC string (`NAME` or
`NAME:key=value[,key=value]`) or from values; and an activation evaluated at given z without weights."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ...errors import NeuronError
from ...i18n import Phrase
from ..numbers import parse_number
from . import functions as f
from .functions import Array, Value
from .registry import Activation, Param, lookup, normalise_name


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
    def is_identity(self) -> bool:
        """Whether it passes z through unchanged (linear, with whatever parameters it has: none)."""
        return self.activation.identity

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
        """d a_j / d z_k for the value a_j each neuron shows: f(z_j), or for glu's gate neurons f.sigmoid(z_j).

        A square matrix per row of z; diagonal for an element-wise activation.
        """
        z = np.asarray(z, dtype=np.float64)
        slope = self.derivative(z)
        if not self.layerwise:
            return f.diagonal(slope)
        if self.activation.halves_layer:
            half = z.shape[-1] // 2
            gate = f.sigmoid(z[..., half:])
            gates = np.concatenate([np.zeros((*gate.shape, half)), f.diagonal(gate * (1.0 - gate))], axis=-1)
            return np.concatenate([slope, gates], axis=-2)
        return slope

    def neuron_values(self, z: Array) -> Array:
        """The value each neuron shows: its output, or for glu's second half its gate f.sigmoid(z)."""
        out = self(z)
        if self.activation.halves_layer:
            with np.errstate(all="ignore"):
                return np.concatenate([out, f.sigmoid(np.asarray(z, dtype=np.float64)[..., z.shape[-1] // 2 :])], -1)
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
        if key not in known and not known:
            raise NeuronError("{name} has no parameters: give it by its name alone", name=activation.name)
        if key not in known:
            offered = ", ".join(known)
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
        given[key] = _parameter_value(
            text, kinds.get(key, "number"), Phrase("{name}'s {key}", name=activation.name, key=key)
        )
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


MAX_JACOBIAN = 2048  # values a layer-wide activation's Jacobian is written for (a 2048 x 2048 matrix: 32 MiB)


@dataclass(frozen=True, eq=False)
class ActivationValues:
    """An activation at given z: element by element, or for a layer-wide one on the whole vector (then `slopes`
    is the Jacobian d out_i / d z_j, made only where it is written)."""

    spec: ActivationSpec
    z: Array
    values: Array

    @functools.cached_property
    def slopes(self) -> Array:
        if self.spec.layerwise and self.z.size > MAX_JACOBIAN:
            raise NeuronError(
                "{name}'s derivative over {count} values is a {count} x {count} matrix; give at most {limit} values "
                "for it, or --format plain or csv for the values alone",
                name=self.spec.name,
                count=self.z.size,
                limit=MAX_JACOBIAN,
            )
        return self.spec.derivative(self.z)


def activation_values(spec: ActivationSpec, z: Array) -> ActivationValues:
    z = np.asarray(z, dtype=np.float64).reshape(-1)
    spec.check_size(z.size)
    return ActivationValues(spec, z, spec(z))
