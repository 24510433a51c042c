"""Answer sheets: a teacher's own sheet and a class's sheet of a question file, every report format read by its
real consumer (JSON, csv, JUnit against Jenkins' and Ant's schemas and junitparser, Gradescope's spec), rows
that cannot be read graded 0 while the rest are graded, partial credit and the summary."""

import csv
import io
import json
import math
from pathlib import Path

import jsonschema
import numpy as np
import pytest
import xmlschema
from junitparser import JUnitXml

from neuron_cli.errors import NeuronError
from neuron_cli.io.questions import load_quiz
from neuron_cli.nn.grading import Tolerance
from neuron_cli.nn.layers import Layer, Network
from neuron_cli.render import Format, View
from neuron_cli.run import grading
from neuron_cli.run.grading import run_sheet
from neuron_cli.run.requests import GradeRequest

NEURON = Network((Layer.create([0.5, -0.2, 0.1], 0.1, "sigmoid"),))
TRUE = float(1 / (1 + np.exp(-0.5)))  # 0.6224593312018546, worked by hand: 1*0.5 + 2*(-0.2) + 3*0.1 + 0.1 = 0.5
GRADING = Path(__file__).parents[1] / "fixtures" / "grading"  # the XSDs Jenkins and Ant validate with


def asked(network=NEURON, chosen=Format.json, **options) -> GradeRequest:
    return GradeRequest(network, chosen, View(), "-", **options)


def report(sheet: str | bytes, chosen=Format.json, network=NEURON, **options):
    out = io.StringIO()
    data = sheet.encode() if isinstance(sheet, str) else sheet
    counts, _ = run_sheet(io.BytesIO(data), asked(network, chosen, **options), out)
    return counts, out.getvalue()


SHEET = "student,x1,x2,x3,y1\nalice,1,2,3,0.6225\nbob,1,2,3,0.5\n"


def test_json_lines_then_a_summary_in_the_words_answer_and_correct():
    counts, text = report(SHEET)
    lines = [json.loads(line) for line in text.splitlines()]
    assert (counts["pass"], counts["rows"]) == (1, 2)
    assert lines[0]["line"] == 2 and lines[0]["names"] == {"student": "alice"} and lines[0]["verdict"] == "pass"
    assert lines[0]["score"] == 1.0 and lines[0]["max_score"] == 1.0
    cell = lines[1]["cells"][0]
    assert cell == {
        "column": "y1",
        "question": "y1",
        "answer": "0.5",
        "correct": TRUE,
        "tolerance": 0.05,
        "verdict": "fail",
        "points": 0.0,
    }
    summary = lines[-1]["summary"]
    assert summary == {
        "rows": 2,
        "passed": 1,
        "failed": 1,
        "invalid": 0,
        "mean_score": 0.5,
        "max_score": 1.0,
        "questions": {"y1": {"passed": 1, "of": 2}},
    }


def test_a_row_that_cannot_be_read_is_that_rows_problem():
    sheet = 'student,x1,x2,x3,y1\nalice,1,2,3,0.6225\nbob,1,oops,3,0.6\ncarol,1,2\n"eve,1,2,3,0.6225\n'
    counts, text = report(sheet)
    lines = [json.loads(line) for line in text.splitlines()]
    assert [line["verdict"] for line in lines[:-1]] == ["pass", "invalid", "invalid", "invalid"]
    assert lines[1]["reason"] == "x2 is 'oops', which is not a number" and lines[1]["score"] == 0.0
    assert lines[2]["line"] == 4 and lines[2]["reason"] == "it has 3 cells, but the header names 5 columns"
    assert lines[3]["reason"].startswith("a quote opened on this line is never closed")
    assert counts == {"pass": 1, "fail": 0, "invalid": 3, "rows": 4, "score": 1.0, "questions": {"y1": 1}}


def test_csv_names_the_answer_correct_and_verdict_of_every_column_and_runs_no_formula():
    sheet = 'student,x1,x2,x3,y1,z1\n=HYPERLINK("x"),1,2,3,0.6225,0.5\n@bob,1,2,3,0.62,0.49\n'
    _, text = report(sheet, Format.csv)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "student",
        "score",
        "max_score",
        "verdict",
        "y1",
        "y1_correct",
        "y1_verdict",
        "z1",
        "z1_correct",
        "z1_verdict",
        "reason",
    ]
    first = ['\'=HYPERLINK("x")', "2.0", "2.0", "pass", "0.6225", repr(TRUE), "pass", "0.5", "0.5", "pass", ""]
    assert rows[1] == first
    assert rows[2][:4] == ["'@bob", "0.0", "2.0", "fail"] and rows[2][6] == "too_coarse" and rows[2][9] == "fail"


def junit_of(sheet: str) -> str:
    return report(sheet, Format.junit)[1]


@pytest.mark.parametrize("schema", ["jenkins-xunit-junit-10.xsd", "ant-JUnit.xsd"])
def test_junit_validates_against_the_schemas_jenkins_and_ant_use(schema):
    nasty = 'student,x1,x2,x3,y1\n"a\x01b<&>""",1,2,3,0.5\nbob,1,2,3,x\x0c\n'
    xmlschema.XMLSchema(str(GRADING / schema)).validate(junit_of(nasty))
    xmlschema.XMLSchema(str(GRADING / schema)).validate(junit_of(SHEET))


def test_junit_reads_right_in_junitparser():
    xml = JUnitXml.fromstring(junit_of(SHEET))
    suites = list(xml)
    assert [suite.name for suite in suites] == ["line 2 (alice)", "line 3 (bob)"]
    assert [suite.tests for suite in suites] == [1, 1] and suites[1].failures == 1
    case = next(iter(suites[1]))
    assert case.name == "y1" and not case.is_passed
    assert "y1: fail (answer 0.5, correct 0.6224593312, tolerance 0.05)" in case.result[0].message


GRADESCOPE = {  # shared/realworld/grading/gradescope-specs.md, as a schema
    "type": "object",
    "properties": {
        "score": {"type": "number"},
        "output": {"type": "string"},
        "tests": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["score", "max_score", "name", "status"],
                "properties": {
                    "score": {"type": "number"},
                    "max_score": {"type": "number"},
                    "name": {"type": "string"},
                    "status": {"enum": ["passed", "failed"]},
                    "output": {"type": "string"},
                },
                "additionalProperties": False,
            },
        },
    },
    "required": ["score", "tests"],
}


def test_gradescope_grades_one_submission_and_follows_its_spec():
    _, text = report("student,x1,x2,x3,y1,z1\nalice,1,2,3,0.6225,0.6\n", Format.gradescope, points=2.5)
    document = json.loads(text)
    jsonschema.validate(document, GRADESCOPE)
    assert document["score"] == 2.5
    assert [(t["name"], t["score"], t["max_score"], t["status"]) for t in document["tests"]] == [
        ("y1", 2.5, 2.5, "passed"),
        ("z1", 0.0, 2.5, "failed"),
    ]
    assert "z1: fail (answer 0.6, correct 0.5, tolerance 0.05)" in document["tests"][1]["output"]


def test_gradescope_writes_results_json_whatever_happens():
    out = io.StringIO()
    with pytest.raises(NeuronError, match="Gradescope grades one submission"):
        run_sheet(io.BytesIO(SHEET.encode()), asked(chosen=Format.gradescope), out)
    document = json.loads(out.getvalue())
    assert document["score"] == 0.0 and document["tests"] == [] and "give --student ID" in document["output"]
    jsonschema.validate(document, GRADESCOPE)
    _, picked = report(SHEET, Format.gradescope, student="bob")
    assert json.loads(picked)["score"] == 0.0 and json.loads(picked)["tests"][0]["status"] == "failed"
    for unreadable in (b"", "학생,y1\n김,1\n".encode("utf-16-le") + b"\x00"):
        out = io.StringIO()
        with pytest.raises(NeuronError):
            run_sheet(io.BytesIO(unreadable), asked(chosen=Format.gradescope), out)
        assert json.loads(out.getvalue())["tests"] == []


def test_partial_credit_and_a_training_step():
    # One step of half_sse by hand: dL/dz = (y - t) y (1 - y); w_i - lr * dL/dz * x_i
    t, lr = 1.0, 0.5
    dz = (TRUE - t) * TRUE * (1 - TRUE)
    right = [f"{0.5 * (TRUE - t) ** 2:.6f}", f"{-0.2 - lr * dz * 2:.6f}", f"{0.1 - lr * dz:.6f}"]
    sheet = "q,z1,loss,w1_2,b1\n" + f"q1,0.5,{','.join(right)}\n" + f"q2,0.5,{right[0]},0.2,\n"
    inputs, targets = np.array([1.0, 2.0, 3.0]), np.array([t])
    _counts, text = report(sheet, inputs=inputs, targets=targets, rate=lr)
    rows = [json.loads(line) for line in text.splitlines()[:-1]]
    assert [row["score"] for row in rows] == [4.0, 2.0]
    assert [cell["verdict"] for cell in rows[1]["cells"]] == ["pass", "pass", "fail", "missing"]


def test_targets_per_row_and_layer_prefixes():
    network = Network((Layer.create([[1.0, 0.0], [0.0, 1.0]], 0.0, "linear"), Layer.create([[1.0, 1.0]], 0.0)))
    sheet = "x1,x2,t1,l2.w1_1,l1.b2\n1,2,4,1.1,0.1\n"  # y = 3, dL/dy = -1: w2_11 = 1 + 0.1*1*1, b1_2 = 0 + 0.1*1
    counts, text = report(sheet, network=network, tolerance=Tolerance(min_sig=0))
    assert counts["pass"] == 1, text


def test_encodings_delimiters_line_ends_and_decimal_commas():
    sheet = "student;x1;x2;x3;y1\r\n김민지;1;2;3;0,6225\r이수;1;2;3;0,5\n"
    for data in (sheet.encode("cp949"), sheet.encode("utf-16"), ("\ufeff" + sheet).encode()):
        counts, text = report(data, decimal_comma=True)
        rows = [json.loads(line) for line in text.splitlines()[:-1]]
        assert [row["names"]["student"] for row in rows] == ["김민지", "이수"] and counts["pass"] == 1
    _, text = report(sheet.encode("cp949"))  # without --decimal-comma 0,6225 is no number
    assert json.loads(text.splitlines()[0])["cells"][0]["verdict"] == "invalid"


def test_only_lf_crlf_and_cr_end_a_line():
    sheet = "student,x1,x2,x3,y1\nal\x0ci\u2028ce\x85,1,2,3,0.6225\n"
    counts, text = report(sheet)
    assert counts["rows"] == 1 and json.loads(text.split("\n")[0])["names"]["student"] == "al\x0ci\u2028ce\x85"


@pytest.mark.parametrize(
    ("sheet", "message"),
    [
        ("", "the sheet is empty"),
        ("1,2,3,0.6\n", "line 1: the sheet has no header line"),
        ("student,x1,x2,x3\nal,1,2,3\n", "no answer column"),
        ("student,x1,x2,x3,y1\n", "no rows to grade"),
        ("x1,x2,y1\n1,2,0.5\n", "line 1: the header's x1..x2 has 2 values"),
        ("x1,x3,x2,y9\n1,2,3,4\n", r"line 1: y9: the network has 1 output\(s\)"),
        ("x1,x2,x3,loss\n1,2,3,0.1\n", "add t1.. columns or give --target"),
        ("x1,x2,x3,y1,y1\n1,2,3,4,4\n", "named twice"),
        ("x0,x1,x2,y1\n1,2,3,0.5\n", "--index-base"),
    ],
)
def test_an_unusable_sheet_says_why(sheet, message):
    with pytest.raises(NeuronError, match=message):
        report(sheet)


def test_memory_stays_flat_a_block_at_a_time(monkeypatch):
    monkeypatch.setattr(grading, "BLOCK_ROWS", 100)
    rows = "".join("1,2,3,0.6225\n" for _ in range(1000))
    written = []

    class Out(io.StringIO):
        def write(self, text):
            written.append(text)
            return len(text)

    counts, _ = run_sheet(io.BytesIO(("x1,x2,x3,y1\n" + rows).encode()), asked(), Out())
    assert counts["pass"] == 1000 and len(written) == 11  # ten blocks, then the summary


# ---------------------------------------------------------------- a class's sheet of a question file

QUESTIONS = """
seed = "hw1-2026"

[defaults]
points = 2

[[question]]
id = "q1"
x = [1.0, 2.0, 3.0]
w = [[0.5, -0.2, 0.1]]
b = 0.1
activation = "sigmoid"
ask = ["y1", "z1"]

[[question]]
id = "q2"
points = 3
x = "1, 2"
w = "0.5, -0.5"
activation = "relu"
target = [1.0]
lr = 0.5
ask = ["y1", "loss", "w1_1"]
vary = {x = [-2.0, 2.0], w = [-1.0, 1.0], decimals = 1}
"""


def relu_answers(x, w):
    """q2 by hand: z = x . w, y = relu(z), loss = (y - 1)^2 / 2, w1 - 0.5 * (y - 1) * [z > 0] * x1."""
    z = x[0] * w[0] + x[1] * w[1]
    y = max(z, 0.0)
    return y, 0.5 * (y - 1) ** 2, w[0] - 0.5 * (y - 1) * (z > 0) * x[0]


@pytest.fixture
def quiz(tmp_path):
    path = tmp_path / "hw1.toml"
    path.write_text(QUESTIONS)
    return load_quiz(str(path))


def test_each_student_is_graded_on_their_own_numbers(quiz):
    alice = quiz.for_student("alice").question("q2")
    y, loss, w11 = relu_answers(alice.inputs, alice.network.layers[0].weights[0])
    sheet = (
        "student,name,q1.y1,q1.z1,q2.y1,q2.loss,q2.w1_1\n"
        f"alice,Alice,0.6225,0.500,{y:.6f},{loss:.6f},{w11:.6f}\n"
        f"bob,Bob,0.6225,0.500,{y:.6f},{loss:.6f},{w11:.6f}\n"  # alice's numbers: bob's question is another
        ",Nobody,0.6225,0.5,1,1,1\n"
    )
    _counts, text = report(sheet, network=None, quiz=quiz)
    rows = [json.loads(line) for line in text.splitlines()]
    assert [row["score"] for row in rows[:3]] == [5.0, 2.0, 0.0]
    assert rows[0]["verdict"] == "pass" and rows[2]["verdict"] == "invalid"
    assert rows[2]["line"] == 4 and rows[2]["reason"] == "the student id is missing"
    assert rows[3]["summary"]["questions"] == {"q1": {"passed": 2, "of": 3}, "q2": {"passed": 1, "of": 3}}
    assert math.isclose(rows[3]["summary"]["mean_score"], 7 / 3)


def test_a_column_the_question_does_not_ask_is_refused(quiz):
    with pytest.raises(NeuronError, match="question q1 does not ask for it"):
        report("student,q1.y1,q1.w1_1\nalice,1,2\n", network=None, quiz=quiz)
    with pytest.raises(NeuronError, match="no 'student' column"):
        report("id,q1.y1\nalice,1\n", network=None, quiz=quiz)


@pytest.mark.parametrize("columns", ["student,x1,x2,x3,y1", "student,x1,x2,x3,t1,y1,loss,w1_1"])
def test_a_piece_marked_a_column_at_a_time_is_marked_as_its_records_are(columns):
    """Two processes grade a large sheet's plain pieces a column at a time (io/sheets.sheet_columns); a piece
    with anything else (a blank answer, a bad number, a quoted name, a ragged row) goes through the records.
    Both give the same marks, block for block."""
    from neuron_cli.io import polars
    from neuron_cli.io.csvfile import Dialect, records
    from neuron_cli.run.parallel import Piece

    polars.wanted(True)
    rng = np.random.default_rng(7)
    lines = [columns]
    for k in range(9000):
        x = rng.uniform(-1, 1, 3).round(4)
        y = 1 / (1 + np.exp(-(x @ np.array([0.5, -0.2, 0.1]) + 0.1)))
        extra = ",1" if "t1" in columns else ""
        answers = f",{y:.{2 + k % 9}f}" + (",0.05,0.5" if "loss" in columns else "")
        lines.append(f"s{k}," + ",".join(map(str, x)) + extra + answers)
    plain = ("\n".join(lines) + "\n").encode()
    broken = plain.replace(b"\ns100,", b'\n"Kim, s100",').replace(b"\ns200,", b"\ns200, ")
    request = asked(chosen=Format.csv)
    for text in (plain, broken):
        found = records(io.BytesIO(text))[1]
        layout, header = grading.read_layout(found, request)
        piece = Piece(0, text, 1)
        fast = grading._column_blocks(piece, layout, header, Dialect("utf-8", ","), request)
        assert (fast is None) == (text is broken)
        rows = (r for r in records(io.BytesIO(text))[1] if r.line != header)
        expected = list(grading._blocks(rows, layout, request))
        if fast is not None:
            got = list(fast)
            assert [m.lines for m in got] == [m.lines for m in expected]
            assert [list(m.names) for m in got] == [list(m.names) for m in expected]
            for a, b in zip(got, expected):
                assert (a.answers, a.correct, a.scores, a.verdicts) == (b.answers, b.correct, b.scores, b.verdicts)
                assert [(g.verdicts, g.tolerances, g.hints) for g in a.graded] == [
                    (g.verdicts, g.tolerances, g.hints) for g in b.graded
                ]
