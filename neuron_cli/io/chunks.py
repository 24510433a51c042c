"""Input read a chunk of whole lines at a time, from a file object, a pipe, or part of a file, as fast as it comes
and as soon as it comes; line numbers counted for every physical line."""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, TypeAlias

import numpy as np

from ..errors import NeuronError

Source: TypeAlias = "IO[bytes] | Iterable[bytes] | FileRange"  # a file object, chunks of bytes, part of a file
BLOCK_BYTES = 1 << 20  # what chunks() reads at a time, unless told
MAX_LINE = 1 << 20  # one line of a stream may hold 1 MiB (or 64 bytes a value); a longer one is refused unread
LATENCY = 0.02  # seconds a row may wait for the rows after it: a steady writer still gets answers at once
PATIENCE = 0.01  # seconds to wait for more input before computing the rows already read
PIPE_BYTES = 1 << 20  # a pipe's buffer, made to hold a whole chunk (see widen_pipe)


class LongLine(Exception):
    """A line longer than MAX_LINE (the reader names its number)."""


def chunks(source: Source, size: int = BLOCK_BYTES, longest: int = MAX_LINE) -> Iterator[bytes]:
    """Whole lines from a file object: up to about `size` bytes at a time while more is waiting, and at once
    when the writer pauses (rows typed at a terminal, `tail -f`) or has kept the first of them waiting for
    LATENCY seconds, so that output keeps pace with input however steadily it comes.
    An iterable of bytes is passed through as it is. A line longer than `longest` bytes raises LongLine.

    Input is read into one buffer and each chunk copied out of it once (a stream's bytes are copied as few
    times as can be: they are most of its memory and much of its time).
    """
    fill = _filler(source)
    if fill is None:
        yield from source  # type: ignore[misc]  # no read method: an iterable of chunks
        return
    waiting = _waiting_check(source)
    buffer = bytearray(size)
    held = 0  # bytes in the buffer: the start of a line read before, then what was read since
    started = 0.0
    while True:
        if held == len(buffer):  # one line fills the buffer: it grows, up to the longest line allowed and a byte
            if held > longest:  # (a line of `longest` bytes and its break fits: the chunk's check below refuses it)
                raise LongLine()
            buffer.extend(bytes(min(size, longest + 1 - held)))
        with memoryview(buffer) as view:
            count = fill(view[held : size if held < size else len(buffer)])
        if count:
            if not held:
                started = time.monotonic()
            held += count
            if held < size and time.monotonic() - started < LATENCY and waiting():
                continue
        cut = buffer.rfind(b"\n", 0, held) + 1 if count else held
        if cut:
            with memoryview(buffer) as view:
                chunk = bytes(view[:cut])
            buffer[: held - cut] = buffer[cut:held]  # the start of the next line, moved to the front
            held -= cut
            long = first_longer_line(chunk, longest) if len(chunk) > longest else None  # a chunk holds it whole
            if long is not None:
                if long:
                    yield chunk[:long]  # the lines before it first
                raise LongLine()
            yield chunk
        if held > longest:
            raise LongLine()
        started = time.monotonic()
        if not count:
            return


def _filler(source: Any) -> Callable[[memoryview], int] | None:
    """A function reading into a buffer as many bytes as are there, up to its size, and returning how many: a
    read on a real file's descriptor, so that a reader thread blocked in it holds no lock of Python's buffered
    stdin (which would abort the interpreter's exit); otherwise the file object's own."""
    read: Callable[[int], bytes] | None
    try:
        descriptor = source.fileno()
        widen_pipe(descriptor)
        if hasattr(os, "readv"):  # everywhere but Windows
            return lambda view: os.readv(descriptor, [view])
        read = functools.partial(os.read, descriptor)
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError and a ValueError
        into = getattr(source, "readinto1", None) or getattr(source, "readinto", None)
        if into is not None:
            return into
        read = getattr(source, "read1", None) or getattr(source, "read", None)
    if read is None:
        return None
    reader = read

    def copied(view: memoryview) -> int:
        data = reader(len(view))
        view[: len(data)] = data
        return len(data)

    return copied


def _waiting_check(source: Any) -> Callable[[], bool]:
    """A function telling whether more input can be read at once; where that cannot be asked, it says yes."""
    try:
        import select

        descriptor = source.fileno()
        select.select([descriptor], [], [], 0)
    except (AttributeError, OSError, ValueError, ImportError):
        return lambda: True
    # A short wait lets a fast writer (cat, another neuron) fill a whole block; a person typing never notices it.
    return lambda: bool(select.select([descriptor], [], [], PATIENCE)[0])


def numbered_chunks(source: Source, size: int, longest: int, first_line: int = 1) -> Iterator[tuple[bytes, int]]:
    """The source's chunks (see `chunks`), each with the number of its first line; a line longer than `longest`
    is an error that names it."""
    line = first_line
    try:
        for raw in chunks(source, size, longest):
            yield raw, line
            line += newlines(raw) + (0 if raw.endswith(b"\n") else 1)
    except LongLine:
        raise NeuronError(
            "line {line} is longer than {limit} bytes, the limit of one line of a stream", line=line, limit=longest
        ) from None


def first_longer_line(raw: bytes, longest: int) -> int | None:
    """Where the first line of `raw` longer than `longest` bytes (its line break included) starts; None where
    there is none. Where a line break falls in every stretch of longest // 2 bytes, none is, as a few memchr
    calls show; only otherwise are the lines measured (which goes through every line break)."""
    half = max(1, longest // 2)
    if all(raw.find(b"\n", start, start + half) >= 0 for start in range(0, len(raw), half)):
        return None
    ends = np.flatnonzero(np.frombuffer(raw, dtype=np.uint8) == ord("\n"))
    starts = np.concatenate([[-1], ends]) + 1  # each line's start, and where a line after the last break starts
    lengths = np.diff(np.concatenate([starts, [len(raw)]]))
    longer = np.flatnonzero(lengths > longest)
    return int(starts[longer[0]]) if longer.size else None


def known_size(source: Any) -> float:
    """The bytes a regular file on stdin holds; a pipe or a terminal may hold any number (inf)."""
    import stat

    try:
        status = os.fstat(source.fileno())
    except (AttributeError, OSError, ValueError):
        return float("inf")
    return status.st_size if stat.S_ISREG(status.st_mode) else float("inf")


def newlines(raw: bytes) -> int:
    """How many line breaks `raw` holds (NumPy counts five times as fast as bytes.count, and lets go of the GIL)."""
    return int(np.count_nonzero(np.frombuffer(raw, dtype=np.uint8) == ord("\n")))


def widen_pipe(descriptor: int) -> None:
    """A pipe's buffer made to hold a whole chunk (Linux's default is 64 KiB): its writer fills it with a sixteenth
    of the switches between the two, 4% of a long stream's time. Where it cannot be done, nothing changes."""
    import stat

    try:
        import fcntl

        if stat.S_ISFIFO(os.fstat(descriptor).st_mode):
            fcntl.fcntl(descriptor, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):  # not Linux, or a pipe past the user's limit
        return


class FileRange:
    """The bytes of a file from `start` to `end` (or to its end), read with pread: two processes each read their
    own part through the descriptor they share without moving its offset."""

    def __init__(self, descriptor: int, start: int, end: int | None = None) -> None:
        self.descriptor, self.at, self.end = descriptor, start, end

    def read(self, size: int) -> bytes:
        want = size if self.end is None else min(size, self.end - self.at)
        data = os.pread(self.descriptor, want, self.at) if want > 0 else b""
        self.at += len(data)
        return data

    def readinto(self, view: memoryview) -> int:
        want = len(view) if self.end is None else min(len(view), self.end - self.at)
        count = os.preadv(self.descriptor, [view[:want]], self.at) if want > 0 else 0
        self.at += count
        return count

    def pieces(self, size: int = 1 << 20) -> Iterator[bytes]:
        buffer = bytearray(size)
        with memoryview(buffer) as view:
            while count := self.readinto(view):
                yield bytes(view[:count])
