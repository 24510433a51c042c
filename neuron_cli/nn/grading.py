"""Written answers against the true values, by one rule, many at once: each output of `check --expect` and each
cell of an answer sheet gets a verdict (pass, fail, too_coarse, missing, invalid) and the tolerance it was held to.

The default rule: an answer is right when it is the true value rounded to the places it shows (within half a
unit of its last written place) and it shows at least `min_sig` significant digits, unless it is the true value
exactly. A value within a relative 1e-12 of the true one is exact (0.3 for 0.30000000000000004), and so is 0 for
floating noise: a true value within 1e-12 of the size of the terms it was summed from (its `scale`). An answer
that is wrong at its own places fails, whatever its digits; one that is right at its places but shows too few
digits is too_coarse. --tol, --rtol and --sig replace the rule (digits and all).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

Array = np.ndarray
VERDICTS = ("pass", "fail", "too_coarse", "missing", "invalid")
SLACK = 1e-9  # a hair of slack: 0.62245 written exactly at the edge must not fail on binary rounding
EXACT = 1e-12  # relative: an answer this near the true value is the true value; and what counts as noise
MIN_SIG = 3  # significant digits an answer shows at the least, unless it is exact


@dataclass(frozen=True)
class Tolerance:
    """How near a written answer must be to the true value.

    `rule` is "written" (the true value rounded to the answer's places, with at least `min_sig` significant
    digits), "absolute" (within `value`), "relative" (within `value` times the true value) or "significant"
    (within half a unit of the true value's `value`-th significant digit).
    """

    rule: str = "written"
    value: float = 0.0
    min_sig: int = MIN_SIG  # the written rule's digits; 0: off
    min_decimals: int | None = None  # fewer decimals than this is too_coarse, where the true value has more


@dataclass(frozen=True, eq=False)
class Graded:
    """A column of answers graded: each one's verdict, the absolute difference it was allowed (for a missing,
    invalid or too coarse answer, the one an answer with the digits asked for would have been: `needed`), and
    what a too_coarse answer lacks ("3 significant digits")."""

    verdicts: list[str]
    tolerances: list[float]
    hints: list[str]


def written_exponent(text: str) -> int:
    """The power of ten of the last written digit of a number in Python's float syntax: 0.6225 -> -4, 3 -> 0,
    6.2e-1 -> -2, 1.5e3 -> 2."""
    written = text.strip()
    if "e" not in written and "E" not in written and "_" not in written:  # the common case, quickly
        dot = written.find(".")
        return 0 if dot < 0 else dot + 1 - len(written)
    mantissa, _, exponent = written.lower().replace("_", "").partition("e")
    decimals = len(mantissa.partition(".")[2])
    digits = exponent.lstrip("+-").lstrip("0")
    if len(digits) > 6:  # 1e-99999999...: far past any float either way (and int() of 4300+ digits refuses)
        return (-(10**7) if exponent.startswith("-") else 10**7) - decimals
    return (int(exponent) if exponent else 0) - decimals


def written_exponents(texts: list[str]) -> Array:
    """written_exponent of every (stripped) text, at once where all are plain decimals (no exponent, no _)."""
    joined = "".join(texts)
    if "e" in joined or "E" in joined or "_" in joined:
        return np.array([written_exponent(text) for text in texts], dtype=np.float64)
    written = np.array(texts, dtype=str)
    dots = np.char.find(written, ".")
    return np.where(dots < 0, 0, dots + 1 - np.char.str_len(written)).astype(np.float64)


def significant_digits(text: str) -> int:
    """The significant digits a number is written with: 0.450 -> 3, 0.0012 -> 2, 100 -> 3, 6.2e-1 -> 2, 0 -> 0."""
    mantissa = text.strip().lower().replace("_", "").partition("e")[0].lstrip("+-")
    return len(mantissa.replace(".", "").lstrip("0"))


def digits_written(values: Array, exponents: Array) -> Array:
    """significant_digits of each answer at once, from its value and the place of its last written digit: from
    the first nonzero digit (10 ** floor(log10 |v|)) down to that place. 0 for a written 0."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        size = np.abs(values)
        leading = np.floor(np.log10(size))
        leading -= 10.0**leading > size  # log10 rounds up just below a power of ten: 999999.999999999 is 1e5.99..
        digits = np.where((values != 0) & np.isfinite(values), leading - exponents + 1, 0)
    return np.maximum(digits, 0).astype(np.int64)


def allowed(tolerance: Tolerance, exponents: Array, truth: Array) -> Array:
    """The absolute difference each answer may have from its true value."""
    if tolerance.rule == "absolute":
        return np.full(len(truth), tolerance.value)
    if tolerance.rule == "relative":
        return tolerance.value * np.abs(truth)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        if tolerance.rule == "significant":
            digits = np.floor(np.log10(np.abs(truth)))
            return np.where(truth != 0, 0.5 * 10.0 ** (np.where(truth != 0, digits, 0) - tolerance.value + 1), 0.0)
        return 0.5 * 10.0**exponents  # a last digit beyond any float (0e309) allows anything: inf


def _values(texts: list[str]) -> tuple[Array, Array]:
    """Each text as a number (nan where it is none), and where it is blank."""
    blank = np.array([not text for text in texts], dtype=bool)
    try:
        return np.array(texts, dtype=np.float64), blank
    except ValueError:
        values = []
        for text in texts:
            try:
                values.append(float(text))
            except ValueError:
                values.append(math.nan)
        return np.array(values, dtype=np.float64), blank


def exact(values: Array, truth: Array, scale: Array | None = None) -> Array:
    """Where an answer is the true value: equal, within a relative 1e-12, or 0 for a true value that is floating
    noise (within 1e-12 of the size of the terms it was summed from)."""
    with np.errstate(invalid="ignore", over="ignore"):
        near = (values == truth) | (np.abs(values - truth) <= EXACT * np.abs(truth))
        if scale is not None:
            near |= (values == 0) & (np.abs(truth) <= EXACT * np.asarray(scale, dtype=np.float64))
    return near


def grade_column(
    texts: list[str], truth: Array, tolerance: Tolerance, scale: Array | None = None, read: Array | None = None
) -> Graded:
    """The verdict of each written answer (stripped) against its true value: missing (blank), invalid (not a
    number, or nan), else exact (pass), fail (wrong at its own places), too_coarse (right at its places but
    with too few digits), or pass. An answer that is not finite is invalid; where the true value is not finite
    (an overflow), only an equal answer could pass, and none can."""
    truth = np.asarray(truth, dtype=np.float64)
    if read is not None:  # the caller read every text already (as float() reads it): none is blank
        values, blank = read, np.zeros(len(texts), dtype=bool)
    else:
        values, blank = _values(texts)
    invalid = ~blank & ~np.isfinite(values)  # not a number, or not finite (inf, 1e999): the contract's invalid
    usable = ~blank & ~invalid
    exponents = np.zeros(len(texts))
    digits = np.zeros(len(texts), dtype=np.int64)
    if usable.any():
        kept = texts if usable.all() else [text for text, ok in zip(texts, usable) if ok]
        exponents[usable] = written_exponents(kept)
        if tolerance.rule == "written" and tolerance.min_sig:
            digits[usable] = digits_written(values[usable], exponents[usable])
    infinite = usable & ~np.isfinite(truth)  # an overflowed true value: no finite answer is it
    limits = allowed(tolerance, exponents, truth)
    with np.errstate(invalid="ignore", over="ignore"):
        within = np.abs(values - truth) <= limits * (1 + SLACK) + 1e-300
    right = exact(values, truth, scale) & usable
    few_digits = (tolerance.rule == "written") & (digits < tolerance.min_sig)
    few_decimals = _few_decimals(tolerance.min_decimals, exponents, truth)
    verdicts = np.where(within, "pass", "fail").astype(object)
    verdicts[within & (few_digits | few_decimals)] = "too_coarse"
    verdicts[right] = "pass"
    verdicts[infinite] = np.where((values == truth)[infinite], "pass", "fail")
    verdicts[invalid] = "invalid"
    verdicts[blank] = "missing"
    limits = np.where(infinite, 0.0, limits)
    hints = [""] * len(texts)
    for r in np.flatnonzero(verdicts == "too_coarse").tolist():
        hints[r] = _hint(tolerance, int(digits[r]))
    unmet = blank | invalid | (verdicts == "too_coarse")
    if unmet.any():  # no written places to go by: the difference an answer written as the hint asks may have
        limits[unmet] = [needed(tolerance, t, h) for t, h in zip(truth[unmet], np.array(hints, dtype=object)[unmet])]
    return Graded(verdicts.tolist(), limits.tolist(), hints)


def needed(tolerance: Tolerance, truth: float, hint: str = "") -> float:
    """The difference allowed to an answer written with the digits the rule asks for at the least (the rule's
    own where it is not the written one): what a missing, invalid or too coarse answer had to meet. nan where
    the written rule asks for no digits."""
    if tolerance.rule != "written":
        return float(allowed(tolerance, np.zeros(1), np.array([truth]))[0])
    if not math.isfinite(truth):
        return 0.0
    if tolerance.min_decimals is not None and (hint.endswith("decimals") or not tolerance.min_sig):
        return 0.5 * 10.0**-tolerance.min_decimals
    if not tolerance.min_sig:
        return math.nan
    return float(allowed(Tolerance("significant", tolerance.min_sig), np.zeros(1), np.array([truth]))[0])


def _few_decimals(least: int | None, exponents: Array, truth: Array) -> Array:
    """Where fewer decimals are written than `least`, and the true value is not exact at that many places."""
    if least is None:
        return np.zeros(len(truth), dtype=bool)
    with np.errstate(invalid="ignore", over="ignore"):
        at_places = np.round(truth, least)
        exact_there = np.abs(at_places - truth) <= EXACT * np.abs(truth)
    return (-exponents < least) & ~exact_there


def _hint(tolerance: Tolerance, digits: int) -> str:
    """What a too_coarse answer lacks (English; the writers put it in the reader's words)."""
    if tolerance.min_decimals is not None and (tolerance.rule != "written" or digits >= tolerance.min_sig):
        return f"{tolerance.min_decimals} decimals"
    return f"{tolerance.min_sig} significant digits"


def grade_cell(text: str, truth: float, tolerance: Tolerance, scale: float | None = None) -> tuple[str, float | None]:
    """The verdict of one written answer against the true value, and the tolerance it was held to."""
    graded = grade_column([text.strip()], np.array([truth]), tolerance, None if scale is None else np.array([scale]))
    limit = graded.tolerances[0]
    return graded.verdicts[0], None if math.isnan(limit) else limit


@dataclass(frozen=True, eq=False)
class Verdict:
    """Each output of `check` against the value written for it, within its tolerance."""

    answers: Array  # the values written
    correct: Array  # the true values
    written: tuple[str, ...]  # the values as written (0.50, 6.2e-1)
    read: Array  # the true values as a person reads them: floating noise as the 0 it stands for
    tolerances: Array
    verdicts: tuple[str, ...]
    hints: tuple[str, ...]
    tolerance: Tolerance  # the rule, for the note a person reads

    @property
    def differences(self) -> Array:
        return np.abs(self.correct - self.answers)

    @property
    def matches(self) -> Array:
        return np.array([verdict == "pass" for verdict in self.verdicts], dtype=bool)

    @property
    def passed(self) -> bool:
        return bool(self.matches.all())


def check_outputs(written: list[str], outputs: Array, tolerance: Tolerance, scale: Array | None = None) -> Verdict:
    """The outputs against the values written for them (finite numbers, checked by the reader)."""
    texts = [text.strip() for text in written]
    graded = grade_column(texts, outputs, tolerance, scale)
    answers = np.array([float(text) for text in texts], dtype=np.float64)
    correct = np.asarray(outputs, dtype=np.float64)
    noise = np.zeros(len(correct), dtype=bool) if scale is None else np.abs(correct) <= EXACT * np.asarray(scale)
    return Verdict(
        answers,
        correct,
        tuple(texts),
        np.where(noise, 0.0, correct),
        np.array(graded.tolerances),
        tuple(graded.verdicts),
        tuple(graded.hints),
        tolerance,
    )


def earned(worth: float, right: Any, asked: int) -> Any:
    """A question's score from how many of its `asked` answers are right (a number, or one per row): its worth
    exactly when all are, so that a full score equals the maximum (not 0.9999999999999999 of 1 in 10 shares)."""
    return np.where(right == asked, worth, worth * np.asarray(right) / asked)
