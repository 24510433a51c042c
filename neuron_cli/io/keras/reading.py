"""Keras model files read without Keras: `.keras` (Keras 3: a zip of config.json and model.weights.h5) and `.h5`
(Keras 3's legacy format, tf.keras 2's, and Keras 1 and 2.0-2.2's). The config is read first, and every layer's
shape and Keras's parameter count known from it, before a weight is read (io/keras/safety.py reads them)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ...errors import NeuronError
from ...i18n import Phrase
from . import safety
from .config import Chain, chain_of
from .layers import MAX_PARAMS, described
from .model import KerasLayer, KerasModel

Array = np.ndarray
KERAS_SUFFIXES = (".keras", ".h5", ".hdf5")
# (layer, weight names in Keras's order, the shape each must have) -> their numbers
Weights = Callable[[KerasLayer, int, dict[str, tuple[int, ...]]], list[Array]]


def is_keras_file(path: str) -> bool:
    return Path(path).suffix.lower() in KERAS_SUFFIXES


def read_keras(path_text: str, where: str = "--model", max_params: int = MAX_PARAMS) -> KerasModel:
    """A Keras model file (.keras or .h5), or an error that names it and says what is wrong."""
    path = Path(path_text)
    try:
        data = safety.file_bytes(path_text)
        if data.startswith(b"PK"):
            return _read_zip(data, path, max_params)
        if data.startswith(b"\x89HDF"):
            return _read_h5(data, path, max_params)
        raise NeuronError("it is neither a .keras zip nor an HDF5 file")
    except NeuronError as problem:
        raise NeuronError("{where}: {path}: {problem}", where=where, path=path, problem=problem) from None
    except (OSError, KeyError, ValueError, TypeError, RuntimeError, zipfile.BadZipFile, EOFError) as problem:
        raise NeuronError(
            "{where}: {path} is not a Keras model file neuron can read ({problem})",
            where=where,
            path=path,
            problem=problem,
        ) from None


def _read_zip(data: bytes, path: Path, max_params: int) -> KerasModel:
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    if "config.json" not in names or "model.weights.h5" not in names:
        raise NeuronError("the zip holds no config.json and model.weights.h5: it is not a Keras 3 .keras file")
    chain = chain_of(safety.loaded_json(safety.member(archive, "config.json"), "config.json"), path.stem)
    weights = safety.member(archive, "model.weights.h5")
    h5py = safety._h5py()
    with h5py.File(io.BytesIO(weights), "r") as store:
        positions = _positions(chain)

        def arrays(layer: KerasLayer, index: int, wanted: dict[str, tuple[int, ...]]) -> list[Array]:
            group = safety.child(store, f"{positions[index]}/vars")
            if group is None:
                raise NeuronError("the weights of layer {name!r} are missing", name=layer.name)
            return [
                safety.values(safety.child(group, str(k)), shape, Phrase("{name}'s {key}", name=layer.name, key=key))
                for k, (key, shape) in enumerate(wanted.items())
            ]

        return _model(chain, arrays, max_params)


def _positions(chain: Chain) -> list[str]:
    """Where model.weights.h5 keeps each layer's variables: `layers/<class in snake case, counted>`, counted
    among the model's layers (a Functional model's InputLayer included); a nested Sequential's inside its own."""
    counters: dict[str, dict[str, int]] = {}
    nested: dict[str, str] = {}
    outer: dict[str, int] = {}
    found = []
    for entry in chain.entries:
        if entry.class_name == "InputLayer" and not chain.functional:
            found.append("")
            continue
        if entry.within and entry.within not in nested:
            count = outer.get("sequential", -1) + 1
            outer["sequential"] = count
            nested[entry.within] = "sequential" if count == 0 else f"sequential_{count}"
        scope = counters.setdefault(entry.within, outer if not entry.within else {})
        snake = snake_case(entry.class_name)
        count = scope.get(snake, -1) + 1
        scope[snake] = count
        own = snake if count == 0 else f"{snake}_{count}"
        found.append(f"layers/{nested[entry.within]}/layers/{own}" if entry.within else f"layers/{own}")
    return found


def _read_h5(data: bytes, path: Path, max_params: int) -> KerasModel:
    h5py = safety._h5py()
    with h5py.File(io.BytesIO(data), "r") as store:
        config_text = safety.text_attribute(store, "model_config")
        if config_text is None:
            if safety.names_attribute(store, "layer_names") or safety.child(store, "model_weights") is not None:
                raise NeuronError(
                    "it holds weights alone (Keras's save_weights), no model: save the model itself with "
                    "model.save(...), or give the layers in a neuron model file (see README, Keras models)"
                )
            raise NeuronError("the HDF5 file has no model_config: it is not a Keras model")
        chain = chain_of(safety.loaded_json(config_text, "model_config"), path.stem)
        root = safety.child(store, "model_weights")
        root = store if root is None else root

        def arrays(layer: KerasLayer, index: int, wanted: dict[str, tuple[int, ...]]) -> list[Array]:
            group = safety.child(root, layer.within or layer.name)
            if group is None:
                raise NeuronError("the weights of layer {name!r} are missing", name=layer.name)
            names = safety.names_attribute(group, "weight_names")
            if layer.within:  # a nested Sequential keeps its layers' weights in one group, in order
                names = [name for name in names if re.search(rf"(^|/){re.escape(layer.name)}/", name)]
            if len(names) != len(wanted):
                raise NeuronError(
                    "layer {name!r} has {count} weight arrays in the file; it keeps {wanted}",
                    name=layer.name,
                    count=len(names),
                    wanted=len(wanted),
                )
            return [
                safety.values(safety.child(group, name), shape, Phrase("{name}'s {key}", name=layer.name, key=key))
                for name, (key, shape) in zip(names, wanted.items())
            ]

        return _model(chain, arrays, max_params)


def _model(chain: Chain, arrays: Weights, max_params: int) -> KerasModel:
    """The chain's layers, each described from the config (its shape and Keras's count, checked against
    --max-params) before its numbers are read."""
    model = KerasModel(chain.name, chain.input_shape, dtype=chain.dtype)
    shape = chain.input_shape
    counted = 0  # the parameters of the layers before (a running sum: 16,000 layers are read in linear time)

    def check(params: int) -> None:
        if counted + params > max_params:
            raise NeuronError("it has more than {limit} parameters (--max-params)", limit=max_params)

    for index, entry in enumerate(chain.entries):
        layer, wanted = described(entry, shape)
        listed = entry.class_name != "InputLayer" or chain.functional  # as model.summary() lists them
        if listed:
            model.layers.append(layer)
        check(layer.params)
        if wanted:
            layer.arrays = dict(zip(wanted, arrays(layer, index, wanted)))
        if layer.kind == "dense" and shape is None:  # no layer said the input's size: the kernel says it
            inputs = layer.arrays["kernel"].shape[0]
            model.input_shape = (inputs,)
            layer.params = layer.trainable = inputs * (layer.units or 0) + (layer.units or 0) * layer.use_bias
            check(layer.params)
        counted += layer.params if listed else 0
        shape = layer.output_shape
    return model


def snake_case(name: str) -> str:
    """Keras's naming.to_snake_case: LeakyReLU -> leaky_re_lu, Dense -> dense."""
    text = re.sub(r"\W+", "", name)
    text = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", text)
    return re.sub("([a-z])([A-Z])", r"\1_\2", text).lower()
