"""Files replaced, never rewritten: a temporary file beside the target, flushed to disk, then renamed into place,
so that the old file survives any failure (a full disk, a crash, a concurrent writer)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import NeuronError


def replace_file(path_text: str, content: str | bytes, option: str) -> None:
    """Write `content` to the file `path_text` atomically; `option` names it in the message of a failure."""
    path = Path(path_text)
    data = content.encode("utf-8") if isinstance(content, str) else content
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
        reason = getattr(problem, "strerror", None) or str(problem)
        raise NeuronError(
            "{option}: cannot write {path!r}: {reason}; the old file, if any, is unchanged",
            option=option,
            path=path,
            reason=reason,
        ) from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _umask() -> int:
    """The process's umask (read by setting it, then putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
