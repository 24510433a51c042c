"""Model files: neuron's JSON and TOML, and Keras's `.keras` and `.h5` (io/keras.py), to networks and back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..errors import NeuronError
from ..i18n import message
from ..nn.activations import get
from ..nn.layers import Layer, Network
from .files import is_file_reference, read_document, replace_file
from .keras import KerasLayer, KerasModel, is_keras_file, keras_file_bytes, read_keras
from .values import check_array


def load_model(path_text: str, input_size: int | None = None, seed: int = 0) -> Network:
    """A stack of layers from a JSON or TOML model file (see the README for its keys). Layers that give `units`
    instead of weights start as Keras's do, from `seed`; the first needs `input_size` (from the data)."""
    path = Path(path_text[1:] if is_file_reference(path_text) else path_text)
    if is_keras_file(str(path)):
        return read_keras(str(path)).network()
    document = read_document(path, "--model")
    try:
        return model_from_document(document, str(path), input_size, seed)
    except RecursionError:
        raise NeuronError("--model: {path} is nested too deeply to be a model", path=path) from None


def model_from_document(document: Any, name: str = "model", input_size: int | None = None, seed: int = 0) -> Network:
    if not isinstance(document, dict) or not isinstance(document.get("layers"), list) or not document["layers"]:
        raise NeuronError(
            '--model: {name} needs a non-empty "layers" list, e.g. {{"layers": [{{"weights": [[1, 2]]}}]}}', name=name
        )
    unknown = sorted(set(document) - {"layers", "name"})
    if unknown:
        raise NeuronError(
            "--model: {name} has unknown key{s} {items}",
            name=name,
            s="s" if len(unknown) > 1 else "",
            items=", ".join(unknown),
        )
    rng = np.random.default_rng(seed)
    layers: list[Layer] = []
    for n, entry in enumerate(document["layers"], 1):
        inputs = layers[-1].output_size if layers else input_size
        layers.append(
            _layer_from_entry(entry, message("--model: {name}, layer {number}", name=name, number=n), inputs, rng)
        )
    try:
        return Network(tuple(layers))
    except NeuronError as problem:
        raise NeuronError("--model: {name}: {problem}", name=name, problem=problem) from None


LAYER_KEYS = ("weights", "kernel", "units", "bias", "use_bias", "activation", "name")


def _layer_from_entry(entry: Any, where: str, inputs: int | None, rng: np.random.Generator) -> Layer:
    if not isinstance(entry, dict):
        raise NeuronError(
            "{where} should be an object with weights (or kernel, or units), bias and activation", where=where
        )
    unknown = set(entry) - set(LAYER_KEYS)
    if unknown:
        raise NeuronError(
            "{where} has unknown key{s} {items}; a layer takes {items2}",
            where=where,
            s="s" if len(unknown) > 1 else "",
            items=", ".join(sorted(unknown)),
            items2=", ".join(LAYER_KEYS),
        )
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
    activation = entry.get("activation", "linear")
    if not isinstance(activation, str):
        raise NeuronError(
            '{where}, activation should be a SPEC string such as "relu", got {activation!r}',
            where=where,
            activation=activation,
        )
    if given == ["units"]:
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
        try:
            return Layer.initial(inputs, units, get(activation), rng, use_bias)
        except NeuronError as problem:
            raise NeuronError("{where}: {problem}", where=where, problem=problem) from None
    key = given[0]
    matrix = check_array(entry[key], message("{where}, {key}", where=where, key=key), row_name="row")
    if key == "kernel" and np.ndim(entry[key]) == 2:  # a flat kernel is one unit's weights already
        matrix = matrix.T
    bias = check_array(entry.get("bias", 0.0), message("{where}, bias", where=where)).reshape(-1)
    try:
        return Layer.create(matrix, bias, get(activation), use_bias)
    except NeuronError as problem:
        raise NeuronError("{where}: {problem}", where=where, problem=problem) from None


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


def save_model_file(network: Network, path_text: str, option: str = "--save-model") -> None:
    """Write a network as a model file (TOML for a .toml name, JSON otherwise), replacing any old one atomically;
    weights that are not finite are refused before anything is written."""
    import json

    for number, layer in enumerate(network.layers, start=1):
        if not (np.isfinite(layer.weights).all() and np.isfinite(layer.bias).all()):
            raise NeuronError(
                "{option}: layer {number} has weights that are not finite; nothing was written",
                option=option,
                number=number,
            )
    if Path(path_text).suffix.lower() == ".keras":
        try:
            replace_file(path_text, keras_file_bytes(network), option)
        except NeuronError as problem:
            raise NeuronError("{option}: {problem}", option=option, problem=problem) from None
        return
    document = model_document(network)
    if Path(path_text).suffix.lower() == ".toml":
        text = ""
        for layer in document["layers"]:
            text += "[[layers]]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in layer.items()) + "\n"
    else:
        text = json.dumps(document, indent=2, allow_nan=False) + "\n"
    replace_file(path_text, text, option)


def model_summary(path_text: str) -> KerasModel:
    """Any model file as Keras's layers: a Keras file as it is, a neuron JSON/TOML file as a Sequential of Dense."""
    if is_keras_file(path_text):
        return read_keras(path_text, "inspect")
    network = load_model(path_text)
    model = KerasModel(Path(path_text).stem, network.input_size, dtype="float64")
    for number, layer in enumerate(network.layers, start=1):
        model.layers.append(
            KerasLayer(
                "dense" if number == 1 else f"dense_{number - 1}",
                "Dense",
                layer.activation.label,
                layer.neurons,
                layer.weights.T,
                layer.bias if layer.use_bias else None,
                layer.output_size,
                layer.weights.size + (layer.neurons if layer.use_bias else 0),
            )
        )
    return model
