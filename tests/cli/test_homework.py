"""A teacher's homework from the command line: a question file, each student's own numbers (`neuron quiz`), the
class graded in one run (`check --answers --questions`), and Gradescope's one submission, as a teacher runs them."""

import csv
import hashlib
import io
import json
import math
import subprocess

import pytest

from tests.conftest import default_sigint, environment, neuron_command

QUESTIONS = """
seed = "hw1-2026"

[defaults]
points = 2

[[question]]
id = "q1"
text = "A sigmoid neuron."
x = [1, 2, 3]
w = [0.5, -0.2, 0.1]
b = 0.1
activation = "sigmoid"
ask = ["z1", "y1"]

[[question]]
id = "q2"
points = 3
x = [1, 2]
w = [0.5, -0.5]
activation = "relu"
target = [1]
lr = 0.5
loss = "half_sse"
ask = ["y1", "loss", "w1_1"]
vary = {x = [-2, 2], w = [-1, 1], decimals = 1}
"""
SIGMOID = 1 / (1 + math.exp(-0.5))


def drawn(student: str, place: str, low: float = -2.0, high: float = 2.0) -> float:
    """The documented draw, written out again: SHA-256 of seed, id and place, its first 8 bytes as a fraction."""
    digest = hashlib.sha256(f"hw1-2026\x1f{student}\x1f{place}".encode()).digest()
    return round(low + (high - low) * int.from_bytes(digest[:8], "big") / 2.0**64, 1) + 0.0


def own_q2(student: str) -> tuple[list[float], list[float]]:
    return [drawn(student, f"q2.x.{k}") for k in range(2)], [drawn(student, f"q2.w1.{k}", -1, 1) for k in range(2)]


def right_answers(student: str) -> list[str]:
    """A student's answers worked by hand: q1's z and sigmoid, q2's relu, its half_sse loss and w1 after a step."""
    x, w = own_q2(student)
    z = x[0] * w[0] + x[1] * w[1]
    y = max(z, 0.0)
    w11 = w[0] - 0.5 * (y - 1) * (1.0 if z > 0 else 0.0) * x[0]
    return ["0.5", f"{SIGMOID:.6f}", f"{y:.6g}", f"{0.5 * (y - 1) ** 2:.6g}", f"{w11:.6g}"]


@pytest.fixture
def homework(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hw1.toml").write_text(QUESTIONS)
    (tmp_path / "roster.csv").write_text('student\nalice\nbob\n"Kim, Minji"\n')
    return tmp_path


def sheet(rows: list[list[str]]) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["student", "q1.z1", "q1.y1", "q2.y1", "q2.loss", "q2.w1_1"])
    writer.writerows(rows)
    return text.getvalue()


# ---------------------------------------------------------------- neuron quiz


def test_each_student_sees_their_own_numbers_the_same_every_time(neuron, homework):
    alice = neuron("quiz", "hw1.toml", "--student", "alice", "--format", "json")
    assert alice.code == 0
    document = json.loads(alice.out)
    q1, q2 = document["questions"]
    assert document["student"] == "alice" and q1["inputs"] == [1.0, 2.0, 3.0]  # q1 does not vary
    x, w = own_q2("alice")
    assert q2["inputs"] == x and q2["layers"][0]["weights"] == [w]
    assert q2["columns"] == ["q2.y1", "q2.loss", "q2.w1_1"] and q2["points"] == 3.0
    assert neuron("quiz", "hw1.toml", "--student", "alice", "--format", "json").out == alice.out
    bob = json.loads(neuron("quiz", "hw1.toml", "--student", "bob", "--format", "json").out)
    assert bob["questions"][1]["inputs"] != q2["inputs"] or bob["questions"][1]["layers"] != q2["layers"]


def test_a_person_reads_the_questions_and_the_columns_to_fill(neuron, homework):
    shown = neuron("quiz", "hw1.toml", "--student", "alice", "--format", "table")
    x, _ = own_q2("alice")
    assert "Questions for alice" in shown.out and "q2 (3 points)" in shown.out
    assert f"x = {x[0]:g}, {x[1]:g}" in shown.out and "answer: q2.y1, q2.loss, q2.w1_1" in shown.out
    korean = neuron("quiz", "hw1.toml", "--student", "alice", "--format", "table", "--lang", "ko")
    assert "alice 학생의 문항" in korean.out and "q2 (3점)" in korean.out


def test_the_class_gets_the_answer_sheet_to_fill_in(neuron, homework):
    made = neuron("quiz", "hw1.toml", "--students", "roster.csv", "--format", "csv")
    rows = list(csv.reader(io.StringIO(made.out)))
    assert rows == [
        ["student", "q1.z1", "q1.y1", "q2.y1", "q2.loss", "q2.w1_1"],
        ["alice", "", "", "", "", ""],
        ["bob", "", "", "", "", ""],
        ["Kim, Minji", "", "", "", "", ""],
    ]
    lines = neuron("quiz", "hw1.toml", "--students", "roster.csv", "--format", "json").lines()
    assert [json.loads(line)["student"] for line in lines] == ["alice", "bob", "Kim, Minji"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ([], "give one student with --student ID, or a class with --students class.csv"),
        (["--student", "a", "--students", "roster.csv"], "give one student with --student ID"),
        (["--student", " "], "--student: an id must not be empty"),
        (["--students", "hw1.toml"], "--students: hw1.toml has no column student"),
    ],
)
def test_quiz_refuses_what_it_cannot_do_in_one_line(neuron, homework, args, says):
    run = neuron("quiz", "hw1.toml", *args)
    assert run.code == 2 and run.out == "" and says in run.err and len(run.err.splitlines()) == 1


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (('seed = "hw1-2026"', ""), "a question varies, so the file needs a seed"),
        (('ask = ["z1", "y1"]', 'ask = ["z1", "y9"]'), "question q1, ask: y9: the network has 1 output(s)"),
        (('loss = "half_sse"', 'loss = "half_sse"\ncolour = "red"'), "unknown keys: colour"),
        (('id = "q2"', 'id = "q1"'), "the id 'q1' is given twice"),
    ],
)
def test_a_question_file_that_does_not_load_names_the_file_and_the_key(neuron, homework, change, says):
    (homework / "bad.toml").write_text(QUESTIONS.replace(*change))
    run = neuron("quiz", "bad.toml", "--student", "alice")
    assert run.code == 2 and "bad.toml" in run.err and says in run.err and "Traceback" not in run.err


# ---------------------------------------------------------------- grading the class


def test_the_class_is_graded_each_on_their_own_numbers_with_partial_credit(neuron, homework):
    alice, bob = right_answers("alice"), right_answers("bob")
    (homework / "answers.csv").write_text(sheet([["alice", *alice], ["bob", *alice], ["Kim, Minji", "0.5", "1"]]))
    run = neuron("check", "--answers", "answers.csv", "--questions", "hw1.toml", "--format", "json")
    assert run.code == 1
    rows = [json.loads(line) for line in run.lines()]
    assert [row["score"] for row in rows[:3]] == [5.0, 2.0, 0.0]
    assert rows[0]["verdict"] == "pass" and rows[2]["verdict"] == "invalid" and "cells" in rows[2]["reason"]
    assert rows[3]["summary"]["all_right"] == ["alice"]
    assert rows[3]["summary"]["questions"] == {"q1": {"passed": 2, "of": 3}, "q2": {"passed": 1, "of": 3}}
    if bob != alice:  # bob copied alice's q2: his own numbers make it another question
        assert [cell["verdict"] for cell in rows[1]["cells"]][:2] == ["pass", "pass"]
        assert any(cell["verdict"] == "fail" for cell in rows[1]["cells"][2:])


def test_a_sheet_row_cannot_change_its_question(neuron, homework):
    # inputs are the question file's: a sheet that brings x1.. columns is refused, not obeyed
    (homework / "answers.csv").write_text("student,x1,q1.y1\nalice,0,0.5\n")
    run = neuron("check", "--answers", "answers.csv", "--questions", "hw1.toml")
    assert run.code == 2 and "column 'x1': the question file gives every input and target" in run.err
    for option in (["-w", "1,1"], ["-x", "1,2"], ["--tol", "1"], ["--points", "9"]):
        refused = neuron("check", "--answers", "answers.csv", "--questions", "hw1.toml", *option)
        assert refused.code == 2 and "--questions holds the questions" in refused.err


def test_korean_excel_sheets_are_read_as_they_are_saved(neuron, homework):
    alice = right_answers("alice")
    korean = sheet([["김민지", "0.5", "0.62246", "", "", ""], ["alice", *alice]]).replace(",", ";")
    (homework / "cp949.csv").write_bytes(korean.replace("0.62246", "0,62246").encode("cp949"))
    run = neuron("check", "--answers", "cp949.csv", "--questions", "hw1.toml", "--decimal-comma", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(run.out)))
    assert rows[0]["student"] == "김민지" and rows[0]["q1.y1_verdict"] == "pass"
    assert rows[0]["q2.y1_verdict"] == "missing"
    assert rows[1]["verdict"] == "pass" and run.code == 1
    without = neuron("check", "--answers", "cp949.csv", "--questions", "hw1.toml", "-f", "plain")
    assert "q1.y1: invalid" in without.out and "0.5, not 0,5 (or give --decimal-comma)" in without.out


def test_gradescope_grades_the_submitting_student_and_always_writes_results(neuron, homework):
    (homework / "answers.csv").write_text(sheet([["bob", *right_answers("bob")], ["alice", "0.5"]]))
    run = neuron("check", "--answers", "answers.csv", "--questions", "hw1.toml", "-f", "gradescope", "--student", "bob")
    document = json.loads(run.out)
    assert run.code == 0 and document["score"] == 5.0
    assert [(t["name"], t["score"], t["max_score"], t["status"]) for t in document["tests"]] == [
        ("q1", 2.0, 2.0, "passed"),
        ("q2", 3.0, 3.0, "passed"),
    ]
    (homework / "empty.csv").write_text("")
    for args in (
        ["--answers", "missing.csv"],
        ["--answers", "empty.csv"],
        ["--answers", "answers.csv"],  # two rows, no --student
        ["--answers", "answers.csv", "--student", "zed"],
    ):
        failed = neuron("check", *args, "--questions", "hw1.toml", "-f", "gradescope")
        document = json.loads(failed.out)
        assert failed.code == 2 and document["score"] == 0.0 and document["tests"] == []
        assert document["output"] and document["output"] in failed.err


def test_the_whole_sheet_is_graded_when_the_reader_leaves_early(homework):
    # `| head -1`: the reader closes the pipe after one line; the wrong row at the end still makes it exit 1
    (homework / "big.csv").write_text(
        sheet([["alice", *right_answers("alice")]] * 30_000 + [["alice", "0.5", "0.1", "0", "0", "0"]])
    )
    process = subprocess.Popen(
        [*neuron_command(), "check", "--answers", "big.csv", "--questions", "hw1.toml", "-f", "csv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(),
        preexec_fn=default_sigint,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().startswith(b"student,")
    process.stdout.close()
    assert process.wait(timeout=120) == 1 and process.stderr.read() == b""


def test_a_teachers_sheet_follows_the_index_base(neuron, homework):
    # textbooks that count from 0 (x0, w0) write their sheets so; a header in the other base is refused by name
    (homework / "zero.csv").write_text("student,x0,x1,x2,y0\nalice,1,2,3,0.6225\nbob,1,2,3,0.6\n")
    network = ["-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid"]
    run = neuron("check", "--answers", "zero.csv", *network, "--index-base", "0", "-f", "json")
    rows = [json.loads(line) for line in run.lines()]
    assert run.code == 1 and [row["verdict"] for row in rows[:2]] == ["pass", "fail"]
    assert rows[1]["cells"][0]["verdict"] == "too_coarse" and rows[1]["cells"][0]["column"] == "y0"
    refused = neuron("check", "--answers", "zero.csv", *network)
    assert refused.code == 2 and "--index-base 0" in refused.err and "x0" in refused.err


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("width", [40, 80])
def test_what_a_person_reads_fits_the_terminal(neuron, homework, width, lang):
    from rich.text import Text

    (homework / "answers.csv").write_text(sheet([["alice", *right_answers("alice")], ["Kim, Minji", "0.5", "1"]]))
    env = {"COLUMNS": str(width)}
    for args in (
        ["check", "--answers", "answers.csv", "--questions", "hw1.toml"],
        ["quiz", "hw1.toml", "--student", "Kim, Minji"],
    ):
        shown = neuron(*args, "--lang", lang, tty=True, env=env)
        widths = [Text.from_ansi(line).cell_len for line in shown.out.splitlines()]
        assert shown.out and max(widths) <= width, shown.out


def test_a_question_of_one_point_says_point(neuron, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "q.toml").write_text('[[question]]\nid = "q1"\nx = [1]\nw = [1]\nask = ["y1"]\n')
    assert "q1 (1 point)\n" in neuron("quiz", "q.toml", "--student", "a", "-f", "table").out
