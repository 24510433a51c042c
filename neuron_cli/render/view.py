"""How a result is shown: the output format, and what a person sees besides the outputs."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a view names the step it shows; only a training step loads its module
    from ..nn.learning import TrainingStep

TABLE_DIGITS = 10  # tables are read by people: ten significant digits hide 0.30000000000000004 yet keep detail


class Format(str, Enum):
    """Every output format; each kind of result has writers for some of them (see writers.py)."""

    table = "table"
    json = "json"
    csv = "csv"
    plain = "plain"
    junit = "junit"
    gradescope = "gradescope"


@dataclass(frozen=True)
class View:
    """How to show a result: what besides the outputs, how precisely, and to whom."""

    digits: int | None = None  # significant digits; None: full precision (machine formats), 10 (tables)
    grad: bool = False
    step: TrainingStep | None = None
    explain: bool = False
    explain_lang: str | None = None  # the reader's language, kept for --explain where a machine format is English
    index_base: int = 1  # how inputs, weights and neurons are numbered for a person (x1.. or x0..)
    lang: str = "en"
    color: bool | None = None  # None: colour on a terminal unless NO_COLOR says otherwise
    width: int | None = None  # None: the terminal's, or PIPED_WIDTH into a pipe
    title: str | None = None  # a heading above the result (one row of several)
