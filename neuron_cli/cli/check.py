"""`neuron check`: one row's outputs against --expect (a CheckRequest), or a whole answer sheet with --answers (a
GradeRequest); exit 1 where an answer is wrong. Typer is imported only where the command is declared."""

import os
import sys
from typing import Any

from ..errors import MISMATCH, SUCCESS, NeuronError
from ..io.csvfile import unescaped_id
from ..io.files import open_input
from ..io.questions import load_quiz
from ..io.values import input_rows, parse_vector
from ..nn.grading import MIN_SIG, Tolerance
from ..render import Format, write
from ..run.compute import check
from ..run.grading import run_sheet
from ..run.requests import CheckRequest, GradeRequest
from .build import (
    build_network,
    check_finite,
    chosen_format,
    make_view,
    refuse_same_file,
    refuse_unused,
    stdin_source,
    value,
)
from .edge import Outcome, quiet_stdout

HELP = """Check your answer: exit 0 when every output matches --expect, 1 when one does not.

    An answer matches when it is the true value rounded to the places it shows (--expect 0.6225 accepts
    0.62245 to 0.62255) and shows at least 3 significant digits (--min-sig), unless it is exact: 0.62 for
    0.6224593 is too coarse, and the message says how many digits to give. --tol, --rtol or --sig replace
    the rule.

    --answers SHEET grades a class in one run: with --questions FILE, a row per student (a student column and
    q1.y1, q2.loss, ... columns), each on the numbers `neuron quiz` gave them; without, the teacher's own
    sheet (x1.. inputs, y1.. z1.. loss w1_1.. b1.. answers, t1.. targets). Scores with partial credit and a
    summary. Exit 0 when every row passes, 1 when one does not, 2 when nothing could be graded.

    \b
    Examples:
      neuron check -x 1,2,3 -w 0.5,-0.2,0.1 -b 0.1 -a sigmoid --expect 0.6225
      neuron check -x 1,2,3 -w "0.1,0.2,0.3;0.4,0.5,0.6" -a relu --expect 1.4,3.2
      neuron check --answers answers.csv --questions hw1.toml --format table
      neuron check --answers answers.csv --questions hw1.toml -f gradescope
      neuron check --answers class.csv -w 0.5,-0.2,0.1 -a sigmoid -f junit
    """
SHEET_ONLY = (
    *(("--points", "points"), ("--target", "target"), ("--lr", "lr")),
    *(("--loss", "loss"), ("--questions", "questions"), ("--student", "student"), ("--id-column", "id_column")),
    ("--encoding", "encoding"),
)
SHEET_FLAGS = (("--decimal-comma", "decimal_comma"),)
# what a question file says for itself, refused beside --questions
FILE_SAYS = (
    *("x", "w", "b", "activation", "model", "target", "lr", "loss", "points", "tol", "rtol", "sig", "min_sig"),
    "min_decimals",
)


def run(given: dict[str, Any], outcome: Outcome, split: bool = False) -> int:
    """The command on its options; its exit code."""
    check_finite(given.get("tol"), "--tol", least=0)
    check_finite(given.get("rtol"), "--rtol", least=0)
    if given.get("answers") is not None:
        return grade(given, outcome, split)
    unused = {option: (given.get(name) is not None, "--answers") for option, name in SHEET_ONLY}
    unused.update({option: (bool(given.get(name)), "--answers") for option, name in SHEET_FLAGS})
    refuse_unused(**unused)
    expect = given.get("expect")
    if not expect:
        raise NeuronError("give the outputs you expect with --expect, e.g. --expect 0.6225")
    if len(expect) > 1:
        raise NeuronError(
            "--expect is given {count} times; give it once, with every output: --expect 0.5,0.7", count=len(expect)
        )
    view, chosen = make_view(given, outcome.lang), chosen_format(given)
    from ..render import check as offered

    offered("verdict", chosen, view)
    network = build_network(given)
    x = given.get("x")
    if x is None or x == "-":
        raise NeuronError("check takes one input row with -x (e.g. -x 1,2,3), or a sheet with --answers")
    verdict = check(CheckRequest(network, chosen, view, x, expect[0], tolerance_of(given)))
    outcome.if_the_pipe_closes = SUCCESS if verdict.passed else MISMATCH
    if not given.get("quiet"):
        write("verdict", verdict, view, chosen, sys.stdout)
        sys.stdout.flush()
    return SUCCESS if verdict.passed else MISMATCH


def grade(given: dict[str, Any], outcome: Outcome, split: bool = False) -> int:
    """--answers: the sheet graded row by row; exit 1 where a row does not pass (also where the report's reader
    went away early: the rest is graded unwritten), 2 where nothing could be graded."""
    try:
        asked = grade_request(given, outcome.lang, split)
        sheet = given["answers"]
        source = stdin_source("-") if sheet == "-" else open_input(sheet, "--answers")
    except NeuronError as problem:
        if value(given, "format") == "gradescope":  # results.json is written whatever happens: the reason in it
            write("unreadable", problem, make_view({}, outcome.lang), Format.gradescope, sys.stdout)
            sys.stdout.flush()
        raise
    if sheet != "-":
        refuse_same_file(source, sheet)  # nothing written: standard output is the sheet itself
    out = open(os.devnull, "w") if given.get("quiet") else sys.stdout  # noqa: SIM115 - closed with the process
    counts, reader_gone = run_sheet(source, asked, out)
    if reader_gone:
        quiet_stdout()
    return SUCCESS if counts.get("pass", 0) == counts.get("rows", 0) else MISMATCH


def grade_request(given: dict[str, Any], lang: str, split: bool = False) -> GradeRequest:
    """The request of an answer sheet; what the options cannot mean together is refused before any work."""
    if given.get("expect"):
        raise NeuronError("--expect and --answers do not go together: the sheet holds the answers")
    chosen, view = chosen_format(given), make_view(given, lang)
    from ..render import check as offered

    offered("answers", chosen, view)
    common: dict[str, Any] = {
        "student": student_of(given.get("student")),
        "id_column": given.get("id_column") or "student",
        "encoding": given.get("encoding"),
        "decimal_comma": bool(given.get("decimal_comma")),
        "split": split,
    }
    if given.get("questions") is not None:
        named = [f"-{n}" if len(n) == 1 else f"--{n.replace('_', '-')}" for n in FILE_SAYS if given.get(n) is not None]
        named += ["--dtype"] if value(given, "dtype") == "float32" else []
        named += ["--index-base"] if given.get("index_base") not in (None, 1) else []
        if named:
            raise NeuronError(
                "--questions holds the questions: leave out {options} (the file sets them)", options=", ".join(named)
            )
        quiz = load_quiz(given["questions"])
        return GradeRequest(None, chosen, view, given["answers"], quiz, **common)
    tolerance = tolerance_of(given)
    points = given.get("points")
    if points is not None:
        check_finite(points, "--points")
        if not 0 <= points <= 1e6:
            raise NeuronError("--points must be a number from 0 to 1000000, got {value}", value=points)
    check_finite(given.get("lr"), "--lr")
    network = build_network(given)
    inputs = None
    if given.get("x") is not None:
        rows = input_rows(given["x"], network)
        if rows.shape[0] != 1:
            raise NeuronError("-x with --answers is the one input row of every sheet row")
        inputs = rows[0]
    target, rate = given.get("target"), given.get("lr")
    return GradeRequest(
        network,
        chosen,
        view,
        given["answers"],
        None,
        inputs,
        parse_vector(target, "--target") if target is not None else None,
        value(given, "loss") or "half_sse",
        0.1 if rate is None else rate,
        tolerance,
        1.0 if points is None else points,
        **common,
    )


def student_of(given: str | None) -> str | None:
    """--student as the sheet would write it (spaces around it, and a spreadsheet's guarding ', aside)."""
    if given is None:
        return None
    student = unescaped_id(given)
    if not student:
        raise NeuronError("--student: an id must not be empty")
    if not student.isprintable():
        raise NeuronError("--student: an id must be printable text (no control characters, no stray bytes)")
    return student


def tolerance_of(given: dict[str, Any]) -> Tolerance:
    """One tolerance rule: --tol, --rtol or --sig, else the written rule with --min-sig digits (3)."""
    rules = [name for name in ("tol", "rtol", "sig") if given.get(name) is not None]
    if len(rules) > 1:
        raise NeuronError("choose one tolerance: {rules} were given", rules=" and ".join(f"--{r}" for r in rules))
    sig, min_decimals, min_sig = given.get("sig"), given.get("min_decimals"), given.get("min_sig")
    if sig is not None and not 1 <= sig <= 17:
        raise NeuronError("--sig must be from 1 to 17, got {value}", value=sig)
    if min_decimals is not None and not 0 <= min_decimals <= 30:
        raise NeuronError("--min-decimals must be from 0 to 30, got {value}", value=min_decimals)
    if min_sig is not None and not 0 <= min_sig <= 17:
        raise NeuronError("--min-sig must be from 0 to 17, got {value}", value=min_sig)
    if rules and min_sig is not None:
        raise NeuronError("--min-sig belongs to the written rule; --{rule} replaces it", rule=rules[0])
    if given.get("tol") is not None:
        return Tolerance("absolute", given["tol"], 0, min_decimals)
    if given.get("rtol") is not None:
        return Tolerance("relative", given["rtol"], 0, min_decimals)
    if sig is not None:
        return Tolerance("significant", float(sig), 0, min_decimals)
    return Tolerance("written", 0.0, MIN_SIG if min_sig is None else min_sig, min_decimals)


def declare(app: Any) -> None:
    """The command as Typer declares it: its options, from their one declaration (cli/options.py)."""
    from . import params as p

    def check(
        x: p.X = None,
        w: p.W = None,
        b: p.B = None,
        activation: p.A = None,
        model: p.Model = None,
        max_params: p.MaxParams = None,
        expect: p.Expect = None,
        answers: p.Answers = None,
        tol: p.Tol = None,
        rtol: p.Rtol = None,
        sig: p.Sig = None,
        min_decimals: p.MinDecimals = None,
        points: p.Points = None,
        target: p.SheetTarget = None,
        lr: p.SheetLr = None,
        loss: p.SheetLoss = None,
        min_sig: p.MinSig = None,
        questions: p.Questions = None,
        student: p.Student = None,
        id_column: p.IdColumn = None,
        encoding: p.Encoding = None,
        decimal_comma: p.DecimalComma = False,
        format: p.CheckFormat = None,
        quiet: p.Quiet = False,
        dtype: p.Dtype = p.FLOAT64,
        color: p.Color = p.AUTO,
        lang: p.Lang = None,
        index_base: p.IndexBase = 1,
    ) -> None:
        p.finish(run, dict(locals()))

    check.__doc__ = HELP
    app.command()(check)
