"""A model file is untrusted input (a student's upload to an autograder): reading one never reads another file,
never follows a link out of it, and never takes memory out of proportion to it. Every byte of a Keras file is
reached through here: the file itself (a regular file, bounded), a `.keras` archive's members (bounded, also
where the archive lies about their size), its JSON (nested at most 100 deep), and the HDF5 objects and
datasets (hard links only; no external links, external storage or virtual datasets; the shape a layer needs
checked before any data is read; finite real numbers only)."""

from __future__ import annotations

import json
import os
import stat
import zipfile
from typing import Any

import numpy as np

from ...errors import NeuronError
from ...i18n import os_reason

Array = np.ndarray
MAX_FILE = 1 << 30  # a model file is read up to 1 GiB
MAX_MEMBER = 64 << 20  # an archive member unpacks to 64 MiB at most ...
MAX_RATIO = 100  # ... and to 100 times its packed size at most
MAX_DEPTH = 100  # a config nested deeper is no model
MAX_WILDCARD = 100_000_000  # numbers in a kernel whose size no layer declared (the default --max-params)


def file_bytes(path: str) -> bytes:
    """The bytes of a regular file of at most MAX_FILE; a FIFO, a device or a directory (also behind a link) is
    refused before anything is read (opened without blocking, then looked at)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError) as problem:
        reason = os_reason(problem)
        raise NeuronError("cannot read it: {reason}", reason=reason) from None
    status = os.fstat(descriptor)
    if not stat.S_ISREG(status.st_mode):
        os.close(descriptor)
        raise NeuronError("it is not a regular file (a device, a pipe or a directory); a model is a file")
    with os.fdopen(descriptor, "rb") as file:
        if status.st_size > MAX_FILE:
            raise NeuronError(
                "it is {size} bytes; model files are read up to {limit} bytes", size=status.st_size, limit=MAX_FILE
            )
        pieces, total = [], 0
        while piece := file.read(min(16 << 20, MAX_FILE + 1 - total)):  # memory in proportion to the file
            pieces.append(piece)
            total += len(piece)
            if total > MAX_FILE:
                break
        data = b"".join(pieces)
    if len(data) > MAX_FILE:  # it grew while read
        raise NeuronError("it is more than {limit} bytes; model files are read up to that", limit=MAX_FILE)
    return data


def member(archive: zipfile.ZipFile, name: str) -> bytes:
    """A `.keras` archive's member, unpacked only up to MAX_MEMBER and MAX_RATIO times its packed size, whatever
    the archive's directory says its size is."""
    info = archive.getinfo(name)
    limit = min(MAX_MEMBER, MAX_RATIO * max(info.compress_size, 1))
    if info.file_size > limit:
        raise NeuronError(
            "its {name} would unpack to {size} bytes from {packed}; a member is read up to {limit} bytes",
            name=name,
            size=info.file_size,
            packed=info.compress_size,
            limit=limit,
        )
    with archive.open(info) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise NeuronError("its {name} unpacks past {limit} bytes", name=name, limit=limit)
    return data


def loaded_json(text: bytes | str, what: str) -> Any:
    """JSON from a model file, nested at most MAX_DEPTH deep."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise NeuronError("its {what} is nested too deeply to be a model", what=what) from None
    except (ValueError, UnicodeDecodeError) as problem:
        raise NeuronError("its {what} is not JSON ({problem})", what=what, problem=problem) from None
    if depth(value) > MAX_DEPTH:
        raise NeuronError("its {what} is nested more than {limit} levels deep", what=what, limit=MAX_DEPTH)
    return value


def depth(value: Any) -> int:
    """How deeply lists and objects nest in a JSON value (counted without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if level <= MAX_DEPTH:
            stack.extend((child, level + 1) for child in children)
    return deepest


def child(group: Any, name: str) -> Any:
    """The object `name` of an HDF5 group, reached by hard links only: a soft link (which may loop) or an
    external link (which leaves the file) is refused before it is followed. None where there is none."""
    h5py = _h5py()
    node = group
    for part in [part for part in name.split("/") if part]:
        try:
            link = node.get(part, getlink=True)
        except (KeyError, ValueError, OSError, RuntimeError):
            return None
        if link is None:
            return None
        if not isinstance(link, h5py.HardLink):
            raise NeuronError(
                "its HDF5 object {name!r} is a {kind}; neuron follows no link in a model file",
                name=name,
                kind="external link" if isinstance(link, h5py.ExternalLink) else "soft link",
            )
        try:
            node = node[part]
        except (KeyError, ValueError, OSError, RuntimeError) as problem:
            raise NeuronError(
                "its HDF5 object {name!r} cannot be read ({problem})", name=name, problem=problem
            ) from None
    return node


def values(dataset: Any, shape: tuple[int, ...], what: str) -> Array:
    """A dataset's numbers as float64, after checking, before reading any data, that it lies in this file (no
    external storage, not virtual), holds real numbers, and has the shape its layer needs; then that every
    number is finite."""
    h5py = _h5py()
    if not isinstance(dataset, h5py.Dataset):
        raise NeuronError("its {what} is not an HDF5 dataset", what=what)
    if dataset.is_virtual or dataset.external:
        raise NeuronError("its {what} is stored outside the file (HDF5 virtual or external storage)", what=what)
    if dataset.dtype.kind not in "fiu" or dataset.dtype.fields is not None:
        raise NeuronError("its {what} holds {dtype} values, not real numbers", what=what, dtype=dataset.dtype)
    found = tuple(dataset.shape)
    if len(found) == len(shape) and all(want in (-1, got) for want, got in zip(shape, found)):
        shape = found  # -1: a size no layer declared (a Keras 2 model's first kernel), bounded below
        if int(np.prod(found)) > MAX_WILDCARD:
            raise NeuronError("its {what} has shape {found}: too many numbers for a layer", what=what, found=found)
    if found != tuple(shape):
        raise NeuronError(
            "its {what} has shape {found}, but the layer needs {shape}",
            what=what,
            found=found,
            shape=tuple(shape),
        )
    declared = int(np.prod(found)) * dataset.dtype.itemsize
    try:
        stored = dataset.id.get_storage_size()
    except (OSError, ValueError, RuntimeError):
        stored = declared
    if declared > MAX_RATIO * max(stored, 1 << 14):  # as an archive member: no more than 100x what the file holds
        raise NeuronError(
            "its {what} declares {count} numbers but the file holds {stored} bytes of them (unwritten or packed "
            "more than {ratio} times): not a model's weights",
            what=what,
            count=int(np.prod(found)),
            stored=stored,
            ratio=MAX_RATIO,
        )
    try:
        array = np.asarray(dataset[()], dtype=np.float64)
    except (OSError, ValueError, TypeError) as problem:
        raise NeuronError("its {what} cannot be read ({problem})", what=what, problem=problem) from None
    except MemoryError:
        raise NeuronError(
            "its {what} of {count} numbers does not fit in memory", what=what, count=int(np.prod(found))
        ) from None
    if not np.isfinite(array).all():
        raise NeuronError("its {what} holds numbers that are not finite (NaN or infinite)", what=what)
    return array


def text_attribute(node: Any, name: str) -> str | None:
    """A string attribute of an HDF5 object (bytes or str), or None where there is none."""
    try:
        value = node.attrs.get(name)
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value if isinstance(value, str) else None


def names_attribute(node: Any, name: str) -> list[str]:
    """A list-of-names attribute (Keras's layer_names, weight_names), bytes or str."""
    try:
        value = node.attrs.get(name)
    except (OSError, ValueError, TypeError, KeyError):
        return []
    if value is None:
        return []
    return [item.decode("utf-8", "replace") if isinstance(item, bytes) else str(item) for item in list(value)]


def _h5py() -> Any:
    try:
        import h5py
    except ImportError:  # pragma: no cover - h5py is a dependency
        raise NeuronError("reading and writing Keras files needs h5py: pip install h5py") from None
    return h5py
