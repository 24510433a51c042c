"""Polars, loaded only for long streams, and its multi-threaded CSV reader, used only where it agrees with Python:
polars parses floats correctly rounded (as float() does) and refuses what float() refuses; what it cannot vouch
for (blank lines, empty fields, ragged rows, inf and nan) goes back to the careful parser (io/rows.py).
Its writer is render/fast_text.py's."""

from __future__ import annotations

import functools
import gc
import os
from types import ModuleType

import numpy as np

Array = np.ndarray
WANTED = [True]  # False: a small input, where polars' import (about 0.3 s) would cost more than it saves


def wanted(worth_it: bool) -> None:
    """Whether this input is worth polars' import; where not, NumPy and Python read and write it."""
    WANTED[0] = worth_it


def polars() -> ModuleType | None:
    """Polars where this input is worth it and polars loads, else None."""
    return _loaded() if WANTED[0] else None


def in_use() -> bool:
    """Whether polars is wanted and its import already paid for (nothing is imported to say so)."""
    return WANTED[0] and _loaded.cache_info().currsize > 0 and _loaded() is not None


@functools.lru_cache(maxsize=1)
def _loaded() -> ModuleType | None:
    """Polars, or None where it is missing or will not load (it warns, for one, on a CPU it was not built for)."""
    import warnings

    # One jemalloc arena for polars' allocations (read before it loads): each thread's own would keep what it
    # freed, 3 MiB of a stream's peak memory for no speed. A setting the user made is kept.
    os.environ.setdefault("_RJEM_MALLOC_CONF", "narenas:1")
    collecting = gc.isenabled()
    gc.disable()  # its import makes objects by the hundred thousand, none of them garbage: 7 ms without collections
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            import polars as pl
    except Exception:  # whatever stops polars loading, NumPy and Python do the work instead
        return None
    finally:
        gc.freeze()  # its many objects live as long as the process: the collector need not walk them (5% of a stream)
        if collecting:
            gc.enable()
    # polars warns with a RuntimeWarning on a CPU that lacks what it was built for, then may crash: do without it.
    # Other warnings (deprecations of what it imports) are kept off stderr and change nothing.
    return None if any(issubclass(w.category, RuntimeWarning) for w in caught) else pl


def read_rows(block: bytes, width: int) -> Array | None:
    """Comma-separated rows of `width` finite floats, or None where polars is missing or cannot vouch for them."""
    pl = polars()
    if pl is None:
        return None
    try:
        frame = pl.read_csv(
            block,
            has_header=False,
            schema={f"x{i}": pl.Float64 for i in range(width)},
            quote_char=None,
            comment_prefix=None,
            truncate_ragged_lines=False,
        )
    except (pl.exceptions.PolarsError, TypeError):  # TypeError: a polars whose read_csv takes other arguments
        return None
    except BaseException as problem:  # a panic of polars' (no thread to spawn under ulimit): the careful parser
        if not _panic(problem):
            raise
        return None
    if frame.height == 0 or sum(frame.null_count().row(0)):
        return None
    # in Fortran order, as polars gives it: a weighted sum reads a column at a time, 9% faster so than from a C
    # copy (the sums come out in C order whatever the rows' order: nn/sums.py)
    rows = np.asarray(frame.to_numpy(), dtype=np.float64).reshape(-1, width)
    return rows if np.isfinite(rows).all() else None


def floats(texts: list[str]) -> Array | None:
    """Numbers written as text, read as Python's float() reads them; None where polars is not loaded or leaves
    one unread. (Polars reads no text that float() refuses: it refuses some that float() reads, such as 1_000,
    ' 1' or Arabic digits, and those go to Python.)"""
    pl = polars()
    if pl is None or not texts:
        return None
    try:
        column = pl.Series(texts, dtype=pl.String).cast(pl.Float64, strict=False)
    except (pl.exceptions.PolarsError, TypeError):
        return None
    except BaseException as problem:
        if not _panic(problem):
            raise
        return None
    if column.null_count():
        return None
    return np.asarray(column.to_numpy(), dtype=np.float64)


def _panic(problem: BaseException) -> bool:
    """Whether `problem` is a Rust panic inside polars (pyo3's PanicException, a BaseException): polars could not
    do the work (it could not start its threads, under a memory limit), and Python does it instead."""
    return type(problem).__name__ == "PanicException"
