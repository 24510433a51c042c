"""Model files: neuron's JSON and TOML, and Keras's `.keras` and `.h5` (io/keras/), read as Keras's layers (what
`inspect` shows) and as the network neuron computes; networks written back.

A neuron model file is `{"layers": [...]}` (and `"input_shape": [28, 28]` where a Flatten makes the row), each
layer a Dense (`weights` neurons x inputs, or `kernel` inputs x units, or `units` to start as Keras does;
`bias`, `use_bias`, `activation`) or, with a `type`, one of the other layers Keras files hold:
`{"type": "activation", "activation": "sigmoid"}`, `{"type": "batch_normalization", "gamma", "beta",
"moving_mean", "moving_variance", "epsilon"}` (gamma and beta may be left out, as Keras's scale and center),
`{"type": "prelu", "alpha": [...]}`, `{"type": "flatten"}`. Every layer may have a `name`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..errors import NeuronError
from ..i18n import Phrase
from ..nn.activations import get
from ..nn.layers import Layer, Network
from .files import is_file_reference, read_document, refuse_non_file, replace_file
from .keras import (
    MAX_PARAMS,
    KerasLayer,
    KerasModel,
    h5_file_bytes,
    is_keras_file,
    keras_file_bytes,
    read_keras,
    sequential_config,
)
from .values import check_array

DENSE_KEYS = ("weights", "kernel", "units", "bias", "use_bias", "activation", "name")
TYPED_KEYS = {
    "activation": ("type", "activation", "name"),
    "batch_normalization": ("type", "gamma", "beta", "moving_mean", "moving_variance", "epsilon", "name"),
    "prelu": ("type", "alpha", "name"),
    "flatten": ("type", "name"),
}


def load_model(path_text: str, input_size: int | None = None, seed: int = 0, max_params: int = MAX_PARAMS) -> Network:
    """The network of a model file (JSON, TOML, .keras, .h5). Layers that give `units` instead of weights start
    as Keras's do, from `seed`; the first needs `input_size` (from the data)."""
    model = read_model(path_text, "--model", input_size, seed, max_params)
    try:
        return model.network(max_params)
    except NeuronError as problem:
        raise NeuronError("--model: {path}: {problem}", path=path_text, problem=problem) from None


def read_model(
    path_text: str, where: str, input_size: int | None = None, seed: int = 0, max_params: int = MAX_PARAMS
) -> KerasModel:
    """Any model file as Keras's layers: a Keras file as it is, a neuron file as the layers it describes."""
    path = Path(path_text[1:] if is_file_reference(path_text) else path_text)
    if is_keras_file(str(path)):
        return read_keras(str(path), where, max_params)
    document = read_document(path, where)
    try:
        return model_from_document(document, str(path), input_size, seed, max_params)
    except RecursionError:
        raise NeuronError("{where}: {path} is nested too deeply to be a model", where=where, path=path) from None


def model_summary(path_text: str, max_params: int = MAX_PARAMS) -> KerasModel:
    return read_model(path_text, "inspect", max_params=max_params)


def model_from_document(
    document: Any, name: str = "model", input_size: int | None = None, seed: int = 0, max_params: int = MAX_PARAMS
) -> KerasModel:
    if not isinstance(document, dict) or not isinstance(document.get("layers"), list) or not document["layers"]:
        raise NeuronError(
            '--model: {name} needs a non-empty "layers" list, e.g. {{"layers": [{{"weights": [[1, 2]]}}]}}', name=name
        )
    unknown = sorted(set(document) - {"layers", "name", "input_shape"})
    if unknown:
        raise NeuronError(
            "--model: {name} has unknown key{s} {items}",
            name=name,
            s="s" if len(unknown) > 1 else "",
            items=", ".join(unknown),
        )
    shape = _input_shape(document.get("input_shape"), name)
    model = KerasModel(
        str(document.get("name") or Path(name).stem),
        shape or (None if input_size is None else (input_size,)),
        dtype="float64",
    )
    rng = np.random.default_rng(seed)
    size = model.input_size
    counted = 0  # the parameters of the layers before: a running sum (20,000 layers once took 25 s)
    for n, entry in enumerate(document["layers"], 1):
        where = Phrase("--model: {name}, layer {number}", name=name, number=n)
        layer = _layer(entry, where, size, rng, n, max_params - counted)
        model.layers.append(layer)
        counted += layer.params
        if counted > max_params:
            raise NeuronError(
                "{where}: the network has more than {limit} parameters (--max-params)", where=where, limit=max_params
            )
        if layer.output_shape is not None:
            size = int(np.prod(layer.output_shape))
        if model.input_shape is None and layer.kernel is not None:
            model.input_shape = (layer.kernel.shape[0],)
    return model


def _input_shape(value: Any, name: str) -> tuple[int, ...] | None:
    if value is None:
        return None
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 1 << 31 for n in value)
    ):
        raise NeuronError("--model: {name}: input_shape should be a list of sizes, such as [28, 28]", name=name)
    return tuple(value)


def _layer(entry: Any, where: str, inputs: int | None, rng: np.random.Generator, n: int, room: int) -> KerasLayer:
    if not isinstance(entry, dict):
        raise NeuronError(
            "{where} should be an object with weights (or kernel, or units), bias and activation", where=where
        )
    kind = entry.get("type", "dense")
    keys = DENSE_KEYS if kind == "dense" else TYPED_KEYS.get(kind) if isinstance(kind, str) else None
    if keys is None:
        raise NeuronError(
            "{where}: type {kind!r} is not a layer neuron reads; choose {items}",
            where=where,
            kind=kind,
            items=", ".join(["dense", *TYPED_KEYS]),
        )
    unknown = set(entry) - set(keys) - {"type"}
    if unknown:
        raise NeuronError(
            "{where} has unknown key{s} {items}; a layer takes {items2}",
            where=where,
            s="s" if len(unknown) > 1 else "",
            items=", ".join(sorted(unknown)),
            items2=", ".join(keys),
        )
    label = entry.get("name") if isinstance(entry.get("name"), str) else None
    if kind == "dense":
        return _dense(entry, where, inputs, rng, label or ("dense" if n == 1 else f"dense_{n - 1}"), room)
    return _typed(kind, entry, where, inputs, label or kind)


def _dense(
    entry: dict[str, Any], where: str, inputs: int | None, rng: np.random.Generator, name: str, room: int
) -> KerasLayer:
    given = [key for key in ("weights", "kernel", "units") if key in entry]
    if len(given) != 1:
        raise NeuronError(
            "{where} needs one of weights (neurons x inputs), kernel (inputs x outputs) or units (a number of "
            "neurons that start as Keras's do); it has {value}",
            where=where,
            value=" and ".join(given) or "none",
        )
    use_bias = entry.get("use_bias", True)
    if not isinstance(use_bias, bool):
        raise NeuronError("{where}, use_bias should be true or false, got {use_bias!r}", where=where, use_bias=use_bias)
    activation = _activation(entry, where)
    if given == ["units"]:
        layer = _initial(entry, where, inputs, rng, activation, use_bias, room)
    else:
        key = given[0]
        matrix = check_array(entry[key], Phrase("{where}, {key}", where=where, key=key), row_name="row")
        if key == "kernel" and np.ndim(entry[key]) == 2:  # a flat kernel is one unit's weights already
            matrix = matrix.T
        bias = check_array(entry.get("bias", 0.0), Phrase("{where}, bias", where=where)).reshape(-1)
        try:
            layer = Layer.create(matrix, bias, get(activation), use_bias)
        except NeuronError as problem:
            raise NeuronError("{where}: {problem}", where=where, problem=problem) from None
    count = layer.weights.size + (layer.neurons if use_bias else 0)
    arrays = {"kernel": layer.weights.T, **({"bias": layer.bias} if use_bias else {})}
    return KerasLayer(
        name,
        "Dense",
        "dense",
        layer.activation.label,
        layer.neurons,
        use_bias,
        arrays,
        output_shape=(layer.neurons,),
        params=count,
        trainable=count,
    )


def _initial(
    entry: dict[str, Any],
    where: str,
    inputs: int | None,
    rng: np.random.Generator,
    activation: str,
    use_bias: bool,
    room: int,
) -> Layer:
    units = entry["units"]
    if isinstance(units, bool) or not isinstance(units, int) or not 1 <= units <= 100_000:
        raise NeuronError(
            "{where}, units should be a whole number of neurons from 1 to 100000, got {units!r}",
            where=where,
            units=units,
        )
    if inputs is None:
        raise NeuronError(
            "{where} gives units but no weights: its inputs are known only from a data set (neuron train)",
            where=where,
        )
    if "bias" in entry:
        raise NeuronError("{where} gives units, which start with a zero bias; leave bias out", where=where)
    if inputs * units + units > room:  # checked before the weights are drawn
        raise NeuronError(
            "{where}: {inputs} x {units} weights take the network past --max-params",
            where=where,
            inputs=inputs,
            units=units,
        )
    try:
        return Layer.initial(inputs, units, get(activation), rng, use_bias)
    except NeuronError as problem:
        raise NeuronError("{where}: {problem}", where=where, problem=problem) from None


def _activation(entry: dict[str, Any], where: str) -> str:
    activation = entry.get("activation", "linear")
    if not isinstance(activation, str):
        raise NeuronError(
            '{where}, activation should be a SPEC string such as "relu", got {activation!r}',
            where=where,
            activation=activation,
        )
    try:
        return get(activation).label
    except NeuronError as problem:
        raise NeuronError("{where}: {problem}", where=where, problem=problem) from None


def _typed(kind: str, entry: dict[str, Any], where: str, inputs: int | None, name: str) -> KerasLayer:
    """An activation, BatchNormalization, PReLU or Flatten layer of a neuron model file."""
    shape = None if inputs is None else (inputs,)
    if kind == "flatten":
        return KerasLayer(name, "Flatten", "shape", output_shape=shape)
    if inputs is None:
        raise NeuronError("{where}: a {kind} layer needs the layers before it to say its size", where=where, kind=kind)
    if kind == "activation":
        return KerasLayer(name, "Activation", "activation", _activation(entry, where), output_shape=shape)
    names = ("alpha",) if kind == "prelu" else ("gamma", "beta", "moving_mean", "moving_variance")
    arrays = {}
    for key in names:
        if key in entry:
            values = check_array(entry[key], Phrase("{where}, {key}", where=where, key=key)).reshape(-1)
            if values.size != inputs and not (key == "alpha" and values.size == 1):
                raise NeuronError(
                    "{where}, {key} has {count} values for {inputs} inputs",
                    where=where,
                    key=key,
                    count=values.size,
                    inputs=inputs,
                )
            arrays[key] = values
        elif key in ("alpha", "moving_mean", "moving_variance"):
            raise NeuronError("{where} needs {key}", where=where, key=key)
    if kind == "prelu":
        count = arrays["alpha"].size
        return KerasLayer(name, "PReLU", "prelu", arrays=arrays, output_shape=shape, params=count, trainable=count)
    epsilon = entry.get("epsilon", 1e-3)
    if isinstance(epsilon, bool) or not isinstance(epsilon, (int, float)) or not 0 <= epsilon < 1e30:
        raise NeuronError("{where}, epsilon should be a number, 0 or more, got {value!r}", where=where, value=epsilon)
    trainable = sum(key in arrays for key in ("gamma", "beta")) * inputs
    return KerasLayer(
        name,
        "BatchNormalization",
        "batch_normalization",
        arrays=arrays,
        settings={"epsilon": float(epsilon)},
        output_shape=shape,
        params=len(arrays) * inputs,
        trainable=trainable,
    )


def model_document(network: Network) -> dict[str, Any]:
    """A network as the model file's JSON object (weights in rows-are-neurons layout)."""
    layers = []
    for layer in network.layers:
        entry: dict[str, Any] = {"weights": layer.weights.tolist()}
        if layer.use_bias:
            entry["bias"] = layer.bias.tolist()
        else:
            entry["use_bias"] = False
        entry["activation"] = layer.activation.label
        layers.append(entry)
    return {"layers": layers}


def summary_document(model: KerasModel) -> dict[str, Any]:
    """A model's layers as a neuron model file: Dense layers by their weights, and the other layers Keras files
    hold by their own numbers (BatchNormalization's four vectors, PReLU's slopes, Flatten)."""
    layers: list[dict[str, Any]] = []
    for layer in model.layers:
        entry: dict[str, Any] = {"name": layer.name}
        if layer.kind == "dense":
            assert layer.kernel is not None
            entry["weights"] = (layer.kernel.T + 0.0).tolist()  # + 0.0: -0.0 is 0.0, as every machine format says
            if layer.bias is not None:
                entry["bias"] = (layer.bias + 0.0).tolist()
            else:
                entry["use_bias"] = False
            entry["activation"] = layer.activation
        elif layer.kind == "activation":
            entry.update(type="activation", activation=layer.activation)
        elif layer.kind in ("batch_normalization", "prelu"):
            entry["type"] = layer.kind
            entry.update({key: (values.reshape(-1) + 0.0).tolist() for key, values in layer.arrays.items()})
            if layer.kind == "batch_normalization":
                entry["epsilon"] = layer.settings.get("epsilon", 1e-3)
        elif layer.class_name in ("Flatten", "Reshape"):
            entry["type"] = "flatten"
        else:
            continue  # an InputLayer, Dropout or a noise layer: nothing at inference
        layers.append(entry)
    document: dict[str, Any] = {"name": model.name, "layers": layers}
    if model.input_shape is not None and len(model.input_shape) > 1:
        document["input_shape"] = list(model.input_shape)
    return document


def check_savable(network: Network, path_text: str, option: str = "--save-model") -> None:
    """Refuse, before a long training run, what `save_model_file` would refuse at its end: a network that a
    .keras or .h5 file cannot hold (its layers are the same after training), or a place that is not a file."""
    if Path(path_text).suffix.lower() in (".keras", ".h5", ".hdf5"):
        try:
            sequential_config(network, "sequential")
        except NeuronError as problem:
            raise NeuronError("{option}: {problem}", option=option, problem=problem) from None
    folder = refuse_non_file(path_text, option).parent
    if not folder.is_dir():
        raise NeuronError(
            "{option}: cannot write {path!r}: the folder {folder} does not exist",
            option=option,
            path=path_text,
            folder=str(folder),
        )


def save_model_file(network: Network, path_text: str, option: str = "--save-model") -> None:
    """Write a network as a model file (by its name: .keras, .h5, TOML, else JSON), replacing any old one
    atomically; weights that are not finite are refused before anything is written."""
    import json

    for number, layer in enumerate(network.layers, start=1):
        if not (np.isfinite(layer.weights).all() and np.isfinite(layer.bias).all()):
            raise NeuronError(
                "{option}: layer {number} has weights that are not finite; nothing was written",
                option=option,
                number=number,
            )
    suffix = Path(path_text).suffix.lower()
    if suffix in (".keras", ".h5", ".hdf5"):
        try:
            data = keras_file_bytes(network) if suffix == ".keras" else h5_file_bytes(network)
        except NeuronError as problem:
            raise NeuronError("{option}: {problem}", option=option, problem=problem) from None
        replace_file(path_text, data, option)
        return
    document = model_document(network)
    if suffix == ".toml":
        text = ""
        for layer in document["layers"]:
            text += "[[layers]]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in layer.items()) + "\n"
    else:
        text = json.dumps(document, indent=2, allow_nan=False) + "\n"
    replace_file(path_text, text, option)
