"""A forward pass's tables (and its explanation) recorded by Rich, as SVG or HTML to save."""

from __future__ import annotations

import io
from dataclasses import replace

from ..nn.layers import NetworkPass
from .console import make_console
from .view import View


def recorded(result: NetworkPass, view: View, svg: bool, html: bool) -> tuple[str | None, str | None]:
    """The tables as an SVG document and as an HTML page, each where asked for."""
    from rich.text import Text

    from .explain import explanation
    from .tables import render_table

    recorder = make_console(io.StringIO(), width=110, record=True)
    render_table(result, replace(view, explain=False), recorder)
    if view.explain:
        recorder.print(Text(explanation(result, view)))
    return (
        recorder.export_svg(title="neuron", clear=False) if svg else None,
        recorder.export_html(clear=False) if html else None,
    )
