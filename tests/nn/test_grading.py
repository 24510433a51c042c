"""The one grading rule, against the contract's own examples: an answer is right when it is the true value
rounded to its places AND shows at least 3 significant digits, unless it is exact; one digit never passes."""

import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from neuron_cli.nn.grading import (
    Tolerance,
    check_outputs,
    grade_cell,
    grade_column,
    significant_digits,
    written_exponent,
)

TRUE = 1 / (1 + math.exp(-0.5))  # 0.6224593312018546


@pytest.mark.parametrize(
    ("answer", "truth", "verdict"),
    [
        ("0.45", 0.45, "pass"),
        ("0.450", 0.45, "pass"),
        ("0", 0.45, "too_coarse"),  # right at its own places, but one digit says nothing
        ("0.5", 0.45, "too_coarse"),
        ("0e999", 0.45, "too_coarse"),  # a last place beyond any float: once it passed anything
        ("0.6", 0.45, "fail"),  # wrong at its own places: fail, whatever its digits
        ("1", 1.0, "pass"),  # exact
        ("0.622", 0.6224593, "pass"),
        ("0.62", 0.6224593, "too_coarse"),
        ("6.2e-1", 0.6224593, "too_coarse"),  # an exponent counts in the place: hundredths, 2 digits
        ("6.22e-1", 0.6224593, "pass"),
        ("0.3", 0.1 + 0.2, "pass"),  # floating noise of the truth: exact within a relative 1e-12
        ("0.6225", TRUE, "pass"),
        ("0.6224", TRUE, "fail"),
        ("1", TRUE, "too_coarse"),  # `--expect 1` for a true 0.62: once it passed
        ("-0.2", -0.2, "pass"),
        ("", TRUE, "missing"),
        ("abc", TRUE, "invalid"),
        ("0,6225", TRUE, "invalid"),
        ("nan", TRUE, "invalid"),
        ("inf", math.inf, "invalid"),  # not finite: the contract's invalid, whatever the true value
        ("inf", TRUE, "invalid"),
        ("1e999", TRUE, "invalid"),
        ("1e308", math.inf, "fail"),
        ("0.5e-" + "9" * 5000, TRUE, "fail"),  # an exponent of 5000 digits: a value, 0, and no crash
    ],
)
def test_the_written_rule(answer, truth, verdict):
    assert grade_cell(answer, truth, Tolerance())[0] == verdict


def test_the_one_digit_student_of_the_issue():
    # neuron check -x 1 -w 0.45 --expect 0 used to pass: half a unit of "0" is 0.5
    assert check_outputs(["0"], np.array([0.45]), Tolerance()).verdicts == ("too_coarse",)
    assert check_outputs(["0.45"], np.array([0.45]), Tolerance()).passed


def test_too_coarse_says_how_many_digits_to_give():
    graded = grade_column(["0.62", "0.622", "0.6"], np.array([TRUE, TRUE, TRUE]), Tolerance())
    assert graded.verdicts == ["too_coarse", "pass", "too_coarse"]
    assert graded.hints == ["3 significant digits", "", "3 significant digits"]
    # a too coarse answer is told the difference an answer of 3 significant digits may have
    assert graded.tolerances == pytest.approx([0.0005, 0.0005, 0.0005])


def test_missing_and_invalid_answers_are_told_the_tolerance_they_had_to_meet():
    graded = grade_column(["", "abc"], np.array([TRUE, 1234.5]), Tolerance())
    assert graded.verdicts == ["missing", "invalid"]
    assert graded.tolerances == pytest.approx([0.0005, 5.0])
    decimals = grade_column(["0.6"], np.array([TRUE]), Tolerance(min_sig=0, min_decimals=3))
    assert decimals.verdicts == ["too_coarse"] and decimals.tolerances == pytest.approx([0.0005])
    assert math.isnan(grade_column([""], np.array([TRUE]), Tolerance(min_sig=0)).tolerances[0])
    assert grade_column([""], np.array([TRUE]), Tolerance("absolute", 0.01)).tolerances == [0.01]
    more = grade_column(["0.622"], np.array([TRUE]), Tolerance(min_sig=4))
    assert more.verdicts == ["too_coarse"] and more.hints == ["4 significant digits"]


def test_min_sig_0_turns_the_digits_part_off():
    assert grade_cell("0.5", 0.45, Tolerance(min_sig=0))[0] == "pass"
    assert grade_cell("0.6", 0.45, Tolerance(min_sig=0))[0] == "fail"


def test_zero_for_floating_noise_is_exact():
    # -x 1,1 -w 0.1,0.2 -b -0.3: z = 5.55e-17, a sum within 1e-12 of the size of its terms (0.6)
    z = 1 * 0.1 + 1 * 0.2 - 0.3
    assert z != 0 and abs(z) < 1e-16
    assert grade_cell("0", z, Tolerance(), scale=0.6) == ("pass", pytest.approx(0.5))
    assert grade_cell("0", z, Tolerance())[0] == "too_coarse"  # without its scale it is a small true value
    assert grade_cell("0", 1e-10, Tolerance(), scale=0.6)[0] == "too_coarse"  # no noise: 1.7e-10 of its terms


def test_written_exponents_and_significant_digits():
    assert [written_exponent(t) for t in ("0.6225", "3", "6.2e-1", "1.5e3", "2.", "-0.50")] == [-4, 0, -2, 2, 0, -2]
    assert [significant_digits(t) for t in ("0.450", "0.0012", "100", "6.2e-1", "0", "-1.50", "1_000")] == [
        3,
        2,
        3,
        2,
        0,
        3,
        4,
    ]


def test_every_other_rule_replaces_the_written_one():
    assert grade_cell("0.62", TRUE, Tolerance("absolute", 0.003)) == ("pass", 0.003)
    assert grade_cell("0.62", TRUE, Tolerance("absolute", 0.002))[0] == "fail"
    assert grade_cell("0.62", TRUE, Tolerance("relative", 0.01))[0] == "pass"  # off by 0.4 %
    assert grade_cell("0.62", TRUE, Tolerance("relative", 0.001))[0] == "fail"
    # --sig 3: half a unit of the 3rd significant digit of 0.622459..., 0.0005
    assert grade_cell("0.6223", TRUE, Tolerance("significant", 3)) == ("pass", pytest.approx(0.0005))
    assert grade_cell("0.6219", TRUE, Tolerance("significant", 3))[0] == "fail"
    assert grade_cell("0.6", TRUE, Tolerance("absolute", 0.05))[0] == "pass"  # --tol: no digits part


def test_min_decimals_spares_an_exact_answer():
    assert grade_cell("1.000", TRUE, Tolerance("absolute", 1.0, 0, min_decimals=3))[0] == "pass"
    assert grade_cell("1", TRUE, Tolerance("absolute", 1.0, 0, min_decimals=3))[0] == "too_coarse"
    assert grade_cell("-0.2", -0.2, Tolerance(min_decimals=3))[0] == "pass"  # -0.2 is exact at 3 places
    assert grade_cell("0.622", TRUE, Tolerance(min_decimals=3))[0] == "pass"


def test_a_column_at_once_is_each_cell_alone():
    rng = np.random.default_rng(4)
    truth = rng.normal(size=200)
    texts = [f"{v:.{rng.integers(0, 6)}f}" for v in truth + rng.normal(scale=1e-3, size=200)]
    for k, odd in zip(range(0, 200, 17), ["", "x", "nan", "1e5"] * 4):
        texts[k] = odd
    column = grade_column([t.strip() for t in texts], truth, Tolerance())
    assert column.verdicts == [grade_cell(t, v, Tolerance())[0] for t, v in zip(texts, truth)]


@given(
    st.integers(0, 12)
    .flatmap(
        lambda places: st.decimals(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False, places=places)
    )
    .map(str)
    | st.from_regex(r"\A-?[0-9]{1,6}(\.[0-9]{1,6})?[eE][+-]?[0-9]{1,2}\Z")
)
@example("999999.999999999")  # log10 of it rounds to 6.0
def test_digits_counted_at_once_are_those_of_the_written_text(text):
    # the vectorised count (from value and exponent) agrees with reading the digits off the text
    from neuron_cli.nn.grading import digits_written, significant_digits, written_exponent

    value = float(text)
    if not np.isfinite(value) or len(text.lstrip("-").replace(".", "").lstrip("0")) > 15:
        return  # beyond a float's 15 sure digits, the value cannot tell
    counted = digits_written(np.array([value]), np.array([float(written_exponent(text))]))[0]
    assert counted == significant_digits(text), text
