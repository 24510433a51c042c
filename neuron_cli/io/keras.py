"""Keras model files, read and written without Keras: `.keras` (Keras 3: a zip of config.json and
model.weights.h5) and `.h5` (Keras 3's legacy format and tf.keras 2's). h5py is imported only here.

A model is read as Keras's layers (for `neuron inspect`, as `model.summary()` shows them) and as the network
neuron computes: Dense layers with their activations; an Activation layer (or an activation layer such as
LeakyReLU) applies to the previous layer's outputs; Dropout does nothing at inference; a Sequential inside
is its layers in order. Any other layer is refused with its class name.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import NeuronError
from ..nn.activations import ActivationSpec, get
from ..nn.layers import Layer, Network

Array = np.ndarray
KERAS_SUFFIXES = (".keras", ".h5", ".hdf5")
MAX_FILE = 1 << 30  # a model file larger than 1 GiB is refused before it is read
ACTIVATION_LAYERS = ("Activation", "LeakyReLU", "ReLU", "ELU", "Softmax")
PASSING_LAYERS = ("InputLayer", "Dropout")


def is_keras_file(path: str) -> bool:
    return Path(path).suffix.lower() in KERAS_SUFFIXES


@dataclass
class KerasLayer:
    """One of Keras's layers as the file describes it: what `model.summary()` shows, and Dense's weights."""

    name: str
    class_name: str
    activation: str  # a neuron SPEC string ("" where the layer has none)
    units: int | None = None
    kernel: Array | None = None  # (inputs, units): Keras's layout
    bias: Array | None = None
    output_shape: int | None = None
    params: int = 0
    within: str = ""  # the nested Sequential it belongs to


@dataclass
class KerasModel:
    name: str
    input_size: int | None
    layers: list[KerasLayer] = field(default_factory=list)
    dtype: str = "float32"  # the dtype the weights are stored in

    @property
    def params(self) -> int:
        return sum(layer.params for layer in self.layers)

    def network(self) -> Network:
        """The network neuron computes: Dense layers, each with its activation; an activation layer after a
        linear Dense becomes that Dense's activation, after any other it is a layer of its own (weights I)."""
        layers: list[Layer] = []
        for layer in self.layers:
            if layer.class_name == "Dense":
                if layer.kernel is None:
                    raise NeuronError("Dense layer {name!r} has no weights", name=layer.name)
                bias = layer.bias if layer.bias is not None else 0.0
                layers.append(Layer.create(layer.kernel.T, bias, layer.activation or "linear", layer.bias is not None))
            elif layer.class_name in ACTIVATION_LAYERS and layer.activation and not get(layer.activation).is_identity:
                if not layers:
                    raise NeuronError(
                        "the model starts with {class_name}; neuron needs a Dense layer first",
                        class_name=layer.class_name,
                    )
                last = layers[-1]
                if last.activation.is_identity:
                    layers[-1] = Layer.create(last.weights, last.bias, layer.activation, last.use_bias)
                else:
                    size = last.output_size
                    layers.append(Layer.create(np.eye(size), 0.0, layer.activation, use_bias=False))
        if not layers:
            raise NeuronError("the model has no Dense layer: there is nothing for neuron to compute")
        return Network(tuple(layers))


# ---------------------------------------------------------------- reading


def read_keras(path_text: str, where: str = "--model") -> KerasModel:
    """A Keras model file (.keras or .h5), or an error that says what is wrong with it."""
    path = Path(path_text)
    try:
        size = path.stat().st_size
        if size > MAX_FILE:
            raise NeuronError(
                "{where}: {path} is {size} bytes; model files are read up to {MAX_FILE} bytes",
                where=where,
                path=path,
                size=size,
                MAX_FILE=MAX_FILE,
            )
        data = path.read_bytes()
    except (OSError, ValueError) as problem:
        reason = getattr(problem, "strerror", None) or str(problem)
        raise NeuronError("{where}: cannot read {path!r}: {reason}", where=where, path=path, reason=reason) from None
    try:
        if data.startswith(b"PK"):
            return _read_keras_zip(data, path)
        if data.startswith(b"\x89HDF"):
            return _read_h5(data, path)
    except NeuronError as problem:
        raise NeuronError("{where}: {path}: {problem}", where=where, path=path, problem=problem) from None
    except (OSError, KeyError, ValueError, TypeError, zipfile.BadZipFile, json.JSONDecodeError) as problem:
        raise NeuronError(
            "{where}: {path} is not a Keras model file neuron can read ({problem})",
            where=where,
            path=path,
            problem=problem,
        ) from None
    raise NeuronError("{where}: {path} is neither a .keras zip nor an HDF5 file", where=where, path=path)


def _h5py() -> Any:
    try:
        import h5py
    except ImportError:  # pragma: no cover - h5py is a dependency
        raise NeuronError("reading and writing Keras files needs h5py: pip install h5py") from None
    return h5py


def _read_keras_zip(data: bytes, path: Path) -> KerasModel:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "config.json" not in names or "model.weights.h5" not in names:
            raise NeuronError("the zip holds no config.json and model.weights.h5: it is not a Keras 3 .keras file")
        config = json.loads(archive.read("config.json"))
        weights = archive.read("model.weights.h5")
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile) as problem:
        raise NeuronError("the .keras zip is damaged ({problem})", problem=problem) from None
    h5py = _h5py()
    with h5py.File(io.BytesIO(weights), "r") as store:
        model = _model_from_config(config, path)

        def arrays(layer: KerasLayer, position: str) -> list[Array]:
            group = store.get(f"{position}/vars")
            if group is None:
                return []
            return [np.asarray(group[str(k)]) for k in range(len(group))]

        _attach_weights(model, arrays, nested_paths=True)
    return model


def _read_h5(data: bytes, path: Path) -> KerasModel:
    h5py = _h5py()
    with h5py.File(io.BytesIO(data), "r") as store:
        config_text = store.attrs.get("model_config")
        if config_text is None:
            raise NeuronError("the HDF5 file has no model_config: it holds weights alone, or is not a Keras model")
        config = json.loads(config_text.decode() if isinstance(config_text, bytes) else config_text)
        model = _model_from_config(config, path)
        root = store.get("model_weights", store)

        def arrays(layer: KerasLayer, position: str) -> list[Array]:
            group = root.get(layer.within or layer.name)
            if group is None:
                return []
            names = [n.decode() if isinstance(n, bytes) else str(n) for n in group.attrs.get("weight_names", [])]
            if layer.within:  # a nested Sequential keeps all its layers' weights in one group, in order
                names = [n for n in names if re.search(rf"(^|/){re.escape(layer.name)}/", n)]
            return [np.asarray(group[name]) for name in names]

        _attach_weights(model, arrays, nested_paths=False)
    return model


def _model_from_config(config: Any, path: Path) -> KerasModel:
    if not isinstance(config, dict):
        raise NeuronError("its config is not a model")
    class_name = config.get("class_name")
    if class_name != "Sequential":
        raise NeuronError(
            "it holds a {class_name} model; neuron reads Sequential models (of Dense layers)", class_name=class_name
        )
    settings = config.get("config", {})
    model = KerasModel(settings.get("name", path.stem), None)
    _add_layers(model, settings, "")
    _dtype = settings.get("dtype")
    if isinstance(_dtype, dict):
        model.dtype = _dtype.get("config", {}).get("name", "float32")
    return model


def _add_layers(model: KerasModel, settings: dict[str, Any], within: str) -> None:
    layers = settings.get("layers", [])
    if not isinstance(layers, list):
        raise NeuronError("its layers are not a list")
    shape = (settings.get("build_input_shape") or [None, None])[-1] if isinstance(settings, dict) else None
    if model.input_size is None and isinstance(shape, int):
        model.input_size = shape
    for entry in layers:
        class_name = entry.get("class_name") if isinstance(entry, dict) else None
        layer_config = entry.get("config", {}) if isinstance(entry, dict) else {}
        name = layer_config.get("name", str(class_name).lower())
        if class_name == "Sequential":
            _add_layers(model, layer_config, name)
            continue
        if class_name == "InputLayer":
            batch_shape = layer_config.get("batch_shape") or layer_config.get("batch_input_shape")
            if batch_shape and model.input_size is None:
                model.input_size = int(batch_shape[-1])
            continue
        if class_name == "Dense":
            units = layer_config.get("units")
            if isinstance(units, bool) or not isinstance(units, int) or units < 1:
                raise NeuronError(
                    "Dense layer {name!r} has units {units!r}, not a number of neurons", name=name, units=units
                )
            model.layers.append(
                KerasLayer(name, "Dense", _activation(layer_config.get("activation")), int(units), within=within)
            )
        elif class_name == "Dropout":
            model.layers.append(KerasLayer(name, "Dropout", "", within=within))
        elif class_name in ACTIVATION_LAYERS:
            spec = _activation(entry if class_name != "Activation" else layer_config.get("activation"))
            model.layers.append(KerasLayer(name, class_name, spec, within=within))
        else:
            raise NeuronError(
                "it has a {class_name} layer ({name!r}); neuron reads InputLayer, Dense, Activation, Dropout and "
                "Sequential",
                class_name=class_name,
                name=name,
            )


def _activation(value: Any) -> str:
    """A Keras activation (a name, a serialized function, or a layer object) as a neuron SPEC string."""
    if value is None:
        return "linear"
    if isinstance(value, str):
        return _checked(value)
    if not isinstance(value, dict):
        raise NeuronError("its activation {value!r} is not one neuron knows", value=value)
    class_name, settings = value.get("class_name"), value.get("config") or {}
    if class_name == "function":
        return _checked(str(settings))
    if class_name == "Activation":
        return _activation(settings.get("activation"))
    if class_name == "LeakyReLU":
        slope = settings.get("negative_slope", settings.get("alpha", 0.3 if "alpha" in settings else 0.2))
        return f"leaky_relu:negative_slope={float(slope)!r}"
    if class_name == "ReLU":
        parts = [f"{key}={float(settings[key])!r}" for key in ("negative_slope", "threshold") if settings.get(key)]
        if settings.get("max_value") is not None:
            parts.append(f"max_value={float(settings['max_value'])!r}")
        return "relu" + (":" + ",".join(parts) if parts else "")
    if class_name == "ELU":
        return f"elu:alpha={float(settings.get('alpha', 1.0))!r}"
    if class_name == "Softmax":
        return "softmax"
    raise NeuronError("its activation {class_name} is not one neuron knows", class_name=class_name)


def _checked(name: str) -> str:
    try:
        return get(name).label
    except NeuronError as problem:
        raise NeuronError("its activation: {problem}", problem=problem) from None


def _attach_weights(model: KerasModel, arrays: Any, nested_paths: bool) -> None:
    """Give each Dense its kernel and bias, and every layer its output size and parameter count."""
    counters: dict[str, dict[str, int]] = {}
    size = model.input_size
    for layer in model.layers:
        scope = counters.setdefault(layer.within, {})
        snake = _snake_case(layer.class_name)
        count = scope.get(snake, -1) + 1
        scope[snake] = count
        own = snake if count == 0 else f"{snake}_{count}"
        position = f"layers/{own}"
        if nested_paths and layer.within:
            position = f"layers/{_nested_position(model, layer.within)}/layers/{own}"
        if layer.class_name == "Dense":
            found = arrays(layer, position)
            if not found:
                raise NeuronError("the weights of Dense layer {name!r} are missing", name=layer.name)
            kernel = np.asarray(found[0], dtype=np.float64)
            if kernel.ndim != 2 or kernel.shape[1] != layer.units:
                raise NeuronError(
                    "Dense layer {name!r} has a kernel of shape {shape}", name=layer.name, shape=kernel.shape
                )
            layer.kernel = kernel
            layer.bias = np.asarray(found[1], dtype=np.float64).reshape(-1) if len(found) > 1 else None
            if size is not None and kernel.shape[0] != size:
                raise NeuronError(
                    "Dense layer {name!r} takes {shape2} inputs but gets {size}",
                    name=layer.name,
                    shape=kernel.shape,
                    shape2=kernel.shape[0],
                    size=size,
                )
            if model.input_size is None:
                model.input_size = kernel.shape[0]
            layer.params = kernel.size + (layer.bias.size if layer.bias is not None else 0)
            size = layer.units
        layer.output_shape = size


def _nested_position(model: KerasModel, within: str) -> str:
    """The weights path of a nested Sequential: its class name with a counter, among the outer layers."""
    nested = []
    for layer in model.layers:
        if layer.within and layer.within not in nested:
            nested.append(layer.within)
    index = nested.index(within)
    return "sequential" if index == 0 else f"sequential_{index}"


def _snake_case(name: str) -> str:
    """Keras's naming.to_snake_case: LeakyReLU -> leaky_re_lu, Dense -> dense."""
    text = re.sub(r"\W+", "", name)
    text = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", text)
    return re.sub("([a-z])([A-Z])", r"\1_\2", text).lower()


# ---------------------------------------------------------------- writing


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
        return {
            "module": "keras.layers",
            "class_name": class_name,
            "config": {"name": _snake_case(class_name), "trainable": True, **settings},
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


def keras_file_bytes(network: Network, name: str = "sequential") -> bytes:
    """A Keras 3 `.keras` file holding the network as a Sequential of Dense layers (float64 weights, exact)."""
    h5py = _h5py()
    layers = [_input_config(network.input_size)]
    size = network.input_size
    weights = io.BytesIO()
    with h5py.File(weights, "w") as store:
        store.create_group("vars").attrs["name"] = name
        for number, layer in enumerate(network.layers, start=1):
            own = "dense" if number == 1 else f"dense_{number - 1}"
            layers.append(_dense_config(layer, number, own, size))
            group = store.create_group(f"layers/{own}/vars")
            group.attrs["name"] = own
            group.create_dataset("0", data=layer.weights.T.astype(np.float64))
            if layer.use_bias:
                group.create_dataset("1", data=layer.bias.astype(np.float64))
            size = layer.output_size
    config = {
        "module": "keras",
        "class_name": "Sequential",
        "registered_name": None,
        "config": {"name": name, "trainable": True, "dtype": FLOAT64, "layers": layers},
        "build_config": {"input_shape": [None, network.input_size]},
    }
    metadata = {"keras_version": "3.0.0", "date_saved": "neuron"}
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zipped:
        zipped.writestr("metadata.json", json.dumps(metadata))
        zipped.writestr("config.json", json.dumps(config))
        zipped.writestr("model.weights.h5", weights.getvalue())
    return archive.getvalue()
