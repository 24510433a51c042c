"""Text and files to arrays: vectors, `;` matrices, `@PATH` files and model files; every error names the bad token."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

from .activations import ActivationSpec, get
from .core import Layer, Network
from .errors import NeuronError
from .messages import message
from .syntax import parse_number

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


def split_values(text: str) -> list[str]:
    """The fields of a row: separated by commas and/or white space; an empty field stays (and is refused later)."""
    stripped = pasted(text).strip()
    return _SEPARATOR.split(stripped) if stripped else [""]


def parse_vector(text: str, where: str) -> Array:
    """Numbers separated by commas and/or white space, e.g. `1,2,3`, `1 2 3`, `-1, .5, 2e-3`."""
    fields = split_values(text)
    if fields == [""]:
        raise NeuronError("{where} is empty; give numbers separated by commas, e.g. 1,2,3", where=where)
    return np.array(
        [
            parse_number(
                field, message("{where}, value {number}", where=where, number=number) if len(fields) > 1 else where
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
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    rows = [row for line in lines or [""] for row in line.split(";")]
    vectors = [
        parse_vector(
            row,
            message("{where}, {row_name} {number}", where=where, row_name=row_name, number=n)
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


# ---------------------------------------------------------------- @PATH files


def is_file_reference(text: str) -> bool:
    return text.startswith("@") and len(text) > 1


def read_file_values(text: str, where: str, row_name: str = "neuron") -> Array:
    """The numbers in the file `@PATH` names: a 2-D array (one row a line for text)."""
    path = Path(text[1:])
    suffix = path.suffix.lower()
    if suffix == ".npy":
        data = load_npy(read_bytes(path, where), where, path)
        return check_array(data, message("{where} ({path})", where=where, path=path), row_name)
    content = read_text(path, where)
    if suffix == ".json":
        data = parse_json(content, where, path)
        return check_array(data, message("{where} ({path})", where=where, path=path), row_name)
    return parse_matrix(content, message("{where} ({path})", where=where, path=path), row_name)


MAX_FILE_BYTES = 64 << 20  # a value or model file is read up to 64 MiB; a larger one is refused, not read whole


def read_bytes(path: Path, where: str) -> bytes:
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except (OSError, ValueError) as problem:  # ValueError: a NUL byte in the name
        reason = getattr(problem, "strerror", None) or str(problem)
        raise NeuronError(
            "{where}: cannot read {path!r}: {reason}", where=where, path=str(path), reason=reason
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise NeuronError(
            "{where}: {path} is larger than {limit} bytes, the limit of a value or model file",
            where=where,
            path=path,
            limit=MAX_FILE_BYTES,
        )
    return data


def parse_json(content: str, where: str, path: Path) -> Any:
    """JSON text, or an error that names the file: bad syntax, numbers with thousands of digits, deep nesting."""
    import json

    try:
        return json.loads(content)
    except json.JSONDecodeError as problem:
        raise NeuronError(
            "{where}: {path} is not valid JSON: {problem}", where=where, path=path, problem=problem
        ) from None
    except ValueError as problem:  # an integer of more than 4300 digits
        raise NeuronError(
            "{where}: {path} holds a number too long to read: {problem}", where=where, path=path, problem=problem
        ) from None
    except RecursionError:
        raise NeuronError("{where}: {path} is nested too deeply", where=where, path=path) from None


def load_npy(data: bytes, where: str, path: Path) -> Any:
    """A .npy array, once its header is checked against the file: no pickles, and no more values claimed than
    the file holds (a header may claim terabytes)."""
    import io

    stream = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(stream)
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, _, dtype = read_header(stream)
        claimed = int(np.prod(shape, dtype=object)) * dtype.itemsize
        if dtype.hasobject:
            raise ValueError("pickle")
        if claimed > len(data) - stream.tell():
            raise NeuronError(
                "{where}: {path} claims {shape} values but holds {size} bytes",
                where=where,
                path=path,
                shape=shape,
                size=len(data),
            )
        return np.load(io.BytesIO(data), allow_pickle=False)
    except NeuronError:
        raise
    except ValueError as problem:
        reason = "holds Python objects (pickles are refused)" if "pickle" in str(problem) else "is not a .npy file"
        raise NeuronError(
            "{where}: {path} {reason}: {problem}", where=where, path=path, reason=message(reason), problem=problem
        ) from None
    except (OSError, EOFError, SyntaxError, TypeError, OverflowError) as problem:
        raise NeuronError(
            "{where}: {path} is not a readable .npy file: {problem}", where=where, path=path, problem=problem
        ) from None


def open_input(path_text: str, where: str) -> Any:
    """A file opened for reading in binary, or an error naming the option and the reason."""
    try:
        return open(path_text, "rb")
    except (OSError, ValueError) as problem:
        reason = getattr(problem, "strerror", None) or str(problem)
        raise NeuronError(
            "{where}: cannot read {path_text!r}: {reason}", where=where, path_text=path_text, reason=reason
        ) from None


def read_text(path: Path, where: str) -> str:
    try:
        return read_bytes(path, where).decode("utf-8-sig")  # a byte order mark (Excel's CSV) is not a value
    except UnicodeDecodeError:
        raise NeuronError("{where}: {path} is not UTF-8 text", where=where, path=path) from None


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
    network.check_inputs(rows.shape[1], "-x" if rows.shape[0] == 1 else message("-x ({file}), each row", file=x[1:]))
    return rows


def parse_weights(texts: list[str], where: str = "-w") -> Array:
    """`-w`: neurons separated by `;`, or the option once per neuron, or `@PATH`: (neurons, inputs)."""
    rows: list[Array] = []
    for number, text in enumerate(texts, start=1):
        label = (
            message("{where} (given {number} of {count})", where=where, number=number, count=len(texts))
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


def parse_expected(text: str, where: str = "--expect") -> tuple[Array, Array]:
    """The expected values, and for each half a unit of its last written decimal place (0.6225: 0.00005)."""
    from decimal import Decimal

    values = parse_vector(text, where)  # finite numbers only, so each exponent below is an int
    exponents = [int(Decimal(field.strip()).as_tuple().exponent) for field in split_values(text)]
    # A number written as 0e309 has its last digit beyond any float: it allows anything.
    return values, np.array([0.5 * 10.0**e if e < 309 else np.inf for e in exponents], dtype=np.float64)


# ---------------------------------------------------------------- model files


def load_model(path_text: str, input_size: int | None = None, seed: int = 0) -> Network:
    """A stack of layers from a JSON or TOML model file (see the README for its keys). Layers that give `units`
    instead of weights start as Keras's do, from `seed`; the first needs `input_size` (from the data)."""
    path = Path(path_text[1:] if is_file_reference(path_text) else path_text)
    from .keras_files import is_keras_file

    if is_keras_file(str(path)):
        from .keras_files import read_keras

        return read_keras(str(path)).network()
    content = read_text(path, "--model")
    if path.suffix.lower() == ".toml":
        try:
            import tomllib
        except ModuleNotFoundError:  # Python 3.10
            import tomli as tomllib  # type: ignore[no-redef, unused-ignore]
        try:
            document: Any = tomllib.loads(content)
        except tomllib.TOMLDecodeError as problem:
            raise NeuronError("--model: {path} is not valid TOML: {problem}", path=path, problem=problem) from None
        except (RecursionError, ValueError) as problem:
            raise NeuronError("--model: {path} cannot be read: {problem}", path=path, problem=problem) from None
    else:
        document = parse_json(content, "--model", path)
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

    from .files import replace_file

    for number, layer in enumerate(network.layers, start=1):
        if not (np.isfinite(layer.weights).all() and np.isfinite(layer.bias).all()):
            raise NeuronError(
                "{option}: layer {number} has weights that are not finite; nothing was written",
                option=option,
                number=number,
            )
    if Path(path_text).suffix.lower() == ".keras":
        from .keras_files import keras_file_bytes

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
