"""Rich consoles that read nothing as markup and draw ASCII where the output cannot show box lines, and tables
fitted to the terminal: every number on one line, fewer digits where they do not fit, else stacked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from ..i18n import message
from .numbers import format_number
from .view import TABLE_DIGITS, View

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text


PIPED_WIDTH = 160


def make_console(file: IO[str], color: bool | None = None, width: int | None = None, record: bool = False) -> Console:
    """A console that reads nothing as markup and draws ASCII where the encoding cannot show box lines.

    `color`: True forces colour, False forbids it, None leaves it to Rich (a terminal, unless NO_COLOR is set).
    Into a file or a pipe, where no terminal sets the width, tables get room to keep each number on one line.
    """
    import os

    from rich.console import Console

    if width is None and not (hasattr(file, "isatty") and file.isatty()) and "COLUMNS" not in os.environ:
        width = PIPED_WIDTH
    console = Console(
        file=_Trimmed(file),  # type: ignore[arg-type]
        markup=False,
        emoji=False,
        highlight=False,
        no_color=True if color is False else None,
        force_terminal=True if color else None,
        width=width,
        safe_box=True,
        record=record,
    )
    console.on_broken_pipe = _broken_pipe  # type: ignore[method-assign]
    return console


class _Trimmed:
    """The console's file without the spaces Rich leaves at the end of a wrapped or padded line (a colour's reset
    kept): what a reader copies or a test compares has no invisible tail."""

    _TAIL: Any = None

    def __init__(self, file: IO[str]) -> None:
        self._file = file

    def write(self, text: str) -> int:
        import re

        if _Trimmed._TAIL is None:
            _Trimmed._TAIL = re.compile(r" +((?:\x1b\[[0-9;]*m)*)(?=\r?\n)")
        return self._file.write(_Trimmed._TAIL.sub(r"\1", text))

    def __getattr__(self, name: str) -> object:
        return getattr(self._file, name)


def _broken_pipe() -> None:
    """Rich would exit 1 on a closed pipe; the command decides instead (quietly, with the code it would give)."""
    raise BrokenPipeError


def unicode_ok(console: Console) -> bool:
    return console.encoding.lower().replace("-", "").startswith("utf")


@dataclass(frozen=True)
class Column:
    """A column of a fitted table: its header, and whether it holds names (kept on every line when stacked)."""

    header: str
    key: bool = False


Cell = str | float | tuple[str, str]  # a name, a number to format, or (text, Rich style)
SMALLEST_DIGITS = 6  # a table gives up digits down to this many before it stacks its values instead


def digit_choices(view: View) -> list[int]:
    """The significant digits to try, most first: the user's choice alone, else 10 down to 6."""
    return [view.digits] if view.digits else list(range(TABLE_DIGITS, SMALLEST_DIGITS - 1, -1))


def _text(cell: Cell, digits: int) -> str:
    if isinstance(cell, tuple):
        return cell[0]
    return cell if isinstance(cell, str) else format_number(cell, digits)


def _width(columns: list[Column], texts: list[list[str]]) -> int:
    """The narrowest width Rich can give a table with these cells: a name column's header may wrap between words;
    numbers and the other headers stay on one line."""
    from rich.cells import cell_len

    total = 3 * len(columns) + 1
    for k, column in enumerate(columns):
        header = max(map(cell_len, column.header.split() or [""])) if column.key else cell_len(column.header)
        total += max([header] + [cell_len(row[k]) for row in texts])
    return total


def fitted(
    heading: str | None,
    columns: list[Column],
    rows: list[list[Cell]],
    view: View,
    width: int,
    footer: str | None = None,
    sections: frozenset[int] = frozenset(),
    labels: list[str] | None = None,
) -> RenderableType:
    """A table that never splits a number and never runs past `width`: with all its digits if it fits, else with
    fewer (down to 6 significant), else stacked (a line per value, its names beside it, or its entry of `labels`
    where the caller says how a reader names a row). `sections`: the rows after which a line is drawn."""
    for digits in digit_choices(view):
        texts = [[_text(cell, digits) for cell in row] for row in rows]
        if _width(columns, texts) <= width:
            return _table(heading, columns, rows, texts, sections, footer, digits, view)
    return _stacked(heading, columns, rows, view, width, footer, labels)


def _stacked(
    heading: str | None,
    columns: list[Column],
    rows: list[list[Cell]],
    view: View,
    width: int,
    footer: str | None,
    labels: list[str] | None = None,
) -> RenderableType:
    """The table turned on its side: for each row a line of its names (line 4, Kim), then a line per value
    (its column's name, the value): two columns, so that even 40 columns leave the values room."""
    keys = [k for k, c in enumerate(columns) if c.key]
    values = [k for k, c in enumerate(columns) if not c.key]
    stacked_columns = [Column(message("quantity", view), key=True), Column(message("value", view))]
    stacked_rows: list[list[Cell]] = []
    sections = set()
    for r, row in enumerate(rows):
        if keys:
            names = ", ".join(f"{columns[key].header} {row[key]}" for key in keys if str(row[key]).strip())
            stacked_rows.append([(labels[r] if labels else names, "bold"), ""])
        stacked_rows += [[f"  {columns[k].header}" if keys else columns[k].header, row[k]] for k in values]
        sections.add(len(stacked_rows) - 1)
    sections.discard(len(stacked_rows) - 1)
    choices = digit_choices(view)
    chosen = choices[-1]
    for digits in choices:
        if _width(stacked_columns, [[_text(cell, digits) for cell in row] for row in stacked_rows]) <= width:
            chosen = digits
            break
    texts = [[_text(cell, chosen) for cell in row] for row in stacked_rows]
    return _table(heading, stacked_columns, stacked_rows, texts, frozenset(sections), footer, chosen, view)


def _table(
    heading: str | None,
    columns: list[Column],
    rows: list[list[Cell]],
    texts: list[list[str]],
    sections: frozenset[int],
    footer: str | None,
    digits: int,
    view: View,
) -> RenderableType:
    from rich.table import Table
    from rich.text import Text

    table = Table()
    for k, column in enumerate(columns):
        numeric = any(isinstance(row[k], float) for row in rows)
        # Only name columns may wrap (between words); numbers never break. Fold is the last resort of a terminal
        # narrower than any layout.
        table.add_column(column.header, justify="right" if numeric else "left", no_wrap=not column.key, overflow="fold")
    for r, (row, text) in enumerate(zip(rows, texts)):
        table.add_row(
            *(Text(t, style=cell[1]) if isinstance(cell, tuple) else t for cell, t in zip(row, text)),
            end_section=r in sections,
        )
    notes = [footer] if footer else []
    full = view.digits or TABLE_DIGITS
    if digits != full and any(_text(cell, digits) != _text(cell, full) for row in rows for cell in row):
        notes.append(message("numbers to {digits} significant digits, to fit the terminal", view, digits=digits))
    return headed(heading, table, "\n".join(notes) or None)


def print_indented(console: Console, lines: list[str] | list[Text], style: str = "", hang: int = 0) -> None:
    """Lines of text on a terminal: each broken between words where it does not fit, its later lines under its
    own indent (`hang` columns further), never a space left at an end."""
    from rich.text import Text

    for line in lines:
        text = line if isinstance(line, Text) else Text(line, style=style)
        body = text.plain.lstrip(" ")
        indent = len(text.plain) - len(body)
        text = text[indent:]
        pieces = text.wrap(console, max(console.width - indent - hang, 8)) if body else [Text()]
        for k, piece in enumerate(pieces):
            piece.rstrip()
            console.print(Text(" " * (indent + (hang if k else 0))) + piece, soft_wrap=True)


def headed(heading: str | None, table: RenderableType, footer: str | None = None) -> RenderableType:
    """A table with its heading (and footer) as lines of their own, which wrap with the terminal, not the table."""
    from rich.console import Group
    from rich.text import Text

    parts: list[RenderableType] = [Text(heading, style="bold")] if heading else []
    parts.append(table)
    if footer:
        parts.append(Text(footer))
    return Group(*parts)
