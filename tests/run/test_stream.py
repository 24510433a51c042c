"""Streams of rows: the same numbers as one row at a time, order kept, faults stopping cleanly."""

import io
import json
import os
import signal
import subprocess
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from neuron_cli.errors import NeuronError
from neuron_cli.io import chunks, polars
from neuron_cli.io import rows as row_readers
from neuron_cli.io.rows import read_blocks
from neuron_cli.nn.layers import Layer, Network
from neuron_cli.render import Format, View, fast_text, passes
from neuron_cli.run.stream import Rows
from neuron_cli.run.stream import run_stream as run_rows

from ..conftest import default_sigint, neuron_command


def run_stream(source, network, chosen, view, out):
    run_rows(source, Rows(network, chosen, view), out)


WEIGHTS = "0.1,-0.2,0.3,-0.4;0.5,0.6,-0.7,0.8"


def rows_text(rows: np.ndarray) -> str:
    return "".join(",".join(map(repr, row)) + "\n" for row in rows.tolist())


@pytest.fixture(scope="module")
def random_rows():
    return np.random.default_rng(7).normal(size=(300, 4)) * 3


@pytest.mark.parametrize("fmt", ["plain", "csv", "json"])
def test_a_stream_gives_the_numbers_of_one_row_at_a_time(neuron, random_rows, fmt):
    streamed = neuron(
        "compute", "-w", WEIGHTS, "-b", "0.1,-0.1", "-a", "softmax", "--format", fmt, stdin=rows_text(random_rows)
    )
    assert streamed.code == 0, streamed.err
    lines = streamed.lines()
    if fmt == "csv":
        assert lines[0] == "x1,x2,x3,x4,y1,y2"
        lines = lines[1:]
    assert len(lines) == len(random_rows)
    for row, line in list(zip(random_rows.tolist(), lines))[::100]:
        single = neuron(
            "compute", "-x", ",".join(map(repr, row)), "-w", WEIGHTS, "-b", "0.1,-0.1", "-a", "softmax", "--format", fmt
        )
        expected = single.lines()[-1]
        assert line == expected
        if fmt == "json":
            assert json.loads(line)["inputs"] == row


def test_dash_x_reads_standard_input_and_table_is_one_table(neuron):
    run = neuron("compute", "-x", "-", "-w", "1,1", "--format", "table", stdin="1,2\n3 4\n")
    assert run.code == 0
    assert run.lines()[0].split() == ["row", "x1", "x2", "y1"]
    assert run.lines()[1].split() == ["1", "1", "2", "3"]
    assert run.lines()[2].split() == ["2", "3", "4", "7"]


def test_many_rows_keep_their_count_and_order(neuron):
    count = 100_000
    rows = np.column_stack([np.arange(count), np.zeros(count)])
    run = neuron("compute", "-w", "1,1", stdin=rows_text(rows))
    assert run.code == 0 and run.err == ""
    assert np.array_equal(np.array(run.lines(), dtype=float), np.arange(count))


def test_a_bad_seventh_row(neuron):
    text = "1,2\n3,4\n# a comment\n\n5,6\n7,8\n1,x\n9,9\n"
    run = neuron("compute", "-w", "1,1", stdin=text)
    assert run.code == 2
    assert run.lines() == ["3.0", "7.0", "11.0", "15.0"]
    assert "line 7" in run.err and "'x'" in run.err and "Traceback" not in run.err


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("1,2,3", "line 4 has 3 values but each neuron has 2 weights"),
        ("nan,1", "line 4, value 1 is 'nan'"),
        ("1,,2", "line 4, value 2 is empty"),
        ("1,", "line 4, value 2 is empty"),
        ("\xff", "line 4 is not UTF-8"),
    ],
)
def test_bad_rows_name_the_line(neuron, bad, message):
    run = neuron("compute", "-w", "1,1", stdin=b"1,1\n2,2\n\n" + bad.encode("latin-1") + b"\n5,5\n")
    assert run.code == 2
    assert run.lines() == ["2.0", "4.0"]
    assert message in run.err


def test_a_bad_row_deep_in_a_long_stream_after_fast_blocks(neuron):
    rows = np.random.default_rng(3).uniform(-1, 1, size=(200_000, 2))
    text = rows_text(rows) + "1,2,3\n" + rows_text(rows[:10])
    run = neuron("compute", "-w", "1,1", stdin=text)
    assert run.code == 2
    assert f"line {len(rows) + 1} has 3 values" in run.err
    assert len(run.lines()) == len(rows)
    assert np.allclose(np.array(run.lines(), dtype=float)[-5:], rows[-5:].sum(axis=1))


def test_empty_input(neuron):
    for fmt, shown in (("plain", ""), ("json", ""), ("csv", "x1,x2,y1\n")):
        run = neuron("compute", "-w", "1,1", "--format", fmt, stdin="")
        assert run.code == 0 and run.out == shown and run.err == ""
    table = neuron("compute", "-w", "1,1", "--format", "table", stdin="")
    assert table.code == 0 and table.out.split() == ["row", "x1", "x2", "y1"]
    assert neuron("compute", "-w", "1,1", stdin="\n# nothing\n\n").out == ""


def test_a_closed_pipe_ends_quietly(tmp_path):
    rows = np.random.default_rng(0).normal(size=(100_000, 2))
    source = tmp_path / "rows.csv"
    source.write_text(rows_text(rows))
    with source.open("rb") as stdin:
        process = subprocess.Popen(
            [*neuron_command(), "compute", "-w", "1,1"], stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()
        error = process.stderr.read()
        code = process.wait(timeout=60)
    assert float(first) == pytest.approx(rows[0].sum())
    assert code == 0
    assert error == b""


def test_ctrl_c_exits_130_without_a_traceback():
    process = subprocess.Popen(
        [*neuron_command(), "compute", "-w", "1,1"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=default_sigint,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(b"1,2\n")
    process.stdin.flush()
    assert process.stdout.readline() == b"3.0\n"  # output keeps pace with input
    time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    _, error = process.communicate(timeout=30)
    assert process.returncode == 130
    assert b"Traceback" not in error


def test_no_x_and_a_terminal_is_an_error_not_a_hang():
    if not hasattr(os, "openpty"):
        pytest.skip("no pseudo-terminal here")
    primary, secondary = os.openpty()
    try:
        run = subprocess.run(
            [*neuron_command(), "compute", "-w", "1"], stdin=secondary, capture_output=True, timeout=60
        )
    finally:
        os.close(primary)
        os.close(secondary)
    assert run.returncode == 2
    assert b"give the inputs with -x" in run.stderr


# ---------------------------------------------------------------- the fast readers agree with the careful one

NETWORK = Network((Layer.create([[1.0, 2.0, 3.0]]),))
number = st.floats(allow_nan=False, allow_infinity=False, width=64)
layout = st.sampled_from(["{!r}", "{:.6f}", "{:.17g}", "{:.3e}", "{:g}"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(number, number, number), min_size=1, max_size=40), layout, st.sampled_from([",", ", ", " "]))
def test_fast_and_careful_parsers_agree(rows, fmt, separator):
    text = "".join(separator.join(fmt.format(v) for v in row) + "\n" for row in rows)
    block = text.encode().rstrip(b"\n")
    fast = row_readers.fast_parse(block, 3)
    polars_rows = polars.read_rows(block.replace(b" ", b""), 3) if separator != " " else None
    try:
        careful = row_readers.parse_lines(block, 1, NETWORK)
    except row_readers.StreamError:  # a value rounded to infinity: the fast readers must not vouch for it either
        assert fast is None and polars_rows is None
        return
    if fast is not None:
        np.testing.assert_array_equal(fast, careful)
    if polars_rows is not None:
        np.testing.assert_array_equal(polars_rows, careful)


@settings(max_examples=40, deadline=None)
@given(st.lists(number, min_size=1, max_size=60), st.integers(1, 3))
def test_fast_writer_writes_what_repr_writes(values, columns):
    repeated = np.resize(np.array(values), (fast_text.MIN_VALUES // columns + 1) * columns)
    with np.errstate(over="ignore"):  # huge values times 1.5 become inf, which the writer must handle too
        rows = repeated.reshape(-1, columns) * np.linspace(1, 1.5, repeated.size).reshape(-1, columns)
    rows[::97] = np.array([1e-5, float("inf"), -0.0])[:columns]
    fast = fast_text.write_rows(rows)
    expected = "".join(",".join(map(repr, row)) + "\n" for row in rows.tolist())
    assert fast_text.writer() is not None, "polars is a dependency; its writer failed the self-check"
    assert fast == expected


def test_a_short_block_is_written_by_polars_only_once_it_is_loaded(monkeypatch):
    rows = np.random.default_rng(3).normal(size=(100, 2)) * 1e3
    expected = "".join(",".join(map(repr, row)) + "\n" for row in rows.tolist())
    monkeypatch.setattr(polars, "WANTED", [False])  # a small input: polars is not to be loaded for it
    assert fast_text.write_rows(rows) is None and fast_text.texts(rows[:, 0]) is None
    monkeypatch.setattr(polars, "WANTED", [True])
    assert polars.polars() is not None  # loaded, as a large input loads it
    assert fast_text.write_rows(rows) == expected
    assert fast_text.texts(rows[:, 0]) == list(map(repr, rows[:, 0].tolist()))


@pytest.mark.parametrize("broken", [1, 2, fast_text.WIDE])
def test_a_polars_that_writes_otherwise_is_not_used(monkeypatch, broken):
    """The self-check covers the three ways polars writes (one column, several, many as one): one that writes
    otherwise is not used for rows of its width, and the others still are."""
    honest = fast_text._csv_text

    def text(pl, rows):
        written = honest(pl, rows)
        return written.replace("e+", "e") if rows.shape[1] == broken else written

    monkeypatch.setattr(fast_text, "_csv_text", text)
    fast_text.agrees.cache_clear()
    try:
        for columns in (1, 2, 3, fast_text.WIDE, 300):
            is_broken = fast_text._layout(columns) == broken
            assert (fast_text.writer(columns) is None) == is_broken, columns
            rows = np.full((fast_text.MIN_VALUES, columns), 1e20)
            assert (fast_text.write_rows(rows) is None) == is_broken
    finally:
        fast_text.agrees.cache_clear()


def test_without_polars_the_stream_still_works(monkeypatch, random_rows):
    monkeypatch.setattr(polars, "polars", lambda: None)
    monkeypatch.setattr(fast_text, "writer", lambda columns=1: None)
    big = np.tile(random_rows, (200, 1))
    out = io.StringIO()
    run_stream(
        io.BytesIO(rows_text(big).encode()),
        Network((Layer.create([[1, 2, 3, 4]], 0.5, "tanh"),)),
        Format.plain,
        View(),
        out,
    )
    expected = np.tanh(big @ np.array([1, 2, 3, 4.0]) + 0.5)
    np.testing.assert_allclose(np.array(out.getvalue().split(), dtype=float), expected, rtol=1e-12, atol=1e-14)


def test_read_blocks_yields_the_good_rows_then_the_error():
    blocks = read_blocks(io.BytesIO(b"1,2,3\n4,5,6\n7,8\n"), NETWORK)
    np.testing.assert_array_equal(next(blocks), [[1, 2, 3], [4, 5, 6]])
    with pytest.raises(NeuronError, match="line 3 has 2 values"):
        next(blocks)


def test_a_bad_row_from_a_writer_still_writing_ends_at_once():
    process = subprocess.Popen(
        [*neuron_command(), "compute", "-w", "1"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdin is not None and process.stdout is not None and process.stderr is not None
    process.stdin.write(b"1\nx\n")
    process.stdin.flush()  # and the pipe stays open, as with a writer that is not done
    try:
        code = process.wait(timeout=30)
    finally:
        process.stdin.close()
    assert code == 2
    assert process.stdout.read() == b"1.0\n"
    error = process.stderr.read()
    assert b"line 2" in error and b"Fatal" not in error and b"Traceback" not in error


def test_a_byte_order_mark_is_not_a_value(neuron, tmp_path):
    assert neuron("compute", "-w", "1,1", stdin=b"\xef\xbb\xbf1,2\n3,4\n").lines() == ["3.0", "7.0"]
    (tmp_path / "x.csv").write_bytes(b"\xef\xbb\xbf1,2\n")
    assert neuron("compute", "-x", f"@{tmp_path / 'x.csv'}", "-w", "1,1").out == "3.0\n"


@pytest.mark.parametrize("activation", ["softmax", "glu", "tanh", "sparsemax"])
def test_json_gradients_of_a_block_are_those_of_each_row(neuron, random_rows, activation):
    args = ["-w", WEIGHTS, "-b", "0.1,-0.1", "-a", activation, "--format", "json", "--grad"]
    streamed = neuron("compute", *args, stdin=rows_text(random_rows[:40])).lines()
    for row, line in list(zip(random_rows[:40].tolist(), streamed))[::13]:
        single = neuron("compute", "-x", ",".join(map(repr, row)), *args).out.strip()
        assert json.loads(line) == json.loads(single)


@pytest.mark.parametrize(("activation", "grad"), [("tanh", False), ("softmax", True), ("glu", True)])
def test_json_of_a_long_block_by_template_is_byte_for_byte_the_ordinary_json(monkeypatch, activation, grad):
    rng = np.random.default_rng(11)
    rows = rng.normal(size=(3000, 4)) * 10.0 ** rng.integers(-7, 5, size=(3000, 1))
    rows[::50] = 0.0
    rows[1::50] = -0.0
    network = Network((Layer.create(rng.normal(size=(4, 4)), rng.normal(size=4), activation),))
    text = rows_text(rows).encode()

    def run(template_rows):
        monkeypatch.setattr(passes, "TEMPLATE_ROWS", template_rows)
        out = io.StringIO()
        run_stream(io.BytesIO(text), network, Format.json, View(grad=grad), out)
        return out.getvalue()

    fast, ordinary = run(256), run(10**9)
    monkeypatch.setattr(passes, "TEMPLATE_ROWS", 256)
    view = View(grad=grad)
    assert passes._json_by_template(network.forward(rows), view) is not None  # the template path did run
    assert fast == ordinary
    assert len(fast.splitlines()) == len(rows)


# ---------------------------------------------------------------- one parser truth, at every block boundary

TOKENS = [
    "1",
    "-2.5",
    ".5",
    "5.",
    "1e3",
    "1E-2",
    "+3",
    "0",
    "-0",
    "1_0",
    "0x10",
    "1e",
    "inf",
    "nan",
    "١٢",
    "x",
    "",
    "1d3",
    ".",
    "-",
    "  7 ",
    "2.50",
]
SEPARATORS = [",", ", ", " ", "\t", ",,", " ,", "\r", "\x0b", "\u2028", "，"]


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])  # contexts are per input
@given(
    st.lists(
        st.lists(st.tuples(st.sampled_from(TOKENS), st.sampled_from(SEPARATORS)), min_size=1, max_size=6),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from(["\n", "\r\n"]),
    st.integers(1, 64),
)
# The failures found before: a lone \r, \v, \f or U+2028 splitting a line in two rows, a trailing comma.
@example([[("1", ","), ("2", "\r"), ("3", ","), ("4", "")]], "\n", 64)
@example([[("1", ","), ("2", "\x0b"), ("3", ","), ("4", "")]], "\n", 64)
@example([[("1", ","), ("2", "\u2028"), ("3", ","), ("4", "")]], "\n", 64)
@example([[("1", ","), ("2", "")], [("3", ","), ("4", ",,")]], "\n", 64)
def test_every_reader_at_every_block_boundary_agrees_with_the_careful_parser(monkeypatch, lines, end, size):
    """The same random lines through the careful parser alone, and through chunks of every size with both
    fast readers switched on for the smallest blocks: the same rows, or the same error after the same rows."""
    text = end.join("".join(token + sep for token, sep in line).rstrip("\t \r\x0b\u2028，") for line in lines)
    data = text.encode() + b"\n"
    network = Network((Layer.create([[1.0, 1.0]], 0.0),))

    def collect(blocks):
        rows, error = [], None
        try:
            for block in blocks:
                rows.extend(block.tolist())
        except NeuronError as problem:
            error = str(problem)
        return rows, error

    with monkeypatch.context() as patch:
        patch.setattr(row_readers, "fast_parse", lambda block, width: None)
        careful = collect(read_blocks([data], network, header=False))
    with monkeypatch.context() as patch:
        patch.setattr(row_readers, "POLARS_BYTES", 1)
        chunked = [data[k : k + size] for k in range(0, len(data), size)]
        # whole lines per chunk, as chunks() gives them
        pieces, held = [], b""
        for piece in chunked:
            held += piece
            cut = held.rfind(b"\n") + 1
            if cut:
                pieces.append(held[:cut])
                held = held[cut:]
        if held:
            pieces.append(held)
        fast = collect(read_blocks(pieces, network, header=False))
    assert fast == careful


class Trickle:
    """A file object without a descriptor that hands out at most `step` bytes a read (a slow pipe), read-only."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data, self.step, self.at = data, step, 0

    def read(self, size: int) -> bytes:
        piece = self.data[self.at : self.at + min(size, self.step)]
        self.at += len(piece)
        return piece


@settings(max_examples=200)
@given(
    st.lists(st.binary(max_size=40).map(lambda line: line.replace(b"\n", b"")), max_size=30),
    st.booleans(),
    st.integers(1, 50),
    st.integers(1, 64),
    st.sampled_from(["bytesio", "trickle", "file"]),
)
def test_chunks_are_whole_lines_of_the_input_in_order(tmp_path_factory, lines, ends, step, size, kind):
    """Whatever the source and however it hands out its bytes: the chunks joined are the input, each but the
    last ends a line, and none holds much more than `size` bytes (one line longer than that, and what came with
    its end)."""
    data = b"\n".join(lines) + (b"\n" if ends and lines else b"")
    if kind == "bytesio":
        source = io.BytesIO(data)
    elif kind == "trickle":
        source = Trickle(data, step)
    else:
        path = tmp_path_factory.mktemp("chunks") / "rows"
        path.write_bytes(data)
        source = path.open("rb")
    pieces = list(chunks.chunks(source, size=size, longest=10_000))
    assert b"".join(pieces) == data
    assert all(piece.endswith(b"\n") for piece in pieces[:-1])
    assert all(piece for piece in pieces)
    longest_line = max((len(line) + 1 for line in lines), default=0)
    assert all(len(piece) <= max(size, longest_line) + size for piece in pieces)


def test_a_line_too_long_ends_the_chunks_after_the_lines_before_it():
    data = b"1,2\n3,4\n" + b"5" * 300 + b"\n6,7\n"
    pieces = []
    with pytest.raises(chunks.LongLine):
        for piece in chunks.chunks(io.BytesIO(data), size=16, longest=100):
            pieces.append(piece)
    assert b"".join(pieces) == b"1,2\n3,4\n"


def test_chunks_from_a_descriptor_without_readv(monkeypatch, tmp_path):
    """Where os.readv is missing (Windows), a descriptor is read with os.read: the same chunks."""
    path = tmp_path / "rows"
    path.write_bytes(b"".join(b"%d,%d\n" % (k, -k) for k in range(5000)))
    with path.open("rb") as source:
        expected = list(chunks.chunks(source, size=1000))
    monkeypatch.delattr(os, "readv")
    with path.open("rb") as source:
        assert list(chunks.chunks(source, size=1000)) == expected
    assert b"".join(expected) == path.read_bytes()


@pytest.mark.parametrize("activation", ["linear", "softmax"])
def test_a_block_with_as_many_rows_as_outputs_is_not_written_transposed(neuron, tmp_path, activation):
    """Polars' reader gives columns (a Fortran array); a square block of them was once written column by column,
    and softmax's sums added in another order: the same rows through a pipe and from a file now give one text."""
    weights = np.random.default_rng(5).normal(size=(10, 400))
    model = tmp_path / "model.json"
    model.write_text(json.dumps({"layers": [{"weights": weights.tolist(), "activation": activation}]}))
    rows = np.random.default_rng(6).normal(size=(10, 400)) * 1000
    (tmp_path / "rows.csv").write_text(rows_text(rows))
    piped = neuron("compute", "--model", str(model), "-f", "plain", stdin=rows_text(rows).encode())
    from_file = neuron("compute", "--model", str(model), "-f", "plain", "-x", f"@{tmp_path / 'rows.csv'}")
    assert piped.code == 0 and piped.out == from_file.out
    z = np.array([[sum(x * w for x, w in zip(row, neuron_weights)) for neuron_weights in weights] for row in rows])
    assert np.allclose(
        np.array([line.split(",") for line in piped.lines()], dtype=float)[:, 0],
        (
            z[:, 0]
            if activation == "linear"
            else np.exp(z[:, 0] - z.max(axis=1)) / np.exp(z - z.max(axis=1)[:, None]).sum(1)
        ),
        rtol=1e-12,
    )


def test_the_fast_writer_writes_a_square_fortran_block_by_rows():
    pl = polars.polars()
    rows = np.asfortranarray(np.arange(9.0).reshape(3, 3) + 0.5)
    assert fast_text._csv_text(pl, rows) == rows_text(rows)


@pytest.mark.parametrize("character", ["\v", "\f", "\x1c", "\x85", "\u2028", "\xa0", "\u2003", "\r"])
@pytest.mark.parametrize("where", ["between", "at the end"])
def test_a_control_or_separator_character_in_a_row_is_refused_with_its_place(neuron, character, where):
    line = f"1{character}2" if where == "between" else f"1,2{character}"
    run = neuron("compute", "-w", "1,1", stdin=f"3,4\n{line}\n5,6\n".encode())
    if line == "1,2\r":  # a CRLF line end
        assert run.code == 0 and run.out == "7.0\n3.0\n11.0\n"
        return
    assert run.code == 2 and run.out == "7.0\n"
    assert f"line 2: character {2 if where == 'between' else 4} is U+{ord(character):04X}" in run.err
    assert neuron("compute", "-x", line, "-w", "1,1").code == 2


def test_what_separates_numbers_is_still_read():
    from neuron_cli.io.values import split_values

    for row in (
        "1,2",
        "1 2",
        "1\t2",
        "1, 2",
        "1，2",
        "1　2",
        " 1,2 ",
    ):  # full-width comma and space of Korean keyboards
        assert split_values(row, "-x") == ["1", "2"]


@pytest.mark.parametrize(("length", "refused"), [(1 << 20, False), ((1 << 20) + 1, True), (1_500_000, True)])
def test_a_line_longer_than_1_mib_is_refused_whatever_the_chunk(neuron, length, refused):
    line = b"1,2" + b" " * (length - 4) + b"\n"  # its line break included, as the limit counts it
    for weights in ("1,1", "1,1;1,-1"):
        run = neuron("compute", "-w", weights, stdin=b"1,2\n" + line + b"3,4\n")
        assert (run.code == 2) == refused and run.out.startswith("3.0")
        assert ("line 2 is longer than 1048576 bytes" in run.err) == refused


def test_line_ends_around_a_value_are_no_part_of_it(neuron, tmp_path):
    assert neuron("compute", "-w", "1,2", "-x", "1,2\r").out == "5.0\n"  # `while read` over a CRLF file
    assert neuron("check", "-w", "1", "-x", "2", "--expect", "2\n").code == 0
    (tmp_path / "mixed.txt").write_text("1,2\r3,4\n5,6\r\n", newline="")
    run = neuron("compute", "-w", "1,1", "-x", f"@{tmp_path / 'mixed.txt'}", "-f", "plain")
    assert run.out == "3.0\n7.0\n11.0\n"


def test_a_last_line_of_exactly_the_limit_without_a_break_is_read(neuron):
    line = b"1" + b" " * ((1 << 20) - 1)  # 1,048,576 bytes and no line break
    assert neuron("compute", "-w", "3", stdin=b"2\n" + line).out == "6.0\n3.0\n"
