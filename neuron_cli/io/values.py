"""Text to arrays: vectors, `;` matrices, `@PATH` value files, activations, expected values; every error names the
bad token."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import NeuronError
from ..i18n import Phrase
from ..nn.activations import ActivationSpec, get
from ..nn.layers import Network
from ..nn.numbers import parse_number
from .files import is_file_reference, load_npy, parse_json, read_bytes, read_text

Array = np.ndarray

_SEPARATOR = re.compile(r"\s*,\s*|\s+")
_ROWS = re.compile(r"\]\s*,?\s*\[")
# What keyboards and Python give besides plain commas: the full-width comma and semicolon of Korean and Japanese
# input methods, and the brackets of a list or array pasted from Python or NumPy.
_WIDE = str.maketrans({"，": ",", "；": ";", "　": " "})


def pasted(text: str) -> str:
    """Text in the syntax the parsers read: full-width commas made plain, and a pasted Python or NumPy list
    ([1, 2, 3], [[0.1, 0.2], [0.3, 0.4]], [1. 2. 3.]) made a row, or rows separated by ;."""
    text = text.translate(_WIDE)
    stripped = text.strip()
    if not stripped.startswith("[") or not stripped.endswith("]"):
        return text
    depth = 0
    for character in stripped:
        depth += {"[": 1, "]": -1}.get(character, 0)
        if depth < 0 or depth > 2:
            return text  # not a list or a matrix: the number parser names what is wrong
    if depth:
        return text
    inner = stripped[1:-1].strip()
    if inner.startswith("[") and inner.endswith("]"):
        return ";".join(part.strip().rstrip(",") for part in _ROWS.split(inner[1:-1].strip()))
    return inner.rstrip(",") if inner.endswith(",") and not inner.endswith(",,") else inner


# Characters that separate numbers are commas, spaces and tabs: any other control or separator character (a
# vertical tab, form feed, NEL, U+2028, a no-break space, a carriage return within a line) is refused, with its
# place, rather than read as white space (Python's float() and str.split() would).
_ODD = re.compile(r"[^\S \t]|[\x00-\x08\x0e-\x1f\x7f-\x9f]")


# In ASCII, what float() and NumPy's reader take for white space besides a space and a tab (and a line end): a
# vertical tab, form feed and \x1c to \x1f. Looked for with memchr, once each: 3 ms for 7.6 MB, a regular
# expression's 164 ms.
ASCII_ODD_SPACES = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")


def has_odd_character(text: str) -> bool:
    """Whether `text` holds a control or separator character refuse_odd_characters refuses (in ASCII, one of
    ASCII_ODD_SPACES: float() refuses the other controls itself)."""
    if text.isascii():
        return any(space in text for space in ASCII_ODD_SPACES)
    return _ODD.search(text) is not None


def refuse_odd_characters(text: str, where: str, before: int = 0) -> None:
    """Refuse a control or separator character other than a space or a tab, naming it and its place (1 for the
    first character of `text`, after `before` characters left out)."""
    found = _ODD.search(text)
    if found is None:
        return
    import unicodedata

    character = found.group()
    names = {
        "\v": Phrase("vertical tab"),
        "\f": Phrase("form feed"),
        "\r": Phrase("carriage return"),
        "\n": Phrase("line break"),
        "\x85": Phrase("next line, NEL"),
        "\u2028": Phrase("line separator"),
        "\u2029": Phrase("paragraph separator"),
        "\xa0": Phrase("no-break space"),
    }
    control = unicodedata.category(character) == "Cc"
    name = names.get(character) or (Phrase("a control character") if control else Phrase("a space of another width"))
    raise NeuronError(
        "{where}: character {position} is {code} ({name}), which separates nothing: separate numbers with commas, "
        "spaces or tabs",
        where=where,
        position=before + found.start() + 1,
        code=f"U+{ord(character):04X}",
        name=name,
    )


def split_values(text: str, where: str) -> list[str]:
    """The fields of a row: separated by commas and/or white space; an empty field stays (and is refused later).
    Any other control or separator character is refused."""
    text = pasted(text)
    ends = len(text) - len(text.lstrip("\r\n"))  # line ends around a value (`read` over a CRLF file) are no part of it
    refuse_odd_characters(text.strip("\r\n"), where, ends)
    stripped = text.strip()
    return _SEPARATOR.split(stripped) if stripped else [""]


def parse_vector(text: str, where: str) -> Array:
    """Numbers separated by commas and/or white space, e.g. `1,2,3`, `1 2 3`, `-1, .5, 2e-3`."""
    fields = split_values(text, where)
    if fields == [""]:
        raise NeuronError("{where} is empty; give numbers separated by commas, e.g. 1,2,3", where=where)
    return np.array(
        [
            parse_number(
                field, Phrase("{where}, value {number}", where=where, number=number) if len(fields) > 1 else where
            )
            for number, field in enumerate(fields, start=1)
        ],
        dtype=np.float64,
    )


def parse_matrix(text: str, where: str, row_name: str = "neuron") -> Array:
    """Rows separated by `;` or new lines, each a vector; all rows as long as the first.

    Blank lines and lines starting with # are skipped (files); an empty row between `;` is refused, as an
    empty value between commas is.
    """
    text = pasted(text)
    # lines end at \n, \r\n or \r alone (a file from an old Mac); \v, \f and U+2028 are refused in a line
    lines = [line for line in re.split(r"\r\n|\r|\n", text) if line.strip() and not line.lstrip().startswith("#")]
    rows = [row for line in lines or [""] for row in line.split(";")]
    vectors = [
        parse_vector(
            row,
            Phrase("{where}, {row_name} {number}", where=where, row_name=row_name, number=n)
            if len(rows) > 1
            else where,
        )
        for n, row in enumerate(rows, 1)
    ]
    return stack_rows(vectors, where, row_name)


def stack_rows(rows: list[Array], where: str, row_name: str = "neuron") -> Array:
    width = rows[0].size
    for number, row in enumerate(rows, start=1):
        if row.size != width:
            raise NeuronError(
                "{where}: {row_name} 1 has {width} value{s} but {row_name} {number} has {size}; every {row_name} "
                "needs as many",
                where=where,
                row_name=row_name,
                width=width,
                s="s" if width != 1 else "",
                number=number,
                size=row.size,
            )
    return np.vstack(rows)


def read_file_values(text: str, where: str, row_name: str = "neuron") -> Array:
    """The numbers in the file `@PATH` names: a 2-D array (one row a line for text)."""
    path = Path(text[1:])
    suffix = path.suffix.lower()
    if suffix == ".npy":
        data = load_npy(read_bytes(path, where), where, path)
        return check_array(data, Phrase("{where} ({path})", where=where, path=path), row_name)
    content = read_text(path, where)
    if suffix == ".json":
        data = parse_json(content, where, path)
        return check_array(data, Phrase("{where} ({path})", where=where, path=path), row_name)
    return parse_matrix(content, Phrase("{where} ({path})", where=where, path=path), row_name)


def check_array(data: Any, where: str, row_name: str = "neuron") -> Array:
    """A JSON value or loaded array as a 2-D float array of finite numbers, or an error saying what is wrong."""
    if isinstance(data, list):
        _check_nesting(data, where, row_name)
    elif not isinstance(data, np.ndarray):
        _check_number(data, where)
    try:
        array = (
            np.array(data, dtype=np.float64) if not isinstance(data, np.ndarray) or data.dtype.kind in "iuf" else None
        )
    except OverflowError:
        raise NeuronError("{where}: holds a number too large for a float (beyond 1.8e308)", where=where) from None
    if array is None:
        raise NeuronError("{where}: holds {dtype} values, not numbers", where=where, dtype=data.dtype)
    if array.ndim == 0:
        array = array.reshape(1, 1)
    elif array.ndim == 1:
        array = array.reshape(1, -1)
    if array.ndim != 2:
        raise NeuronError(
            "{where}: expected a vector or a matrix, got {ndim} dimensions {shape}",
            where=where,
            ndim=array.ndim,
            shape=array.shape,
        )
    if array.size == 0:
        raise NeuronError("{where}: holds no numbers", where=where)
    bad = np.argwhere(~np.isfinite(array))
    if bad.size:
        row, column = bad[0]
        raise NeuronError(
            "{where}: {row_name} {number}, value {number2} is {array2}; only finite numbers",
            where=where,
            row_name=row_name,
            number=row + 1,
            number2=column + 1,
            array=array,
            array2=array[row, column],
        )
    return array


def _check_nesting(data: list[Any], where: str, row_name: str) -> None:
    """A list of numbers, or a list of equally long lists of numbers."""
    lists = [isinstance(item, list) for item in data]
    if any(lists) and not all(lists):
        raise NeuronError("{where}: mixes numbers and lists; give a list of numbers or a list of rows", where=where)
    if not any(lists):
        for item in data:
            _check_number(item, where)
        return
    widths = {len(item) for item in data}
    if len(widths) > 1:
        sizes = ", ".join(str(len(item)) for item in data)
        raise NeuronError(
            "{where}: rows have different lengths ({sizes}); every {row_name} needs as many",
            where=where,
            sizes=sizes,
            row_name=row_name,
        )
    for item in data:
        if any(isinstance(value, list) for value in item):
            shape = (
                "is nested more than two deep" if all(isinstance(v, list) for v in item) else "mixes numbers and lists"
            )
            raise NeuronError("{where}: {shape}; give a list of numbers or a list of rows", where=where, shape=shape)
        for value in item:
            _check_number(value, where)


def _check_number(item: Any, where: str) -> None:
    if isinstance(item, bool) or not isinstance(item, (int, float)):
        raise NeuronError("{where}: {item!r} is not a number", where=where, item=item)


# ---------------------------------------------------------------- the options of compute


def parse_inputs(text: str, where: str = "-x") -> Array:
    """`-x`: one input vector, or several rows from an `@PATH` file: always (rows, inputs)."""
    if is_file_reference(text):
        return read_file_values(text, where, row_name="row")
    return parse_vector(text, where).reshape(1, -1)


def input_rows(x: str, network: Network) -> Array:
    """-x as rows of inputs, each as wide as the network's first layer."""
    rows = parse_inputs(x)
    network.check_inputs(rows.shape[1], "-x" if rows.shape[0] == 1 else Phrase("-x ({file}), each row", file=x[1:]))
    return rows


def parse_weights(texts: list[str], where: str = "-w") -> Array:
    """`-w`: neurons separated by `;`, or the option once per neuron, or `@PATH`: (neurons, inputs)."""
    rows: list[Array] = []
    for number, text in enumerate(texts, start=1):
        label = (
            Phrase("{where} (given {number} of {count})", where=where, number=number, count=len(texts))
            if len(texts) > 1
            else where
        )
        rows.extend(read_file_values(text, label) if is_file_reference(text) else parse_matrix(text, label))
    return stack_rows(rows, where)


def parse_bias(text: str, where: str = "-b") -> Array:
    if is_file_reference(text):
        return read_file_values(text, where).reshape(-1)
    return parse_vector(text.replace(";", ","), where)


def parse_activation(text: str, where: str = "-a") -> ActivationSpec:
    if is_file_reference(text):
        text = read_text(Path(text[1:]), where).strip()
    try:
        return get(text)
    except NeuronError as problem:
        raise NeuronError("{where}: {problem}", where=where, problem=problem) from None
