"""What a hostile student or a careless teacher did to homework grading, each once a defect: one cell must never
stop the class's grading, a report is always valid in its format, and nothing a sheet says reaches a terminal
as a control sequence or a spreadsheet as a formula."""

import csv
import io
import json
import os

import pytest

from tests.cli.test_homework import QUESTIONS, right_answers, sheet


@pytest.fixture
def homework(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hw1.toml").write_text(QUESTIONS)
    return tmp_path


def grade(neuron, name, *args):
    return neuron("check", "--answers", name, "--questions", "hw1.toml", *args)


def test_an_exponent_of_thousands_of_digits_is_one_cells_verdict(neuron, homework):
    (homework / "s.csv").write_text(
        sheet([["alice", *right_answers("alice")], ["bob", "0.5e-" + "9" * 5000, "1", "1", "1", "1"]])
    )
    for fmt in ("json", "junit", "plain"):
        run = grade(neuron, "s.csv", "-f", fmt)
        assert run.code == 1 and "Traceback" not in run.err
    rows = [json.loads(line) for line in grade(neuron, "s.csv", "-f", "json").lines()]
    assert rows[0]["verdict"] == "pass" and rows[1]["cells"][0]["verdict"] == "fail"


@pytest.mark.parametrize("fmt", ["gradescope", "junit", "json"])
def test_a_sheet_of_a_header_alone_says_so_in_every_format(neuron, homework, fmt):
    (homework / "s.csv").write_text(sheet([]) + "\n\n")
    run = grade(neuron, "s.csv", "-f", fmt)
    assert run.code == 2 and "no rows to grade" in run.err and "Traceback" not in run.err
    if fmt == "gradescope":
        assert json.loads(run.out)["output"].endswith("the sheet has a header but no rows to grade")


def test_a_stray_quote_loses_its_own_row_and_no_other(neuron, homework):
    good = right_answers("bob")
    rows = (
        sheet([["alice", *right_answers("alice")]])
        + 'mallory,"0.5,1,2,3,4\n'
        + sheet([["bob", *good]]).split("\n", 1)[1]
    )
    (homework / "s.csv").write_text(rows)
    graded = [json.loads(line) for line in grade(neuron, "s.csv", "-f", "json").lines()]
    assert [row.get("names", {}).get("student") for row in graded[:3]] == ["alice", "mallory", "bob"]
    assert graded[1]["reason"] == "a quote opened on this line is never closed" and graded[2]["verdict"] == "pass"


def test_a_cr_inside_a_cell_stays_inside_it_in_csv(neuron, homework):
    (homework / "s.csv").write_bytes(b'student,q1.z1,q1.y1\nalice,0.5,"0.3\r=1+1"\n')
    run = grade(neuron, "s.csv", "-f", "csv")
    rows = list(csv.reader(io.StringIO(run.out, newline="")))
    assert [len(row) for row in rows] == [len(rows[0])] * 2 and rows[1][7] == "0.3\r=1+1"


def test_reports_are_valid_utf8_whatever_bytes_the_sheet_holds(neuron, homework):
    (homework / "s.csv").write_bytes(b"student,q1.z1,q1.y1\nbob,0.5\xff,0.6225\n")
    for fmt in ("gradescope", "json", "csv"):
        args = ["--student", "bob"] if fmt == "gradescope" else []
        run = grade(neuron, "s.csv", "-f", fmt, "--encoding", "utf-8", *args)
        run.stdout_bytes.decode("utf-8")  # strict: no stray byte
        if fmt != "csv":
            json.loads(run.stdout_bytes.decode().splitlines()[0] if fmt == "json" else run.stdout_bytes)


def test_a_guarded_id_gives_back_its_own_numbers(neuron, homework):
    (homework / "roster.csv").write_text("student\n@alice\n")
    made = neuron("quiz", "hw1.toml", "--students", "roster.csv", "-f", "csv").out
    assert made.splitlines()[1].startswith("'@alice,")  # guarded from spreadsheets ...
    filled = made.splitlines()[0] + "\n'@alice," + ",".join(right_answers("@alice")) + "\n"
    (homework / "s.csv").write_text(filled)
    assert grade(neuron, "s.csv").code == 0  # ... and graded on @alice's numbers
    assert grade(neuron, "s.csv", "-f", "gradescope", "--student", "@alice").code == 0


def test_control_sequences_of_a_name_are_shown_not_sent(neuron, homework):
    (homework / "s.csv").write_text(sheet([["evil\x1b]0;pwned\x07\x1b[2J", "1", "1"]]))
    for fmt in ("plain", "table"):
        run = grade(neuron, "s.csv", "-f", fmt)
        assert "\x1b" not in run.out and "\x07" not in run.out and "evil\\x1b]0;pwned" in run.out


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (('id = "q2"', 'id = "Q1"'), "the id 'Q1' is given twice"),
        (('ask = ["z1", "y1"]', 'ask = ["y1", "Y1"]'), "ask names an answer twice"),
        (("vary = {x = [-2, 2]", "vary = {x = [-1e308, 1e308]"), "two numbers from -1000000000000.0"),
        (("points = 3", "points = 1e308"), "points should be a number from 0 to 1000000.0"),
    ],
)
def test_a_question_file_a_sheet_could_not_follow_is_refused_when_read(neuron, homework, change, says):
    (homework / "bad.toml").write_text(QUESTIONS.replace(*change))
    run = neuron("quiz", "bad.toml", "--student", "alice")
    assert run.code == 2 and says in run.err


def test_json_question_text_must_be_unicode_and_a_model_a_regular_file(neuron, homework):
    (homework / "bad.json").write_text(
        '{"seed": "\\ud800", "question": [{"id": "q1", "x": [1], "w": [1], "ask": ["y1"]}]}'
    )
    assert "not valid Unicode" in neuron("quiz", "bad.json", "--student", "a").err
    os.mkfifo(homework / "fifo.json")
    (homework / "m.toml").write_text('[[question]]\nid = "q1"\nx = [1]\nmodel = "fifo.json"\nask = ["y1"]\n')
    run = neuron("quiz", "m.toml", "--student", "a")
    assert run.code == 2 and "not a regular file" in run.err


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--min-decimals", "5"], "--questions holds the questions: leave out --min-decimals"),
        (["--index-base", "0"], "leave out --index-base"),
        (["--student", "\x1b[2J"], "printable text"),
    ],
)
def test_options_a_question_file_decides_are_refused_not_ignored(neuron, homework, args, says):
    (homework / "s.csv").write_text(sheet([["alice", *right_answers("alice")]]))
    run = grade(neuron, "s.csv", *args)
    assert run.code == 2 and says in run.err


def test_student_picks_the_row_in_every_format(neuron, homework):
    (homework / "s.csv").write_text(sheet([["alice", *right_answers("alice")], [" bob ", "0", "0"]]))
    rows = [json.loads(line) for line in grade(neuron, "s.csv", "-f", "json", "--student", "alice").lines()]
    assert len(rows) == 2 and rows[0]["names"]["student"] == "alice" and rows[1]["summary"]["rows"] == 1
    assert grade(neuron, "s.csv", "-f", "gradescope", "--student", "bob").code == 1  # spaces around it aside


def test_utf16_without_its_byte_order_mark_is_a_message(neuron, homework):
    (homework / "s.csv").write_bytes("student,q1.y1\nalice,0.6225\n".encode("utf-16-le"))
    run = grade(neuron, "s.csv", "--encoding", "utf-16", "-f", "gradescope")
    assert run.code == 2 and "not UTF-16 text" in run.err and json.loads(run.out)["score"] == 0.0


def test_infinite_answers_are_invalid_and_a_wrong_zero_point_question_fails(neuron, homework):
    (homework / "z.toml").write_text(QUESTIONS.replace("points = 3", "points = 0"))
    (homework / "s.csv").write_text(sheet([["alice", "0.5", "inf", "9", "9", "9"]]))
    document = json.loads(neuron("check", "--answers", "s.csv", "--questions", "z.toml", "-f", "gradescope").out)
    assert [test["status"] for test in document["tests"]] == ["failed", "failed"]
    assert "q1.y1: invalid" in document["tests"][0]["output"]


def test_a_sheets_column_named_as_a_reports_own_cannot_pass_for_it(neuron, homework):
    (homework / "s.csv").write_text(
        "student,y1_verdict,y1_correct,score,verdict,x1,x2,x3,y1\nmal,pass,0.1,1.0,pass,1,2,3,0.1\n"
    )
    run = neuron("check", "--answers", "s.csv", "-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid", "-f", "csv")
    header, row = list(csv.reader(io.StringIO(run.out)))
    assert len(set(header)) == len(header)  # one column of each name: a script reads neuron's
    report = dict(zip(header, row))
    assert report["score"] == "0.0" and report["verdict"] == "fail" and report["y1_verdict"] == "fail"
    assert report["score (sheet)"] == "1.0" and report["verdict (sheet)"] == "pass"


def test_grading_a_sheet_into_itself_is_refused_before_a_byte_is_written(homework):
    import subprocess

    from tests.conftest import environment, neuron_command

    (homework / "s.csv").write_text(sheet([["alice", *right_answers("alice")]]))
    before = (homework / "s.csv").read_bytes()
    for fmt in ("csv", "gradescope"):  # `>> s.csv`: it would grade its own report for ever
        with open(homework / "s.csv", "ab") as appended:
            command = [*neuron_command(), "check", "--answers", "s.csv", "--questions", "hw1.toml", "-f", fmt]
            done = subprocess.run(command, stdout=appended, stderr=subprocess.PIPE, env=environment(), timeout=60)
        assert done.returncode == 2 and b"standard output writes to" in done.stderr
    assert (homework / "s.csv").read_bytes() == before


def test_a_full_score_is_the_maximum_however_the_points_are_shared(neuron, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    weights = "[" + ",".join(f"[{k}]" for k in range(1, 11)) + "]"
    asked = ", ".join(f'"y{k}"' for k in range(1, 11))
    (tmp_path / "p.toml").write_text(
        f'[[question]]\nid = "q"\npoints = 1\nx = [1]\nw = {weights}\nask = [{asked}]\n'
        '[[question]]\nid = "r"\npoints = 0.3\nx = [1]\nw = [[1], [2], [3]]\nask = ["y1", "y2", "y3"]\n'
    )
    header = ",".join([*(f"q.y{k}" for k in range(1, 11)), "r.y1", "r.y2", "r.y3"])
    (tmp_path / "p.csv").write_text(f"student,{header}\ns,{','.join(map(str, range(1, 11)))},1,2,3\n")
    row = json.loads(neuron("check", "--answers", "p.csv", "--questions", "p.toml", "-f", "json").lines()[0])
    assert row["score"] == row["max_score"] == 1.3
    graded = json.loads(neuron("check", "--answers", "p.csv", "--questions", "p.toml", "-f", "gradescope").out)
    assert [(t["score"], t["max_score"]) for t in graded["tests"]] == [(1.0, 1.0), (0.3, 0.3)]
    assert graded["score"] == 1.3


def test_a_negative_answer_is_written_as_it_is_and_a_formula_is_not_run(neuron, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.csv").write_text("student,x1,y1\nal,-1,-0.5\nbo,1,-1+2\ncy,1,=1\n")
    run = neuron("check", "--answers", "s.csv", "-w", "0.5", "-f", "csv")
    answers = [row[4] for row in csv.reader(io.StringIO(run.out))][1:]
    assert answers == ["-0.5", "'-1+2", "'=1"]


def test_decimal_commas_are_read_in_the_inputs_too(neuron, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.csv").write_text("student;x1;x2;x3;y1\nann;0,5;2;3;0,5622\n")
    run = neuron("check", "--answers", "s.csv", "-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid", "--decimal-comma")
    assert run.code == 0


def test_an_id_quiz_refuses_is_invalid_and_a_decomposed_one_is_the_same_student(neuron, homework):
    import unicodedata

    composed = "김민지"
    numbers = json.loads(neuron("quiz", "hw1.toml", "--student", composed, "-f", "json").out)
    decomposed = unicodedata.normalize("NFD", composed)
    assert json.loads(neuron("quiz", "hw1.toml", "--student", decomposed, "-f", "json").out) == numbers
    right = right_answers(composed)
    (homework / "s.csv").write_text(sheet([[decomposed, *right], ["alice\u200b", *right_answers("alice")]]))
    rows = [json.loads(line) for line in grade(neuron, "s.csv", "-f", "json").lines()]
    assert rows[0]["verdict"] == "pass"
    assert rows[1]["verdict"] == "invalid" and "invisible character" in rows[1]["reason"]


def test_gradescope_shows_a_reason_as_text_never_as_html(neuron, homework):
    (homework / "s.csv").write_text("student,q1.<img src=x onerror=alert(1)>\nalice,1\n")
    document = json.loads(grade(neuron, "s.csv", "-f", "gradescope", "--student", "alice").out)
    assert document["output_format"] == "text" and "<img" in document["output"]


def test_an_answer_column_of_no_question_is_named_not_left_missing_for_everyone(neuron, homework):
    (homework / "s.csv").write_text("student,q9.y1,email.address\nalice,1,a@b\n")  # q9: a typo for q1
    run = grade(neuron, "s.csv")
    assert run.code == 2 and "column 'q9.y1' names no question of the file (it has q1, q2)" in run.err


def test_a_question_id_in_capitals_is_found_whatever_the_headers_case(neuron, homework):
    (homework / "hw1.toml").write_text(QUESTIONS.replace('id = "q1"', 'id = "Q1"'))
    answers = right_answers("alice")
    (homework / "s.csv").write_text(sheet([["alice", *answers]]).replace("q1.", "Q1."))
    assert grade(neuron, "s.csv").code == 0
    (homework / "t.csv").write_text("student,Q1.b1\nalice,1\n")
    assert "question Q1 does not ask for it" in grade(neuron, "t.csv").err


def test_only_a_plain_signed_number_is_left_unguarded():
    from neuron_cli.io.csvfile import safe_answers

    cells = ["-0.5", "+1e3", "-.5", "-inf", "-nan", "-1_000", "-Infinity", "0.5"]
    assert safe_answers(cells) == ["-0.5", "+1e3", "-.5", "'-inf", "'-nan", "'-1_000", "'-Infinity", "0.5"]


def test_a_rosters_unusable_id_is_named_by_its_line(neuron, homework):
    (homework / "roster.csv").write_text('student\nalice\n"a\x1b[31mb"\n')
    run = neuron("quiz", "hw1.toml", "--students", "roster.csv", "-f", "json")
    assert run.code == 2 and "--students: roster.csv, line 3: the id 'a\\x1b[31mb'" in run.err


def test_a_training_row_must_fill_the_headers_columns(neuron, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "long.csv").write_text("x1,x2,t1\n0,1,0,hello,world\n1,1,1\n")
    (tmp_path / "blanks.csv").write_text("x1,x2,t1\n0,1,0,,\n1,1,1\n")  # a spreadsheet's empty cells after the last
    run = neuron("train", "--data", "long.csv", "-w", "0,0")
    assert run.code == 2 and "line 2 has 5 cells, but the header names 3 columns" in run.err
    assert neuron("train", "--data", "blanks.csv", "-w", "0,0").code == 0


def test_a_data_cell_with_a_vertical_tab_or_no_break_space_is_refused(neuron, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for cell in ("1\x0b", "1\xa0", "\u20281"):
        (tmp_path / "d.csv").write_text(f"x1,t1\n{cell},0\n", encoding="utf-8")
        run = neuron("train", "--data", "d.csv", "-w", "0")
        assert run.code == 2 and "line 2, x1: character" in run.err and "which separates nothing" in run.err
