"""Each layer of a chain as neuron reads it: its kind, its activation as a neuron SPEC, its output shape from the
shape before it, the numbers it keeps by Keras's names with the shape each must have, and Keras's parameter
counts; all from the config alone, so that shapes and sizes are known before any weight is read."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import NeuronError
from ...nn.activations import get
from ...nn.layers import MAX_PARAMS
from .config import Entry
from .model import ACTIVATION_LAYERS, NOTHING_AT_INFERENCE, SHAPE_LAYERS, KerasLayer


def described(entry: Entry, shape: tuple[int, ...] | None) -> tuple[KerasLayer, dict[str, tuple[int, ...]]]:
    """The layer of this config entry on inputs of `shape` (None where unknown yet: the first Dense says it),
    and the weights it keeps, in Keras's order, with the shape each must have."""
    name, kind, config = entry.name, entry.class_name, entry.config
    layer = KerasLayer(name, kind, "nothing", within=entry.within)
    if kind == "InputLayer":
        layer.kind = "shape"
        layer.output_shape = shape
        return layer, {}
    if kind in NOTHING_AT_INFERENCE:
        layer.output_shape = shape
        return layer, {}
    if kind in SHAPE_LAYERS:
        return _shaped(layer, config, shape), {}
    flat = _flat_size(layer, shape)
    if kind == "Dense":
        return _dense(layer, config, flat)
    if kind in ACTIVATION_LAYERS:
        layer.kind, layer.output_shape = "activation", (flat,) if flat is not None else None
        own = {"class_name": kind, "config": config}
        layer.activation = activation_spec(config.get("activation") if kind == "Activation" else own)
        return layer, {}
    if kind == "BatchNormalization":
        return _batch_normalization(layer, config, flat)
    if kind == "PReLU":
        return _prelu(layer, config, flat)
    raise NeuronError(
        "it has a {class_name} layer ({name!r}); neuron reads Dense, Activation, ReLU, LeakyReLU, ELU, PReLU, "
        "Softmax, BatchNormalization, Flatten, Reshape to a flat shape, Dropout and the noise layers",
        class_name=kind,
        name=name,
    )


def _flat_size(layer: KerasLayer, shape: tuple[int, ...] | None) -> int | None:
    """The size of a flat input; an input of two or more axes is refused (neuron computes on one row)."""
    if shape is None:
        return None
    if len(shape) != 1:
        raise NeuronError(
            "layer {name!r} ({class_name}) gets inputs of shape {shape}; neuron computes on one row of numbers: "
            "a Flatten before it makes one",
            name=layer.name,
            class_name=layer.class_name,
            shape=shape,
        )
    return shape[0]


def _shaped(layer: KerasLayer, config: dict[str, Any], shape: tuple[int, ...] | None) -> KerasLayer:
    """Flatten, or Reshape to one axis: the same numbers, row-major, as one row."""
    layer.kind = "shape"
    size = None if shape is None else int(np.prod(shape))
    if layer.class_name == "Flatten":
        layer.output_shape = None if size is None else (size,)
        return layer
    target = config.get("target_shape")
    if not isinstance(target, list) or not all(isinstance(n, int) and not isinstance(n, bool) for n in target):
        raise NeuronError("layer {name!r} (Reshape) has no target_shape", name=layer.name)
    if len(target) != 1:
        raise NeuronError(
            "layer {name!r} reshapes to {target}; neuron computes on one row of numbers (a Reshape to one axis)",
            name=layer.name,
            target=tuple(target),
        )
    wanted = size if target[0] == -1 else target[0]
    if size is not None and wanted != size:
        raise NeuronError(
            "layer {name!r} reshapes {size} numbers to {target}", name=layer.name, size=size, target=tuple(target)
        )
    layer.output_shape = None if wanted is None else (int(wanted),)
    return layer


def _dense(layer: KerasLayer, config: dict[str, Any], inputs: int | None) -> tuple[KerasLayer, dict]:
    units = config.get("units")
    if isinstance(units, bool) or not isinstance(units, int) or not 1 <= units <= MAX_PARAMS:
        raise NeuronError(
            "Dense layer {name!r} has units {units!r}, not a number of neurons", name=layer.name, units=units
        )
    use_bias = config.get("use_bias", True) is not False
    layer.kind, layer.units, layer.use_bias, layer.output_shape = "dense", units, use_bias, (units,)
    layer.activation = activation_spec(config.get("activation"))
    wanted: dict[str, tuple[int, ...]] = {"kernel": (-1 if inputs is None else inputs, units)}
    if use_bias:
        wanted["bias"] = (units,)
    if inputs is not None:
        layer.params = layer.trainable = inputs * units + (units if use_bias else 0)
    return layer, wanted


def _batch_normalization(layer: KerasLayer, config: dict[str, Any], size: int | None) -> tuple[KerasLayer, dict]:
    if size is None:
        raise NeuronError("layer {name!r} (BatchNormalization) comes before the input's size is known", name=layer.name)
    axis = config.get("axis", -1)
    if axis not in (-1, 1, [-1], [1]):
        raise NeuronError(
            "layer {name!r} normalizes axis {axis}; neuron reads the last axis of a row", name=layer.name, axis=axis
        )
    epsilon = config.get("epsilon", 1e-3)
    if isinstance(epsilon, bool) or not isinstance(epsilon, (int, float)) or not 0 <= epsilon < 1e30:
        raise NeuronError("layer {name!r} has epsilon {epsilon!r}", name=layer.name, epsilon=epsilon)
    scale, center = config.get("scale", True) is not False, config.get("center", True) is not False
    layer.kind, layer.output_shape = "batch_normalization", (size,)
    layer.settings = {"epsilon": float(epsilon), "center": center, "scale": scale}
    names = [*(["gamma"] if scale else []), *(["beta"] if center else []), "moving_mean", "moving_variance"]
    layer.params, layer.trainable = len(names) * size, (scale + center) * size
    return layer, {name: (size,) for name in names}


def _prelu(layer: KerasLayer, config: dict[str, Any], size: int | None) -> tuple[KerasLayer, dict]:
    if size is None:
        raise NeuronError("layer {name!r} (PReLU) comes before the input's size is known", name=layer.name)
    shared = config.get("shared_axes")
    slopes = 1 if shared in ([1], [-1], (1,)) else size
    layer.kind, layer.output_shape = "prelu", (size,)
    layer.params = layer.trainable = slopes
    return layer, {"alpha": (slopes,)}


def activation_spec(value: Any) -> str:
    """A Keras activation (a name, a serialized function, or a layer object) as a neuron SPEC string."""
    if value is None:
        return "linear"
    if isinstance(value, str):
        return _checked(value)
    if not isinstance(value, dict):
        raise NeuronError("its activation {value!r} is not one neuron knows", value=value)
    class_name, settings = value.get("class_name"), value.get("config") or {}
    if not isinstance(settings, dict):
        settings = {"name": settings} if isinstance(settings, str) else {}
    if class_name == "function":
        return _checked(str(value.get("config")))
    if class_name == "Activation":
        return activation_spec(settings.get("activation"))
    if class_name == "LeakyReLU":
        slope = settings.get("negative_slope", settings.get("alpha", 0.3))
        return f"leaky_relu:negative_slope={_number(slope)!r}"
    if class_name == "ReLU":
        parts = [f"{key}={_number(settings[key])!r}" for key in ("negative_slope", "threshold") if settings.get(key)]
        if settings.get("max_value") is not None:
            parts.append(f"max_value={_number(settings['max_value'])!r}")
        return "relu" + (":" + ",".join(parts) if parts else "")
    if class_name == "ELU":
        return f"elu:alpha={_number(settings.get('alpha', 1.0))!r}"
    if class_name == "Softmax":
        axis = settings.get("axis", -1)
        if axis not in (-1, 1, [-1], [1]):
            raise NeuronError("its Softmax acts on axis {axis}; neuron reads the last axis", axis=axis)
        return "softmax"
    raise NeuronError("its activation {class_name} is not one neuron knows", class_name=str(class_name))


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
        raise NeuronError("an activation's parameter {value!r} is not a finite number", value=value)
    return float(value)


def _checked(name: str) -> str:
    try:
        return get(name).label
    except NeuronError as problem:
        raise NeuronError("its activation: {problem}", problem=problem) from None
