"""Written answers against the true values, by one rule: the verdict of each output of `check --expect` and of
each cell of an answer sheet, within a tolerance, many at once."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

Array = np.ndarray
VERDICTS = ("pass", "fail", "missing", "invalid", "too_coarse")
SLACK = 1e-9  # a hair of slack: 0.62245 written exactly at the edge must not fail on binary rounding


@dataclass(frozen=True)
class Tolerance:
    """How near a written answer must be to the true value.

    `rule` is "written" (half a unit of the answer's last written decimal), "absolute" (`value`), "relative"
    (`value` times the true value) or "significant" (half a unit of the true value's `value`-th significant digit).
    """

    rule: str = "written"
    value: float = 0.0
    min_decimals: int | None = None  # fewer decimals written than this is too_coarse


def written_exponent(text: str) -> int:
    """The power of ten of the last written digit of a number in Python's float syntax: 0.6225 -> -4, 3 -> 0,
    6.2e-1 -> -2, 1.5e3 -> 2."""
    written = text.strip()
    if "e" not in written and "E" not in written and "_" not in written:  # the common case, quickly
        dot = written.find(".")
        return 0 if dot < 0 else dot + 1 - len(written)
    mantissa, _, exponent = written.lower().replace("_", "").partition("e")
    decimals = len(mantissa.partition(".")[2])
    return (int(exponent) if exponent else 0) - decimals


def written_exponents(texts: list[str]) -> Array:
    """written_exponent of every (stripped) text, at once where all are plain decimals (no exponent, no _)."""
    joined = "".join(texts)
    if "e" in joined or "E" in joined or "_" in joined:
        return np.array([written_exponent(text) for text in texts], dtype=np.float64)
    written = np.array(texts, dtype=str)
    dots = np.char.find(written, ".")
    return np.where(dots < 0, 0, dots + 1 - np.char.str_len(written)).astype(np.float64)


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


def grade_column(texts: list[str], truth: Array, tolerance: Tolerance) -> tuple[list[float], list[str]]:
    """The verdict of each written answer (stripped) against its true value, and the tolerance it was held to
    (nan where none applied): missing (blank), invalid (not a number, or nan), too_coarse (fewer decimals than
    `min_decimals`), else pass or fail; an infinite answer or true value passes only where both are equal."""
    truth = np.asarray(truth, dtype=np.float64)
    values, blank = _values(texts)
    invalid = ~blank & np.isnan(values)
    usable = ~blank & ~invalid
    exponents = np.zeros(len(texts))
    if usable.any():
        exponents[usable] = written_exponents([text for text, ok in zip(texts, usable) if ok])
    exact = usable & (np.isinf(values) | ~np.isfinite(truth))  # only equality counts
    coarse = usable & ~exact & (tolerance.min_decimals is not None) & (-exponents < (tolerance.min_decimals or 0))
    limits = allowed(tolerance, exponents, truth)
    with np.errstate(invalid="ignore", over="ignore"):
        passed = np.where(exact, values == truth, np.abs(values - truth) <= limits * (1 + SLACK) + 1e-300)
    verdicts = np.where(passed, "pass", "fail").astype(object)
    verdicts[coarse] = "too_coarse"
    verdicts[invalid] = "invalid"
    verdicts[blank] = "missing"
    limits = np.where(exact, 0.0, limits)
    limits[blank | invalid | coarse] = math.nan
    return limits.tolist(), verdicts.tolist()


def grade_cell(text: str, got: float, tolerance: Tolerance) -> tuple[str, float | None]:
    """The verdict of one written answer against the true value, and the tolerance it was held to."""
    limits, verdicts = grade_column([text.strip()], np.array([got]), tolerance)
    return verdicts[0], None if math.isnan(limits[0]) else limits[0]


@dataclass(frozen=True, eq=False)
class Verdict:
    """Each output of `check` against the value written for it, within its tolerance."""

    expected: Array
    got: Array
    tolerances: Array
    verdicts: tuple[str, ...]
    rule: str  # the tolerance's rule, for the note a person reads

    @property
    def differences(self) -> Array:
        return np.abs(self.got - self.expected)

    @property
    def matches(self) -> Array:
        return np.array([verdict == "pass" for verdict in self.verdicts], dtype=bool)

    @property
    def passed(self) -> bool:
        return bool(self.matches.all())


def check_outputs(written: list[str], outputs: Array, tolerance: Tolerance) -> Verdict:
    """The outputs against the values written for them (finite numbers, checked by the reader)."""
    texts = [text.strip() for text in written]
    limits, verdicts = grade_column(texts, outputs, tolerance)
    expected = np.array([float(text) for text in texts], dtype=np.float64)
    return Verdict(expected, np.asarray(outputs, dtype=np.float64), np.array(limits), tuple(verdicts), tolerance.rule)
