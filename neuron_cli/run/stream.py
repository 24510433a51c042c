"""A stream of input rows to one output line each, in order, as it goes, in memory that does not grow with the
number of rows: chunks read ahead, parsed and written as text by worker threads, or by two processes taking
turns (run/parallel.py)."""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, cast

import numpy as np

from .. import render
from ..errors import NeuronError
from ..io import polars
from ..io.chunks import known_size, numbered_chunks
from ..io.rows import chunk_bytes, fast_parse, longest_line, read_blocks, rows_of
from ..nn.layers import Block, Network
from ..render import Format, View
from .parallel import FileCuts, Piece, can_fork, in_turns, one_arena

Array = np.ndarray
# A file smaller than POLARS_FROM that gives fewer than POLARS_VALUES outputs (about 9 bytes an input value) is
# read and written without polars: its import (0.3 s on top of NumPy's) would cost more than it saves.
POLARS_FROM = 16 << 20
POLARS_VALUES = 200_000
PARSERS = 2  # threads parsing chunks at once: the machines this runs on have two cores or more
# Two processes pay from two outputs a row, whose text they write 1.2x (2 outputs) to 1.3x (16) as fast as one
# process does; for one output a row, one process and its threads are as fast, in 30 MiB less (README, Speed).
SPLIT_OUTPUTS = 2
COMPUTE_BYTES = 16 << 20  # what the rows computed at once may take: a block is split into as many rows as fit


@dataclass(frozen=True)
class Rows:
    """What a stream's output takes: the network, the format and view, and whether line 1 may be a CSV header
    (True, False, or None: where it holds only names)."""

    network: Network
    format: Format
    view: View
    header: bool | None = None

    @property
    def every_step(self) -> bool:
        """Whether each row's output shows every step (JSON, --grad): far more memory than its outputs."""
        return self.format is Format.json or self.view.grad


def run_stream(source: IO[bytes] | Iterable[bytes], rows: Rows, out: IO[str], split: bool = False) -> None:
    """Read rows, compute, and write one output line per row as each block is done (render decides how).

    A stream in a machine format of more than one output a row, with `split` (a caller whose process ends with
    the run): two processes take turns at it, reading a regular file of 1 MiB or more each, or a fast writer's
    pipe through this one (see run/parallel.py). Otherwise a long stream's chunks are parsed, computed and
    written as text by two worker threads (polars lets go of the GIL) and the texts written here in order; a
    small file, where polars would not pay for its import, and a table (which numbers its rows) go a block at a
    time here.
    """
    network = rows.network
    # The workers hand back a chunk's whole text: only where it stays small (not a wide layer's JSON).
    chunk_rows = chunk_bytes(network) / (4 * network.input_size)  # a value and its separator take 4 bytes at the least
    machine = rows.format in (Format.plain, Format.csv, Format.json)
    machine = machine and chunk_rows * network.row_bytes(rows.every_step) <= COMPUTE_BYTES
    size = known_size(source)
    values_a_row = network.output_size + rows.every_step * 3 * sum(layer.weights.size for layer in network.layers)
    small = size < POLARS_FROM and size / (9 * network.input_size) * values_a_row < POLARS_VALUES
    polars.wanted(not small)  # a small file with few outputs: polars' import would not pay
    writing = Writing(rows, out)
    split = split and network.output_size >= SPLIT_OUTPUTS
    if split and machine:
        cuts = FileCuts.of(source, size, chunk_bytes(network), longest_line(network))
        if cuts is not None and in_turns(cuts, writing, out) is not None:
            cuts.done(source)
            return
    if machine and not small and hasattr(source, "read"):
        write_blocks((), rows, out)  # a CSV's header: the workers' rows are numbered from 2
        numbered = numbered_chunks(source, chunk_bytes(network), longest_line(network))
        first = next(numbered, None)
        numbered = itertools.chain([first] if first else [], numbered)
        # A writer that keeps a whole chunk waiting is a long stream: two processes read it (the relay).
        fast_writer = split and first is not None and len(first[0]) >= chunk_bytes(network) // 2
        if fast_writer and can_fork() and in_turns(numbered, writing.after_header(), out) is not None:
            return
        for text, _, problem in pipelined(numbered, rows, writing.text):
            out.write(text)
            out.flush()
            if problem is not None:
                raise problem
        return
    write_blocks(read_blocks(source, network, rows.header), rows, out)


def write_blocks(blocks: Iterable[Array], rows: Rows, out: IO[str], first_row: int = 1) -> int:
    """Each block's rows computed and written, rows numbered from `first_row`; a CSV's header and a table's
    column names come with row 1, even when there are no rows. How many rows were written."""
    network = rows.network
    # Memory is bounded by rows x width, not by input bytes: a wide layer computes fewer rows at once.
    step = network.rows_within(COMPUTE_BYTES, every_step=rows.every_step)
    written = 0
    for block in blocks:
        for start in range(0, block.shape[0], step):
            part = block[start : start + step]
            render.write("rows", Block(network, part, first_row + written), rows.view, rows.format, out)
            written += part.shape[0]
        out.flush()
    if written == 0 and first_row == 1:
        empty = Block(network, np.zeros((0, network.input_size)), 1)
        render.write("rows", empty, rows.view, rows.format, out)
        out.flush()
    return written


class Writing:
    """A stream's share of the work in two processes (run/parallel.Share): a piece's text computed ahead of its
    turn where the fast readers vouch for every line, else its rows read as one process reads them."""

    def __init__(self, rows: Rows, out: IO[str], first_row: int = 1) -> None:
        self.rows, self.out, self.first_row = rows, out, first_row

    def after_header(self) -> Writing:
        """The same, for pieces whose CSV header has been written already."""
        return Writing(self.rows, self.out, first_row=2)

    def ahead(self, piece: Piece) -> str | None:
        """A piece's output computed before its turn; None where the fast readers cannot vouch for every line
        (or the piece is the first, which may hold a byte order mark and a header)."""
        if piece.raw is None or piece.index == 0:
            return None
        block = fast_parse(piece.raw, self.rows.network.input_size)
        return None if block is None else self.text([block])[0]

    def at_turn(self, prepared: Any, piece: Piece, tally: dict[str, Any]) -> dict[str, Any]:
        """A piece's output written at its turn: the text computed before, or else its rows as one process reads
        them (where a bad line raises, after the rows before it, named by its number in the whole input)."""
        first_row = self.first_row if piece.index == 0 else 2
        if prepared is not None:
            self.out.write(prepared)
            self.out.flush()
        elif piece.raw is None and piece.whole is not None:  # a line too long: read as a stream, which names it
            blocks = read_blocks(piece.whole, self.rows.network, False, piece.line)
            write_blocks(blocks, self.rows, self.out, first_row)
        elif piece.raw is not None:
            blocks = rows_of(piece.raw, piece.line, self.rows.network, self.rows.header)
            write_blocks(blocks, self.rows, self.out, first_row)
        return tally

    def text(self, blocks: list[Array]) -> tuple[str, int]:
        """The blocks' output as one text (rows after the first: a CSV's header is written before), and how many
        rows it holds."""
        text = Pieces()
        count = write_blocks(blocks, self.rows, cast(IO[str], text), first_row=2)
        return text.joined(), count


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


def pipelined(
    numbered: Iterator[tuple[bytes, int]], rows: Rows, work: Callable[[list[Array]], tuple[str, int]]
) -> Iterator[tuple[str, int, NeuronError | None]]:
    """Each chunk (of `numbered_chunks`) parsed and turned into text by `work` on PARSERS threads at once (polars
    releases the GIL while it reads and writes, so both cores work), while a reader thread reads ahead; the
    results come back in order: (text, rows, the error of a bad line after those rows). At most PARSERS + 1
    chunks are read and not yet written, so memory stays bounded.
    """
    from concurrent.futures import Future, ThreadPoolExecutor

    one_arena()
    pool = ThreadPoolExecutor(PARSERS, thread_name_prefix="neuron-worker")
    slots = threading.Semaphore(PARSERS + 1)
    handoff: queue.SimpleQueue[Future[tuple[str, int, NeuronError | None]] | BaseException | None]
    handoff = queue.SimpleQueue()
    stopped = threading.Event()

    def job(held: list[bytes], line: int) -> tuple[str, int, NeuronError | None]:
        blocks, problem = _parsed(held.pop(), line, rows)  # the chunk's bytes go once parsed
        text, count = work(blocks)
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


def _parsed(raw: bytes, line: int, rows: Rows) -> tuple[list[Array], NeuronError | None]:
    """A chunk's rows, and the error of its first bad line if it has one (the rows before it are kept)."""
    blocks: list[Array] = []
    try:
        blocks.extend(rows_of(raw, line, rows.network, rows.header))
    except NeuronError as problem:
        return blocks, problem
    return blocks, None
