"""Lines of input rows to results, block by block, in memory that does not grow with the number of rows."""

from __future__ import annotations

import functools
import itertools
import os
import queue
import re
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, TypeAlias, cast

import numpy as np

from . import accel
from .core import Block, Network
from .errors import NeuronError
from .messages import message
from .parsing import split_values
from .split import FileCuts, FileRange, Turns, can_fork, newlines, widen_pipe
from .syntax import is_number, parse_number

Array = np.ndarray
Source: TypeAlias = "IO[bytes] | Iterable[bytes] | FileRange"  # a file object, chunks of bytes, part of a file
BLOCK_BYTES = 1 << 20  # what chunks() reads at a time, unless told (see chunk_bytes)
CHUNK_VALUES = 120_000  # input values a chunk holds, an output counted as OUTPUT_WEIGHT: 800 KB of 8 inputs a row
OUTPUT_WEIGHT = 4  # an output's number, and then its text, take about four times an input's number
MIN_CHUNK_ROWS = 256  # polars' reader costs something for every column: wide rows come at least this many at a time
MIN_CHUNK_BYTES = 16 << 10
# A file smaller than POLARS_FROM that gives fewer than POLARS_VALUES outputs (about 9 bytes an input value) is
# read and written without polars: its import (0.12 s) would cost more than it saves.
POLARS_FROM = 16 << 20
POLARS_VALUES = 200_000
POLARS_BYTES = 1 << 16  # smaller blocks go to np.loadtxt: polars' import (about 0.1 s) would cost more
PATIENCE = 0.01  # seconds to wait for more input before computing the rows already read
PARSERS = 2  # threads parsing chunks at once: the machines this runs on have two cores or more
COMPUTE_BYTES = 16 << 20  # what the rows computed at once may take: a block is split into as many rows as fit


MAX_LINE = 1 << 20  # one line of a stream may hold 1 MiB (or 64 bytes a value); a longer one is refused unread
LATENCY = 0.02  # seconds a row may wait for the rows after it: a steady writer still gets answers at once


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
        if held == len(buffer):  # one line fills the buffer: it grows, up to the longest line allowed
            if held > longest:
                raise LongLine()
            buffer.extend(bytes(size))
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


class StreamError(NeuronError):
    """A bad line; `rows` holds the good rows of its block that came before it."""

    def __init__(self, message: str, rows: Array) -> None:
        super().__init__(message)
        self.rows = rows


def parse_lines(block: bytes, first_line: int, network: Network) -> Array:
    """The careful parser: line by line, every value checked, the first bad one named by its line and position.

    Blank lines and lines starting with # are skipped. A StreamError carries the good rows before the bad line.
    """
    rows: list[list[float]] = []
    width = network.input_size
    for offset, raw in enumerate(block.split(b"\n")):
        number = first_line + offset
        try:
            text = raw.decode("utf-8").strip()
            if not text or text.startswith("#"):
                continue
            fields = split_values(text)
            values = [
                parse_number(field, message("line {line}, value {number}", line=number, number=k))
                for k, field in enumerate(fields, start=1)
            ]
            network.check_inputs(len(values), message("line {line}", line=number))
        except UnicodeDecodeError:
            raise StreamError(message("line {line} is not UTF-8 text", line=number), _array(rows, width)) from None
        except NeuronError as problem:
            raise StreamError(str(problem), _array(rows, width)) from None
        rows.append(values)
    return _array(rows, width)


def _array(rows: list[list[float]], width: int) -> Array:
    return np.array(rows, dtype=np.float64).reshape(-1, width)


def unsure(block: bytes) -> bool:
    """Whether the fast readers might read this block otherwise than the careful parser.

    Polars takes a comma at the very end of its input for the end of a row (elsewhere an empty field is a
    missing value, which it refuses); text that is not ASCII is left to the careful parser altogether. Other
    line breaks (\\r alone, \\v, U+2028) no longer split lines: the fast readers split at \\n alone, as the
    careful one does (tests/test_stream.py feeds random lines through every path to keep it so).
    """
    return block.endswith(b",") or not block.isascii()


def fast_parse(block: bytes, width: int) -> Array | None:
    """The block's rows by a fast reader, or None where it cannot vouch for every value (the careful one decides).

    Both fast readers accept only what Python's float() accepts; blank lines, comments, empty fields, ragged
    rows and values that are not finite all send the block to the careful parser.
    """
    if b"#" in block or unsure(block):
        return None
    if b"," in block and len(block) >= POLARS_BYTES:
        rows = accel.read_rows(block, width)
        if rows is not None:
            return rows
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "input contained no data": blank lines, left to the careful parser
            rows = np.loadtxt(
                block.decode("utf-8").split("\n"),  # lines end at \n alone, as the careful parser's do
                delimiter="," if b"," in block else None,
                comments=None,
                ndmin=2,
                dtype=np.float64,
            )
    except ValueError:  # UnicodeDecodeError included
        return None
    if rows.size == 0 or rows.shape[1] != width or not np.isfinite(rows).all():
        return None
    return rows


_NAME = re.compile(rb"\s*[A-Za-z_][\w.\- ]*\s*")


def without_header(block: bytes, header: bool | None) -> bytes:
    """The first block with its CSV header line turned into a comment, so that line numbers still count it.

    `header`: True, the first line is a header; None, it is one where every field is a name (x1,x2,label),
    none a number; False, there is none.
    """
    if header is False:
        return block
    start = 0
    while start < len(block):  # the first line that holds something
        end = block.find(b"\n", start)
        end = len(block) if end < 0 else end
        line = block[start:end]
        if line.strip() and not line.lstrip().startswith(b"#"):
            fields = re.split(rb"\s*,\s*|\s+", line.strip())
            if header or all(_NAME.fullmatch(field) and not is_number(field) for field in fields):
                return block[:start] + b"#" + block[start:]
            return block
        start = end + 1
    return block


def longest_line(network: Network) -> int:
    """The longest line a stream may hold: 1 MiB, or 64 bytes for each of a wide row's values."""
    return max(MAX_LINE, 64 * network.input_size)


def chunk_bytes(network: Network) -> int:
    """How many bytes to read at a time: as many rows as hold CHUNK_VALUES, counting an output as OUTPUT_WEIGHT
    inputs (its number, and then its text, are what a wide layer's chunk holds most of), about 10 bytes an input
    value; at least MIN_CHUNK_ROWS rows (a reader call costs something for every column: a chunk of a hundred
    rows of a thousand values would cost mostly that)."""
    units = network.input_size + OUTPUT_WEIGHT * network.output_size
    rows = max(MIN_CHUNK_ROWS, CHUNK_VALUES // units)
    return max(MIN_CHUNK_BYTES, rows * 10 * network.input_size)


def read_blocks(source: Source, network: Network, header: bool | None = None, first_line: int = 1) -> Iterator[Array]:
    """Blocks of input rows (rows, inputs) in order; a bad line ends it with a NeuronError after the rows before it.
    A header line (see `without_header`) is skipped, and counted. Lines are numbered from `first_line`."""
    for raw, line in numbered_chunks(source, network, first_line):
        yield from _rows_of(raw, line, network, header)


def one_arena() -> None:
    """Ask glibc's malloc for one arena, before the worker threads start: each thread's own arena would keep
    what it freed (about 5 MiB of peak memory, for no speed). Elsewhere than glibc nothing happens."""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").mallopt(-8, 1)  # M_ARENA_MAX
    except (OSError, AttributeError):
        return


def numbered_chunks(source: Source, network: Network, first_line: int = 1) -> Iterator[tuple[bytes, int]]:
    """The source's chunks (see `chunks`), each with the number of its first line; a line too long for the
    network's rows is an error that names it."""
    line = first_line
    try:
        for raw in chunks(source, chunk_bytes(network), longest_line(network)):
            yield raw, line
            line += newlines(raw) + (0 if raw.endswith(b"\n") else 1)
    except LongLine:
        raise NeuronError(
            "line {line} is longer than {limit} bytes, the limit of one line of a stream",
            line=line,
            limit=longest_line(network),
        ) from None


def pipelined(
    numbered: Iterator[tuple[bytes, int]],
    network: Network,
    header: bool | None,
    work: Callable[[list[Array]], tuple[str, int]],
    workers: int = PARSERS,
) -> Iterator[tuple[str, int, NeuronError | None]]:
    """Each chunk (of `numbered_chunks`) parsed and turned into text by `work` on `workers` threads at once (polars
    releases the GIL while it reads and writes, so both cores work), while a reader thread reads ahead; the
    results come back in order: (text, rows, the error of a bad line after those rows). At most `workers` + 1
    chunks are read and not yet written, so memory stays bounded.
    """
    from concurrent.futures import Future, ThreadPoolExecutor

    one_arena()
    pool = ThreadPoolExecutor(workers, thread_name_prefix="neuron-worker")
    slots = threading.Semaphore(workers + 1)
    handoff: queue.SimpleQueue[Future[tuple[str, int, NeuronError | None]] | BaseException | None]
    handoff = queue.SimpleQueue()
    stopped = threading.Event()

    def job(held: list[bytes], line: int) -> tuple[str, int, NeuronError | None]:
        rows, problem = _parsed(held.pop(), line, network, header)  # the chunk's bytes go once parsed
        text, count = work(rows)
        return text, count, problem

    def read() -> None:
        try:
            while slots.acquire() and not stopped.is_set():
                item = next(numbered, None)
                if item is None:
                    break
                raw, line = item
                handoff.put(pool.submit(job, [raw], line))
                del raw, item
        except BaseException as problem:  # handed to the consumer, which raises it in its own thread, in order
            handoff.put(problem)
        else:
            handoff.put(None)

    threading.Thread(target=read, name="neuron-reader", daemon=True).start()
    try:
        while (item := handoff.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item.result()
            slots.release()
    finally:
        stopped.set()
        slots.release()  # a reader waiting for a slot wakes, and stops
        pool.shutdown(wait=False, cancel_futures=True)


def _parsed(raw: bytes, line: int, network: Network, header: bool | None) -> tuple[list[Array], NeuronError | None]:
    """A chunk's rows, and the error of its first bad line if it has one (the rows before it are kept)."""
    rows: list[Array] = []
    try:
        rows.extend(_rows_of(raw, line, network, header))
    except NeuronError as problem:
        return rows, problem
    return rows, None


def _rows_of(raw: bytes, line: int, network: Network, header: bool | None) -> Iterator[Array]:
    """The rows of one chunk that starts at `line`: a block of them, or the good ones and then the error."""
    block = raw  # its last line break, if it has one, ends its last row for every reader (no copy without it)
    if line == 1:
        if block.startswith(b"\xef\xbb\xbf"):
            block = block[3:]  # a byte order mark (Excel's CSV) is not a value
        block = without_header(block, header)
    rows = fast_parse(block, network.input_size)
    if rows is None:
        try:
            rows = parse_lines(block, line, network)
        except StreamError as problem:
            if problem.rows.size:
                yield problem.rows
            raise NeuronError(str(problem)) from None
    if rows.size:
        yield rows


def known_size(source: Any) -> float:
    """The bytes a regular file on stdin holds; a pipe or a terminal may hold any number (inf)."""
    import stat

    try:
        status = os.fstat(source.fileno())
    except (AttributeError, OSError, ValueError):
        return float("inf")
    return status.st_size if stat.S_ISREG(status.st_mode) else float("inf")


def run_stream(
    source: IO[bytes] | Iterable[bytes],
    network: Network,
    chosen: Any,
    view: Any,
    out: IO[str],
    header: bool | None = None,
    split: bool = False,
) -> None:
    """Read rows, compute, and write one output line per row as each block is done (render decides how).

    A stream in a machine format, with `split` (a caller whose process ends with the run): two processes take
    turns at it, reading a regular file of 1 MiB or more each (`run_turns`), or a fast writer's pipe through this
    one (`run_relay`). Otherwise a long stream's chunks are parsed, computed and written as text by two worker
    threads (polars lets go of the GIL) and the texts written here in order; a small file, where polars would not
    pay for its import, and a table (which numbers its rows) go a block at a time here.
    """

    every_step = _every_step(chosen, view)
    # The workers hand back a chunk's whole text: only where it stays small (not a wide layer's JSON).
    chunk_rows = chunk_bytes(network) / (4 * network.input_size)  # a value and its separator take 4 bytes at the least
    machine = getattr(chosen, "value", chosen) in ("plain", "csv", "json")
    machine = machine and chunk_rows * network.row_bytes(every_step) <= COMPUTE_BYTES
    size = known_size(source)
    values_a_row = network.output_size + every_step * 3 * sum(layer.weights.size for layer in network.layers)
    small = size < POLARS_FROM and size / (9 * network.input_size) * values_a_row < POLARS_VALUES
    if small:
        accel.not_for_this_input()  # a small file with few outputs: polars' import would not pay
    if split and machine and run_turns(source, size, network, chosen, view, out, header):
        return
    if machine and not small and hasattr(source, "read"):
        write_blocks((), network, chosen, view, out)  # a CSV's header: the workers' rows are numbered from 2
        writing = Writing(network, chosen, view, out, header)
        numbered = numbered_chunks(source, network)
        first = next(numbered, None)
        numbered = itertools.chain([first] if first else [], numbered)
        # A writer that keeps a whole chunk waiting is a long stream: two processes read it (see `run_relay`).
        fast_writer = split and first is not None and len(first[0]) >= chunk_bytes(network) // 2
        if fast_writer and can_fork() and run_relay(numbered, writing):
            return
        for text, _, problem in pipelined(numbered, network, header, writing.text):
            out.write(text)
            out.flush()
            if problem is not None:
                raise problem
        return
    write_blocks(read_blocks(source, network, header), network, chosen, view, out)


class Pieces:
    """A text written in pieces and joined once (a chunk's text is mostly one piece: it is not copied at all).
    The machine formats' writers only call write()."""

    def __init__(self) -> None:
        self.pieces: list[str] = []

    def write(self, text: str) -> int:
        self.pieces.append(text)
        return len(text)

    def flush(self) -> None:
        return

    def joined(self) -> str:
        return "".join(self.pieces)


def _every_step(chosen: Any, view: Any) -> bool:
    """Whether each row's output shows every step (JSON, --grad), which takes far more memory than its outputs."""
    return bool(getattr(chosen, "value", chosen) == "json" or view.grad)


def write_blocks(
    blocks: Iterable[Array], network: Network, chosen: Any, view: Any, out: IO[str], first_row: int = 1
) -> int:
    """Each block's rows computed and written, rows numbered from `first_row`; a CSV's header and a table's
    column names come with row 1, even when there are no rows. How many rows were written."""
    from . import render

    # Memory is bounded by rows x width, not by input bytes: a wide layer computes fewer rows at once.
    step = network.rows_within(COMPUTE_BYTES, every_step=_every_step(chosen, view))
    written = 0
    for rows in blocks:
        for start in range(0, rows.shape[0], step):
            part = rows[start : start + step]
            render.write("rows", Block(network, part, first_row + written), view, chosen, out)
            written += part.shape[0]
        out.flush()
    if written == 0 and first_row == 1:
        render.write("rows", Block(network, np.zeros((0, network.input_size)), 1), view, chosen, out)
        out.flush()
    return written


def run_turns(
    source: Any, size: float, network: Network, chosen: Any, view: Any, out: IO[str], header: bool | None
) -> bool:
    """A regular file on stdin read by two processes on two cores, taking turns (see `Turns`). The file is cut at
    line breaks into pieces of a chunk each (`FileCuts`); the child reads the even pieces, this process the odd
    ones, each with pread, and the turn passes with the number of the next piece's first line. False where the
    file cannot be split (see `FileCuts.of`).

    The child returns from here into the caller, which must end the process with the work (the fast path does:
    see entry.leave), so that nothing after the run is done twice.
    """
    cuts = FileCuts.of(source, size, chunk_bytes(network), longest_line(network))
    if cuts is None:
        return False
    writing = Writing(network, chosen, view, out, header)
    turns = Turns.start(out)
    if turns is None:
        return False
    try:
        line = 1
        for piece in range(0 if turns.in_child else 1, cuts.pieces, 2):
            begin, end = cuts.bounds(piece)
            raw = cuts.read(begin, end)
            # The first piece may hold a byte order mark and a header: it is read as a stream's first chunk.
            text = None if raw is None or piece == 0 else writing.ahead(raw)
            if piece:
                line = turns.wait()
            if raw is None:  # a line too long: read as a stream, which says so
                blocks = read_blocks(FileRange(cuts.descriptor, begin, end), network, False, line)
                write_blocks(blocks, network, chosen, view, out, first_row=2)
            else:
                writing.at_turn(text, raw, line, first_row=1 if piece == 0 else 2)
            if piece + 1 < cuts.pieces:
                turns.give(line + (newlines(raw) if raw is not None else cuts.count_lines(begin, end)))
        turns.finish()
        cuts.done(source)
    except BaseException:
        turns.stop_other()
        raise
    return True


def run_relay(numbered: Iterator[tuple[bytes, int]], writing: Writing) -> bool:
    """A long stream through a pipe read by two processes on two cores, taking turns (see `Turns`): this process
    reads the chunks, hands every other one to the child through a pipe with the number of its first line, and
    computes the others. A line too long is reported once the rows before it are written. False, with nothing
    read, where no second process can start.

    The child returns from here into the caller, which must end the process with the work (see `run_turns`).
    """
    turns = Turns.start(writing.out, relay=True)
    if turns is None:
        return False
    try:
        if turns.in_child:
            for index, line, raw in turns.received():
                text = writing.ahead(raw) if index else None
                if index:
                    turns.wait()
                writing.at_turn(text, raw, line)
                turns.give(0)
        else:
            _relay(numbered, turns, writing)
        turns.finish()
    except BaseException:
        turns.stop_other()
        raise
    return True


def _relay(numbered: Iterator[tuple[bytes, int]], turns: Turns, writing: Writing) -> None:
    """The parent's part of a relay. A reader thread reads the chunks, sends the even ones to the child as soon as
    they are read (the child has its next chunk while it writes this one), and hands the odd ones to this thread,
    which computes and writes them at their turn; at most two of them wait. The reader's end (the input's end, a
    line too long, the child gone) comes through in order, with the number of the chunk it came at."""
    own: queue.SimpleQueue[tuple[bytes, int] | tuple[BaseException | None, int]] = queue.SimpleQueue()
    slots = threading.Semaphore(2)

    def read() -> None:
        index = 0
        try:
            for raw, line in numbered:
                if index % 2 == 0:
                    turns.send(index, line, raw)
                else:
                    slots.acquire()
                    own.put((raw, line))
                index += 1
        except BaseException as problem:  # raised by this thread, in order
            own.put((problem, index))
        else:
            own.put((None, index))

    one_arena()
    threading.Thread(target=read, name="neuron-relay", daemon=True).start()
    while True:
        try:
            item, number = own.get(timeout=PATIENCE * 10)
        except queue.Empty:  # the input is slow: a child that has ended the run ends it here too, at once
            turns.check()
            continue
        if not isinstance(item, bytes):
            if item is not None and number % 2:  # the child's chunk before it is written first
                turns.wait()
            if item is not None:
                raise item
            return
        text = writing.ahead(item)
        turns.wait()
        writing.at_turn(text, item, number)
        turns.give(0)
        slots.release()


@dataclass(frozen=True)
class Writing:
    """What a piece's output takes: the network, the format and view, the output, and whether line 1 may be a
    header (see `without_header`)."""

    network: Network
    chosen: Any
    view: Any
    out: IO[str]
    header: bool | None

    def ahead(self, raw: bytes) -> str | None:
        """A piece's output computed before its turn; None where the fast readers cannot vouch for every line."""
        rows = fast_parse(raw, self.network.input_size)
        return None if rows is None else self.text([rows])[0]

    def text(self, blocks: list[Array]) -> tuple[str, int]:
        """The blocks' output as one text (rows after the first: a CSV's header is written before), and how many
        rows it holds."""
        text = Pieces()
        count = write_blocks(blocks, self.network, self.chosen, self.view, cast(IO[str], text), first_row=2)
        return text.joined(), count

    def at_turn(self, text: str | None, raw: bytes, line: int, first_row: int = 2) -> None:
        """A piece's output written at its turn: the text computed before, or else its rows as one process reads
        them, lines numbered from `line` (where a bad line raises, after the rows before it)."""
        if text is None:
            rows = _rows_of(raw, line, self.network, self.header)
            write_blocks(rows, self.network, self.chosen, self.view, self.out, first_row)
        else:
            self.out.write(text)
            self.out.flush()
