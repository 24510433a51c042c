"""The fast path of `neuron compute` (no Typer on the hot path) answers exactly as the Typer app does: the same
command lines through both (NEURON_FAST=0 switches it off) give the same bytes, messages and exit codes."""

import pytest

NEURON = ["-x", "1,2,3", "-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid"]
CASES = [
    ([*NEURON], None),
    ([*NEURON, "--format", "json"], None),
    ([*NEURON, "-f", "CSV"], None),
    ([*NEURON, "--digits", "4"], None),
    ([*NEURON, "--digits", "x"], None),
    ([*NEURON, "--format", "xml"], None),
    (["-x", "1,2", "-w", "0.1,0.2", "-w", "0.3,0.4", "-b", "-1"], None),
    (["-x", " -1,2", "-w", "-0.5,0.3", "-a", "leaky_relu:negative_slope=0.1"], None),
    (["-x", "1,,2", "-w", "1,2,3"], None),
    (["-x", "1", "-w", "1", "-a", "sigmod"], None),
    (["-x", "1,2,3", "-w", "1,2"], None),
    (["-x", "1", "-w", "1", "-x", "2"], None),  # repeated: Typer's rule
    (["-x", "1", "-w"], None),
    (["-x1", "-w", "1"], None),
    (["--x=1", "-w", "1"], None),
    (["-w", "1,1", "-a", "tanh"], b"1,2\n3,4\n\n# c\n5,x\n"),
    (["-w", "1,1", "-f", "json"], b"1,2\n3,4\n"),
    (["-x", "-", "-w", "1,1", "-f", "csv"], b"x1,x2\n1,2\n"),
    (["-x", "[1, 2]", "-w", "1，1"], None),
]


@pytest.mark.parametrize(("args", "stdin"), CASES, ids=lambda value: str(value)[:50])
def test_the_fast_path_answers_as_typer_does(neuron, args, stdin):
    fast = neuron("compute", *args, stdin=stdin)
    full = neuron("compute", *args, stdin=stdin, env={"NEURON_FAST": "0"})
    assert (fast.code, fast.out, fast.err) == (full.code, full.out, full.err)


def test_korean_errors_on_the_fast_path(neuron):
    run = neuron("compute", "-x", "1,,2", "-w", "1,2,3", env={"NEURON_LANG": "ko"})
    assert run.code == 2 and run.err.startswith("오류: ")


SHEET = 'student,x1,x2,x3,y1\nalice,1,2,3,0.6225\nbob,1,2,3,0.5\n"Kim, M",1,2,3,\neve,1,x,3,1\n'
GOOD = "student,x1,x2,x3,y1,loss,w1_2\nalice,1,2,3,0.6225,0.0713,-0.18\n"
SHEET_CASES = [
    (["-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid"], SHEET),
    (["-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid", "-f", "json"], SHEET),
    (["-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid", "-f", "junit"], SHEET),
    (["-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid", "-f", "GRADESCOPE", "--points", "2"], SHEET),
    (["-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid", "--target", "1", "--lr", "0.1", "--sig", "2"], GOOD),
    (["-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid", "--target", "1", "--loss", "mse", "-q"], GOOD),
    (["-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid", "--tol", "inf"], GOOD),
    (["-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid", "--sig", "two"], GOOD),
    (["-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid", "--min-decimals", "3", "-f", "csv"], SHEET),
    (["-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid", "--loss", "MSE", "--target", "1"], GOOD),
    (["-b", "0.1", "-a", "sigmoid"], GOOD),
]


@pytest.mark.parametrize(("args", "sheet"), SHEET_CASES, ids=lambda value: str(value)[:60])
def test_answer_sheets_on_the_fast_path_are_graded_as_typer_does(neuron, args, sheet):
    at = {"SOURCE_DATE_EPOCH": "1796256000"}  # JUnit's timestamps: one second apart, the two runs once differed
    fast = neuron("check", "--answers", "-", *args, stdin=sheet, env=at)
    full = neuron("check", "--answers", "-", *args, stdin=sheet, env={"NEURON_FAST": "0", **at})
    assert (fast.code, fast.out, fast.err) == (full.code, full.out, full.err)
