"""Two processes on two cores writing one output, byte for byte what one process writes: the input cut into
pieces (a regular file at line breaks, read by both with pread; or a pipe whose reader relays every other chunk
to the other process), each process computing its next piece while the other writes, and writing it at its turn.

One small interface serves the stream and the grading of answer sheets: `in_turns(pieces, share, out)`, where a
`Share` says what a process makes of a piece ahead of its turn and what it writes at its turn. The turn carries a
running tally (rows graded, rows passed: a small JSON object) from piece to piece, so that whoever writes a piece
knows the counts of every piece before it, and the parent gets the final one.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, Protocol

from ..errors import EndedElsewhere
from ..io.chunks import FileRange, first_longer_line, newlines, widen_pipe

SPLIT_FROM = 1 << 20  # a regular file at least this big is read by two processes
LAST_WORD = "done"  # the key of the child's last tally: its pieces are all written


def can_fork() -> bool:
    """Whether a second process can run on a core of its own: fork is there (not on Windows), two cores are
    ours, polars is not loaded yet (its threads do not survive a fork), and the user has not asked for one
    process (NEURON_PROCESSES=1: less memory, for when other work keeps the cores busy anyway)."""
    import sys

    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return False
    wanted = os.environ.get("NEURON_PROCESSES", "").strip() != "1"
    return wanted and cores >= 2 and hasattr(os, "fork") and "polars" not in sys.modules


@dataclass(frozen=True)
class Piece:
    """A piece of the input: its place in the order, and its bytes, or where a piece holding a line too long
    stands in the file (`raw` None: it is read as a stream, which names the line)."""

    index: int
    raw: bytes | None
    line: int  # its first line's number, counting every line of the input
    whole: FileRange | None = None


class Share(Protocol):
    """What one process does with its pieces."""

    def ahead(self, piece: Piece) -> Any:
        """What can be made of the piece before its turn (None: nothing)."""

    def at_turn(self, prepared: Any, piece: Piece, tally: dict[str, Any]) -> dict[str, Any]:
        """Write the piece at its turn, given the tally of every piece before it; the tally after it. A bad line
        raises after the rows before it are written."""


@dataclass(frozen=True)
class Shared:
    """How a run in two processes went, as this process sees it: whether it is the child (which must end with
    the work: its caller exits at once), and the tally after the last piece (the parent's is the whole run's)."""

    in_child: bool
    tally: dict[str, Any]


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
        self.given: list[dict[str, Any]] = []  # turns read by `check` before `wait` asked for them

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

    def wait(self) -> dict[str, Any]:
        """Wait for the other process to have written the piece before: the tally it sent with the turn. Should
        it end instead, so does this run, with its exit code (it has said why)."""
        if self.given:
            return self.given.pop(0)
        given = self._receive()
        if given is None:
            raise EndedElsewhere(self._ended())
        return given

    def check(self) -> None:
        """Raise EndedElsewhere at once if the other process has ended (it has said why), rather than at the next
        turn: a relay's parent waiting for input learns it while its writer is silent. A turn given meanwhile is
        kept for `wait` (a turn is one write of less than a pipe's atomic size: it comes whole)."""
        import select

        while select.select([self.turn_in], [], [], 0)[0]:
            given = self._receive()
            if given is None:
                raise EndedElsewhere(self._ended())
            self.given.append(given)

    def give(self, tally: dict[str, Any]) -> None:
        """The turn handed to the other process, with the tally of every piece written so far."""
        data = json.dumps(tally, separators=(",", ":")).encode()
        self._send(self.turn_out, len(data).to_bytes(8, "little") + data)

    def _receive(self) -> dict[str, Any] | None:
        size = _read_exactly(self.turn_in, 8)
        data = _read_exactly(self.turn_in, int.from_bytes(size, "little")) if size is not None else None
        return None if data is None else dict(json.loads(data))

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

    def finish(self, tally: dict[str, Any]) -> dict[str, Any]:
        """This process's pieces are written: the child sends the tally after its last piece, marked as its last
        word, and closes its pipes; the parent reads what the child sent (a turn it did not need, then that
        tally) and waits for its end. A child that ends without its last word ended the run (it has said why);
        its exit code is otherwise its own business (a sheet's child exits 1 for a wrong answer). The tally after
        the last piece of all: the one of the two that counts more pieces."""
        if self.in_child:
            self.give({**tally, LAST_WORD: True})
        for descriptor in (self.turn_out, self.data):
            if descriptor >= 0:
                os.close(descriptor)
        self.turn_out = self.data = -1
        if not self.child:
            return tally
        theirs: dict[str, Any] = self.given[-1] if self.given else {}
        while not theirs.get(LAST_WORD) and (given := self._receive()) is not None:
            theirs = given
        code = self._ended()
        if not theirs.get(LAST_WORD):
            raise EndedElsewhere(code if code else 2)
        theirs.pop(LAST_WORD)
        return max(tally, theirs, key=lambda counted: counted.get("pieces", 0))

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


def in_turns(pieces: FileCuts | Iterator[tuple[bytes, int]], share: Share, out: IO[str]) -> Shared | None:
    """Write the pieces in two processes taking turns: a file's cuts (each process reads its own), or numbered
    chunks of a pipe (this process reads them and relays every other one to the child). None, with nothing
    read, where no second process can start: the caller does it all in one.

    The child returns from here into its caller, which must end the process with the work (see `Shared`), so
    that nothing after the run is done twice. Whatever ends one process's run ends both (see `Turns`).
    """
    relay = not isinstance(pieces, FileCuts)
    turns = Turns.start(out, relay=relay)
    if turns is None:
        return None
    try:
        if isinstance(pieces, FileCuts):
            tally = _file_turns(pieces, share, turns)
        elif turns.in_child:
            tally = _child_of_relay(share, turns)
        else:
            tally = _relay(pieces, share, turns)
        tally = turns.finish(tally)
    except BaseException:
        turns.stop_other()
        raise
    return Shared(turns.in_child, tally)


def _file_turns(cuts: FileCuts, share: Share, turns: Turns) -> dict[str, Any]:
    """The child takes the even pieces, the parent the odd ones; each counts the lines of the other's pieces
    (which it does not read whole), so that it knows its own pieces' first lines ahead of their turns."""
    line, tally = 1, {}
    for index in range(cuts.pieces):
        begin, end = cuts.bounds(index)
        if index % 2 != (0 if turns.in_child else 1):
            line += cuts.count_lines(begin, end)
            continue
        raw = cuts.read(begin, end)
        piece = Piece(index, raw, line, FileRange(cuts.descriptor, begin, end) if raw is None else None)
        prepared = share.ahead(piece)
        tally = _written(share, prepared, piece, turns.wait() if index else {})
        if index + 1 < cuts.pieces:
            turns.give(tally)
        line += newlines(raw) if raw is not None else cuts.count_lines(begin, end)
    return tally


def _child_of_relay(share: Share, turns: Turns) -> dict[str, Any]:
    tally: dict[str, Any] = {}
    for index, line, raw in turns.received():
        piece = Piece(index, raw, line)
        prepared = share.ahead(piece)
        tally = _written(share, prepared, piece, turns.wait() if index else {})
        turns.give(tally)
    return tally


def _written(share: Share, prepared: Any, piece: Piece, before: dict[str, Any]) -> dict[str, Any]:
    """The piece written at its turn; the tally after it, with one more piece counted."""
    after = share.at_turn(prepared, piece, before)
    return {**after, "pieces": before.get("pieces", 0) + 1}


def _relay(numbered: Iterator[tuple[bytes, int]], share: Share, turns: Turns) -> dict[str, Any]:
    """The parent's part of a relay. A reader thread reads the chunks, sends the even ones to the child as soon as
    they are read (the child has its next chunk while it writes this one), and hands the odd ones to this thread,
    which computes and writes them at their turn; at most two of them wait. The reader's end (the input's end, a
    line too long, the child gone) comes through in order, with the number of the chunk it came at."""
    import queue

    own: queue.SimpleQueue[tuple[bytes, int, int] | tuple[BaseException | None, int, int]] = queue.SimpleQueue()
    slots = threading.Semaphore(2)

    def read() -> None:
        index = 0
        try:
            for raw, line in numbered:
                if index % 2 == 0:
                    turns.send(index, line, raw)
                else:
                    slots.acquire()
                    own.put((raw, line, index))
                index += 1
        except BaseException as problem:  # raised by this thread, in order
            own.put((problem, 0, index))
        else:
            own.put((None, 0, index))

    one_arena()
    threading.Thread(target=read, name="neuron-relay", daemon=True).start()
    tally: dict[str, Any] = {}
    while True:
        try:
            item, line, index = own.get(timeout=PATIENCE)
        except queue.Empty:  # the input is slow: a child that has ended the run ends it here too, at once
            turns.check()
            continue
        if not isinstance(item, bytes):
            if item is not None and index % 2:  # the child's chunk before it is written first
                turns.wait()
            if item is not None:
                raise item
            return tally
        piece = Piece(index, item, line)
        prepared = share.ahead(piece)
        tally = _written(share, prepared, piece, turns.wait())
        turns.give(tally)
        slots.release()


PATIENCE = 0.1  # seconds a relay's parent waits for input before it looks whether the child has ended the run


def one_arena() -> None:
    """Ask glibc's malloc for one arena, before worker threads start: each thread's own arena would keep what it
    freed (about 5 MiB of peak memory, for no speed). Elsewhere than glibc nothing happens."""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").mallopt(-8, 1)  # M_ARENA_MAX
    except (OSError, AttributeError):
        return


class FileCuts:
    """A regular file cut at line breaks into pieces of about `piece_bytes`. A piece starts just past the first
    line break at or after its nominal start, so a line belongs to one piece whole (a piece may be empty)."""

    def __init__(self, descriptor: int, begin: int, size: int, piece_bytes: int, longest: int) -> None:
        self.descriptor, self.begin, self.size = descriptor, begin, size
        self.piece_bytes, self.longest = piece_bytes, longest
        self.pieces = -(-(size - begin) // piece_bytes)

    @classmethod
    def of(cls, source: Any, size: float, piece_bytes: int, longest: int) -> FileCuts | None:
        """None where the file cannot or need not be split: it is no regular file (`size` is inf), two processes
        cannot run (see `can_fork`), or less than a piece and SPLIT_FROM bytes are left to read."""
        if size == float("inf") or not can_fork():
            return None
        try:
            descriptor, begin = source.fileno(), source.tell()
        except (AttributeError, OSError, ValueError):
            return None
        if size - begin < max(SPLIT_FROM, piece_bytes + 1):
            return None
        try:
            last = os.pread(descriptor, 1, int(size) - 1)
        except OSError:
            return None
        if last != b"\n":  # perhaps a line still being written (the file grows): one process reads what is there
            return None
        return cls(descriptor, begin, int(size), piece_bytes, longest)

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
        return None if len(raw) > self.longest and _has_longer_line(raw, self.longest) else raw

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


def _has_longer_line(raw: bytes, longest: int) -> bool:
    """Whether a line of `raw` (its line break included) is longer than `longest` bytes."""
    return first_longer_line(raw, longest) is not None
