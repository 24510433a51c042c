"""Keras model files written without Keras: a network as a Sequential of Dense layers (float64 weights, so
that Keras predicts what neuron computes), in Keras 3's `.keras` zip or in the legacy HDF5 `.h5` that
`keras.saving.load_model` reads."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import numpy as np

from ...errors import NeuronError
from ...nn.activations import ActivationSpec
from ...nn.layers import Layer, Network
from .reading import snake_case
from .safety import _h5py

# What Keras's activation layers refuse to be built with (their __init__ raises on a negative value)
KERAS_NON_NEGATIVE = {"ReLU": ("threshold", "negative_slope", "max_value"), "LeakyReLU": ("negative_slope",)}


def _keras_activation(spec: ActivationSpec, layer_number: int) -> Any:
    """An activation as Keras's Dense serializes it: its name, or for parameters a layer object."""
    entry = spec.activation
    if not entry.in_keras:
        raise NeuronError(
            "layer {layer_number}'s {name} is not a Keras activation; a .keras file cannot hold it",
            layer_number=layer_number,
            name=spec.name,
        )
    if entry.keras_departs:
        raise NeuronError(
            "layer {layer_number}'s {name}: Keras 3's own {name} computes otherwise (see the README), so a .keras "
            "file would not predict what neuron computes",
            layer_number=layer_number,
            name=spec.name,
        )
    if spec.label == spec.name:
        return spec.name
    if entry.keras_layer is not None:
        class_name, settings = entry.keras_layer(spec.params)
        negative = [key for key in KERAS_NON_NEGATIVE.get(class_name, ()) if (settings.get(key) or 0) < 0]
        if negative:  # keras.saving.load_model would refuse the file
            raise NeuronError(
                "layer {layer_number}'s {label}: Keras's {class_name} layer refuses a negative {key}, so Keras could "
                "not load the file",
                layer_number=layer_number,
                label=spec.label,
                class_name=class_name,
                key=negative[0],
            )
        return {
            "module": "keras.layers",
            "class_name": class_name,
            "config": {"name": snake_case(class_name), "trainable": True, **settings},
            "registered_name": None,
        }
    raise NeuronError(
        "layer {layer_number}'s {label} has parameters a Keras Dense activation cannot carry; a .keras file "
        "can hold it with its defaults only",
        layer_number=layer_number,
        label=spec.label,
    )


FLOAT64 = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float64"}, "registered_name": None}


def _initializer(class_name: str, config: dict[str, Any]) -> dict[str, Any]:
    return {"module": "keras.initializers", "class_name": class_name, "config": config, "registered_name": None}


def _input_config(size: int) -> dict[str, Any]:
    """Keras 3's InputLayer of `size` inputs, in float64."""
    return {
        "module": "keras.layers",
        "class_name": "InputLayer",
        "registered_name": None,
        "config": {
            "batch_shape": [None, size],
            "dtype": "float64",
            "sparse": False,
            "ragged": False,
            "name": "input_layer",
            "optional": False,
        },
    }


def _dense_config(layer: Layer, number: int, name: str, inputs: int) -> dict[str, Any]:
    """Keras 3's config of a Dense layer holding `layer` (its `number` names it in messages)."""
    if layer.activation.activation.halves_layer:
        raise NeuronError("layer {number}'s glu halves the layer, which a Keras Dense cannot do", number=number)
    return {
        "module": "keras.layers",
        "class_name": "Dense",
        "registered_name": None,
        "config": {
            "name": name,
            "trainable": True,
            "dtype": FLOAT64,
            "units": layer.neurons,
            "activation": _keras_activation(layer.activation, number),
            "use_bias": layer.use_bias,
            "kernel_initializer": _initializer("GlorotUniform", {"seed": None}),
            "bias_initializer": _initializer("Zeros", {}),
            "kernel_regularizer": None,
            "bias_regularizer": None,
            "activity_regularizer": None,
            "kernel_constraint": None,
            "bias_constraint": None,
        },
        "build_config": {"input_shape": [None, inputs]},
    }


def sequential_config(network: Network, name: str) -> tuple[dict[str, Any], list[str]]:
    """The Sequential's config, as Keras 3 writes it, and its Dense layers' names."""
    layers = [_input_config(network.input_size)]
    names, size = [], network.input_size
    for number, layer in enumerate(network.layers, start=1):
        own = "dense" if number == 1 else f"dense_{number - 1}"
        layers.append(_dense_config(layer, number, own, size))
        names.append(own)
        size = layer.output_size
    config = {
        "module": "keras",
        "class_name": "Sequential",
        "registered_name": None,
        "config": {"name": name, "trainable": True, "dtype": FLOAT64, "layers": layers},
        "build_config": {"input_shape": [None, network.input_size]},
    }
    return config, names


def _numbers(layer: Layer) -> list[tuple[str, np.ndarray]]:
    """A Dense layer's variables in Keras's order and layout: kernel (inputs x units), then bias."""
    found = [("kernel", layer.weights.T.astype(np.float64))]
    if layer.use_bias:
        found.append(("bias", layer.bias.astype(np.float64)))
    return found


def keras_file_bytes(network: Network, name: str = "sequential") -> bytes:
    """A Keras 3 `.keras` file holding the network as a Sequential of Dense layers (float64 weights, exact)."""
    h5py = _h5py()
    config, names = sequential_config(network, name)
    weights = io.BytesIO()
    with h5py.File(weights, "w") as store:
        store.create_group("vars").attrs["name"] = name
        for own, layer in zip(names, network.layers):
            group = store.create_group(f"layers/{own}/vars")
            group.attrs["name"] = own
            for k, (_, values) in enumerate(_numbers(layer)):
                group.create_dataset(str(k), data=values)
    metadata = {"keras_version": "3.0.0", "date_saved": "neuron"}
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zipped:
        zipped.writestr("metadata.json", json.dumps(metadata))
        zipped.writestr("config.json", json.dumps(config))
        zipped.writestr("model.weights.h5", weights.getvalue())
    return archive.getvalue()


def h5_file_bytes(network: Network, name: str = "sequential") -> bytes:
    """Keras's legacy HDF5 `.h5` (what `keras.saving.load_model` reads): the config in the root's model_config,
    each layer's variables under model_weights/<layer>/ with their names in weight_names, as Keras 3 lays it."""
    h5py = _h5py()
    config, names = sequential_config(network, name)
    data = io.BytesIO()
    with h5py.File(data, "w") as store:
        store.attrs["backend"] = "numpy"
        store.attrs["keras_version"] = "3.0.0"
        store.attrs["model_config"] = json.dumps(config)
        weights = store.create_group("model_weights")
        weights.attrs["backend"] = "numpy"
        weights.attrs["keras_version"] = "3.0.0"
        weights.attrs["layer_names"] = np.array([own.encode() for own in names], dtype=object)
        for own, layer in zip(names, network.layers):
            group = weights.create_group(own)
            paths = [f"{name}/{own}/{key}" for key, _ in _numbers(layer)]
            group.attrs["weight_names"] = np.array([path.encode() for path in paths], dtype=object)
            for path, (_, values) in zip(paths, _numbers(layer)):
                group.create_dataset(path, data=values)
        weights.create_group("top_level_model_weights").attrs["weight_names"] = np.zeros(0)
    return data.getvalue()
