"""Results to text, the one home of output: tables (the only package that imports Rich), JSON, CSV, plain,
JUnit, Gradescope, plots, diagrams and explanations, from nn/'s results; no math. `writers.py` holds the one
table of writers, keyed by the kind of result and the format, that `write` looks in."""

from .numbers import format_number, join_numbers, json_number, json_numbers, plain_lines
from .view import TABLE_DIGITS, Format, View
from .writers import check, formats, needs_whole, write

__all__ = [
    "TABLE_DIGITS",
    "Format",
    "View",
    "check",
    "format_number",
    "formats",
    "join_numbers",
    "json_number",
    "json_numbers",
    "needs_whole",
    "plain_lines",
    "write",
]
