"""In a real terminal (a pty of 80 and 40 columns): tables fit, colour follows NO_COLOR and --color."""

import fcntl
import os
import pty
import re
import struct
import termios

import pytest
from rich.cells import cell_len

from ..conftest import neuron_command, run_here

ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
COLOUR = re.compile(r"\x1b\[[0-9;]*(3[0-8]|4[0-8]|9[0-7])[;m]")


def in_terminal(args, columns, env=None):
    """Run neuron on a pty of `columns` columns; what the terminal shows, escapes and all."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the pty is its terminal
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
        environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
        environment.update({"TERM": "xterm-256color", **(env or {})})
        command = neuron_command()
        os.execvpe(command[0], [*command, *args], environment)
    chunks = []
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.waitpid(pid, 0)
    return b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


LAYER_STEP = ["compute", "-x", "1,2,3", "-w", "0.5,-0.2,0.1;1,2,3", "-b", "0.1", "-a", "sigmoid", "--target", "1,0"]


@pytest.mark.parametrize("columns", [80, 40])
@pytest.mark.parametrize(
    "args",
    [
        [*LAYER_STEP, "--grad"],
        ["compute", "-x", "1,2,3", "-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid"],
        ["check", "-x", "1", "-w", "1", "--expect", "2"],
        ["truth-table", "-w", "1,1", "-b", "-1.5", "-a", "sigmoid", "--gate", "and"],
        ["activations"],
    ],
    ids=["layer-step-grad", "neuron", "check", "truth-table", "activations"],
)
def test_tables_fit_the_terminal(args, columns):
    shown = ESCAPES.sub("", in_terminal(args, columns, {"NO_COLOR": "1"}))
    assert shown.strip()
    assert max(cell_len(line) for line in shown.splitlines()) <= columns


def test_no_color_keeps_bold_but_no_colour_and_color_never_too():
    assert COLOUR.search(in_terminal(["check", "-x", "1", "-w", "1", "--expect", "2"], 80))
    assert not COLOUR.search(in_terminal(["check", "-x", "1", "-w", "1", "--expect", "2"], 80, {"NO_COLOR": "1"}))
    never = in_terminal(["check", "-x", "1", "-w", "1", "--expect", "2", "--color", "never"], 80)
    assert not COLOUR.search(never)


def test_help_examples_never_wrap_mid_command_at_80_columns():
    for command in ("", "compute", "check", "truth-table", "plot", "activations", "diagram", "train", "inspect"):
        shown = run_here(*command.split(), "--help", env={"COLUMNS": "80"}).out  # as Click sizes a terminal
        examples = shown.split("Examples:")[1].split("\n\n")[0] if "Examples:" in shown else ""
        lines = [line.strip() for line in examples.splitlines() if line.strip()]
        assert lines and all(line.startswith(("neuron ", "seq ")) for line in lines), (command, lines)
        assert max(cell_len(line) for line in shown.splitlines()) <= 80, command


@pytest.mark.parametrize("columns", [40, 80, 120])
def test_formulas_wrap_between_words_never_inside_one(columns):
    from neuron_cli.nn.activations import REGISTRY

    shown = ESCAPES.sub("", in_terminal(["activations"], columns, {"NO_COLOR": "1"}))
    words = set(re.sub(r"[│┃]", " ", shown).split())
    for activation in REGISTRY:
        for word in activation.formula.split():
            # a formula's clauses (a; in general b) may stand on lines of their own, without the ;
            assert word in words or word.rstrip(";") in words or "|" in word, (activation.name, word)


@pytest.mark.parametrize("columns", [80, 40])
def test_reports_fit_the_terminal(tmp_path, columns):
    from pathlib import Path

    (tmp_path / "and.csv").write_text("x1,x2,t1\n0,0,0\n0,1,0\n1,0,0\n1,1,1\n")
    (tmp_path / "sheet.csv").write_text("student,x1,x2,x3,y1\nalice,1,2,3,0.6225\nbob,1,2,3,0.5\n")
    keras = Path(__file__).parent.parent / "fixtures" / "keras" / "mlp.keras"
    neuron = ["-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid"]
    for args in (
        ["train", "--data", str(tmp_path / "and.csv"), "-w", "0,0", "-a", "step", "--lr", "0.1", "--epochs", "9"],
        ["inspect", str(keras)],
        ["check", "--answers", str(tmp_path / "sheet.csv"), *neuron],
        ["compute", "-x", "1,2,3", *neuron, "--explain", "--target", "1"],
    ):
        # a terminal of that width, as Rich and Click size one (the pty tests above show a real one agrees)
        shown = ESCAPES.sub("", run_here(*args, env={"COLUMNS": str(columns)}, tty=True).out)
        assert shown.strip() and max(cell_len(line) for line in shown.splitlines()) <= columns, args
