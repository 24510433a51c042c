"""The catalogue of activations: every one in a table, or one in full with samples."""

from __future__ import annotations

import json
from typing import IO, Any

import numpy as np

from ..activations import REGISTRY, Activation, bind, format_value
from . import format_number, json_numbers
from .tables import make_console

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


def write_activation_list(chosen: str, out: IO[str]) -> None:
    if chosen == "json":
        out.write(json.dumps([activation_document(a) for a in REGISTRY], ensure_ascii=False, allow_nan=False) + "\n")
    elif chosen in ("plain", "csv"):
        for a in REGISTRY:
            out.write(f"{a.name}\t{','.join(a.aliases)}\t{a.formula}\t{a.output_range}\n")
    else:
        from rich.table import Table

        table = Table(
            title=f"{len(REGISTRY)} activations (Keras 3 names; `neuron activations NAME` for one)",
            title_justify="left",
        )
        for header in ("name", "aliases", "f(z)", "range", "acts on"):
            table.add_column(header, overflow="fold")
        for a in REGISTRY:
            table.add_row(a.name, ", ".join(a.aliases), a.formula, a.output_range, "layer" if a.layerwise else "neuron")
        make_console(out).print(table)


def write_activation(activation: Activation, chosen: str, out: IO[str]) -> None:
    doc = activation_document(activation)
    if chosen == "json":
        out.write(json.dumps(doc, ensure_ascii=False, allow_nan=False) + "\n")
        return
    lines = [
        f"{activation.name}" + (f" (also: {', '.join(activation.aliases)})" if activation.aliases else ""),
        activation.summary,
        f"f(z)  = {activation.formula}",
        f"f'(z) = {activation.derivative_formula}",
        f"range: {activation.output_range}",
        f"acts on: {'the whole layer (all z together)' if activation.layerwise else 'each neuron on its own z'}",
    ]
    if activation.params:
        lines.append("parameters:")
        for p in activation.params:
            default = "required" if p.required else f"default {format_value(p.default)}"
            lines.append(f"  {p.name} ({default}): {p.help}")
        example = ",".join(f"{p.name}={format_value(p.default if not p.required else 0.0)}" for p in activation.params)
        lines.append(f"  e.g. -a {activation.name}:{example}")
    else:
        lines.append("parameters: none")
    samples = doc.get("samples")
    if samples:
        lines.append("samples:" if not activation.layerwise else f"sample: the layer's z = {list(SAMPLE_LAYER_Z)}")
        if activation.layerwise:
            lines.append(
                "  f(z) = " + ", ".join(format_number(v, 6) if isinstance(v, float) else v for v in samples["f(z)"])
            )
        else:
            lines.append(f"  {'z':>6}  {'f(z)':>12}  {'f' + chr(39) + '(z)':>12}")
            for z, f, d in zip(samples["z"], samples["f(z)"], samples["f'(z)"]):
                lines.append(f"  {z:>6}  {_short(f):>12}  {_short(d):>12}")
    out.write("\n".join(lines) + "\n")


def _short(value: float | str) -> str:
    return value if isinstance(value, str) else format_number(value, 6)
