"""Answer sheets: every verdict, every tolerance rule, every report format, and sheets that cannot be used."""

import io
import json
import xml.etree.ElementTree as ElementTree

import jsonschema
import numpy as np
import pytest

from neuron_cli.errors import NeuronError
from neuron_cli.nn.grading import Tolerance, grade_cell, written_exponent
from neuron_cli.nn.layers import Layer, Network
from neuron_cli.render import Format, View
from neuron_cli.run.grading import grade_sheet, run_sheet
from neuron_cli.run.requests import GradeRequest

NEURON = Network((Layer.create([0.5, -0.2, 0.1], 0.1, "sigmoid"),))
TRUE = float(1 / (1 + np.exp(-0.5)))  # 0.6224593312018546, worked by hand: 1*0.5 + 2*(-0.2) + 3*0.1 + 0.1 = 0.5


def asked(network=NEURON, chosen=Format.json, **options) -> GradeRequest:
    return GradeRequest(network, chosen, View(), "-", **options)


def report(sheet, chosen=Format.json, network=NEURON, **options):
    out = io.StringIO()
    counts = run_sheet(io.BytesIO(sheet.encode()), asked(network, chosen, **options), out)
    return counts, out.getvalue()


@pytest.mark.parametrize(
    ("written", "verdict"),
    [
        ("0.6225", "pass"),
        ("0.6224", "fail"),
        ("", "missing"),
        ("  ", "missing"),
        ("abc", "invalid"),
        ("0,6225", "invalid"),
        ("nan", "invalid"),
        ("6.2246e-1", "pass"),
        (".62246", "pass"),
        ("1", "pass"),
    ],
)
def test_each_verdict_with_the_tolerance_of_the_decimals_written(written, verdict):
    assert grade_cell(written, TRUE, Tolerance())[0] == verdict


def test_written_exponents():
    assert [written_exponent(t) for t in ("0.6225", "3", "6.2e-1", "1.5e3", "2.", "-0.50")] == [-4, 0, -2, 2, 0, -2]


def test_every_tolerance_rule():
    assert grade_cell("0.62", TRUE, Tolerance("absolute", 0.003)) == ("pass", 0.003)
    assert grade_cell("0.62", TRUE, Tolerance("absolute", 0.002))[0] == "fail"
    assert grade_cell("0.62", TRUE, Tolerance("relative", 0.01))[0] == "pass"  # off by 0.4 %
    assert grade_cell("0.62", TRUE, Tolerance("relative", 0.001))[0] == "fail"
    # --sig 3: half a unit of the 3rd significant digit of 0.622459..., 0.0005
    assert grade_cell("0.6223", TRUE, Tolerance("significant", 3)) == ("pass", pytest.approx(0.0005))
    assert grade_cell("0.6219", TRUE, Tolerance("significant", 3))[0] == "fail"
    assert grade_cell("1", TRUE, Tolerance(min_decimals=3))[0] == "too_coarse"  # the student who wrote "1"
    assert grade_cell("0.622", TRUE, Tolerance(min_decimals=3))[0] == "pass"


SHEET = "student,x1,x2,x3,y1\nalice,1,2,3,0.6225\nbob,1,2,3,0.5\n"


def test_json_lines_then_a_summary():
    (passed, total), text = report(SHEET)
    lines = [json.loads(line) for line in text.splitlines()]
    assert (passed, total) == (1, 2)
    assert lines[0]["line"] == 2 and lines[0]["names"] == {"student": "alice"} and lines[0]["verdict"] == "pass"
    cell = lines[1]["cells"][0]
    assert cell == {"column": "y1", "expected": "0.5", "got": TRUE, "tolerance": 0.05, "verdict": "fail"}
    assert lines[-1] == {"summary": {"rows": 2, "passed": 1, "failed": 1}}


def test_csv_report_keeps_what_was_written():
    _, text = report(SHEET, Format.csv)
    import csv

    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["student", "verdict", "y1", "y1_got"]
    assert rows[1] == ["alice", "pass", "0.6225", repr(TRUE)]


def test_junit_parses_and_counts():
    _, text = report(SHEET, Format.junit)
    root = ElementTree.fromstring(text)
    suite = root.find("testsuite")
    assert suite.get("tests") == "2" and suite.get("failures") == "1"
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["line 2 (alice)", "line 3 (bob)"]
    assert cases[0].find("failure") is None and "y1: fail, written '0.5'" in cases[1].find("failure").get("message")


GRADESCOPE_SCHEMA = {
    "type": "object",
    "required": ["tests"],
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
            },
        },
    },
}


def test_gradescope_results_follow_its_schema_with_points():
    _, text = report(SHEET, Format.gradescope, points=2.5)
    document = json.loads(text)
    jsonschema.validate(document, GRADESCOPE_SCHEMA)
    assert document["score"] == 2.5 and [t["score"] for t in document["tests"]] == [2.5, 0.0]


def test_quotes_a_bom_and_crlf():
    sheet = '\ufeffstudent,x1,x2,x3,y1\r\n"Kim, Minji",1,2,3,"0.6225"\r\n"multi\r\nline",1,2,3,0.62246\r\n'
    (passed, total), text = report(sheet)
    lines = [json.loads(line) for line in text.splitlines()]
    assert (passed, total) == (2, 2)
    assert lines[0]["names"] == {"student": "Kim, Minji"} and lines[1]["line"] == 3


def test_inputs_from_x_and_z_loss_weights_after_a_step():
    layer = Network((Layer.create([[0.5, -0.2, 0.1]], 0.1, "sigmoid"),))
    # One step of half_sse by hand: dL/dz = (y - t) y (1 - y); w_i - lr * dL/dz * x_i
    t, lr = 1.0, 0.5
    dz = (TRUE - t) * TRUE * (1 - TRUE)
    sheet = f"q,z1,loss,w1_2,b1\nq1,0.5,{0.5 * (TRUE - t) ** 2:.6f},{-0.2 - lr * dz * 2:.6f},{0.1 - lr * dz:.6f}\n"
    (passed, total), text = report(
        sheet, network=layer, inputs=np.array([1.0, 2.0, 3.0]), targets=np.array([t]), rate=lr
    )
    assert (passed, total) == (1, 1), text


def test_targets_per_row_and_layer_prefixes():
    network = Network((Layer.create([[1.0, 0.0], [0.0, 1.0]], 0.0, "linear"), Layer.create([[1.0, 1.0]], 0.0)))
    sheet = "x1,x2,t1,l2.w1_1,l1.b2\n1,2,4,1.1,0.1\n"  # y = 3, dL/dy = -1: w2_11 = 1 + 0.1*1*1, b1_2 = 0 + 0.1*1
    (passed, total), text = report(sheet, network=network)
    assert (passed, total) == (1, 1), text


@pytest.mark.parametrize(
    ("sheet", "message"),
    [
        ("", "the sheet is empty"),
        ("1,2,3,0.6\n", "line 1: the sheet has no header line"),
        ("student,x1,x2,x3\nal,1,2,3\n", "no expected column"),
        ("x1,x2,y1\n1,2,0.5\n", "line 1: the header's x1..x2 has 2 values"),
        ("x1,x3,x2,y9\n1,2,3,4\n", "the network has 1 outputs"),
        ("x1,x2,x3,loss\n1,2,3,0.1\n", "add t1.. columns or give --target"),
        ("x1,x2,x3,y1,y1\n1,2,3,4,4\n", "named twice"),
    ],
)
def test_an_unusable_sheet_says_why(sheet, message):
    with pytest.raises(NeuronError, match=message):
        list(grade_sheet(io.BytesIO(sheet.encode()), asked()))


def test_an_unusable_row_comes_after_every_row_before_it():
    sheet = "x1,x2,x3,y1\n1,2,3,0.6225\n1,2,3,0.6\n1,oops,3,0.6\n1,2,3,0.6\n"
    out = io.StringIO()
    with pytest.raises(NeuronError, match="line 4, x2 is 'oops'"):
        run_sheet(io.BytesIO(sheet.encode()), asked(chosen=Format.csv), out)
    assert len(out.getvalue().splitlines()) == 3  # the header and rows 2 and 3


def test_memory_stays_flat_a_block_at_a_time(monkeypatch):
    from neuron_cli.run import grading as engine

    monkeypatch.setattr(engine, "BLOCK_ROWS", 100)
    rows = "".join("1,2,3,0.6225\n" for _ in range(1000))
    parts = list(grade_sheet(io.BytesIO(("x1,x2,x3,y1\n" + rows).encode()), asked()))
    assert len(parts) == 11 and max(len(p.rows) for p in parts) == 100 and parts[-1].passed == 1000


def test_the_command_exits_0_1_or_2(neuron, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("student,x1,x2,x3,y1\nalice,1,2,3,0.6225\n")
    args = ["-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid"]
    assert neuron("check", "--answers", str(good), *args).code == 0
    run = neuron("check", "--answers", "-", *args, "--format", "csv", stdin=SHEET)
    assert run.code == 1 and run.lines()[0] == "student,verdict,y1,y1_got"
    bad = neuron("check", "--answers", "-", *args, stdin="student,x1,x2,x3,y1\nal,1,2,x,0.6\n")
    assert bad.code == 2 and bad.err.startswith("error: line 2, x3 is 'x'") and "Traceback" not in bad.err
    assert neuron("check", "--answers", str(good), *args, "--rtol", "0.1", "--sig", "3").code == 2
    assert neuron("check", "--answers", str(good), *args, "--points", "2").code == 2  # only for gradescope
