"""Long lines on a terminal: --explain's arithmetic cut at its clauses and = signs, errors between words."""

import io
import re

from rich.cells import cell_len

from neuron_cli.cli import edge
from neuron_cli.render.explain import folded

LINE = (
    "      dL/da1 = sum_k dL/dz_k * w_k1 = 0.1384985616 * 0.4 + (-0.03809823652) * 0.5 = 0.03635030639;  "
    "dL/dz = dL/da1 * f'(z) = 0.03635030639 * 0.2413007086 = 0.008771354689"
)


def test_a_short_line_is_left_whole():
    assert folded("    z = 1 + 2 = 3", 80) == ["    z = 1 + 2 = 3"]


def test_a_long_line_is_cut_at_its_clauses_then_before_equals():
    lines = folded(LINE, 80)
    assert all(cell_len(line) <= 80 for line in lines)
    assert lines[0] == "      dL/da1 = sum_k dL/dz_k * w_k1"
    assert lines[1].startswith("          = 0.1384985616 * 0.4")
    assert lines[2] == "      dL/dz = dL/da1 * f'(z) = 0.03635030639 * 0.2413007086 = 0.008771354689"
    # nothing lost or reordered: the pieces read back as the line
    joined = " ".join(piece.strip() for piece in lines)
    assert re.sub(r"\s+", " ", joined) == re.sub(r"\s+|;", " ", LINE).strip().replace("  ", " ")


def test_a_continuing_line_keeps_its_equals_in_line():
    assert folded("         = 0.5 * (1 + erf(0.5 / sqrt(2))) / 2 = 0.3457312306", 40) == [
        "         = 0.5 * (1 + erf(0.5 / sqrt(2))) / 2",
        "         = 0.3457312306",
    ]


def test_an_error_on_a_terminal_breaks_between_words_under_its_first_word(monkeypatch):
    class Terminal(io.StringIO):
        encoding = "utf-8"

        def isatty(self):
            return True

    stderr = Terminal()
    monkeypatch.setattr(edge.sys, "stderr", stderr)
    monkeypatch.setenv("COLUMNS", "40")
    edge.report("오류: inspect: /tmp/class.csv는 JSON 문서가 아닙니다(모델 파일과 문제 파일은 JSON입니다)")
    lines = stderr.getvalue().splitlines()
    assert len(lines) > 1 and all(cell_len(line) < 40 for line in lines)
    assert all(line.startswith("      ") for line in lines[1:])  # under the word after "오류: "
    assert " ".join(line.strip() for line in lines).startswith("오류: inspect: /tmp/class.csv는 JSON")


def test_an_error_into_a_file_stays_one_line(monkeypatch):
    stderr = io.StringIO()
    monkeypatch.setattr(edge.sys, "stderr", stderr)
    monkeypatch.setenv("COLUMNS", "40")
    edge.report("error: " + "word " * 30)
    assert stderr.getvalue().count("\n") == 1
