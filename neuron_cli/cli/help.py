"""--help in the reader's language: every command's and option's help text put through the message catalogue,
and the words Typer's click writes itself (Usage, Options, its error messages) through the same catalogue."""

from __future__ import annotations

from typing import Any

from ..i18n import message


def translate(command: Any, lang: str) -> None:
    """Translate, in place, the help of a click command, its parameters and its subcommands; a command's short
    help (in the list of commands) is its first sentence, whole, never cut at a width."""
    for attribute in ("help", "short_help"):
        text = getattr(command, attribute, None)
        if text:
            setattr(command, attribute, _translate_text(text, lang))
    if getattr(command, "help", None) and not getattr(command, "short_help", None):
        command.short_help = first_sentence(paragraphs(command.help)[0])
    for param in getattr(command, "params", []):
        if getattr(param, "help", None):
            param.help = message(key(param.help), lang)
    for sub in getattr(command, "commands", {}).values():
        translate(sub, lang)


def translate_click() -> None:
    """Typer's copy of click looks its own words up with gettext's `_`: look them up in the catalogue instead, in
    the language of the run (i18n.current, so that a later run in English gets English)."""
    import importlib

    for name in ("core", "exceptions", "formatting", "decorators", "parser", "types"):
        try:
            module = importlib.import_module(f"typer._click.{name}")
        except ImportError:  # pragma: no cover - an older Typer, on the real click: its words stay English
            continue
        if hasattr(module, "_"):
            module._ = message  # type: ignore[attr-defined]
    for name in ("core", "main"):
        module = importlib.import_module(f"typer.{name}")
        if hasattr(module, "_"):
            module._ = message  # type: ignore[attr-defined]
    formatting = importlib.import_module("typer._click.formatting")
    # Hangul takes two columns: wrap and align by the columns a terminal shows, not by characters.
    formatting.wrap_text = wrap_text  # type: ignore[attr-defined]
    formatting.term_len = columns  # type: ignore[attr-defined]
    write_usage = formatting.HelpFormatter.write_usage

    if getattr(write_usage, "translated", False):
        return

    def usage_in(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        """Click's usage line, on one line wherever it fits (click moves the arguments down when fewer than 20
        columns are left, even where they need fewer), and without a space left at the end of a line."""
        prefix = prefix if prefix is not None else message("Usage: ")
        whole = f"{prefix:>{self.current_indent}}{prog} {args}".rstrip()
        if columns(whole) <= self.width:
            self.write(whole + "\n")
            return
        start = len(self.buffer)
        write_usage(self, prog, args, prefix)
        self.buffer[start:] = ["".join(self.buffer[start:]).replace(" \n", "\n")]

    usage_in.translated = True  # type: ignore[attr-defined]
    formatting.HelpFormatter.write_usage = usage_in
    _translate_click_words()


def _translate_click_words() -> None:
    """The words Typer's copy of click writes without gettext: its help option's help, and a number range as
    the help shows it (0<=x<=1), in the run's language."""
    import importlib

    core = importlib.import_module("typer._click.core")
    types = importlib.import_module("typer._click.types")
    get_help_option = core.Command.get_help_option

    def help_option(self: Any, ctx: Any) -> Any:
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = message("Show this message and exit.")
        return option

    core.Command.get_help_option = help_option
    typer_core = importlib.import_module("typer.core")
    metavar = typer_core.TyperArgument.make_metavar
    if not getattr(metavar, "plain", False):

        def plain_metavar(self: Any, ctx: Any, *, usage: bool = False) -> str:
            """A required argument as the usage line of every manual writes it (FILE), not Typer's {FILE}."""
            shown = metavar(self, ctx, usage=usage)
            return shown[1:-1] if shown.startswith("{") and shown.endswith("}") else shown

        plain_metavar.plain = True  # type: ignore[attr-defined]
        typer_core.TyperArgument.make_metavar = plain_metavar
    formatting = importlib.import_module("typer._click.formatting")
    _narrow_help(formatting.HelpFormatter)
    describe = types._NumberRangeBase._describe_range

    def described(self: Any) -> str:
        from ..i18n import current

        if current() != "ko":
            return str(describe(self))
        low = (
            None
            if self.min is None
            else message("{value} or more" if not self.min_open else "more than {value}", value=self.min)
        )
        high = (
            None
            if self.max is None
            else message("{value} or less" if not self.max_open else "less than {value}", value=self.max)
        )
        return " ".join(part for part in (low, high) if part)

    types._NumberRangeBase._describe_range = described


NARROW = 60  # below this many columns an option's help goes under it, not beside it


def _narrow_help(formatter: Any) -> None:
    """click never formats help narrower than 50 columns, and puts an option's help beside it in a column of at
    most 30: at 40 columns lines ran past the edge and broke mid-word. The help follows the terminal down to 30
    columns, and below NARROW columns each option's help is written under it."""
    import os
    import shutil

    if getattr(formatter, "narrowed", False):
        return
    setup, write_dl = formatter.__init__, formatter.write_dl

    def init(self: Any, indent_increment: int = 2, width: int | None = None, max_width: int | None = None) -> None:
        setup(self, indent_increment, width, max_width)
        if width is None:
            given = os.environ.get("COLUMNS", "")
            columns = int(given) if given.isdigit() else shutil.get_terminal_size().columns
            self.width = max(min(columns, max_width or 80) - 2, 30)

    def definitions(self: Any, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        if self.width >= NARROW:
            write_dl(self, rows, col_max, col_spacing)
            return
        indent = " " * (self.current_indent + 4)
        for first, second in rows:
            self.write(_choices_cut(first, self.width, self.current_indent) + "\n")
            if second:
                self.write(wrap_text(second, self.width, indent, indent, preserve_paragraphs=True) + "\n")

    formatter.__init__, formatter.write_dl = init, definitions
    formatter.narrowed = True


def _choices_cut(name: str, width: int, indent: int) -> str:
    """An option's name and metavar on lines of `width`, a long list of choices broken after a |."""
    lines, line = [], " " * indent
    for piece in name.replace("|", "|\0").split("\0"):
        if line.strip() and columns(line) + columns(piece) > width:
            lines.append(line)
            line = " " * (indent + 4)
        line += piece
    return "\n".join([*lines, line])


def first_sentence(paragraph: str) -> str:
    """A paragraph's first sentence (to its first ". " or ": "), its words joined by single spaces, ending in a
    full stop as every command's line in `neuron --help` does."""
    import re

    words = " ".join(paragraph.split())
    found = re.search(r"[.:](?=\s)", words)
    return words[: found.start()] + "." if found else words


def paragraphs(text: str) -> list[str]:
    """A help text's paragraphs; the catalogue's key of one is its words joined by single spaces."""
    return [paragraph for paragraph in text.split("\n\n") if paragraph.strip()]


def key(paragraph: str) -> str:
    return " ".join(paragraph.split())


def _translate_text(text: str, lang: str) -> str:
    """A docstring, paragraph by paragraph; in an example block (\\b) only its heading, never the commands."""
    translated = []
    for paragraph in paragraphs(text):
        if paragraph.lstrip().startswith("\b"):
            translated.append(paragraph.replace("Examples:", message("Examples:", lang)))
        else:
            translated.append(message(key(paragraph), lang))
    return "\n\n".join(translated)


def columns(text: str) -> int:
    """The columns a terminal gives `text` (escape codes take none; East Asian wide characters two)."""
    import re

    from rich.cells import cell_len

    return cell_len(re.sub(r"\x1b\[[0-9;]*m", "", text))


def wrap_text(
    text: str,
    width: int = 78,
    initial_indent: str = "",
    subsequent_indent: str = "",
    preserve_paragraphs: bool = False,
) -> str:
    """click's wrap_text, measuring by terminal columns: paragraphs filled to `width`, a paragraph that starts
    with \\b kept line for line."""
    import re

    if not preserve_paragraphs:
        return _fill(" ".join(text.split()), width, initial_indent, subsequent_indent)
    wrapped = []
    for paragraph in re.split(r"\n\s*\n", text.expandtabs().strip("\n")):
        lines = paragraph.splitlines()
        if lines and lines[0].strip() == "\b":  # kept line for line; a line too long breaks between words
            kept = []
            for line in lines[1:]:
                own = " " * (len(line) - len(line.lstrip()))
                # click keeps 2 columns spare at the right; a command line may use them rather than break
                kept.append(
                    _fill(line.strip(), width + 2, subsequent_indent + own, subsequent_indent + own + "    ", True)
                )
            wrapped.append("\n".join(kept))
            continue
        own = " " * (len(lines[0]) - len(lines[0].lstrip())) if lines else ""
        first = initial_indent if not wrapped else subsequent_indent
        wrapped.append(_fill(" ".join(paragraph.split()), width, first + own, subsequent_indent + own))
    return "\n\n".join(wrapped)


def _fill(text: str, width: int, first: str, rest: str, command: bool = False) -> str:
    """`text` filled to `width` columns; in a command line (an example) an option stays with its value."""
    lines: list[str] = []
    line = first
    words = text.split()
    if command:
        units: list[str] = []
        for word in words:
            value = not word.startswith("-") or word[1:2].isdigit() or word[1:2] == "."  # -1 is a value
            if units and units[-1].startswith("-") and " " not in units[-1] and value:
                units[-1] += " " + word
            else:
                units.append(word)
        words = units
    for word in words:
        if line.strip() and columns(line) + 1 + columns(word) > width:
            lines.append(line)
            line = rest + word
        else:
            line = line + (" " if line.strip() and not line.endswith(" ") else "") + word
    lines.append(line)
    return "\n".join(lines)
