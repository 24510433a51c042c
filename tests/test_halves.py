"""A small file on stdin read by two processes, one half each (stream.run_halves): to its user it is the same run
as one process makes, byte for byte, error for error. These start real processes: the fork is what is tested."""

import os
import subprocess

import numpy as np
import pytest

from neuron_cli import stream

from .conftest import Run, neuron_command

WEIGHTS = ["-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid"]
ROWS = np.random.default_rng(11).uniform(-1, 1, size=(40_000, 3))  # 1.3 MB of text: past SPLIT_FROM


def rows_text(rows: np.ndarray) -> str:
    return "".join(",".join(map(repr, row)) + "\n" for row in rows.tolist())


TEXT = rows_text(ROWS)
assert stream.SPLIT_FROM < len(TEXT) < stream.POLARS_FROM


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


def test_a_bad_line_in_the_first_half_ends_the_run_after_the_rows_before_it(tmp_path):
    lines = TEXT.splitlines(keepends=True)
    lines[100] = "1,2\n"
    run = from_file(tmp_path, "".join(lines), "compute", *WEIGHTS)
    assert run.code == 2
    assert run.err == "error: line 101 has 2 values but each neuron has 3 weights\n"
    assert len(run.lines()) == 100  # nothing of the second half


def test_a_bad_line_in_the_second_half_is_named_by_its_line_in_the_whole_file(tmp_path):
    # comments and blank lines in the first half count as lines, though they give no rows
    lines = ["# inputs\n", "\n", *TEXT.splitlines(keepends=True)]
    lines[30_001] = "1,2,x\n"
    run = from_file(tmp_path, "".join(lines), "compute", *WEIGHTS)
    assert run.code == 2
    assert run.err == "error: line 30002, value 3 is 'x', which is not a number\n"
    assert len(run.lines()) == 29_999
    assert run.stdout_bytes == one_process(tmp_path, "".join(lines), "compute", *WEIGHTS).stdout_bytes


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


def test_a_closed_pipe_ends_both_halves_quietly(tmp_path):
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
        part = stream.FileRange(file.fileno(), 3, 12)
        assert b"".join(part.pieces(size=4)) == b"3456789\na"
        assert file.tell() == 0
        assert stream.split_point(file.fileno(), 5) == 11
        assert stream.split_point(file.fileno(), 12) == 18
        assert stream.split_point(file.fileno(), 18) is None
