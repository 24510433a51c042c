"""The catalogue of activations: every one in a table, or one in full with samples."""

from __future__ import annotations

import json
from typing import IO, Any

import numpy as np

from ..i18n import message
from ..nn.activations import Activation, ActivationValues, bind, format_value
from .console import make_console, print_indented
from .numbers import format_number, join_numbers, json_numbers
from .view import View

SAMPLE_Z = (-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0)
SAMPLE_LAYER_Z = (1.0, 2.0, 3.0, 4.0)  # layer-wide activations are shown on one whole vector


def activation_document(activation: Activation) -> dict[str, Any]:
    spec = None if any(p.required for p in activation.params) else bind(activation, {})
    doc: dict[str, Any] = {
        "name": activation.name,
        "aliases": list(activation.aliases),
        "formula": activation.formula,
        "derivative": activation.derivative_formula,
        "range": activation.output_range,
        "acts_on": "layer" if activation.layerwise else "neuron",
        "summary": activation.summary,
        "parameters": [
            {"name": p.name, "default": None if p.required else p.default, "required": p.required, "help": p.help}
            for p in activation.params
        ],
    }
    if spec is not None:
        z = np.array(SAMPLE_LAYER_Z if activation.layerwise else SAMPLE_Z)
        doc["samples"] = {"z": json_numbers(z), "f(z)": json_numbers(spec(z))}
        if not activation.layerwise:
            doc["samples"]["f'(z)"] = json_numbers(spec.derivative(z))
    return doc


def list_json(activations: list[Activation], view: View, out: IO[str]) -> None:
    out.write(json.dumps([activation_document(a) for a in activations], ensure_ascii=False, allow_nan=False) + "\n")


def list_plain(activations: list[Activation], view: View, out: IO[str]) -> None:
    """A line per activation: name, aliases, formula and range, separated by tabs (for cut and awk)."""
    for a in activations:
        out.write(f"{a.name}\t{','.join(a.aliases)}\t{a.formula}\t{a.output_range}\n")


def list_csv(activations: list[Activation], view: View, out: IO[str]) -> None:
    import csv

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "aliases", "formula", "range", "acts_on"])
    for a in activations:
        writer.writerow([a.name, " ".join(a.aliases), a.formula, a.output_range, "layer" if a.layerwise else "neuron"])


WIDE_CATALOGUE = 110  # from this width on the list is a table; narrower, each activation stacks its formula


def list_table(activations: list[Activation], view: View, out: IO[str]) -> None:
    """Every activation: a table where the terminal is wide enough for formulas to wrap between words only,
    else each activation's name, range and aliases on a line and its formula indented beneath."""
    from rich.table import Table
    from rich.text import Text

    console = make_console(out, color=view.color, width=view.width)
    console.print(
        Text(
            message(
                "{count} activations (Keras 3 names; `neuron activations NAME` for one)", view, count=len(activations)
            )
        )
    )
    if console.width < WIDE_CATALOGUE:
        for a in activations:
            acts = message("on the whole layer" if a.layerwise else "on each neuron", view)
            aliases = f" ({message('also', view)}: {', '.join(a.aliases)})" if a.aliases else ""
            shown = f"  {message(a.output_range, view)}, {acts}{aliases}"
            print_indented(console, [Text.assemble((a.name, "bold"), shown)], hang=4)
            # a formula of several clauses (a; in general b) a line each, a long one continued two columns in
            clauses = f"f(z) = {message(a.formula, view)}".split("; ")
            print_indented(console, ["    " + clause for clause in clauses], hang=2)
        return
    table = Table()
    for header in ("name", "aliases", "f(z)", "range", "acts on"):
        # names never break; formulas wrap between words (the column stays wider than any word of them)
        table.add_column(message(header, view), no_wrap=header != "f(z)", ratio=1 if header == "f(z)" else None)
    for a in activations:
        acts = message("layer" if a.layerwise else "neuron", view)
        # a formula or range with words in it (where, by default) is in the reader's language; math is as it is
        table.add_row(a.name, ", ".join(a.aliases), message(a.formula, view), message(a.output_range, view), acts)
    console.print(table)


def one_json(activation: Activation, view: View, out: IO[str]) -> None:
    out.write(json.dumps(activation_document(activation), ensure_ascii=False, allow_nan=False) + "\n")


def one_table(activation: Activation, view: View, out: IO[str]) -> None:
    print_indented(
        make_console(out, color=view.color, width=view.width), _one_text(activation, view).splitlines(), hang=2
    )


def one_plain(activation: Activation, view: View, out: IO[str]) -> None:
    out.write(_one_text(activation, view))


def _one_text(activation: Activation, view: View) -> str:
    doc = activation_document(activation)
    lines = [
        f"{activation.name}"
        + (f" ({message('also', view)}: {', '.join(activation.aliases)})" if activation.aliases else ""),
        message(activation.summary, view),
        f"f(z)  = {message(activation.formula, view)}",
        f"f'(z) = {message(activation.derivative_formula, view)}",
        message("range: {range}", view, range=message(activation.output_range, view)),
        message(
            "acts on: the whole layer (all z together)"
            if activation.layerwise
            else "acts on: each neuron on its own z",
            view,
        ),
    ]
    if activation.params:
        lines.append(message("parameters:", view))
        for p in activation.params:
            default = (
                message("required", view)
                if p.required
                else message("default {value}", view, value=format_value(p.default))
            )
            lines.append(f"  {p.name} ({default}): {message(p.help, view)}")
        example = ",".join(f"{p.name}={format_value(p.default if not p.required else 0.0)}" for p in activation.params)
        lines.append(f"  {message('e.g.', view)} -a {activation.name}:{example}")
    else:
        lines.append(message("parameters: none", view))
    samples = doc.get("samples")
    if samples:
        if activation.layerwise:
            lines.append(message("sample: the layer's z = {z}", view, z=list(SAMPLE_LAYER_Z)))
            lines.append(
                "  f(z) = " + ", ".join(format_number(v, 6) if isinstance(v, float) else v for v in samples["f(z)"])
            )
        else:
            lines.append(message("samples:", view))
            lines.append(f"  {'z':>6}  {'f(z)':>12}  {'f' + chr(39) + '(z)':>12}")
            for z, f, d in zip(samples["z"], samples["f(z)"], samples["f'(z)"]):
                lines.append(f"  {z:>6}  {_short(f):>12}  {_short(d):>12}")
    return "\n".join(lines) + "\n"


def _short(value: float | str) -> str:
    return value if isinstance(value, str) else format_number(value, 6)


# ---------------------------------------------------------------- an activation at given z, without weights


def values_plain(result: ActivationValues, view: View, out: IO[str]) -> None:
    out.write(join_numbers(result.values, view.digits) + "\n")


def values_csv(result: ActivationValues, view: View, out: IO[str]) -> None:
    header = ["z", "f(z)"] + ([] if result.spec.layerwise else ["f'(z)"])
    lines = [",".join(header)]
    slopes = [] if result.spec.layerwise else list(result.slopes)
    for k, (z, value) in enumerate(zip(result.z, result.values)):
        cells = [format_number(z, view.digits), format_number(value, view.digits)]
        if slopes:
            cells.append(format_number(slopes[k], view.digits))
        lines.append(",".join(cells))
    out.write("\n".join(lines) + "\n")


def values_json(result: ActivationValues, view: View, out: IO[str]) -> None:
    doc: dict[str, Any] = {
        "activation": result.spec.label,
        "formula": result.spec.formula,
        "z": json_numbers(result.z, view.digits),
        "f(z)": json_numbers(result.values, view.digits),
    }
    doc["f'(z)"] = json_numbers(result.slopes, view.digits)
    out.write(json.dumps(doc, ensure_ascii=False, allow_nan=False) + "\n")


def values_table(result: ActivationValues, view: View, out: IO[str]) -> None:
    from .console import Column, fitted

    console = make_console(out, color=view.color, width=view.width)
    columns = [Column("z"), Column("f(z)")]
    if not result.spec.layerwise:
        columns.append(Column("f'(z)"))
    rows: list[list[Any]] = [
        [float(z), float(value)] + ([] if result.spec.layerwise else [float(result.slopes[k])])
        for k, (z, value) in enumerate(zip(result.z, result.values))
    ]
    heading = f"{result.spec.label}: f(z) = {result.spec.formula}"
    console.print(fitted(heading, columns, rows, view, console.width))
