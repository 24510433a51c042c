"""Files in and out: a value or model file read whole up to a limit, JSON and .npy read safely, and files
replaced, never rewritten: a temporary file beside the target, flushed to disk, then renamed into place, so
that the old file survives any failure (a full disk, a crash, a concurrent writer)."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import IO, Any

import numpy as np

from ..errors import NeuronError
from ..i18n import Phrase, os_reason
from . import interrupt


def is_file_reference(text: str) -> bool:
    return text.startswith("@") and len(text) > 1


MAX_FILE_BYTES = 64 << 20  # a value or model file is read up to 64 MiB; a larger one is refused, not read whole


def read_bytes(path: Path, where: str, regular_only: bool = False) -> bytes:
    """A file's bytes, up to MAX_FILE_BYTES, read a piece at a time (memory in proportion to the file). With
    `regular_only` (a model or question file: untrusted), a FIFO, a device or a directory is refused before
    anything is read, and opening one never waits."""
    try:
        descriptor = os.open(path, os.O_RDONLY | (getattr(os, "O_NONBLOCK", 0) if regular_only else 0))
        if regular_only and not stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.close(descriptor)
            raise NeuronError(
                "{where}: {path} is not a regular file (a device, a pipe or a directory)", where=where, path=path
            )
        with os.fdopen(descriptor, "rb") as file:
            pieces, total = [], 0
            while piece := file.read(min(16 << 20, MAX_FILE_BYTES + 1 - total)):
                pieces.append(piece)
                total += len(piece)
                if total > MAX_FILE_BYTES:
                    break
            data = b"".join(pieces)
    except (OSError, ValueError) as problem:  # ValueError: a NUL byte in the name
        reason = os_reason(problem)
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


# Python's own reasons for JSON it cannot read, kept in the catalogue so that they are read in the run's language
JSON_REASONS = (
    "Expecting value",
    "Expecting property name enclosed in double quotes",
    "Expecting ',' delimiter",
    "Expecting ':' delimiter",
    "Extra data",
    "Unterminated string starting at",
    "Invalid control character at",
    "Invalid \\escape",
)


# tomllib's reasons (Python 3.11 to 3.14, and tomli), their values as placeholders: each is put in the reader's
# language; a reason not among them is shown as the parser gives it.
TOML_REASONS = (
    "Cannot declare {key} twice",
    "Cannot mutate immutable namespace {key}",
    "Cannot overwrite a value",
    "Cannot redefine namespace {key}",
    "Duplicate inline table key {key}",
    "Escaped character is not a Unicode scalar value",
    "Expected '=' after a key in a key/value pair",
    "Expected ']' at the end of a table declaration",
    "Expected ']]' at the end of an array declaration",
    "Expected {text}",
    "Found invalid character {text}",
    "Illegal character {text}",
    "Invalid date or datetime",
    "Invalid hex value",
    "Invalid initial character for a key part",
    "Invalid statement",
    "Invalid value",
    "Unclosed array",
    "Unclosed inline table",
    "Unescaped '\\' in a string",
    "Unterminated string",
)


def toml_problem(problem: Exception) -> tuple[Phrase | None, str]:
    """Where a TOML parser stopped (line and column, or the end of the document) and why, each in the reader's
    language where it is one of tomllib's own reasons."""
    import re

    text = str(problem)
    found = re.fullmatch(r"(?s)(.*) \(at (?:line (\d+), column (\d+)|end of document)\)", text)
    if found is None:
        return None, text
    reason, line, column = found.groups()
    at_end = Phrase("the end of the document")
    where = Phrase("line {line}, column {column}", line=line, column=column) if line else at_end
    for template in TOML_REASONS:
        pattern = re.escape(template).replace(r"\{key\}", "(?P<key>.+)").replace(r"\{text\}", "(?P<text>.+)")
        matched = re.fullmatch(pattern, reason)
        if matched:
            return where, Phrase(template, **matched.groupdict())
    return where, reason


def parse_json(content: str, where: str, path: Path) -> Any:
    """JSON text, or an error that names the file: bad syntax, numbers with thousands of digits, deep nesting."""
    import json

    try:
        return json.loads(content)
    except json.JSONDecodeError as problem:
        reason = Phrase(problem.msg) if problem.msg in JSON_REASONS else problem.msg
        raise NeuronError(
            "{where}: {path} is not valid JSON: line {line}, column {column}: {reason}",
            where=where,
            path=path,
            line=problem.lineno,
            column=problem.colno,
            reason=reason,
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
            "{where}: {path} {reason}: {problem}", where=where, path=path, reason=Phrase(reason), problem=problem
        ) from None
    except (OSError, EOFError, SyntaxError, TypeError, OverflowError) as problem:
        raise NeuronError(
            "{where}: {path} is not a readable .npy file: {problem}", where=where, path=path, problem=problem
        ) from None


def read_document(path: Path, where: str) -> Any:
    """A JSON or TOML file (TOML by a .toml name) as Python values, or an error that names the file and why: a
    model or question file, so a regular file only."""
    content = read_text(path, where, regular_only=True)
    if path.suffix.lower() != ".toml":
        start = content.lstrip("\ufeff \t\r\n")
        if start and start[0] not in "{[":
            raise NeuronError(
                "{where}: {path} is not a JSON document (a model or question file is JSON, or TOML named .toml; "
                "a Keras model .keras or .h5); it begins with {start!r}",
                where=where,
                path=path,
                start=start.splitlines()[0][:40],
            )
        return parse_json(content, where, path)
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef, unused-ignore]
    try:
        return tomllib.loads(content)
    except tomllib.TOMLDecodeError as problem:
        at, reason = toml_problem(problem)
        if at is None:
            raise NeuronError(
                "{where}: {path} is not valid TOML: {problem}", where=where, path=path, problem=reason
            ) from None
        raise NeuronError(
            "{where}: {path} is not valid TOML: {at}: {reason}", where=where, path=path, at=at, reason=reason
        ) from None
    except RecursionError:
        raise NeuronError("{where}: {path} is nested too deeply", where=where, path=path) from None
    except ValueError as problem:
        raise NeuronError(
            "{where}: {path} cannot be read: {problem}", where=where, path=path, problem=problem
        ) from None


def open_input(path_text: str, where: str) -> Any:
    """A file opened for reading in binary, or an error naming the option and the reason."""
    try:
        return open(path_text, "rb")
    except (OSError, ValueError) as problem:
        reason = os_reason(problem)
        raise NeuronError(
            "{where}: cannot read {path_text!r}: {reason}", where=where, path_text=path_text, reason=reason
        ) from None


def read_text(path: Path, where: str, regular_only: bool = False) -> str:
    try:
        return read_bytes(path, where, regular_only).decode(
            "utf-8-sig"
        )  # a byte order mark (Excel's CSV) is not a value
    except UnicodeDecodeError:
        raise NeuronError("{where}: {path} is not UTF-8 text", where=where, path=path) from None


def replace_file(path_text: str, content: str | bytes, option: str) -> None:
    """Write `content` to the file `path_text` atomically (a new file renamed over the old one, so a failure
    leaves the old one whole); `option` names it in the message of a failure. Only a regular file is replaced:
    renaming over a device (/dev/null), a pipe, a socket or a directory would put a file in its place, so that
    is refused; a symbolic link is written through to its target, a regular file, and a dangling one refused."""
    path = refuse_non_file(path_text, option)
    data = content.encode("utf-8") if isinstance(content, str) else content
    with interrupt.held():
        _write_and_rename(path, data, option)


def refuse_non_file(path_text: str, option: str) -> Path:
    """The regular file that `replace_file` would write for `path_text` (a link's target), or a NeuronError."""
    path = Path(path_text)
    if path.is_symlink():
        target = Path(os.path.realpath(path))
        if not target.exists():
            raise NeuronError(
                "{option}: {path} is a symbolic link to {target}, which does not exist",
                option=option,
                path=path,
                target=target,
            )
        path = target
    kind = _kind(path)
    if kind is not None:
        raise NeuronError(
            "{option}: {path} is {kind}, not a regular file; neuron replaces only files",
            option=option,
            path=path,
            kind=Phrase(kind),
        )
    return path


def _write_and_rename(path: Path, data: bytes, option: str) -> None:
    import tempfile  # with shutil, random, bz2 and lzma: loaded where a file is written, not by every command

    folder = path.parent if str(path.parent) else Path(".")
    temporary = None
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        try:  # keep the old file's permissions, as an editor would; a new file gets what open() would give it
            mode = os.stat(path).st_mode & 0o7777
        except OSError:
            mode = 0o666 & ~_umask()
        with contextlib.suppress(OSError):
            os.chmod(temporary, mode)
        os.replace(temporary, path)
        temporary = None
    except (OSError, ValueError) as problem:  # ValueError: a NUL byte in the name
        reason = os_reason(problem)
        raise NeuronError(
            "{option}: cannot write {path!r}: {reason}; the old file, if any, is unchanged",
            option=option,
            path=str(path),
            reason=reason,
        ) from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"))


def _kind(path: Path) -> str | None:
    """What `path` is where it exists and is not a regular file (a directory, a device, ...); else None."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in KINDS if test(mode)), "a device")


def _umask() -> int:
    """The process's umask (read by setting it, then putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class Sink:
    """A report's output whose reader may go away (`| head -1`): the rest is written nowhere and the run goes on
    to its end, so that a sheet is still graded whole (its exit code tells whether every row passed) and a
    training run still saves its model."""

    def __init__(self, out: IO[str]) -> None:
        self.out, self.gone = out, False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                self.out.write(text)
            except BrokenPipeError:
                self.gone = True
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self.out.flush()
            except BrokenPipeError:
                self.gone = True

    def __getattr__(self, name: str) -> Any:
        """The rest is the output's own: whether it is a terminal (and how wide), its encoding."""
        return getattr(self.out, name)
