"""A regular file on stdin read by two processes: `compute` in pieces taken in turns (stream.run_turns), `check
--answers` in two halves (sheet.grade_halves). To its user it is the same run as one process makes, byte for
byte, error for error. These start real processes: the fork is what is tested."""

import itertools
import json
import os
import subprocess
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neuron_cli import accel, split, stream
from neuron_cli.core import Layer, Network

from .conftest import Run, neuron_command

WEIGHTS = ["-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid"]
ROWS = np.random.default_rng(11).uniform(-1, 1, size=(40_000, 3))  # 1.3 MB of text: past SPLIT_FROM


def rows_text(rows: np.ndarray) -> str:
    return "".join(",".join(map(repr, row)) + "\n" for row in rows.tolist())


TEXT = rows_text(ROWS)
assert split.SPLIT_FROM < len(TEXT) < stream.POLARS_FROM


def from_file(tmp_path, text: str | bytes, *args: str, offset: int = 0, env: dict | None = None) -> Run:
    """The command with a regular file on stdin (a pipe is never split), read from `offset` on."""
    path = tmp_path / "rows.csv"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    environment = {**os.environ, "NO_COLOR": "1", "NEURON_LANG": "en", **(env or {})}
    with path.open("rb", buffering=0) as stdin:
        stdin.seek(offset)
        completed = subprocess.run(
            [*neuron_command(), *args], stdin=stdin, capture_output=True, env=environment, timeout=120
        )
    return Run(completed)


def one_process(tmp_path, text: str, *args: str) -> Run:
    """The same command through Typer, which never splits its input."""
    return from_file(tmp_path, text, *args, env={"NEURON_FAST": "0"})


@pytest.mark.parametrize("fmt", ["plain", "csv", "json"])
def test_two_halves_write_what_one_process_writes(tmp_path, fmt):
    split = from_file(tmp_path, TEXT, "compute", *WEIGHTS, "--format", fmt)
    whole = one_process(tmp_path, TEXT, "compute", *WEIGHTS, "--format", fmt)
    assert split.code == whole.code == 0 and split.err == whole.err == ""
    assert split.stdout_bytes == whole.stdout_bytes
    if fmt == "csv":
        assert split.out.count("x1,x2,x3,y1") == 1


def pieces_of(text: str) -> int:
    """How many pieces the two processes take turns at (the tests below need several)."""
    network = Network((Layer.create([0.5, -0.2, 0.1], 0.1, "sigmoid"),))
    return -(-len(text.encode()) // stream.chunk_bytes(network))


def test_the_files_here_are_read_in_several_pieces():
    assert pieces_of(TEXT) >= 3


@pytest.mark.parametrize("bad", [101, 17_000, 21_000, 39_990])  # in the first piece, the second, the third, the last
def test_a_bad_line_in_any_piece_ends_the_run_after_the_rows_before_it(tmp_path, bad):
    lines = TEXT.splitlines(keepends=True)
    lines[bad - 1] = "1,2\n"
    run = from_file(tmp_path, "".join(lines), "compute", *WEIGHTS)
    assert run.code == 2
    assert run.err == f"error: line {bad} has 2 values but each neuron has 3 weights\n"
    assert len(run.lines()) == bad - 1  # nothing after it, from either process
    assert run.stdout_bytes == one_process(tmp_path, "".join(lines), "compute", *WEIGHTS).stdout_bytes


def test_a_bad_line_late_in_the_file_is_named_by_its_line_in_the_whole_file(tmp_path):
    # comments and blank lines in the first piece count as lines, though they give no rows
    lines = ["# inputs\n", "\n", *TEXT.splitlines(keepends=True)]
    lines[30_001] = "1,2,x\n"
    run = from_file(tmp_path, "".join(lines), "compute", *WEIGHTS)
    assert run.code == 2
    assert run.err == "error: line 30002, value 3 is 'x', which is not a number\n"
    assert len(run.lines()) == 29_999
    assert run.stdout_bytes == one_process(tmp_path, "".join(lines), "compute", *WEIGHTS).stdout_bytes


def test_comments_blank_lines_and_crlf_in_later_pieces_read_as_one_process_reads_them(tmp_path):
    lines = TEXT.splitlines(keepends=True)
    lines[18_000] = "# a comment in the second piece\n"
    lines[25_000] = "\n"
    lines[33_000:33_010] = [line.replace("\n", "\r\n") for line in lines[33_000:33_010]]
    text = "".join(lines)
    run = from_file(tmp_path, text, "compute", *WEIGHTS)
    assert run.code == 0 and run.err == ""
    assert len(run.lines()) == len(ROWS) - 2
    assert run.stdout_bytes == one_process(tmp_path, text, "compute", *WEIGHTS).stdout_bytes


def test_a_line_too_long_in_a_later_piece_is_named_as_one_process_names_it(tmp_path):
    lines = TEXT.splitlines(keepends=True)
    lines[20_000] = "0.5," * 800_000 + "0.5\n"  # 3.2 MB: longer than a piece and the longest line allowed
    text = "".join(lines)
    run = from_file(tmp_path, text, "compute", *WEIGHTS)
    whole = one_process(tmp_path, text, "compute", *WEIGHTS)
    assert run.code == whole.code == 2
    assert (
        run.err
        == whole.err
        == f"error: line 20001 is longer than {stream.MAX_LINE} bytes, the limit of one line of a stream\n"
    )
    assert run.stdout_bytes == whole.stdout_bytes and len(run.lines()) == 20_000


LONG_ROWS = np.random.default_rng(12).uniform(-1, 1, size=(300_000, 3))  # 17 MB: read and written by polars
LONG_TEXT = rows_text(LONG_ROWS)


@pytest.mark.parametrize("fmt", ["plain", "csv"])
def test_a_long_file_read_by_polars_in_turns_is_what_one_process_writes(tmp_path, fmt):
    assert len(LONG_TEXT) > stream.POLARS_FROM
    lines = LONG_TEXT.splitlines(keepends=True)
    lines[299_000] = "1,2,3,4\n"
    text = "".join(lines)
    run = from_file(tmp_path, text, "compute", *WEIGHTS, "--format", fmt)
    assert run.code == 2
    assert run.err == "error: line 299001 has 4 values but each neuron has 3 weights\n"
    assert run.stdout_bytes == one_process(tmp_path, text, "compute", *WEIGHTS, "--format", fmt).stdout_bytes
    assert len(run.lines()) == 299_000 + (fmt == "csv")


def test_a_header_line_is_skipped_once(tmp_path):
    text = "x1,x2,x3\n" + TEXT
    split = from_file(tmp_path, text, "compute", *WEIGHTS, "--format", "csv")
    assert split.code == 0
    assert split.stdout_bytes == one_process(tmp_path, text, "compute", *WEIGHTS, "--format", "csv").stdout_bytes
    assert len(split.lines()) == len(ROWS) + 1


def test_stdin_already_partly_read_is_read_from_where_it_stands(tmp_path):
    offset = len("".join(TEXT.splitlines(keepends=True)[:5]))
    run = from_file(tmp_path, TEXT, "compute", *WEIGHTS, offset=offset)
    assert run.code == 0
    assert len(run.lines()) == len(ROWS) - 5
    expected = 1 / (1 + np.exp(-(ROWS[5:] @ np.array([0.5, -0.2, 0.1]) + 0.1)))
    assert np.allclose(np.array(run.lines(), dtype=float), expected, rtol=1e-15)


def test_a_full_disk_is_one_message(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text(TEXT)
    with path.open("rb") as stdin, open("/dev/full", "wb") as full:
        done = subprocess.run(
            [*neuron_command(), "compute", *WEIGHTS], stdin=stdin, stdout=full, stderr=subprocess.PIPE, timeout=60
        )
    assert done.returncode == 2
    assert done.stderr == b"error: cannot write the output: No space left on device\n"


def test_a_closed_pipe_ends_both_processes_quietly(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text(TEXT)
    with path.open("rb") as stdin:
        process = subprocess.Popen(
            [*neuron_command(), "compute", *WEIGHTS], stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()
        error = process.stderr.read()
        code = process.wait(timeout=60)
    assert float(first) == pytest.approx(1 / (1 + np.exp(-(ROWS[0] @ [0.5, -0.2, 0.1] + 0.1))))
    assert code == 0 and error == b""


def test_file_range_reads_its_part_without_moving_the_offset(tmp_path):
    path = tmp_path / "data"
    path.write_bytes(b"0123456789\nabcdef\n")
    with path.open("rb", buffering=0) as file:
        part = split.FileRange(file.fileno(), 3, 12)
        assert b"".join(part.pieces(size=4)) == b"3456789\na"
        assert file.tell() == 0
        assert split.split_point(file.fileno(), 5) == 11
        assert split.split_point(file.fileno(), 12) == 18
        assert split.split_point(file.fileno(), 18) is None


# ---------------------------------------------------------------- answer sheets (sheet.grade_halves)

SHEET_ROWS = 40_000  # 1.4 MB: past SPLIT_FROM (checked below)
WRONG = len(range(0, SHEET_ROWS, 7))


def sheet_text(wrong: bool = True, newline: str = "\n") -> str:
    """A class's answer sheet for the WEIGHTS neuron: with `wrong`, every 7th answer is off by 0.01."""
    x = np.random.default_rng(5).uniform(-1, 1, size=(SHEET_ROWS, 3)).round(6)
    y = 1 / (1 + np.exp(-(x @ np.array([0.5, -0.2, 0.1]) + 0.1)))
    if wrong:
        y[::7] += 0.01
    rows = [f"s{k}," + ",".join(f"{v:.6f}" for v in x[k]) + f",{y[k]:.6f}" for k in range(SHEET_ROWS)]
    return newline.join(["student,x1,x2,x3,y1", *rows]) + newline


def graded(tmp_path, text: str, *args: str, env: dict | None = None) -> Run:
    path = tmp_path / "sheet.csv"
    path.write_bytes(text.encode())
    environment = {**os.environ, "NO_COLOR": "1", "NEURON_LANG": "en", **(env or {})}
    command = [*neuron_command(), "check", "--answers", str(path), *WEIGHTS, *args]
    return Run(subprocess.run(command, capture_output=True, env=environment, timeout=120, stdin=subprocess.DEVNULL))


def same_as_one_process(tmp_path, text: str, *args: str) -> Run:
    """The sheet graded on the fast path (in two halves where it can be) and by Typer (never): the same report,
    the same message, the same exit code."""
    split = graded(tmp_path, text, *args)
    whole = graded(tmp_path, text, *args, env={"NEURON_FAST": "0"})
    assert (split.code, split.stdout_bytes, split.err) == (whole.code, whole.stdout_bytes, whole.err)
    return split


def test_the_sheets_here_are_split():
    assert split.SPLIT_FROM < len(sheet_text().encode()) < stream.POLARS_FROM


@pytest.mark.parametrize("fmt", ["csv", "plain", "json"])
def test_a_sheet_graded_in_two_halves_reports_as_one_process(tmp_path, fmt):
    run = same_as_one_process(tmp_path, sheet_text(), "--format", fmt)
    assert run.code == 1  # some answers are wrong
    if fmt == "csv":
        assert run.out.count("student,verdict") == 1 and len(run.lines()) == SHEET_ROWS + 1
    if fmt == "plain":
        assert run.lines()[-1] == f"{SHEET_ROWS - WRONG} of {SHEET_ROWS} rows pass"
    if fmt == "json":
        summary = {"rows": SHEET_ROWS, "passed": SHEET_ROWS - WRONG, "failed": WRONG}
        assert json.loads(run.lines()[-1]) == {"summary": summary}


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_sheet_all_right_exits_0(tmp_path, newline):
    run = same_as_one_process(tmp_path, sheet_text(wrong=False, newline=newline), "--format", "plain")
    assert run.code == 0 and run.lines()[-1] == f"{SHEET_ROWS} of {SHEET_ROWS} rows pass"


@pytest.mark.parametrize("bad_line", [50, 30_000])  # in the first half, in the second
def test_a_bad_cell_in_either_half_stops_the_sheet_where_one_process_does(tmp_path, bad_line):
    lines = sheet_text().splitlines(keepends=True)
    lines[bad_line - 1] = f"s{bad_line},0.1,zero,0.3,0.5\n"
    run = same_as_one_process(tmp_path, "".join(lines), "--format", "plain")
    assert run.code == 2
    assert f"line {bad_line}, x2 is 'zero'" in run.err
    assert "the sheet stopped at an unusable line" in run.lines()[-1]
    assert len(run.lines()) == bad_line - 2 + 1  # the rows before it, then the summary


def test_quotes_and_names_in_hangul_are_graded_alike(tmp_path):
    text = sheet_text().replace("s1,", '"s, 1",', 1).replace("s2,", "학생2,", 1)
    same_as_one_process(tmp_path, text, "--format", "csv")


def test_sheet_lines_split_as_the_csv_reader_counts_them():
    from neuron_cli.sheet import _splits_as_lines

    assert _splits_as_lines(b"a,b\r\nc,d\n\xed\x95\x99\n")  # CRLF, and Hangul
    for text in (b'"a\nb",c\n', b"a\rb\n", b"a\x0bb\n", "a\u2028b\n".encode(), "a\x85b".encode()):
        assert not _splits_as_lines(text), text


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
        file_cuts = split.FileCuts(file.fileno(), begin, len(data), piece_bytes, longest=1 << 20)
        cuts = [file_cuts.bounds(piece) for piece in range(file_cuts.pieces)]
    assert b"".join(data[start:end] for start, end in cuts) == data[begin:]
    assert all(end == start for (_, end), (start, _) in itertools.pairwise(cuts))
    for start, end in cuts[1:]:
        assert start == len(data) or data[start - 1 : start] == b"\n"  # a line belongs to one piece whole
        assert start <= end


@pytest.mark.parametrize(
    "raw, longest", [(b"", 0), (b"1\n", 2), (b"1\n22\n", 3), (b"1\n22\n333", 3), (b"333\n1\n", 4), (b"1\n\n", 2)]
)
def test_longest_line_counts_its_line_break(raw, longest):
    assert split._longest_line_of(raw) == longest


# ---------------------------------------------------------------- a long stream through a pipe (stream.run_relay)


def through_pipe(text: str | bytes, *args: str, env: dict | None = None) -> Run:
    """The command with `text` written at once into a pipe on its stdin (a fast writer: two processes read it)."""
    environment = {**os.environ, "NO_COLOR": "1", "NEURON_LANG": "en", **(env or {})}
    data = text.encode() if isinstance(text, str) else text
    completed = subprocess.run(
        [*neuron_command(), *args], input=data, capture_output=True, env=environment, timeout=120
    )
    return Run(completed)


def test_the_stream_here_is_relayed_in_several_chunks():
    network = Network((Layer.create([0.5, -0.2, 0.1], 0.1, "sigmoid"),))
    assert len(TEXT) >= 3 * stream.chunk_bytes(network)


@pytest.mark.parametrize("fmt", ["plain", "csv", "json"])
def test_a_relayed_stream_writes_what_one_process_writes(fmt):
    relayed = through_pipe(TEXT, "compute", *WEIGHTS, "--format", fmt)
    whole = through_pipe(TEXT, "compute", *WEIGHTS, "--format", fmt, env={"NEURON_FAST": "0"})
    assert relayed.code == whole.code == 0 and relayed.err == whole.err == ""
    assert relayed.stdout_bytes == whole.stdout_bytes


@pytest.mark.parametrize("bad", [101, 17_000, 21_000, 39_990])
def test_a_bad_line_in_any_relayed_chunk_ends_the_run_after_the_rows_before_it(bad):
    lines = TEXT.splitlines(keepends=True)
    lines[bad - 1] = "1,2,x\n"
    text = "".join(lines)
    run = through_pipe(text, "compute", *WEIGHTS)
    assert run.code == 2
    assert run.err == f"error: line {bad}, value 3 is 'x', which is not a number\n"
    assert run.stdout_bytes == through_pipe(text, "compute", *WEIGHTS, env={"NEURON_FAST": "0"}).stdout_bytes
    assert len(run.lines()) == bad - 1


@pytest.mark.parametrize("at", [20_000, 30_000])  # after a chunk of the child's, after one of the parent's
def test_a_line_too_long_in_a_relayed_stream_comes_after_the_rows_before_it(at):
    lines = TEXT.splitlines(keepends=True)
    lines[at] = "0.5," * 800_000 + "0.5\n"
    text = "".join(lines)
    run = through_pipe(text, "compute", *WEIGHTS)
    assert run.code == 2
    assert (
        run.err == f"error: line {at + 1} is longer than {stream.MAX_LINE} bytes, the limit of one line of a stream\n"
    )
    assert run.stdout_bytes == through_pipe(text, "compute", *WEIGHTS, env={"NEURON_FAST": "0"}).stdout_bytes
    assert len(run.lines()) == at


def test_rows_written_before_the_writer_pauses_are_answered_while_it_waits():
    # Lines of 30 bytes fill whole chunks: the second, this process's own, is the last before the pause. It must
    # not wait for a next chunk to be read before it is written.
    network = Network((Layer.create([0.5, -0.2, 0.1], 0.1, "sigmoid"),))
    rows = stream.chunk_bytes(network) // 30
    burst = b"0.100000,0.200000,0.300000000\n" * (2 * rows)
    process = subprocess.Popen(
        [*neuron_command(), "compute", *WEIGHTS], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
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


def test_neuron_processes_1_keeps_a_stream_in_one_process(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1}, raising=False)
    monkeypatch.delenv("NEURON_PROCESSES", raising=False)
    assert split.can_fork() == ("polars" not in __import__("sys").modules and hasattr(os, "fork"))
    monkeypatch.setenv("NEURON_PROCESSES", "1")
    assert not split.can_fork()
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0}, raising=False)
    monkeypatch.delenv("NEURON_PROCESSES")
    assert not split.can_fork()  # one core: nothing to gain


@pytest.mark.parametrize("source", ["file", "stream"])
def test_where_no_second_process_can_start_one_process_does_it_all(tmp_path, monkeypatch, source):
    import io

    from neuron_cli import render

    path = tmp_path / "rows.csv"
    path.write_text(TEXT)
    network = Network((Layer.create([0.5, -0.2, 0.1], 0.1, "sigmoid"),))

    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    def computed(split: bool) -> str:
        out = io.StringIO()
        with path.open("rb") as file:
            given = file if source == "file" else io.BytesIO(file.read())  # a BytesIO is no regular file
            stream.run_stream(given, network, render.Format("plain"), render.View(), out, split=split)
        return out.getvalue()

    # A small file turns polars off for the process (accel.not_for_this_input): kept to this test.
    monkeypatch.setattr(accel, "WANTED", [True])
    try:
        expected = computed(split=False)
        monkeypatch.setattr(split, "can_fork", lambda: True)  # polars is loaded here: it would say no
        monkeypatch.setattr(stream, "can_fork", lambda: True)
        monkeypatch.setattr(os, "fork", refused)
        descriptors = len(os.listdir("/proc/self/fd"))
        assert computed(split=True) == expected
        assert len(os.listdir("/proc/self/fd")) == descriptors  # the pipes made for the child are closed
        assert len(expected.splitlines()) == len(ROWS)
    finally:
        accel.polars.cache_clear()
        accel.writer.cache_clear()


def test_a_bad_line_in_the_childs_chunk_ends_the_run_while_the_writer_is_silent():
    # One whole chunk, with a bad line, then a writer that keeps the pipe open: the child reports it and ends,
    # and so must the run, without waiting for more input (as one process would).
    network = Network((Layer.create([0.5, -0.2, 0.1], 0.1, "sigmoid"),))
    lines = [b"0.100000,0.200000,0.300000000\n"] * (stream.chunk_bytes(network) // 30)
    lines[99] = b"0.100000,0.200000,x.30000000\n"
    process = subprocess.Popen(
        [*neuron_command(), "compute", *WEIGHTS],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NEURON_LANG": "en"},
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
