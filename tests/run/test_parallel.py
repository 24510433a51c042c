"""Two processes taking turns (run/parallel.py): the runner itself, driven in this process with a share that
says which process wrote each piece; then `compute` and `check --answers` as real processes, whose output must
be what one process writes, byte for byte, error for error, and whose second process must be seen to run."""

import io
import itertools
import json
import os
import subprocess
import threading
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neuron_cli.io import chunks, polars
from neuron_cli.io.chunks import first_longer_line
from neuron_cli.io.rows import chunk_bytes
from neuron_cli.io.sheets import splits_as_lines
from neuron_cli.nn.layers import Layer, Network
from neuron_cli.render import Format, View
from neuron_cli.run import parallel
from neuron_cli.run import stream as streams
from neuron_cli.run.parallel import FileCuts, Piece, in_turns

from ..conftest import Run, environment, neuron_command, run_here

WEIGHTS = ["-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid"]  # one neuron: the answer sheets' network
# A stream takes two processes from two outputs a row (run/stream.SPLIT_OUTPUTS): these streams have two.
LAYER = ["-w", "0.5,-0.2,0.1;-0.3,0.4,0.2", "-b", "0.1,-0.1", "-a", "sigmoid"]
NETWORK = Network((Layer.create([[0.5, -0.2, 0.1], [-0.3, 0.4, 0.2]], [0.1, -0.1], "sigmoid"),))
ROWS = np.random.default_rng(11).uniform(-1, 1, size=(40_000, 3))  # 2.4 MB of text: past SPLIT_FROM, 3 pieces


def layer_outputs(rows: np.ndarray) -> np.ndarray:
    """The LAYER's outputs, worked out here: a sigmoid of each neuron's weighted sum."""
    return 1 / (1 + np.exp(-(rows @ np.array([[0.5, -0.3], [-0.2, 0.4], [0.1, 0.2]]) + [0.1, -0.1])))


def rows_text(rows: np.ndarray) -> str:
    return "".join(",".join(map(repr, row)) + "\n" for row in rows.tolist())


TEXT = rows_text(ROWS)


def test_the_inputs_here_are_split_into_several_pieces():
    assert parallel.SPLIT_FROM < len(TEXT) < streams.POLARS_FROM
    assert len(TEXT) >= 3 * chunk_bytes(NETWORK)


# ---------------------------------------------------------------- the runner, in this process


class Witness:
    """A share that writes, at each piece's turn, the piece's index, its first line and the writer's process,
    and counts the lines written in the tally it passes on."""

    def __init__(self, out):
        self.out = out

    def ahead(self, piece: Piece) -> str:
        return f"{piece.index} {piece.line} {os.getpid()} {chunks.newlines(piece.raw or b'')}\n"

    def at_turn(self, prepared, piece: Piece, tally: dict) -> dict:
        self.out.write(prepared)
        self.out.flush()
        return {"lines": tally.get("lines", 0) + chunks.newlines(piece.raw or b"")}


def witnessed(pieces, out) -> dict:
    """in_turns in this process: the child leaves as soon as its share is done (it must never go on to run the
    rest of the test)."""
    shared = in_turns(pieces, Witness(out), out)
    assert shared is not None, "no second process could start"
    if shared.in_child:
        os._exit(0)
    return shared.tally


def read_witness(path) -> list[tuple[int, int, int, int]]:
    return [tuple(map(int, line.split())) for line in path.read_text().splitlines()]


def test_a_files_pieces_are_written_in_order_by_two_processes(tmp_path):
    source = tmp_path / "rows.csv"
    source.write_text(TEXT)
    report = tmp_path / "report"
    with source.open("rb") as file, report.open("w") as out:
        cuts = FileCuts(file.fileno(), 0, len(TEXT), chunk_bytes(NETWORK), 1 << 20)
        tally = witnessed(cuts, out)
    written = read_witness(report)
    assert [index for index, *_ in written] == list(range(cuts.pieces))
    assert len({pid for _, _, pid, _ in written}) == 2  # a second process ran, and wrote every other piece
    assert written[0][2] != written[1][2] and written[0][2] == written[2][2]
    lines = list(itertools.accumulate([1] + [count for *_, count in written[:-1]]))
    assert [line for _, line, _, _ in written] == lines  # each piece knows its first line ahead of its turn
    assert tally == {"lines": len(ROWS), "pieces": cuts.pieces}


def test_a_relay_hands_every_other_chunk_to_the_child(tmp_path):
    numbered = chunks.numbered_chunks(io.BytesIO(TEXT.encode()), chunk_bytes(NETWORK), 1 << 20)
    report = tmp_path / "report"
    with report.open("w") as out:
        tally = witnessed(numbered, out)
    written = read_witness(report)
    assert [index for index, *_ in written] == list(range(len(written))) and len(written) >= 3
    pids = [pid for _, _, pid, _ in written]
    assert len(set(pids)) == 2 and pids[0] != os.getpid() and pids[1] == os.getpid()
    assert tally["lines"] == len(ROWS)


def test_where_no_second_process_can_start_nothing_is_read(tmp_path, monkeypatch):
    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    descriptors = len(os.listdir("/proc/self/fd"))
    numbered = iter([(b"1\n", 1)])
    assert in_turns(numbered, Witness(io.StringIO()), io.StringIO()) is None
    assert next(numbered) == (b"1\n", 1)  # the caller reads it all in one process
    assert len(os.listdir("/proc/self/fd")) == descriptors  # the pipes made for the child are closed


@pytest.mark.parametrize("source", ["file", "stream"])
def test_a_refused_fork_leaves_the_stream_to_one_process(tmp_path, monkeypatch, source):
    path = tmp_path / "rows.csv"
    path.write_text(TEXT)

    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    def computed(split: bool) -> str:
        out = io.StringIO()
        with path.open("rb") as file:
            given = file if source == "file" else io.BytesIO(file.read())  # a BytesIO is no regular file
            streams.run_stream(given, streams.Rows(NETWORK, Format.plain, View()), out, split)
        return out.getvalue()

    monkeypatch.setattr(polars, "WANTED", [True])  # what a small file decides is kept to this test
    expected = computed(split=False)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)  # polars is loaded here: it would say no
    monkeypatch.setattr(streams, "can_fork", lambda: True)
    monkeypatch.setattr(os, "fork", refused)
    assert computed(split=True) == expected
    assert len(expected.splitlines()) == len(ROWS)


def test_neuron_processes_1_keeps_a_stream_in_one_process(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1}, raising=False)
    monkeypatch.delenv("NEURON_PROCESSES", raising=False)
    assert parallel.can_fork() == ("polars" not in __import__("sys").modules and hasattr(os, "fork"))
    monkeypatch.setenv("NEURON_PROCESSES", "1")
    assert not parallel.can_fork()
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0}, raising=False)
    monkeypatch.delenv("NEURON_PROCESSES")
    assert not parallel.can_fork()  # one core: nothing to gain


def test_file_range_reads_its_part_without_moving_the_offset(tmp_path):
    path = tmp_path / "data"
    path.write_bytes(b"0123456789\nabcdef\n")
    with path.open("rb", buffering=0) as file:
        part = chunks.FileRange(file.fileno(), 3, 12)
        assert b"".join(part.pieces(size=4)) == b"3456789\na"
        assert file.tell() == 0
        assert parallel.split_point(file.fileno(), 5) == 11
        assert parallel.split_point(file.fileno(), 12) == 18
        assert parallel.split_point(file.fileno(), 18) is None


@settings(max_examples=200, deadline=None)
@given(
    lengths=st.lists(st.integers(0, 40), min_size=1, max_size=60),
    piece_bytes=st.integers(1, 50),
    begin=st.integers(0, 20),
    ends_in_newline=st.booleans(),
)
def test_pieces_cover_the_file_in_order_each_starting_a_line(
    tmp_path_factory, lengths, piece_bytes, begin, ends_in_newline
):
    data = b"\n".join(b"7" * n for n in lengths) + (b"\n" if ends_in_newline else b"")
    path = tmp_path_factory.mktemp("pieces") / "rows"
    path.write_bytes(data)
    begin = min(begin, len(data))
    with path.open("rb", buffering=0) as file:
        file_cuts = FileCuts(file.fileno(), begin, len(data), piece_bytes, longest=1 << 20)
        cuts = [file_cuts.bounds(piece) for piece in range(file_cuts.pieces)]
    assert b"".join(data[start:end] for start, end in cuts) == data[begin:]
    assert all(end == start for (_, end), (start, _) in itertools.pairwise(cuts))
    for start, end in cuts[1:]:
        assert start == len(data) or data[start - 1 : start] == b"\n"  # a line belongs to one piece whole
        assert start <= end


def longer_lines(raw: bytes, longest: int) -> list[int]:
    """Where each line longer than `longest` (its line break included) starts, measured line by line."""
    starts, at = [], 0
    for line in raw.splitlines(keepends=True):
        if len(line) > longest:
            starts.append(at)
        at += len(line)
    return starts


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=30), st.integers(1, 45), st.booleans())
def test_a_line_too_long_is_found_as_measuring_every_line_finds_it(lengths, longest, ends_in_break):
    raw = b"\n".join(b"x" * length for length in lengths) + (b"\n" if ends_in_break else b"")
    found = longer_lines(raw, longest)
    assert first_longer_line(raw, longest) == (found[0] if found else None)
    assert parallel._has_longer_line(raw, longest) == bool(found)


def test_sheet_lines_split_as_the_csv_reader_counts_them():
    assert splits_as_lines(b"a,b\r\nc,d\n\xed\x95\x99\n")  # CRLF, and Hangul
    assert splits_as_lines(b"a\x0bb\n" + "a\u2028b\n".encode() + "a\x85b".encode())  # characters of a cell
    for text in (b'"a\nb",c\n', b"a\rb\n"):
        assert not splits_as_lines(text), text


# ---------------------------------------------------------------- the command, as real processes


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid`."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as file:
                    stat = file.read()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.append(int(entry))
    return found


def observed(args: list[str], stdin) -> tuple[Run, bool]:
    """The command run with its output read only once a child of it was looked for (its output fills the pipe,
    so the run is still going): what it wrote, and whether a second process ran."""
    process = subprocess.Popen(
        [*neuron_command(), *args], stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment()
    )
    seen = False
    deadline = time.monotonic() + 20
    while not seen and process.poll() is None and time.monotonic() < deadline:
        seen = bool(children(process.pid))
        time.sleep(0.005)
    out, err = process.communicate(timeout=120)
    return Run(process.returncode, out, err), seen


def from_file(tmp_path, text: str | bytes, *args: str, offset: int = 0) -> tuple[Run, bool]:
    """The command with a regular file on stdin, read from `offset` on."""
    path = tmp_path / "rows.csv"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    with path.open("rb", buffering=0) as stdin:
        stdin.seek(offset)
        return observed(list(args), stdin)


def one_process(text: str | bytes, *args: str) -> Run:
    """What one process writes for the same command (in this process, which never splits its input)."""
    return run_here(*args, stdin=text)


@pytest.mark.parametrize("fmt", ["plain", "csv"])
def test_a_file_read_by_two_processes_writes_what_one_process_writes(tmp_path, fmt):
    run, two = from_file(tmp_path, TEXT, "compute", *LAYER, "--format", fmt)
    assert two, "a second process did not run"
    whole = one_process(TEXT, "compute", *LAYER, "--format", fmt)
    assert run.code == whole.code == 0 and run.err == whole.err == ""
    assert run.stdout_bytes == whole.stdout_bytes
    if fmt == "csv":
        assert run.out.count("x1,x2,x3,y1") == 1


def test_a_stream_of_one_output_a_row_stays_in_one_process(tmp_path):
    run, two = from_file(tmp_path, TEXT, "compute", *WEIGHTS)
    assert not two, "one output a row: a second process costs memory and gains nothing"
    assert run.code == 0 and run.stdout_bytes == one_process(TEXT, "compute", *WEIGHTS).stdout_bytes


@pytest.mark.parametrize("bad", [101, 20_000])  # in the child's piece, in the parent's
def test_a_bad_line_in_either_process_ends_the_run_after_the_rows_before_it(tmp_path, bad):
    lines = TEXT.splitlines(keepends=True)
    lines[bad - 1] = "1,2\n"
    lines[2:2] = ["# a comment\n", "\n"]  # lines that give no rows count too
    lines[30_000] = lines[30_000].replace("\n", "\r\n")
    text = "".join(lines)
    run, two = from_file(tmp_path, text, "compute", *LAYER)
    assert two
    assert run.code == 2
    assert run.err == f"error: line {bad + 2} has 2 values but each neuron has 3 weights\n"
    assert run.stdout_bytes == one_process(text, "compute", *LAYER).stdout_bytes
    assert len(run.lines()) == bad - 1  # nothing after it, from either process


def test_a_line_too_long_in_a_later_piece_is_named_as_one_process_names_it(tmp_path):
    lines = TEXT.splitlines(keepends=True)
    lines[20_000] = "0.5," * 800_000 + "0.5\n"  # 3.2 MB: longer than a piece and the longest line allowed
    text = "".join(lines)
    run, two = from_file(tmp_path, text, "compute", *LAYER)
    assert two
    whole = one_process(text, "compute", *LAYER)
    assert run.code == whole.code == 2
    limit = chunks.MAX_LINE
    assert (
        run.err == whole.err == f"error: line 20001 is longer than {limit} bytes, the limit of one line of a stream\n"
    )
    assert run.stdout_bytes == whole.stdout_bytes and len(run.lines()) == 20_000


def test_a_header_line_is_skipped_once_and_stdin_is_read_from_where_it_stands(tmp_path):
    text = "x1,x2,x3\n" + TEXT
    run, _ = from_file(tmp_path, text, "compute", *LAYER, "--format", "csv")
    assert run.code == 0 and run.stdout_bytes == one_process(text, "compute", *LAYER, "--format", "csv").stdout_bytes
    offset = len("".join(TEXT.splitlines(keepends=True)[:5]))
    later, _ = from_file(tmp_path, TEXT, "compute", *LAYER, offset=offset)
    written = np.array([line.split(",") for line in later.lines()], dtype=float)
    assert later.code == 0 and np.allclose(written, layer_outputs(ROWS[5:]), rtol=1e-15)


def test_a_full_disk_and_a_closed_pipe_end_both_processes(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text(TEXT)
    with path.open("rb") as stdin, open("/dev/full", "wb") as full:
        done = subprocess.run(
            [*neuron_command(), "compute", *LAYER], stdin=stdin, stdout=full, stderr=subprocess.PIPE, timeout=60
        )
    assert done.returncode == 2
    assert done.stderr == b"error: cannot write the output: No space left on device\n"
    with path.open("rb") as stdin:
        process = subprocess.Popen(
            [*neuron_command(), "compute", *LAYER], stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()
        error = process.stderr.read()
        code = process.wait(timeout=60)
    assert [float(value) for value in first.split(b",")] == pytest.approx(layer_outputs(ROWS[:1])[0])
    assert code == 0 and error == b""


# ---------------------------------------------------------------- a long stream through a pipe (a relay)


def through_pipe(text: str | bytes, *args: str) -> tuple[Run, bool]:
    """The command with `text` written at once into a pipe on its stdin (a fast writer: two processes read it)."""
    data = text.encode() if isinstance(text, str) else text
    process = subprocess.Popen(
        [*neuron_command(), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(),
    )
    outputs: list = []
    writer = threading.Thread(target=lambda: outputs.append(process.communicate(data, timeout=120)))
    writer.start()
    seen = False
    deadline = time.monotonic() + 20
    while not seen and process.poll() is None and time.monotonic() < deadline:
        seen = bool(children(process.pid))
        time.sleep(0.005)
    writer.join()
    out, err = outputs[0]
    return Run(process.returncode, out, err), seen


def test_a_relayed_stream_writes_what_one_process_writes():
    relayed, two = through_pipe(TEXT, "compute", *LAYER, "--format", "csv")
    assert two, "a second process did not run"
    whole = one_process(TEXT, "compute", *LAYER, "--format", "csv")
    assert relayed.code == whole.code == 0 and relayed.err == whole.err == ""
    assert relayed.stdout_bytes == whole.stdout_bytes


@pytest.mark.parametrize("bad", [101, 20_000])  # in the child's chunk, in the parent's
def test_a_bad_line_in_any_relayed_chunk_ends_the_run_after_the_rows_before_it(bad):
    lines = TEXT.splitlines(keepends=True)
    lines[bad - 1] = "1,2,x\n"
    text = "".join(lines)
    run, _ = through_pipe(text, "compute", *LAYER)
    assert run.code == 2
    assert run.err == f"error: line {bad}, value 3 is 'x', which is not a number\n"
    assert run.stdout_bytes == one_process(text, "compute", *LAYER).stdout_bytes
    assert len(run.lines()) == bad - 1


@pytest.mark.parametrize("at", [20_000])  # after a chunk of the child's
def test_a_line_too_long_in_a_relayed_stream_comes_after_the_rows_before_it(at):
    lines = TEXT.splitlines(keepends=True)
    lines[at] = "0.5," * 800_000 + "0.5\n"
    text = "".join(lines)
    run, _ = through_pipe(text, "compute", *LAYER)
    assert run.code == 2
    limit = chunks.MAX_LINE
    assert run.err == f"error: line {at + 1} is longer than {limit} bytes, the limit of one line of a stream\n"
    assert run.stdout_bytes == one_process(text, "compute", *LAYER).stdout_bytes
    assert len(run.lines()) == at


def test_rows_written_before_the_writer_pauses_are_answered_while_it_waits():
    # Lines of 30 bytes fill whole chunks: the second, this process's own, is the last before the pause. It must
    # not wait for a next chunk to be read before it is written.
    rows = chunk_bytes(NETWORK) // 30
    burst = b"0.100000,0.200000,0.300000000\n" * (2 * rows)
    process = subprocess.Popen(
        [*neuron_command(), "compute", *LAYER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        writer = threading.Thread(target=lambda: (process.stdin.write(burst), process.stdin.flush()))
        writer.start()
        answered = []
        timer = threading.Timer(20, process.kill)  # a run that never answers fails here, not the whole suite
        timer.start()
        while len(answered) < 2 * rows and (line := process.stdout.readline()):
            answered.append(line)
        timer.cancel()
        assert len(answered) == 2 * rows  # while stdin is still open
        writer.join()
    finally:
        process.stdin.close()
        process.wait(timeout=60)
    assert process.returncode == 0


def test_a_bad_line_in_the_childs_chunk_ends_the_run_while_the_writer_is_silent():
    # One whole chunk, with a bad line, then a writer that keeps the pipe open: the child reports it and ends,
    # and so must the run, without waiting for more input (as one process would).
    lines = [b"0.100000,0.200000,0.300000000\n"] * (chunk_bytes(NETWORK) // 30)
    lines[99] = b"0.100000,0.200000,x.30000000\n"
    process = subprocess.Popen(
        [*neuron_command(), "compute", *LAYER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(),
    )
    assert process.stdin is not None and process.stdout is not None and process.stderr is not None
    try:
        process.stdin.write(b"".join(lines))
        process.stdin.flush()
        timer = threading.Timer(20, process.kill)  # a run that waits for more input fails here, not the suite
        timer.start()
        out = process.stdout.read()  # to the end: the run is over while stdin is still open
        code = process.wait(timeout=30)
        timer.cancel()
    finally:
        process.kill()
        process.stdin.close()
    assert code == 2
    assert process.stderr.read() == b"error: line 100, value 3 is 'x.30000000', which is not a number\n"
    assert len(out.splitlines()) == 99


# ---------------------------------------------------------------- answer sheets in two processes

SHEET_ROWS = 32_000  # 1.1 MB: past SPLIT_FROM (checked below)
WRONG = len(range(0, SHEET_ROWS, 7))


def sheet_text(wrong: bool = True, newline: str = "\n") -> str:
    """A class's answer sheet for the WEIGHTS neuron: with `wrong`, every 7th answer is off by 0.01."""
    x = np.random.default_rng(5).uniform(-1, 1, size=(SHEET_ROWS, 3)).round(6)
    y = 1 / (1 + np.exp(-(x @ np.array([0.5, -0.2, 0.1]) + 0.1)))
    if wrong:
        y[::7] += 0.01
    rows = [f"s{k}," + ",".join(f"{v:.6f}" for v in x[k]) + f",{y[k]:.6f}" for k in range(SHEET_ROWS)]
    return newline.join(["student,x1,x2,x3,y1", *rows]) + newline


def graded(tmp_path, text: str, *args: str) -> Run:
    """The sheet graded as a file by a real process (in two where it can), checked against one process."""
    path = tmp_path / "sheet.csv"
    path.write_bytes(text.encode())
    with open(os.devnull, "rb") as nothing:
        split, two = observed(["check", "--answers", str(path), *WEIGHTS, *args], nothing)
    assert two, "a second process did not run"
    whole = run_here("check", "--answers", str(path), *WEIGHTS, *args)
    assert (split.code, split.stdout_bytes, split.err) == (whole.code, whole.stdout_bytes, whole.err)
    return split


def test_the_sheets_here_are_split():
    assert parallel.SPLIT_FROM < len(sheet_text().encode()) < streams.POLARS_FROM


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_sheet_graded_by_two_processes_reports_as_one_process(tmp_path, fmt):
    run = graded(tmp_path, sheet_text(), "--format", fmt)
    assert run.code == 1  # some answers are wrong
    if fmt == "csv":
        assert run.out.count("student,score") == 1 and len(run.lines()) == SHEET_ROWS + 1
    if fmt == "json":
        summary = json.loads(run.lines()[-1])["summary"]
        assert (summary["rows"], summary["passed"], summary["failed"]) == (SHEET_ROWS, SHEET_ROWS - WRONG, WRONG)


def test_a_sheet_all_right_exits_0(tmp_path):
    run = graded(tmp_path, sheet_text(wrong=False, newline="\r\n"), "--format", "plain")
    assert run.code == 0 and f"{SHEET_ROWS} of {SHEET_ROWS} students have every answer right" in run.out


def test_a_byte_order_mark_at_a_pieces_start_stays_a_character_of_its_cell(tmp_path):
    # Only the file's first bytes can be its byte order mark; every row starting with one puts one at the start
    # of every piece, where decoding a piece as UTF-8-with-BOM would drop it (and graded() compares one process)
    lines = sheet_text().splitlines(keepends=True)
    run = graded(tmp_path, "".join([lines[0], *("\ufeff" + line for line in lines[1:])]), "--format", "csv")
    assert run.out.count("\ufeffs") == SHEET_ROWS


def test_blank_lines_before_the_header_leave_it_the_header(tmp_path):
    # more than a piece of blank lines: the header is in a later piece, and must not be graded as a row there
    run = graded(tmp_path, "\n" * (3 << 20) + sheet_text(), "--format", "json")
    summary = json.loads(run.lines()[-1])["summary"]
    assert (summary["rows"], summary["invalid"]) == (SHEET_ROWS, 0)


@pytest.mark.parametrize("bad_line", [50, 30_000])  # in the child's piece, in the parent's
def test_a_bad_row_in_either_process_is_graded_0_as_one_process_grades_it(tmp_path, bad_line):
    lines = sheet_text().splitlines(keepends=True)
    lines[bad_line - 1] = f"s{bad_line},0.1,zero,0.3,0.5\n"
    lines[2] = lines[2].replace("s1,", "학생1,")
    run = graded(tmp_path, "".join(lines), "--format", "plain")
    assert run.code == 1
    assert f"line {bad_line} (s{bad_line}): invalid, 0 of 1: x2 is 'zero'" in run.out
    assert len(run.lines()) == SHEET_ROWS + 3  # every row, then the summary: rows right, one unreadable, y1


@pytest.mark.parametrize("long_line", [9_000, 31_000])  # in the parent's piece, in the child's
def test_a_line_too_long_in_either_process_ends_the_run_after_the_rows_before_it(tmp_path, long_line):
    lines = sheet_text().splitlines(keepends=True)
    lines[long_line - 1] = "s" + "n" * (5 << 19) + ",0.1,0.2,0.3,0.5\n"  # 2.5 MiB
    run = graded(tmp_path, "".join(lines), "--format", "csv")  # the same bytes and error as one process
    assert run.code == 2 and "a line is longer than 1048576 characters" in run.err
    assert len(run.lines()) == long_line - 1  # the header and every row before it
