"""Numbers as text: shortest round-trip or N significant digits, strict JSON, plain lines and CSV."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from .fast_text import write_rows

Array = np.ndarray


def format_number(value: float, digits: int | None = None) -> str:
    """Shortest round-trip form (Python's repr), or `digits` significant digits; `inf`, `-inf`, `nan` as such."""
    value = float(value) + 0.0  # -0.0 + 0.0 is 0.0: a minus sign on zero tells a reader nothing
    if digits is None or not math.isfinite(value):
        return repr(value)
    text = format(value, f".{digits}g")
    if math.isinf(float(text)):  # 1.8e308 to 1 digit is 2e+308, which reads back as inf: keep every digit
        return repr(value)
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def full_number(value: float) -> str:
    """Every digit of a number, as a person writes it: 2 rather than 2.0 (tables of answers, question sheets)."""
    text = format_number(value)
    return text[:-2] if text.endswith(".0") else text


def json_number(value: float, digits: int | None = None) -> float | str:
    """A number for strict JSON: finite ones as numbers, the rest as the strings "inf", "-inf", "nan"."""
    value = float(value) + 0.0
    if not math.isfinite(value):
        return repr(value)
    if digits is None:
        return value
    rounded = float(format(value, f".{digits}g"))
    return value if math.isinf(rounded) else rounded + 0.0  # 1.8e308 to 1 digit would be 2e308, beyond a float


def json_numbers(values: Any, digits: int | None = None) -> Any:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim == 0:
        return json_number(float(array), digits)
    return [json_numbers(item, digits) for item in array]


def join_numbers(values: Iterable[float], digits: int | None = None, separator: str = ",") -> str:
    return separator.join(format_number(value, digits) for value in values)


# ---------------------------------------------------------------- plain and CSV


def plain_lines(outputs: Array, digits: int | None = None) -> str:
    """One line per row of outputs, comma-separated, ending in a new line (empty for no rows)."""
    rows = np.asarray(outputs, dtype=np.float64) + 0.0  # no -0.0
    if rows.size == 0:
        return ""
    if digits is None:
        fast = write_rows(rows.reshape(rows.shape[0], -1))
        if fast is not None:
            return fast
        # repr of a list writes each float in its shortest round-trip form, as repr(float) does, in C; no float's
        # repr holds "[", "]" or ", ", so the list's own punctuation can be swapped for ours. One column: a flat
        # list, half the work of a list of one-element lists.
        table = rows.reshape(rows.shape[0], -1)
        if table.shape[1] == 1:
            text = repr(table.ravel().tolist())[1:-1].replace(", ", "\n")
        else:
            text = repr(table.tolist())[2:-2].replace("], [", "\n").replace(", ", ",")
    else:
        text = "\n".join(join_numbers(row, digits) for row in rows.tolist())
    return text + "\n"


def csv_header(inputs: int, outputs: int) -> str:
    return ",".join([f"x{i}" for i in range(1, inputs + 1)] + [f"y{k}" for k in range(1, outputs + 1)]) + "\n"


def csv_lines(inputs: Array, outputs: Array, digits: int | None = None) -> str:
    return plain_lines(np.hstack([np.asarray(inputs), np.asarray(outputs)]), digits)


# ---------------------------------------------------------------- JSON


def json_lists(values: Any, digits: int | None = None) -> Any:
    """An array as nested lists for strict JSON; all at once (tolist) unless a value needs rounding or a string."""
    array = np.asarray(values, dtype=np.float64) + 0.0  # no -0.0
    if digits is None and np.isfinite(array).all():
        return array.tolist()
    return json_numbers(array, digits)
