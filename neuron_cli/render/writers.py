"""The one table of writers: for each kind of result, a writer per format, all of one signature
`(result, view, out)`, and which formats can show what a view asks for besides the outputs (--grad, --explain).
A format a kind has no writer for, or that cannot show what was asked, is refused here before any work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from ..errors import NeuronError
from ..i18n import message
from . import truth as t
from . import verdicts as v
from .numbers import csv_header, csv_lines, plain_lines
from .passes import json_lines
from .view import Format, View

Writer = Callable[[Any, View, IO[str]], None]


@dataclass(frozen=True)
class Kind:
    """The writers of one kind of result, and the formats that can show each extra a view may ask for."""

    writers: dict[Format, Writer]
    shows: dict[str, frozenset[Format]] = field(default_factory=dict)  # view flag -> formats that show it
    whole: frozenset[Format] = frozenset()  # formats that need every part at once (a document with totals first)


def console_for(view: View, out: IO[str]) -> Any:
    from .console import make_console

    return make_console(out, color=view.color, width=view.width)


# ---------------------------------------------------------------- a forward pass on one row


def _explanation(result: Any, view: View) -> str:
    from dataclasses import replace

    from .explain import explanation

    # written for a person: in the reader's language in every format (write() keeps it as explain_lang)
    return explanation(result.as_read(), replace(view, lang=view.explain_lang or view.lang))


def pass_table(result: Any, view: View, out: IO[str]) -> None:
    if view.explain:
        from .console import print_indented
        from .explain import folded

        # On a terminal a line too long is cut at its clauses (;) and before its = signs, each continued under
        # its indent; Rich wraps between words only what still does not fit (a number never breaks).
        console = console_for(view, out)
        text = (f"# {view.title}\n" if view.title else "") + _explanation(result, view)
        print_indented(console, [part for whole in text.splitlines() for part in folded(whole, console.width)])
        return
    from .tables import render_table

    render_table(result.as_read(), view, console_for(view, out))  # floating noise as the 0 it stands for


def pass_plain(result: Any, view: View, out: IO[str]) -> None:
    out.write(_explanation(result, view) if view.explain else plain_lines(result.outputs.reshape(1, -1), view.digits))


def pass_json(result: Any, view: View, out: IO[str]) -> None:
    out.write(json_lines(result, view, {"explanation": _explanation(result, view)} if view.explain else None))


def pass_csv(result: Any, view: View, out: IO[str]) -> None:
    out.write(csv_header(result.inputs.size, result.outputs.size))
    out.write(csv_lines(result.inputs.reshape(1, -1), result.outputs.reshape(1, -1), view.digits))


# ---------------------------------------------------------------- a block of rows (a stream, or -x @FILE)


def rows_plain(block: Any, view: View, out: IO[str]) -> None:
    out.write(plain_lines(block.outputs, view.digits))


def rows_csv(block: Any, view: View, out: IO[str]) -> None:
    if block.first_row == 1:
        out.write(csv_header(block.network.input_size, block.network.output_size))
    if len(block.inputs):
        out.write(csv_lines(block.inputs, block.outputs, view.digits))


def rows_json(block: Any, view: View, out: IO[str]) -> None:
    if len(block.inputs):
        out.write(json_lines(block.forward, view))


def rows_table(block: Any, view: View, out: IO[str]) -> None:
    from .tables import stream_table

    stream_table(block, view, out)


# ---------------------------------------------------------------- the catalogue of activations


def _from(module: str, name: str) -> Writer:
    """A writer imported when first used, so that a command pays only for the formats it writes."""

    def write(result: Any, view: View, out: IO[str]) -> None:
        import importlib

        getattr(importlib.import_module(f"neuron_cli.render.{module}"), name)(result, view, out)

    return write


def _catalogue(name: str) -> Writer:
    return _from("catalogue", name)


TABLE_AND_JSON = frozenset({Format.table, Format.json})

KINDS: dict[str, Kind] = {
    "pass": Kind(
        {Format.table: pass_table, Format.json: pass_json, Format.csv: pass_csv, Format.plain: pass_plain},
        {"grad": TABLE_AND_JSON, "explain": frozenset({Format.table, Format.json, Format.plain})},
    ),
    "rows": Kind(
        {Format.table: rows_table, Format.json: rows_json, Format.csv: rows_csv, Format.plain: rows_plain},
        {"grad": frozenset({Format.json}), "explain": frozenset()},
    ),
    "verdict": Kind(
        {
            Format.table: v.verdict_table,
            Format.json: v.verdict_json,
            Format.csv: v.verdict_csv,
            Format.plain: v.verdict_text,
        }
    ),
    "truth_table": Kind(
        {Format.table: t.truth_rich, Format.json: t.truth_json, Format.csv: t.truth_csv, Format.plain: t.truth_text}
    ),
    "activations": Kind(
        {
            Format.table: _catalogue("list_table"),
            Format.json: _catalogue("list_json"),
            Format.csv: _catalogue("list_csv"),
            Format.plain: _catalogue("list_plain"),
        }
    ),
    "activation": Kind(
        {
            Format.table: _catalogue("one_table"),
            Format.json: _catalogue("one_json"),
            Format.plain: _catalogue("one_plain"),
        }
    ),
    "answers": Kind(
        {
            Format.table: _from("answers", "answers_table"),
            Format.json: _from("answers", "answers_json"),
            Format.csv: _from("answers", "answers_csv"),
            Format.plain: _from("answers", "answers_plain"),
            Format.junit: _from("answers", "answers_junit"),
            Format.gradescope: _from("answers", "answers_gradescope"),
        },
        whole=frozenset({Format.gradescope}),
    ),
    "quiz": Kind(
        {
            Format.table: _from("quiz", "quiz_table"),
            Format.json: _from("quiz", "quiz_json"),
            Format.csv: _from("quiz", "quiz_csv"),
            Format.plain: _from("quiz", "quiz_plain"),
        }
    ),
    "unreadable": Kind({Format.gradescope: _from("answers", "unreadable_gradescope")}),
    "training": Kind(
        {
            Format.table: _from("training", "training_table"),
            Format.json: _from("training", "training_json"),
            Format.csv: _from("training", "training_csv"),
            Format.plain: _from("training", "training_plain"),
        },
        whole=frozenset({Format.table, Format.plain}),
    ),
    "inspect": Kind(
        {
            Format.table: _from("inspect", "inspect_table"),
            Format.json: _from("inspect", "inspect_json"),
            Format.plain: _from("inspect", "inspect_plain"),
        }
    ),
    "values": Kind(
        {
            Format.table: _catalogue("values_table"),
            Format.json: _catalogue("values_json"),
            Format.csv: _catalogue("values_csv"),
            Format.plain: _catalogue("values_plain"),
        }
    ),
}

FLAGS = {"grad": "--grad", "explain": "--explain"}


def needs_whole(kind: str, chosen: Format) -> bool:
    """Whether this format writes one document of all the parts (so they must be gathered first)."""
    return chosen in KINDS[kind].whole


def formats(kind: str) -> list[str]:
    """The formats a kind of result can be written in, for --help and shell completion."""
    return [f.value for f in KINDS[kind].writers]


def writer_for(kind: str, chosen: Format, view: View) -> Writer:
    entry = KINDS[kind]
    writer = entry.writers.get(chosen)
    if writer is None:
        offered = ", ".join(f.value for f in entry.writers)
        raise NeuronError(
            "--format {format} is not offered here; choose {offered}", format=chosen.value, offered=offered
        )
    for flag, option in FLAGS.items():
        if getattr(view, flag) and chosen not in entry.shows.get(flag, frozenset(entry.writers)):
            able = ", ".join(f.value for f in entry.writers if f in entry.shows.get(flag, ())) or message("none", view)
            raise NeuronError(
                "{option} cannot be shown in --format {format}; formats that show it: {able}",
                option=option,
                format=chosen.value,
                able=able,
            )
    return writer


def write(kind: str, result: Any, view: View, chosen: Format, out: IO[str]) -> None:
    """Write a result of this kind in the chosen format: the one way every command produces output.

    Machine formats are byte for byte the same in every language: only a table is written in the reader's.
    """
    from dataclasses import replace

    shown = view if chosen is Format.table else replace(view, lang="en", explain_lang=view.lang)
    writer_for(kind, chosen, shown)(result, shown, out)


def check(kind: str, chosen: Format, view: View) -> None:
    """Refuse, before any work is done, a format this kind of result has no writer for, or a view it cannot show."""
    writer_for(kind, chosen, view)
