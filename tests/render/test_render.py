"""render/ on its own: the one table of writers, tables that fit, numbers as a person should read them."""

import io
import json
import re

import numpy as np
import pytest
from rich.cells import cell_len

from neuron_cli import render
from neuron_cli.errors import NeuronError
from neuron_cli.nn.grading import Tolerance, check_outputs
from neuron_cli.nn.layers import Block, Layer, Network
from neuron_cli.nn.learning import learning_step
from neuron_cli.nn.truth import truth_table
from neuron_cli.render import Format, View, format_number, json_number
from neuron_cli.render.console import Column, fitted, make_console
from neuron_cli.render.writers import KINDS

LAYER = Network((Layer.create([[0.5, -0.2, 0.1], [1.0, 2.0, 3.0]], 0.1, "sigmoid"),))
X = np.array([1.0, 2.0, 3.0])


def written(kind, result, view, chosen, width=None):
    out = io.StringIO()
    render.write(kind, result, View(**{**view.__dict__, "width": width}) if width else view, chosen, out)
    return out.getvalue()


def test_every_kind_refuses_a_format_it_has_no_writer_for():
    for kind, entry in KINDS.items():
        for chosen in Format:
            if chosen in entry.writers:
                render.check(kind, chosen, View())
            else:
                with pytest.raises(NeuronError, match=f"--format {chosen.value} is not offered here"):
                    render.check(kind, chosen, View())


@pytest.mark.parametrize(("flag", "refused"), [("grad", ["plain", "csv"]), ("explain", ["csv"])])
def test_a_format_that_cannot_show_grad_or_explain_is_refused(flag, refused):
    for chosen in refused:
        with pytest.raises(NeuronError, match=f"--{flag} cannot be shown in --format {chosen}"):
            render.check("pass", Format(chosen), View(**{flag: True}))
    render.check("pass", Format.json, View(**{flag: True}))


def numbers_in(text):
    return re.findall(r"-?\d+(?:\.\d+)?(?:e[-+]\d+)?", text)


@pytest.mark.parametrize("width", [80, 60, 40])
def test_tables_never_run_past_the_width_nor_split_a_number(width):
    result = LAYER.forward(X)
    step = learning_step(result, np.array([1.0, 0.0]), "half_sse", 0.1)
    view = View(grad=True, step=step, width=width)
    text = written("pass", result, view, Format.table, width)
    assert max(cell_len(line) for line in text.splitlines()) <= width
    # Every value the user would check is there whole, with at least 6 significant digits.
    for value in (*result.outputs, *step.updates[0].weights.ravel(), *step.updates[0].dz):
        assert format_number(value, 6) in text or format_number(value, 10) in text


def test_a_wide_table_first_gives_up_digits_then_stacks():
    columns = [Column("neuron", key=True)] + [Column(f"v{k}") for k in range(6)]
    rows = [["n1", *[1 / 7 * (k + 1) for k in range(6)]]]
    wide = io.StringIO()
    make_console(wide, width=120).print(fitted(None, columns, rows, View(), 120))
    assert "0.1428571429" in wide.getvalue()  # 10 digits fit in 120 columns
    fewer = io.StringIO()
    make_console(fewer, width=80).print(fitted(None, columns, rows, View(), 80))
    assert "0.1428571429" not in fewer.getvalue() and "0.142857" in fewer.getvalue()
    assert "significant digits, to fit the terminal" in fewer.getvalue()
    stacked = io.StringIO()
    make_console(stacked, width=30).print(fitted(None, columns, rows, View(), 30))
    lines = stacked.getvalue().splitlines()
    assert max(map(cell_len, lines)) <= 30
    assert sum(re.search(r"\bv\d\b", line) is not None for line in lines) == 6  # one line per value


def test_the_neuron_picture_is_left_out_where_it_does_not_fit():
    one = Network((Layer.create([0.5, -0.2, 0.1], 0.1, "sigmoid"),))
    assert "─[ w1 = 0.5" in written("pass", one.forward(X), View(), Format.table, 80)
    narrow = written("pass", one.forward(X), View(), Format.table, 40)
    assert "─[ w1" not in narrow and max(map(cell_len, narrow.splitlines())) <= 40


def test_minus_zero_is_never_shown():
    assert format_number(-0.0) == "0.0" and format_number(-0.0, 4) == "0" and format_number(-1e-300, 3) == "-1e-300"
    assert json_number(-0.0) == 0.0 and str(json_number(-0.0)) == "0.0"
    network = Network((Layer.create([[-1.0, 2.0]], 0.0, "relu"),))
    result = network.forward(np.array([0.0, -1.0]))
    assert "-0" not in written("pass", result, View(), Format.json)
    assert "-0" not in written("pass", result, View(), Format.table, 80)
    assert "-0" not in written("pass", result, View(), Format.plain)


def test_json_rounding_the_largest_float_up_stays_strict():
    # 1.8e308 to one digit would be 2e308, beyond any float: the number keeps its digits instead of becoming inf
    assert json_number(1.7976931348623157e308, 1) == 1.7976931348623157e308


@pytest.mark.parametrize(("color", "escapes"), [(None, False), (False, False), (True, True)])
def test_colour_only_when_asked_or_on_a_terminal(color, escapes):
    verdict = check_outputs(["2"], np.array([1.0]), Tolerance())
    text = written("verdict", verdict, View(color=color), Format.table)
    assert ("\x1b[" in text) is escapes


def test_verdict_csv_and_its_header():
    verdict = check_outputs(["0.6225"], np.array([0.6224593312018546]), Tolerance())
    lines = written("verdict", verdict, View(), Format.csv).splitlines()
    assert lines[0] == "output,answer,correct,difference,tolerance,verdict"
    assert lines[1].startswith("y1,0.6225,0.6224593312018546,") and lines[1].endswith(",pass")
    table = written("verdict", verdict, View(), Format.table, 80)
    assert "verdict" in table.splitlines()[1]


def test_a_gate_on_a_layer_names_the_neurons_that_are_the_gate():
    network = Network((Layer.create([[1, 1], [1, 1]], [-1.5, -0.5], "step"),))
    table = truth_table(network, "and")
    text = written("truth_table", table, View(), Format.plain)
    assert "# y1: it is AND on every row" in text and "# y2: 2 of 4 rows differ from AND" in text
    assert "1 of 2 outputs are AND: y1" in text
    assert not table.passed


def test_a_stream_table_sizes_to_the_width_and_stacks_when_it_must():
    block = Block(LAYER, np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), 1)
    wide = written("rows", block, View(), Format.table, 120)
    assert wide.split()[:6] == ["row", "x1", "x2", "x3", "y1", "y2"] and len(wide.splitlines()) == 3
    narrow = written("rows", block, View(), Format.table, 40)
    assert max(map(len, narrow.splitlines())) <= 40
    assert "row 1" in narrow and "  y2 = " in narrow


def test_an_empty_stream_still_has_a_csv_header():
    block = Block(LAYER, np.zeros((0, 3)), 1)
    assert written("rows", block, View(), Format.csv) == "x1,x2,x3,y1,y2\n"
    assert written("rows", block, View(), Format.plain) == ""


def test_index_base_zero_numbers_from_zero_for_a_person_only():
    one = Network((Layer.create([0.5, -0.2, 0.1], 0.1, "sigmoid"),))
    result = one.forward(X)
    table = written("pass", result, View(index_base=0), Format.table, 100)
    assert "x0 = 1" in table and "w2 = 0.1" in table and "x3" not in table
    explained = written("pass", result, View(index_base=0, explain=True), Format.plain)
    assert "x0 * w0 = 1 * 0.5" in explained
    assert (
        json.loads(written("pass", result, View(index_base=0), Format.json))["layers"][0]["neurons"][0]["connections"][
            0
        ]["input"]
        == 1
    )  # machine formats are unchanged


@pytest.mark.parametrize("columns", [1, 2, 16, 64, 1024])
def test_rows_written_at_polars_speed_are_repr_s_text(columns):
    """Every layout of the fast writer (one column, a DataFrame, one flat column for wide rows) writes what
    repr() writes, small, negative, huge and non-finite values included."""
    from neuron_cli.render.fast_text import write_rows

    rng = np.random.default_rng(columns)
    rows = rng.normal(size=(max(4096 // columns + 3, 5), columns)) * 10.0 ** rng.integers(-8, 20, size=(1, columns))
    rows[1, 0], rows[2, -1], rows[3, columns // 2] = 1e-5, np.inf, -1e-300
    expected = "".join(",".join(map(repr, row.tolist())) + "\n" for row in rows)
    shown = write_rows(rows)
    assert shown is None or shown.rstrip("\n") == expected.rstrip("\n")
    assert shown is not None or rows.size < 4096
