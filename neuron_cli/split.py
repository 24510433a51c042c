"""Input read by two processes on two cores, so that the output is what one process writes: a stream's pieces
written in turns (a regular file cut at line breaks and read with pread, or a pipe whose reader hands every
other piece to a child), or an answer sheet in two halves."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import numpy as np

from .errors import EndedElsewhere

PIPE_BYTES = 1 << 20  # a pipe's buffer, made to hold a whole chunk (see widen_pipe)
SPLIT_FROM = 1 << 20  # a regular file at least this big is read by two processes (see stream.run_turns)


def can_fork() -> bool:
    """Whether a second process can run on a core of its own: fork is there (not on Windows), two cores are
    ours, polars is not loaded yet (its threads do not survive a fork), and the user has not asked for one
    process (NEURON_PROCESSES=1: 30 MiB less memory, for when other work keeps the cores busy anyway)."""
    import sys

    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return False
    wanted = os.environ.get("NEURON_PROCESSES", "").strip() != "1"
    return wanted and cores >= 2 and hasattr(os, "fork") and "polars" not in sys.modules


def where_to_split(source: Any, size: float, least: int = 0) -> tuple[int, int] | None:
    """A regular file's descriptor and where its reader stands, if two processes may read it: not where it is no
    regular file (`size` is inf), two processes cannot run (see `can_fork`), or fewer than SPLIT_FROM (and
    `least`) bytes are left to read."""
    if size == float("inf") or not can_fork():
        return None
    try:
        descriptor = source.fileno()
        start = source.tell()
    except (AttributeError, OSError, ValueError):
        return None
    if size - start < max(SPLIT_FROM, least):
        return None
    return descriptor, start


class Turns:
    """Two processes on two cores writing one output in turns: each computes its next piece while the other
    writes, and writes it once the other has written the piece before. A pipe each way passes the turn, with a
    number (the next piece's first line, where both read a file); with `relay`, a third carries pieces from the
    parent, which reads the input, to the child. The output is what one process writes, byte for byte, and
    memory a piece or two a process, however long the input.

    Whatever ends one process's run (a bad line after the rows before it, a closed pipe, a full disk, Ctrl-C)
    ends both, with that process's exit code and message: the parent kills the child; the child's end closes
    its pipes, which the parent reads as EndedElsewhere with the child's exit code.
    """

    FRAME = 24  # a relayed piece's index, first line and length, 8 bytes each, before its bytes

    def __init__(self) -> None:
        self.child = 0
        self.in_child = False
        self.turn_in = self.turn_out = self.data = -1
        self.code = 2  # the child's exit code, once it has ended
        self.waiting = threading.Lock()
        self.given: list[int] = []  # turns read by `check` before `wait` asked for them

    @classmethod
    def start(cls, out: IO[str], relay: bool = False) -> Turns | None:
        """Fork (what is buffered for `out` is written first): each process keeps one end of each pipe. None
        where the system refuses a pipe or a process (too many open files or processes): one process does it all.
        """
        turns = cls()
        made: list[int] = []
        try:
            for _ in range(3 if relay else 2):
                made.extend(os.pipe())
            out.flush()
            turns.child = os.fork()
        except OSError:
            for descriptor in made:
                os.close(descriptor)
            return None
        from_child, to_parent, from_parent, to_child, *data = made
        data_in, data_out = data or (-1, -1)
        if relay:
            widen_pipe(data_out)
        turns.in_child = turns.child == 0
        if turns.in_child:
            ours, theirs = (from_parent, to_parent, data_in), (from_child, to_child, data_out)
        else:
            ours, theirs = (from_child, to_child, data_out), (from_parent, to_parent, data_in)
        for descriptor in theirs:
            if descriptor >= 0:
                os.close(descriptor)
        turns.turn_in, turns.turn_out, turns.data = ours
        os.environ.setdefault("POLARS_MAX_THREADS", "1")  # a core each: the two processes parse at once
        return turns

    def wait(self) -> int:
        """Wait for the other process to have written the piece before: the number it sent. Should it end
        instead, so does this run, with its exit code (it has said why)."""
        if self.given:
            return self.given.pop(0)
        given = _read_exactly(self.turn_in, 8)
        if given is None:
            raise EndedElsewhere(self._ended())
        return int.from_bytes(given, "little")

    def check(self) -> None:
        """Raise EndedElsewhere at once if the other process has ended (it has said why), rather than at the next
        turn: a relay's parent waiting for input learns it while its writer is silent. A turn given meanwhile is
        kept for `wait` (eight bytes to a pipe come whole)."""
        import select

        while select.select([self.turn_in], [], [], 0)[0]:
            given = _read_exactly(self.turn_in, 8)
            if given is None:
                raise EndedElsewhere(self._ended())
            self.given.append(int.from_bytes(given, "little"))

    def give(self, number: int) -> None:
        """The turn handed to the other process, with a number (its piece's first line, or 0)."""
        self._send(self.turn_out, number.to_bytes(8, "little"))

    def send(self, index: int, line: int, raw: bytes) -> None:
        """A piece for the child to compute and write (the parent of a relay)."""
        frame = b"".join(number.to_bytes(8, "little") for number in (index, line, len(raw)))
        self._send(self.data, frame)
        self._send(self.data, raw)

    def received(self) -> Iterator[tuple[int, int, bytes]]:
        """The pieces the parent sends (the child of a relay), until it has read all its input."""
        while (frame := _read_exactly(self.data, self.FRAME)) is not None:
            index, line, length = (int.from_bytes(frame[at : at + 8], "little") for at in range(0, self.FRAME, 8))
            raw = _read_exactly(self.data, length) if length else b""
            if raw is None:
                raise EndedElsewhere(2)
            yield index, line, raw

    def _send(self, descriptor: int, data: bytes) -> None:
        try:
            with memoryview(data) as view:
                while view:
                    view = view[os.write(descriptor, view) :]
        except BrokenPipeError:  # the other process has ended: it ended the run, and this one learns it at once
            raise EndedElsewhere(self._ended()) from None

    def finish(self, ended_well: tuple[int, ...] = (0,)) -> None:
        """This process's pieces are written: its pipes close, and the parent waits for the child's end. An exit
        code not among `ended_well` means the child ended the run (a checked sheet's child exits 1 for a wrong
        answer: that is its verdict, not an end)."""
        for descriptor in (self.turn_out, self.data):
            if descriptor >= 0:
                os.close(descriptor)
        self.turn_out = self.data = -1
        if self.child:
            code = self._ended()
            if code not in ended_well:
                raise EndedElsewhere(code)

    def _ended(self) -> int:
        """The child's exit code (in the child: 2, its parent having gone without a word, as if killed). Both of
        the parent's threads of a relay may ask: the child is waited for once."""
        with self.waiting:
            if self.child:
                self.code = exit_code(self.child)
                self.child = 0
            return self.code

    def stop_other(self) -> None:
        """This process is leaving before its time (a bad line, a failed write, Ctrl-C): the child goes at once;
        a child leaving just closes its pipes, which the parent reads as the end of the run."""
        with self.waiting:
            if self.child:
                end_child(self.child)
                self.child = 0


def _read_exactly(descriptor: int, count: int) -> bytes | None:
    """`count` bytes from a pipe; None where it ends before them."""
    buffer = bytearray(count)
    got = 0
    with memoryview(buffer) as view:
        while got < count:
            read = os.readv(descriptor, [view[got:]])
            if not read:
                return None
            got += read
    return bytes(buffer)


def exit_code(child: int) -> int:
    """A child's exit code once it has ended; killed by a signal, the shell's code for it (128 + its number)."""
    code = os.waitstatus_to_exitcode(os.waitpid(child, 0)[1])
    return code if code >= 0 else 128 - code


def end_child(child: int) -> None:
    """Stop the child at once and collect it (this process is leaving: Ctrl-C, or an error of its own)."""
    import signal

    try:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
    except OSError:
        pass


class FileCuts:
    """A regular file cut at line breaks into pieces of about `piece_bytes`. A piece starts just past the first
    line break at or after its nominal start, so a line belongs to one piece whole (a piece may be empty)."""

    def __init__(self, descriptor: int, begin: int, size: int, piece_bytes: int, longest: int) -> None:
        self.descriptor, self.begin, self.size = descriptor, begin, size
        self.piece_bytes, self.longest = piece_bytes, longest
        self.pieces = -(-(size - begin) // piece_bytes)

    @classmethod
    def of(cls, source: Any, size: float, piece_bytes: int, longest: int) -> FileCuts | None:
        """None where the file cannot or need not be split (see `where_to_split`; one piece is not split)."""
        place = where_to_split(source, size, piece_bytes + 1)
        if place is None:
            return None
        return cls(*place, int(size), piece_bytes, longest)

    def bounds(self, piece: int) -> tuple[int, int]:
        return self._cut(piece), self._cut(piece + 1)

    def _cut(self, piece: int) -> int:
        if piece == 0:
            return self.begin
        nominal = self.begin + piece * self.piece_bytes
        if nominal >= self.size:
            return self.size
        found = split_point(self.descriptor, nominal)
        return self.size if found is None else min(found, self.size)

    def read(self, begin: int, end: int) -> bytes | None:
        """The piece's bytes; None for one holding a line too long (read as a stream, which says so)."""
        if end - begin > self.piece_bytes + self.longest:
            return None
        raw = os.pread(self.descriptor, end - begin, begin)
        return None if len(raw) > self.longest and _longest_line_of(raw) > self.longest else raw

    def count_lines(self, begin: int, end: int) -> int:
        return sum(newlines(piece) for piece in FileRange(self.descriptor, begin, end).pieces())

    def done(self, source: Any) -> None:
        """The file's reader moved past what was read, as one process would have left it."""
        source.seek(self.size)


def split_point(descriptor: int, middle: int) -> int | None:
    """The offset just past the first line break at or after `middle` (a line belongs to one half whole), or None
    where there is none before the file's end."""
    at = middle
    while window := os.pread(descriptor, 1 << 16, at):
        found = window.find(b"\n")
        if found >= 0:
            return at + found + 1
        at += len(window)
    return None


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


def _longest_line_of(raw: bytes) -> int:
    """The length of the longest line in `raw`, its line break included."""
    ends = np.flatnonzero(np.frombuffer(raw, dtype=np.uint8) == ord("\n"))
    starts = np.concatenate([[-1], ends])
    return int(max(np.diff(starts).max(initial=0), len(raw) - 1 - starts[-1]))


@dataclass(frozen=True)
class Halves:
    """A regular file split in two at a line break past its middle, for two processes to read a half each."""

    descriptor: int
    start: int  # where the file's reader stands: the first half starts there
    middle: int  # the second half's first byte, a line's first
    lines_before: int  # the lines of the first half

    @classmethod
    def of(cls, source: Any, size: float) -> Halves | None:
        """The file's halves; None where it cannot or need not be split (see `where_to_split`), or where no line
        break follows its middle."""
        place = where_to_split(source, size)
        if place is None:
            return None
        descriptor, start = place
        middle = split_point(descriptor, start + int(size - start) // 2)
        if middle is None:
            return None
        lines_before = sum(newlines(piece) for piece in FileRange(descriptor, start, middle).pieces())
        return cls(descriptor, start, middle, lines_before)

    def first(self) -> FileRange:
        return FileRange(self.descriptor, self.start, self.middle)

    def second(self) -> FileRange:
        return FileRange(self.descriptor, self.middle)

    def done(self, source: Any) -> None:
        """The file's reader moved past what was read, as one process would have left it."""
        source.seek(os.fstat(self.descriptor).st_size)


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
