"""The fast path of `neuron compute` (no Typer on the hot path) answers exactly as the Typer app does: the same
command lines through both (NEURON_FAST=0 switches it off) give the same bytes, messages and exit codes."""

import pytest

from neuron_cli.fast import options

NEURON = ["-x", "1,2,3", "-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid"]
CASES = [
    ([*NEURON], None),
    ([*NEURON, "--format", "json"], None),
    ([*NEURON, "-f", "CSV"], None),
    ([*NEURON, "--digits", "4"], None),
    ([*NEURON, "--digits", "0"], None),
    ([*NEURON, "--digits", "x"], None),
    ([*NEURON, "--format", "xml"], None),
    (["-x", "1,2", "-w", "0.1,0.2", "-w", "0.3,0.4", "-b", "-1"], None),
    (["-x", " -1,2", "-w", "-0.5,0.3", "-a", "leaky_relu:negative_slope=0.1"], None),
    (["-x", "1,,2", "-w", "1,2,3"], None),
    (["-x", "1,2", "-w", "1,abc"], None),
    (["-x", "1", "-w", "1", "-a", "sigmod"], None),
    (["-x", "1,2,3", "-w", "1,2"], None),
    (["-x", "1", "-w", "1", "-x", "2"], None),  # repeated: Typer's rule
    (["-x", "1", "-w"], None),
    (["-x1", "-w", "1"], None),
    (["--x=1", "-w", "1"], None),
    (["-w", "1,1", "-a", "tanh"], b"1,2\n3,4\n\n# c\n5,x\n"),
    (["-w", "1,1", "-f", "json"], b"1,2\n3,4\n"),
    (["-x", "-", "-w", "1,1", "-f", "csv"], b"x1,x2\n1,2\n"),
    (["-w", "1,1", "-f", "csv"], b""),
    (["-x", "[1, 2]", "-w", "1，1"], None),
]


@pytest.mark.parametrize(("args", "stdin"), CASES, ids=lambda value: str(value)[:50])
def test_the_fast_path_answers_as_typer_does(neuron, args, stdin):
    fast = neuron("compute", *args, stdin=stdin)
    full = neuron("compute", *args, stdin=stdin, env={"NEURON_FAST": "0"})
    assert (fast.code, fast.out, fast.err) == (full.code, full.out, full.err)


def test_the_fast_path_takes_only_plain_command_lines():
    assert options(["compute", "-x", "1", "-w", "1", "--format", "json"]) is not None
    for unusual in (
        ["compute", "-x", "1", "-w", "1", "--grad", "-f", "json"],
        ["compute", "--help"],
        ["compute", "-x", "1", "-w", "1", "-x", "2", "-f", "plain"],
        ["compute", "-x1", "-w", "1", "-f", "plain"],
        ["compute", "-x", "1", "-w", "1", "-f", "table"],
        ["check", "-x", "1", "-w", "1", "-f", "plain"],
        ["compute", "-x", "1", "-f", "plain"],
    ):
        assert options(unusual) is None, unusual


def test_korean_errors_on_the_fast_path(neuron):
    run = neuron("compute", "-x", "1,,2", "-w", "1,2,3", env={"NEURON_LANG": "ko"})
    assert run.code == 2 and run.err.startswith("오류: ")
