"""Korean: every word for a person in Korean, machine formats byte for byte the same, and the conventions of
the Korean textbooks (identity, a strict step, x0.., lists pasted from Python, the full-width comma)."""

import json
import re
import unicodedata
from pathlib import Path

import pytest
from rich.cells import cell_len

from .test_messages import help_keys

HANGUL = re.compile(r"[\uac00-\ud7a3]")
NEURON = ["-x", "1,2,3", "-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid"]
KO = {"NEURON_LANG": "", "LANG": "ko_KR.UTF-8"}
FIXTURES = Path(__file__).parent.parent / "fixtures" / "keras"


@pytest.fixture
def sheet(tmp_path):
    path = tmp_path / "class.csv"
    path.write_text("student,x1,x2,x3,y1\nalice,1,2,3,0.6225\nbob,1,2,3,0.5\n")
    return str(path)


MACHINE = [
    ["compute", *NEURON, "--format", "json", "--grad"],
    ["compute", *NEURON, "--format", "csv"],
    ["check", *NEURON, "--expect", "0.6225", "--format", "plain"],
    ["truth-table", "-w", "1,1", "-b", "-0.5", "-a", "step", "--gate", "xor", "--format", "plain"],
    ["activations", "relu", "--format", "plain"],
    ["inspect", str(FIXTURES / "mlp.keras"), "--format", "plain"],
    ["truth-table", "-w", "1,1", "-b", "-1.5", "-a", "step", "--gate", "and", "--format", "json"],
    ["diagram", *NEURON, "--format", "dot"],
    ["diagram", *NEURON],
    ["activations", "gelu", "--format", "json"],
    ["inspect", str(FIXTURES / "mlp.keras"), "--format", "json"],
]


@pytest.mark.parametrize("args", MACHINE, ids=lambda args: " ".join(args[:1] + args[-2:]))
def test_machine_formats_are_the_same_in_every_language(neuron, args):
    english, korean = neuron(*args), neuron(*args, env=KO)
    assert english.code == korean.code
    assert english.stdout_bytes == korean.stdout_bytes


def test_explain_is_in_the_readers_language_in_every_format_and_nothing_else_changes(neuron):
    # the contract: --explain is written for a person, its text follows the language piped or not
    plain = neuron("compute", *NEURON, "--format", "plain", "--explain", env=KO)
    assert plain.out.startswith("입력: x1 = 1") and "출력: 0.6224593312" in plain.out
    english = json.loads(neuron("compute", *NEURON, "--format", "json", "--explain", "--target", "1").out)
    korean = json.loads(neuron("compute", *NEURON, "--format", "json", "--explain", "--target", "1", env=KO).out)
    assert HANGUL.search(korean.pop("explanation")) and not HANGUL.search(english.pop("explanation"))
    assert korean == english


@pytest.mark.parametrize("fmt", ["csv", "json", "junit", "gradescope", "plain"])
def test_answer_sheet_reports_are_the_same_in_every_language(neuron, sheet, fmt):
    args = ["check", "--answers", sheet, "-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid", "--format", fmt]
    args += ["--student", "bob"] if fmt == "gradescope" else []  # Gradescope grades one submission
    english, korean = neuron(*args, env={"SOURCE_DATE_EPOCH": "0"}), neuron(*args, env={**KO, "SOURCE_DATE_EPOCH": "0"})
    assert english.code == korean.code == 1 and english.stdout_bytes == korean.stdout_bytes


COMMANDS = ["", "compute", "check", "truth-table", "plot", "diagram", "activations", "train", "inspect"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_help_page_is_korean_at_80_columns(neuron, command):
    run = neuron(*command.split(), "--help", "--lang", "ko", env={"COLUMNS": "80"})
    assert run.code == 0 and HANGUL.search(run.out)
    assert max(cell_len(line) for line in run.out.splitlines()) <= 80
    assert run.out.startswith("사용법:")
    flat = " ".join(run.out.split())
    left = [text for text in help_keys() if len(text) > 25 and text in flat]
    assert not left, left


def test_tables_verdicts_and_notes_in_korean_fit_80_columns(neuron):
    table = neuron("compute", *NEURON, "--target", "1", "--grad", "--format", "table", env={**KO, "COLUMNS": "80"})
    assert "입력" in table.out and "뉴런" in table.out and "편향" in table.out and "학습률" in table.out
    assert max(cell_len(line) for line in table.out.splitlines()) <= 80
    table = {**KO, "COLUMNS": "200"}
    check = neuron("check", *NEURON, "--expect", "0.6225", "--format", "table", env=table)
    assert check.code == 0 and "맞음" in check.out and "허용 오차" in check.out
    gate = neuron("truth-table", "-w", "1,1", "-b", "-0.5", "-a", "step", "--gate", "xor", "-f", "table", env=table)
    assert gate.code == 1 and "뉴런 하나로는 XOR" in gate.out and "층" in gate.out
    explained = neuron("compute", *NEURON, "--explain", "--target", "1", "--format", "table", env=table)
    assert "경사 하강법 한 단계, 학습률" in explained.out and "가중합" in explained.out


def test_errors_in_korean_are_still_one_line_and_exit_2(neuron):
    for args in (["compute", "-x", "1,,2", "-w", "1,2,3"], ["compute", "-x", "1", "-w", "1", "--bogus"]):
        run = neuron(*args, env=KO)
        assert run.code == 2 and run.out == "" and len(run.err.splitlines()) == 1
        assert run.err.startswith("오류: ") and HANGUL.search(run.err) and "Traceback" not in run.err


@pytest.mark.parametrize(
    ("env", "korean"),
    [
        ({"NEURON_LANG": "ko"}, True),
        ({"NEURON_LANG": "", "LC_ALL": "ko_KR.UTF-8"}, True),
        ({"NEURON_LANG": "", "LC_MESSAGES": "ko_KR.UTF-8", "LANG": "en_US.UTF-8"}, True),
        ({"NEURON_LANG": "en", "LANG": "ko_KR.UTF-8"}, False),
        ({"NEURON_LANG": "", "LANG": "C.UTF-8"}, False),
    ],
)
def test_the_language_comes_from_the_environment_in_its_order(neuron, env, korean):
    run = neuron("compute", "-x", "1,,2", "-w", "1,2,3", env=env)
    assert bool(HANGUL.search(run.err)) is korean


def test_lang_option_wins_over_the_environment(neuron):
    assert not HANGUL.search(neuron("compute", "-x", "1,,2", "-w", "1,2,3", "--lang", "en", env=KO).err)
    assert HANGUL.search(neuron("compute", "-x", "1,,2", "-w", "1,2,3", "--lang", "ko").err)


def test_korean_on_a_cp949_terminal_is_readable(neuron_process):
    run = neuron_process("compute", *NEURON, "--format", "table", env={**KO, "PYTHONIOENCODING": "cp949"})
    assert run.code == 0
    text = run.stdout_bytes.decode("cp949")
    assert "입력" in text and "┃" not in text  # Hangul shows; box lines, which cp949 lacks, fall back to ASCII


# ---------------------------------------------------------------- the textbooks' conventions


def test_identity_is_linear(neuron):
    assert neuron("compute", "-x", "3", "-w", "2", "-b", "1", "-a", "identity").out == "7.0\n"


def test_a_strict_step_fires_only_above_the_threshold(neuron):
    # 모두의 딥러닝's XOR: NAND and OR into AND, with perceptrons that fire where z > 0 (a step at z = 0 fires).
    assert neuron("compute", "-x", "1", "-w", "1", "-b", "-1", "-a", "step").out == "1.0\n"
    assert neuron("compute", "-x", "1", "-w", "1", "-b", "-1", "-a", "step:strict=true").out == "0.0\n"


@pytest.mark.parametrize(
    "weights", ["[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]", "[[0.1 0.2 0.3]\n [0.4 0.5 0.6]]", "0.1，0.2，0.3；0.4，0.5，0.6"]
)
@pytest.mark.parametrize(
    "inputs", ["[1, 2, 3]", "[1. 2. 3.]", "1，2，3", "(1, 2, 3)".replace("(", "[").replace(")", "]")]
)
def test_values_pasted_from_python_numpy_or_a_korean_keyboard(neuron, weights, inputs):
    run = neuron("compute", "-x", inputs, "-w", weights, "-a", "relu")
    assert run.code == 0 and run.out == "1.4,3.1999999999999997\n"


def test_a_pasted_list_that_is_not_a_row_is_refused(neuron):
    run = neuron("compute", "-x", "[1, [2]]", "-w", "1,1")
    assert run.code == 2 and "value 2 is '[2]'" in run.err


def test_index_base_zero_as_the_seed_figure(neuron):
    run = neuron("compute", *NEURON, "--index-base", "0", "--format", "table", env={"COLUMNS": "100"})
    assert "x0 = 1" in run.out and "w0 = 0.5" in run.out and "x3" not in run.out
    assert unicodedata.normalize("NFC", run.out) == run.out


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("command", COMMANDS)
def test_every_help_page_fits_40_columns_breaking_between_words(neuron, command, lang):
    # click never formats narrower than 50 columns: below 60, an option's help goes under it, and a long list
    # of choices or an example command breaks between its words
    run = neuron(*command.split(), "--help", "--lang", lang, env={"COLUMNS": "40"})
    assert run.code == 0 and max(cell_len(line) for line in run.out.splitlines()) <= 40
    assert "--help" in run.out and "neuron" in run.out


@pytest.mark.parametrize(
    ("toml", "args", "korean"),
    [
        ('[[question]]\nid = "q1"\nfoo = 1\n', [], "FILE: q.toml, 1번째 문항에 알 수 없는 키가 있습니다: foo"),
        ('[[question]]\nid = "q1"\nx = [1, 2]\nw = [1, 2, 3]\nask = ["y1"]\n', [], "문항 q1, x에 값이 2개 있지만"),
        ("[[question]\n", [], "q.toml 파일은 올바른 TOML이 아닙니다: 1번째 줄 11번째 글자: 배열 선언 끝에 ']]'가"),
        ("a = [1, 2\n", [], "올바른 TOML이 아닙니다: 문서 끝: 배열이 닫히지 않았습니다"),
        ("", ["-a", "leaky_relu:negative_slope=abc"], "-a: leaky_relu의 negative_slope: 수가 아닙니다"),
    ],
)
def test_an_error_built_from_pieces_is_korean_in_every_piece(neuron, tmp_path, monkeypatch, toml, args, korean):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "q.toml").write_text(toml)
    command = ["compute", "-x", "1,2", "-w", "1,2", *args] if args else ["quiz", "q.toml", "--student", "a"]
    run = neuron(*command, "--lang", "ko")
    assert run.code == 2 and korean in run.err
    assert not re.search(r"question|Expected|Unclosed|'s ", run.err)


@pytest.mark.parametrize(("lang", "says"), [("en", "a decimal point is written 0.6225"), ("ko", "소수점은 0.6225처럼")])
def test_an_expected_value_with_a_decimal_comma_is_told_how_to_write_it(neuron, lang, says):
    run = neuron(
        "check", "-x", "1,2,3", "-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid", "--expect", "0,6225", "--lang", lang
    )
    assert run.code == 2 and says in run.err
    assert "decimal" not in neuron("check", "-x", "1", "-w", "1", "--expect", "1,2,3").err
