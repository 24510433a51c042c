"""The installed `neuron` command: every format, every kind of file, every class of bad input."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from neuron_cli import __version__
from neuron_cli.cli.app import make_app
from neuron_cli.nn.activations import REGISTRY

app = make_app()

NEURON = ["-x", "1,2,3", "-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid"]
LAYER = ["-x", "1,2,3", "-w", "0.1,0.2,0.3;0.4,0.5,0.6", "-a", "relu"]


def test_plain_is_the_default_when_piped(neuron):
    run = neuron("compute", *NEURON)
    assert run.code == 0 and run.err == ""
    assert run.out == "0.6224593312018546\n"


def test_plain_output_pipes_into_the_next_neuron(neuron):
    first = neuron("compute", *LAYER)
    values = [float(v) for v in first.out.strip().split(",")]
    assert values == pytest.approx([1.4, 3.2])
    second = neuron("compute", "-x", first.out.strip(), "-w", "1,-1")
    assert float(second.out) == pytest.approx(1.4 - 3.2)


def test_table_shows_every_connection_and_neuron(neuron):
    run = neuron("compute", *LAYER, "--format", "table")
    assert run.code == 0
    assert "3 inputs x 2 neurons = 6" in run.out
    connections = [line for line in run.out.splitlines() if line.lstrip("│| ").startswith("x") and " n" in line]
    assert len(connections) == 6
    assert "1.4" in run.out and "3.2" in run.out
    assert "\x1b[" not in run.out  # piped output never carries escape codes


def test_table_of_one_neuron_draws_it(neuron):
    run = neuron("compute", *NEURON, "--format", "table")
    assert "x1 = 1" in run.out and "w2 = -0.2" in run.out
    assert "z = 0.4 + 0.1 = 0.5" in run.out
    assert "0.6224593312" in run.out


def test_json_has_the_contracts_keys(neuron):
    run = neuron("compute", *LAYER, "--format", "json")
    doc = json.loads(run.out)
    assert doc["inputs"] == [1, 2, 3]
    assert doc["outputs"] == pytest.approx([1.4, 3.2])
    (layer,) = doc["layers"]
    assert layer["activation"] == "relu"
    second = layer["neurons"][1]
    assert second["weights"] == [0.4, 0.5, 0.6]
    assert second["weighted_sum"] == pytest.approx(3.2) and second["z"] == pytest.approx(3.2)
    assert [c["product"] for c in second["connections"]] == pytest.approx([0.4, 1.0, 1.8])
    assert [c["input"] for c in second["connections"]] == [1, 2, 3]


def test_json_gradient(neuron):
    doc = json.loads(neuron("compute", *NEURON, "--format", "json", "--grad").out)
    gradient = doc["layers"][0]["neurons"][0]["gradient"]
    s = 0.6224593312018546
    assert gradient["dz"] == pytest.approx(s * (1 - s))
    assert gradient["dw"] == pytest.approx([s * (1 - s) * x for x in (1, 2, 3)])
    assert gradient["dx"] == pytest.approx([s * (1 - s) * w for w in (0.5, -0.2, 0.1)])


def test_csv_has_a_header_then_a_line(neuron):
    run = neuron("compute", *LAYER, "--format", "csv")
    assert run.lines()[0] == "x1,x2,x3,y1,y2"
    assert [float(v) for v in run.lines()[1].split(",")] == pytest.approx([1, 2, 3, 1.4, 3.2])


def test_digits(neuron):
    assert neuron("compute", *NEURON, "--digits", "4").out == "0.6225\n"
    doc = json.loads(neuron("compute", *NEURON, "--digits", "3", "--format", "json").out)
    assert doc["outputs"] == [0.622]


def test_overflow_is_inf_not_an_error(neuron):
    run = neuron("compute", "-x", "1000", "-w", "1", "-a", "exponential", "--format", "json")
    assert run.code == 0 and run.err == ""
    assert json.loads(run.out)["outputs"] == ["inf"]
    assert neuron("compute", "-x", "1000", "-w", "1", "-a", "exponential").out == "inf\n"


def test_negative_values_right_after_the_option(neuron):
    run = neuron("compute", "-x", "1,2", "-w", "-0.5,0.3", "-b", "-1")
    assert float(run.out) == pytest.approx(-0.5 + 0.6 - 1)
    assert neuron("compute", "--x= -1,2", "--w=-0.5,0.3").out.strip() == repr(0.5 + 0.6)


def test_the_option_once_per_neuron(neuron):
    run = neuron("compute", "-x", "1,2,3", "-w", "0.1,0.2,0.3", "-w", "0.4,0.5,0.6", "-a", "relu")
    assert [float(v) for v in run.out.split(",")] == pytest.approx([1.4, 3.2])


def test_files_of_every_kind(neuron, tmp_path):
    np.save(tmp_path / "w.npy", np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]))
    (tmp_path / "w.json").write_text("[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]")
    (tmp_path / "w.txt").write_text("0.1,0.2,0.3\n0.4 0.5 0.6\n")
    (tmp_path / "x.txt").write_text("1,2,3\n")
    (tmp_path / "b.json").write_text("[0, 0]")
    for name in ("w.npy", "w.json", "w.txt"):
        run = neuron(
            "compute",
            "-x",
            f"@{tmp_path / 'x.txt'}",
            "-w",
            f"@{tmp_path / name}",
            "-b",
            f"@{tmp_path / 'b.json'}",
            "-a",
            "relu",
        )
        assert run.code == 0, run.err
        assert [float(v) for v in run.out.split(",")] == pytest.approx([1.4, 3.2])


def test_activation_with_parameters(neuron):
    assert float(neuron("compute", "-x", "-1", "-w", "1", "-a", "leaky_relu:negative_slope=0.1").out) == -0.1
    assert float(neuron("compute", "-x", "0.5", "-w", "1", "-a", "step:threshold=0.5").out) == 1.0
    assert float(neuron("compute", "-x", "1", "-w", "1", "-a", "Hard-Sigmoid").out) == pytest.approx(1 / 6 + 0.5)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-x", "1,2", "-w", "1,abc"], "-w, value 2 is 'abc'"),
        (["-x", "1,,2", "-w", "1,2,3"], "-x, value 2 is empty"),
        (["-x", "1,2,", "-w", "1,2,3"], "-x, value 3 is empty"),
        (["-x", "", "-w", "1"], "-x is empty"),
        (["-x", "1,2,3", "-w", "1,2"], "-x has 3 values but each neuron has 2 weights"),
        (["-x", "1,2,3", "-w", "1,2,3;1,2"], "neuron 1 has 3 values but neuron 2 has 2"),
        (["-x", "nan", "-w", "1"], "only finite"),
        (["-x", "1", "-w", "inf"], "only finite"),
        (["-x", "1", "-w", "1", "-a", "sigmod"], "did you mean sigmoid"),
        (["-x", "1", "-w", "1", "-a", "leaky_relu:alpha=1"], "no parameter alpha"),
        (["-x", "1", "-w", "1", "-a", "threshold"], "needs threshold and default_value"),
        (["-x", "1", "-w", "1", "--digits", "0"], "--digits must be from 1 to 17"),
        (["-x", "1", "-w", "1", "--digits", "18"], "--digits must be from 1 to 17"),
        (["-x", "1", "-w", "1", "-b", "1,2"], "b has 2 values but the layer has 1 neuron"),
        (["-x", "1", "-w", "1", "--model", "m.json"], "leave out -w"),
        (["-x", "1", "-w", "@/no/such.npy"], "cannot read"),
        (["-x", "1", "-w", "@/no/such.json"], "cannot read"),
        (["-x", "1,2,3", "-w", "1,1,1", "-a", "glu"], "glu needs an even number of neurons"),
        (["-x", "1"], "give the weights with -w"),
        (["-x", "1", "-w", "1", "--format", "xml"], "xml"),
        (["-x", "1", "-w", "1", "--nope"], "--nope"),
        (["-x", "1", "-w", "1", "-a", "[bold]red"], "unknown activation '[bold]red'"),
    ],
)
def test_bad_input_gets_one_message_and_exit_2(neuron, args, message):
    run = neuron("compute", *args)
    assert run.code == 2, (run.out, run.err)
    assert message in run.err
    assert run.out == ""
    assert "Traceback" not in run.err


def test_bad_files(neuron, tmp_path):
    np.save(tmp_path / "p.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    (tmp_path / "bad.json").write_text("[1, 'x']")
    (tmp_path / "bin.txt").write_bytes(b"\xff\xfe\x00")
    for name, message in (("p.npy", "pickles are refused"), ("bad.json", "not valid JSON"), ("bin.txt", "UTF-8")):
        run = neuron("compute", "-x", "1", "-w", f"@{tmp_path / name}")
        assert run.code == 2 and message in run.err and "Traceback" not in run.err


def test_activations_lists_every_one(neuron):
    run = neuron("activations", "--format", "json")
    names = [entry["name"] for entry in json.loads(run.out)]
    assert names == [a.name for a in REGISTRY]
    table = neuron("activations", "--format", "table").out
    for activation in REGISTRY:
        assert activation.name in table


def test_one_activation_in_full(neuron):
    run = neuron("activations", "leaky-relu")
    assert "negative_slope (default 0.2)" in run.out
    assert "f'(z)" in run.out and "range" in run.out
    doc = json.loads(neuron("activations", "gelu", "--format", "json").out)
    assert doc["parameters"][0] == {
        "name": "approximate",
        "default": False,
        "required": False,
        "help": "use the tanh approximation",
    }
    assert neuron("activations", "nope").code == 2


def test_version_and_python_dash_m(neuron):
    assert neuron("--version").out.strip() == f"neuron {__version__}"


def test_ascii_terminal_gets_ascii(neuron_process):
    run = neuron_process("compute", *NEURON, "--format", "table", env={"PYTHONIOENCODING": "ascii"})
    assert run.code == 0, run.err
    assert run.stdout_bytes.isascii()
    run = neuron_process("compute", *NEURON, "--format", "table", env={"PYTHONIOENCODING": "cp949"})
    assert run.code == 0, run.err


def test_cli_runner_drives_the_same_app():
    result = CliRunner().invoke(app, ["compute", *NEURON, "--format", "plain"])
    assert result.exit_code == 0
    assert result.stdout == "0.6224593312018546\n"
    result = CliRunner().invoke(app, ["compute", "-x", "1", "-w", "x"])
    assert result.exit_code == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compute", "-x", "1", "-w", "1", "--format", "xml"], "'xml' is not one of"),
        (["compute", "-x", "1", "-w", "1", "--nope"], "No such option: --nope"),
        (["compute", "-x"], "Option '-x' requires an argument"),
        (["nope"], "No such command 'nope'"),
        (["compute", "-x", "1", "-w", "1", "--digits", "abc"], "'abc' is not a valid int"),
    ],
)
def test_usage_errors_are_one_line_too(neuron, args, message):
    run = neuron(*args)
    assert run.code == 2 and run.out == ""
    assert run.err.startswith("error: ") and message in run.err
    assert len(run.err.strip().splitlines()) == 1


def test_python_dash_m_is_the_same_program():
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "neuron_cli", "compute", *NEURON], capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout == "0.6224593312018546\n"


def test_tables_never_cut_a_number(neuron_process):
    run = neuron_process(
        "compute", *NEURON, "--grad", "--target", "1", "--format", "table", env={"PYTHONIOENCODING": "cp949"}
    )
    assert run.code == 0
    assert run.stdout_bytes.isascii()  # no ellipsis, no box lines: plain ASCII for cp949
    assert "0.6224593312" in run.out and "…" not in run.out


# ---------------------------------------------------------------- every option honoured or refused


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "-x", "1", "-w", "1", "--expect", "1", "--expect", "2"], "--expect is given 2 times"),
        (["compute", "-x", "1", "-w", "1", "--lr", "0.5"], "--lr does nothing without --target"),
        (["compute", "-x", "1", "-w", "1", "--loss", "mse"], "--loss does nothing without --target"),
        (["compute", "-x", "1", "-w", "1", "--grad", "--format", "plain"], "--grad cannot be shown in --format plain"),
        (["compute", "-x", "1", "-w", "1", "--explain", "--format", "csv"], "--explain cannot be shown in"),
        (["check", "-x", "1", "-w", "1", "--expect", "1", "--tol", "inf"], "--tol must be a finite number"),
        (["compute", "-x", "1", "-w", "1", "-a", "step:foo=1"], "step has no parameter foo"),
        (["check", "-x", "1", "-w", "1", "--expect", "1", "--format", "junit"], "--format junit is not offered here"),
        (["activations", "--format", "gradescope"], "'gradescope' is not one of"),
    ],
)
def test_an_option_that_would_be_ignored_is_refused(args, message):
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output


def test_a_model_file_with_unknown_keys_or_sizes_that_do_not_chain(tmp_path):
    units = tmp_path / "units.json"
    units.write_text('{"layers": [{"weights": [[1, 2]], "units": 3}]}')
    result = CliRunner().invoke(app, ["compute", "-x", "1,2", "--model", str(units)])
    assert result.exit_code == 2 and "layer 1 needs one of weights" in result.output
    assert "it has weights and units" in result.output
    chain = tmp_path / "chain.json"
    chain.write_text('{"layers": [{"weights": [[1, 2]]}, {"weights": [[1, 2]]}]}')
    result = CliRunner().invoke(app, ["compute", "-x", "1,2", "--model", str(chain)])
    assert result.exit_code == 2 and f"--model: {chain}: layer 2 takes 2 inputs" in result.output


def test_gate_names_are_case_insensitive_and_every_neuron_is_checked():
    result = CliRunner().invoke(app, ["truth-table", "-w", "1,1;1,1", "-b", "-1.5,-0.5", "-a", "step", "-g", "AND"])
    assert result.exit_code == 1
    assert "y1: it is AND on every row" in result.output and "1 of 2 outputs are AND: y1" in result.output


def test_a_csv_header_line_is_read_as_a_header(neuron):
    detected = neuron("compute", "-w", "1,1", "--format", "csv", stdin="x1,x2\n1,2\n3,4\n")
    assert detected.code == 0 and detected.lines() == ["x1,x2,y1", "1.0,2.0,3.0", "3.0,4.0,7.0"]
    forced = neuron("compute", "-w", "1,1", "--header", stdin="1,1\n1,2\n")
    assert forced.lines() == ["3.0"]
    bad = neuron("compute", "-w", "1,1", stdin="x1,x2\n1,2\nx,4\n")
    assert bad.code == 2 and "line 3" in bad.err and bad.lines() == ["3.0"]


def test_activations_at_z_without_weights():
    plain = CliRunner().invoke(app, ["activations", "softmax", "--at", "1,2,3", "--format", "plain"])
    values = [float(v) for v in plain.output.strip().split(",")]
    exps = np.exp([1.0, 2.0, 3.0])
    assert values == pytest.approx(exps / exps.sum(), rel=1e-15)
    doc = json.loads(CliRunner().invoke(app, ["activations", "relu", "--at", "-1,0,2", "--format", "json"]).output)
    assert doc["f(z)"] == [0.0, 0.0, 2.0] and doc["f'(z)"] == [0.0, 0.0, 1.0]


def test_shell_completion_offers_activation_names_and_formats(neuron):
    env = {"_NEURON_COMPLETE": "complete_bash", "COMP_WORDS": "neuron compute -a sig", "COMP_CWORD": "3"}
    assert neuron(env=env).out.split() == ["sigmoid"]
    env = {"_NEURON_COMPLETE": "complete_bash", "COMP_WORDS": "neuron check --format ", "COMP_CWORD": "3"}
    assert neuron(env=env).out.split() == ["table", "json", "csv", "plain", "junit", "gradescope"]
