"""Rows of numbers as text at polars' speed: polars writes each float's shortest round-trip digits laid out as
repr() does (its CSV writer, and for one column its cast to text, twice as fast), except for magnitudes below
1e-4 (0.00001 where repr says 1e-05) and non-finite values; those rows are written by repr() instead. A
self-check against repr() on first use turns the writer off if an installed polars formats otherwise."""

from __future__ import annotations

import functools
from types import ModuleType

import numpy as np

from ..io.polars import in_use, polars

Array = np.ndarray
MIN_VALUES = 4096  # below this, polars' import (about 0.1 s) costs more than it saves
MIN_LOADED = 64  # once it is loaded, from this many values it writes them faster than repr()


def _risky(rows: Array) -> Array:
    """Rows holding a value whose polars text differs from repr(): below 1e-4 in magnitude, or not finite."""
    magnitude = np.abs(rows)
    return np.any(~np.isfinite(rows) | ((magnitude < 1e-4) & (magnitude > 0)), axis=1)


WIDE = 64  # from this many columns a block is written as one Series of Arrays: a DataFrame costs ~20 us a column


def _csv_text(pl: ModuleType, rows: Array) -> str:
    if rows.shape[1] == 1:  # one column (one neuron's outputs): its text joined in polars, twice as fast as write_csv
        return str(pl.Series(rows[:, 0]).cast(pl.String).str.join("\n").item()) + "\n"
    if rows.shape[1] >= WIDE:
        return _array_text(pl, rows)
    # orient: a square block in Fortran order would otherwise be read column by column, and written transposed
    frame = pl.DataFrame(rows, schema=[f"c{i}" for i in range(rows.shape[1])], orient="row")
    return str(frame.write_csv(include_header=False))


def _array_text(pl: ModuleType, rows: Array) -> str:
    """A wide block's values written as one column of text, cut into rows (polars' Array type) and each row's
    joined: one Series however many columns (a DataFrame's cost is per column, about 20 us each). 0.7x the
    time of one column whose line ends NumPy turns into commas, for 256 rows of 1,024 values."""
    written = pl.Series(rows.reshape(-1)).cast(pl.String).reshape(rows.shape)
    return str(written.arr.join(",").str.join("\n").item()) + "\n"


def _worth_it(values: int) -> bool:
    """Whether polars should write this many values: enough to pay for its import, or fewer once it is in (the
    last, short block of each piece of a large answer sheet)."""
    return values >= MIN_VALUES or (values >= MIN_LOADED and in_use())


def writer(columns: int = 1) -> ModuleType | None:
    """Polars where this input is worth it and its text of rows of this many columns equals repr(); else None."""
    pl = polars()
    return pl if pl is not None and agrees(pl, _layout(columns)) else None


def _layout(columns: int) -> int:
    """The columns of the sample that checks the way rows of `columns` are written: 1, 2 (a DataFrame) or WIDE."""
    return 1 if columns == 1 else WIDE if columns >= WIDE else 2


@functools.lru_cache(maxsize=3)
def agrees(pl: ModuleType, columns: int) -> bool:
    """Whether polars writes rows of `columns` (one of _layout's) as repr() does, on a sample of every layout
    repr() uses. Each way of writing is checked where it is first used: a stream of one output a row never
    loads the code of the others (5 MiB of polars' library)."""
    # numbers of every magnitude repr() writes in its two ways, with all 17 digits varying: steps of irrational
    # size (a low-discrepancy sequence), not numpy.random, whose import costs a stream 14 ms and 6 MiB
    k = np.arange(1, 601, dtype=np.float64)
    sample = np.concatenate(
        [
            [0.1, 1.0, -0.0, 0.0, 100.0, 2.5, 0.30000000000000004, 1e-4, 1.0000000000000002e-4, 1e15, 1e16],
            [9999999999999998.0, 1.2345678901234568e17, 1.7976931348623157e308, 9007199254740993.0, 1e22],
            ((k[:400] * 0.6180339887498949) % 1.0 * 2.0 - 1.0) * 10.0 ** (k[:400] * 7 % 29 - 4),
            (k[:200] * 0.7548776662466927) % 1.0,
        ]
    ).reshape(-1, 1)
    sample = sample[~_risky(sample)]
    rows = sample[: len(sample) // columns * columns].reshape(-1, columns)
    try:
        return _csv_text(pl, rows) == _repr_text(rows)
    except (pl.exceptions.PolarsError, TypeError, AttributeError):  # a polars whose API differs: Python writes
        return False


def _repr_text(rows: Array) -> str:
    return "".join(",".join(map(repr, row)) + "\n" for row in rows.tolist())


def write_rows(rows: Array) -> str | None:
    """Rows as comma-separated repr() text, one line each; None where polars is missing or the block is small."""
    if not _worth_it(rows.size):
        return None
    pl = writer(rows.shape[1])
    if pl is None:
        return None
    risky = _risky(rows)
    if not risky.any():
        return _csv_text(pl, rows)
    lines = _csv_text(pl, np.where(risky[:, None], 0.0, rows)).split("\n")
    for index in np.flatnonzero(risky).tolist():
        lines[index] = ",".join(map(repr, rows[index].tolist()))
    return "\n".join(lines)


def texts(values: Array) -> list[str] | None:
    """One column of numbers as repr() writes each (a blank for nan), at polars' speed; None where polars is not
    in or the column is short."""
    if not _worth_it(len(values)):
        return None
    pl = writer()
    if pl is None:
        return None
    column = values.reshape(-1, 1)
    risky = _risky(column)
    shown = pl.Series(np.where(risky, 0.0, values)).cast(pl.String).to_list()
    for index in np.flatnonzero(risky).tolist():
        value = float(values[index])
        shown[index] = "" if value != value else repr(value)
    return shown
