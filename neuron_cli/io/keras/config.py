"""A Keras model's config, in the layout of whichever Keras wrote it, to one chain of layer entries.

Layouts: Keras 3 (`.keras` and its legacy `.h5`) and tf.keras 2 write `{"class_name": "Sequential", "config":
{"layers": [...]}}` or a Functional model's graph; Keras 1 and 2.0-2.2 write a Sequential's `config` as a bare
list of layers, the first with `batch_input_shape`. A Sequential inside is its layers in order; a Functional
model must be one chain (one input, each layer feeding only the next), and a graph that branches or merges is
refused, naming the layer where it does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...errors import NeuronError

SEQUENTIAL = ("Sequential",)
FUNCTIONAL = ("Functional", "Model")


@dataclass(frozen=True)
class Entry:
    """One layer of the chain: its class, its own config, and the nested Sequential it belongs to ("" if none)."""

    class_name: str
    config: dict[str, Any]
    within: str = ""

    @property
    def name(self) -> str:
        name = self.config.get("name")
        return name if isinstance(name, str) else self.class_name.lower()


@dataclass(frozen=True)
class Chain:
    """The model's name, the shape of one input (without the batch axis; None where no layer says it), its
    layers in order, and the dtype its weights are kept in."""

    name: str
    input_shape: tuple[int, ...] | None
    entries: list[Entry]
    dtype: str = "float32"
    functional: bool = False


def chain_of(config: Any, default_name: str) -> Chain:
    """The chain of layers of a model config (the object Keras writes as config.json or model_config)."""
    if not isinstance(config, dict):
        raise NeuronError("its config is not a model")
    class_name = config.get("class_name")
    settings = config.get("config")
    if class_name in SEQUENTIAL:
        entries = _sequential(settings, "")
        name = settings.get("name") if isinstance(settings, dict) else None
        shape = _declared_shape(settings, entries)
        return Chain(name if isinstance(name, str) else default_name, shape, entries, _dtype(settings))
    if class_name in FUNCTIONAL:
        if not isinstance(settings, dict):
            raise NeuronError("its Functional model has no config")
        entries = _functional(settings)
        name = settings.get("name")
        shape = _declared_shape(settings, entries)
        return Chain(name if isinstance(name, str) else default_name, shape, entries, _dtype(settings), True)
    raise NeuronError(
        "it holds a {class_name} model; neuron reads Sequential models and Functional models that are one chain",
        class_name=str(class_name),
    )


def _sequential(settings: Any, within: str) -> list[Entry]:
    """A Sequential's layers (a bare list in Keras 1 and 2.0-2.2, else under "layers"), nested ones in order."""
    layers = settings.get("layers") if isinstance(settings, dict) else settings
    if not isinstance(layers, list):
        raise NeuronError("its layers are not a list")
    entries = []
    for item in layers:
        if not isinstance(item, dict) or not isinstance(item.get("class_name"), str):
            raise NeuronError("one of its layers is not a layer object")
        own: dict[str, Any] = item["config"] if isinstance(item.get("config"), dict) else {}
        if item["class_name"] in SEQUENTIAL:
            nested = own["name"] if isinstance(own.get("name"), str) else "sequential"
            entries.extend(_sequential(item.get("config"), nested))
        else:
            entries.append(Entry(item["class_name"], own, within))
    return entries


def _functional(settings: dict[str, Any]) -> list[Entry]:
    """A Functional model's layers in the order data flows through them, where they form one chain."""
    layers = settings.get("layers")
    if not isinstance(layers, list) or not layers:
        raise NeuronError("its Functional model has no layers")
    by_name: dict[str, dict[str, Any]] = {}
    feeds: dict[str, list[str]] = {}  # a layer's name -> the layers it takes its input from
    for item in layers:
        if not isinstance(item, dict) or not isinstance(item.get("class_name"), str):
            raise NeuronError("one of its layers is not a layer object")
        name = item.get("name") or (item.get("config") or {}).get("name")
        if not isinstance(name, str):
            raise NeuronError("one of its layers has no name")
        by_name[name] = item
        feeds[name] = _inbound(item, name)
    sources = [name for name, inbound in feeds.items() if not inbound]
    if len(sources) != 1:
        raise NeuronError(
            "its Functional model has {count} inputs ({names}); neuron computes one chain from one input",
            count=len(sources),
            names=", ".join(sources),
        )
    users: dict[str, list[str]] = {name: [] for name in feeds}
    for name, inbound in feeds.items():
        for source in inbound:
            if source not in users:
                raise NeuronError(
                    "its layer {name!r} takes its input from {source!r}, which it lacks", name=name, source=source
                )
            users[source].append(name)
    order, current = [], sources[0]
    while True:
        order.append(current)
        following = users[current]
        if not following:
            break
        if len(following) > 1:
            raise NeuronError(
                "its graph branches at layer {name!r} (it feeds {names}); neuron computes one chain of layers",
                name=current,
                names=", ".join(following),
            )
        current = following[0]
        if current in order:
            raise NeuronError("its graph loops back to layer {name!r}", name=current)
    if len(order) != len(feeds):
        raise NeuronError(
            "its Functional model has layers outside its one chain: {names}",
            names=", ".join(sorted(set(feeds) - set(order))),
        )
    entries = []
    for name in order:
        item = by_name[name]
        own: dict[str, Any] = item["config"] if isinstance(item.get("config"), dict) else {}
        if item["class_name"] in SEQUENTIAL:
            entries.extend(_sequential(item.get("config"), name))
        else:
            entries.append(Entry(item["class_name"], {**own, "name": name}))
    return entries


def _inbound(item: dict[str, Any], name: str) -> list[str]:
    """The layers a Functional model's layer takes its input from: in tf.keras 2's nested lists
    ([[["dense", 0, 0, {}]]]) or Keras 3's call arguments ({"args": [{"config": {"keras_history": [..]}}]})."""
    nodes = item.get("inbound_nodes") or []
    if not isinstance(nodes, list):
        raise NeuronError("its layer {name!r} has inbound nodes neuron cannot read", name=name)
    if len(nodes) > 1:
        raise NeuronError(
            "its layer {name!r} is used {count} times; neuron computes one chain of layers", name=name, count=len(nodes)
        )
    sources: list[str] = []
    for node in nodes:
        _histories(node, sources)
    if len(sources) > 1:
        raise NeuronError(
            "its graph merges at layer {name!r} (it takes {names}); neuron computes one chain of layers",
            name=name,
            names=", ".join(sources),
        )
    return sources


def _histories(node: Any, found: list[str]) -> None:
    """The source layer of every tensor a node names (iteratively: a config is untrusted)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            history = (item.get("config") or {}).get("keras_history") if isinstance(item.get("config"), dict) else None
            if item.get("class_name") == "__keras_tensor__" and isinstance(history, list) and history:
                found.append(str(history[0]))
                continue
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            if len(item) >= 3 and isinstance(item[0], str) and isinstance(item[1], int):  # ["dense", 0, 0, {}]
                found.append(item[0])
                continue
            stack.extend(reversed(item))


def _declared_shape(settings: Any, entries: list[Entry]) -> tuple[int, ...] | None:
    """The shape of one input as the config declares it: an InputLayer's batch_shape, a first layer's
    batch_input_shape (Keras 2), or a Sequential's build_input_shape."""
    candidates = []
    for entry in entries[:1]:
        for key in ("batch_shape", "batch_input_shape"):
            candidates.append(entry.config.get(key))
        if entry.config.get("input_shape") is not None:
            candidates.append([None, *entry.config["input_shape"]])
    if isinstance(settings, dict):
        candidates.append(settings.get("build_input_shape"))
        build = settings.get("build_config")
        if isinstance(build, dict):
            candidates.append(build.get("input_shape"))
    for shape in candidates:
        if isinstance(shape, list) and len(shape) >= 2 and all(_whole(size) for size in shape[1:]):
            return tuple(int(size) for size in shape[1:])
    return None


def _whole(size: Any) -> bool:
    return isinstance(size, int) and not isinstance(size, bool) and 1 <= size <= 1 << 31


def _dtype(settings: Any) -> str:
    dtype = settings.get("dtype") if isinstance(settings, dict) else None
    if isinstance(dtype, dict):
        dtype = (dtype.get("config") or {}).get("name")
    return dtype if isinstance(dtype, str) and dtype in ("float16", "float32", "float64") else "float32"
