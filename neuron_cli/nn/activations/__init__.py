"""The activations: their mathematics (functions.py), the registry of names, parameters and formulas
(registry.py), and an activation bound to its parameters (spec.py)."""

from .registry import REGISTRY, Activation, Param, lookup, normalise_name
from .spec import ActivationSpec, ActivationValues, activation_values, bind, format_value, get

__all__ = [
    "REGISTRY",
    "Activation",
    "ActivationSpec",
    "ActivationValues",
    "Param",
    "activation_values",
    "bind",
    "format_value",
    "get",
    "lookup",
    "normalise_name",
]
