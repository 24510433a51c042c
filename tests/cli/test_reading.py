"""What a second native reading of every screen found, in either language: each as a reader would see it."""

import pytest
from rich.cells import cell_len

from tests.conftest import run_here

KO = {"NEURON_LANG": "ko"}


def test_usage_stays_on_one_line_where_it_fits_and_no_line_ends_in_a_space():
    shown = run_here("compute", "--help", env={**KO, "COLUMNS": "40"}).out
    assert shown.splitlines()[0] == "사용법: neuron compute [OPTIONS]"
    assert not [line for line in shown.splitlines() if line.endswith(" ")]


def test_help_examples_keep_an_option_with_its_value_at_40_columns():
    shown = run_here("compute", "--help", env={**KO, "COLUMNS": "40"}).out
    examples = [line for line in shown.split("예:")[1].split("\n\n")[0].splitlines() if line.strip()]
    assert len(examples) > 5
    for line in examples:
        words = line.split()
        assert words[-1] not in ("-x", "-w", "-b", "-a", "--format", "--target", "--lr"), line
        assert cell_len(line) <= 42, line  # click's two spare columns


def test_a_stacked_sheet_names_each_row_as_its_errors_do(tmp_path):
    sheet = tmp_path / "class.csv"
    sheet.write_text("student,x1,x2,x3,y1\nalice,1,2,3,0.622459\nbob,1,2,3,0.62\n")
    args = ("check", "--answers", str(sheet), "-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid", "--format", "table")
    shown = run_here(*args, env={**KO, "COLUMNS": "40"}).out
    assert "2번째 줄" in shown and "(alice)" in shown and "student alice" not in shown
    assert "학생 2명 중 1명이 모든 답을 맞혔습니다" in shown


def test_a_sheet_without_names_counts_rows_not_students(tmp_path):
    sheet = tmp_path / "class.csv"
    sheet.write_text("x1,x2,x3,y1\n1,2,3,0.622459\n")
    args = ("check", "--answers", str(sheet), "-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid", "--format", "table")
    assert "1 of 1 rows have every answer right" in run_here(*args).out
    shown = run_here(*args, env=KO).out
    assert "1행 중 1행의 답이 모두 맞았습니다" in shown and "명" not in shown


def test_the_digits_note_only_where_digits_were_cut(tmp_path):
    model = tmp_path / "m.json"
    model.write_text('{"layers": [{"weights": [[1, 2, 3]], "bias": [0], "activation": "relu"}]}')
    shown = run_here("inspect", str(model), "--format", "table", env={**KO, "COLUMNS": "40"}, tty=True).out
    assert "유효 숫자" not in shown


def test_the_tolerance_names_min_decimals_too():
    args = ("check", "-x", "1,2,3", "-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid", "--expect", "0.622")
    run = run_here(*args, "--min-decimals", "4", "--format", "table")
    assert run.code == 1 and "at least 4 decimal places" in run.out
    assert "소수점 아래 4자리 이상)" in run_here(*args, "--min-decimals", "4", "--format", "table", env=KO).out


@pytest.mark.parametrize(("lang", "expected"), [("en", "is not a JSON document"), ("ko", "JSON 문서가 아닙니다")])
def test_a_csv_given_as_a_model_is_named_as_no_model(tmp_path, lang, expected):
    data = tmp_path / "class.csv"
    data.write_text("x1,x2,t1\n1,2,3\n")
    run = run_here("inspect", str(data), env={"NEURON_LANG": lang})
    assert run.code == 2 and expected in run.err and "'x1,x2,t1'" in run.err and "Expecting" not in run.err


def test_broken_json_says_where_in_the_reader_s_language(tmp_path):
    model = tmp_path / "bad.json"
    model.write_text('{"layers": [}')
    run = run_here("inspect", str(model), env=KO)
    assert run.code == 2 and "1번째 줄 13번째 글자: 값이 있어야 합니다" in run.err


def test_an_activation_without_parameters_says_so():
    run = run_here("compute", "-x", "1", "-w", "1", "-a", "softmax:alpha=1", env=KO)
    assert run.code == 2 and "softmax에는 파라미터가 없습니다" in run.err and "none" not in run.err


def test_explain_piped_has_no_english_words_in_korean():
    run = run_here(
        "compute",
        "-x",
        "1,2",
        "-w",
        "0.1,0.2;0.3,0.4",
        "-a",
        "softmax",
        "--target",
        "1,0",
        "--loss",
        "categorical_crossentropy",
        "--explain",
        env=KO,
    )
    assert "z = 가중합 + b" in run.out and "clipped" not in run.out and "범위로 자름" in run.out


def test_grad_headers_in_korean():
    run = run_here("compute", "-x", "1,2", "-w", "0.1,0.2", "-a", "sigmoid", "--grad", "--format", "table", env=KO)
    assert "d 출력/d w" in run.out and "d out" not in run.out
