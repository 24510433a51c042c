"""`compute` and `check --expect` as jobs: the network on one row (with a training step, plots, saved tables and
model), on the rows of an @FILE, or on a stream of rows; and one row's outputs against the values written."""

from __future__ import annotations

from dataclasses import replace
from typing import IO, TYPE_CHECKING

from .. import render
from ..errors import NeuronError
from ..i18n import Phrase, message
from ..io.files import replace_file
from ..io.values import input_rows, parse_vector, split_values
from ..nn.grading import Verdict, check_outputs
from ..nn.layers import Block, Network, NetworkPass
from ..render import Format, View
from .requests import CheckRequest, ComputeRequest
from .stream import Rows, run_stream

if TYPE_CHECKING:
    from ..nn.learning import TrainingStep


def compute(request: ComputeRequest, stdin: IO[bytes] | None, out: IO[str]) -> list[TrainingStep]:
    """Compute and write what the request asks for; the training steps taken (for a note on what did not learn).
    `stdin` is the stream of rows, where -x does not give them."""
    if request.saving.model is not None and request.step is None:
        # Without a training step the model is written as given: JSON or TOML to .keras and back.
        _save_model(request.network, request.saving.model)
        if stdin is None and request.inputs is None:
            return []  # a conversion alone: nothing to compute
    if request.inputs is None or request.inputs == "-":
        render.check("rows", request.format, request.view)
        if stdin is None:
            raise NeuronError("give the inputs with -x (e.g. -x 1,2,3), or pipe rows of inputs into standard input")
        rows = Rows(request.network, request.format, request.view, request.header)
        run_stream(stdin, rows, out, request.split)
        return []
    inputs = input_rows(request.inputs, request.network)
    once = request.row_only()
    if len(inputs) > 1 and once:
        raise NeuronError(
            "{options}: one input row only; -x ({file}) has {count} rows",
            options=", ".join(once),
            file=request.inputs[1:],
            count=len(inputs),
        )
    if len(inputs) > 1 and request.format is not Format.table:
        render.check("rows", request.format, request.view)
        render.write("rows", Block(request.network, inputs), request.view, request.format, out)
        out.flush()
        return []
    render.check("pass", request.format, request.view)
    steps = []
    for number, row in enumerate(inputs, start=1):
        result = request.network.forward(row)
        step = None
        if request.step is not None:
            from ..nn.learning import learning_step

            step = learning_step(result, request.step.targets, request.step.loss, request.step.rate)
            steps.append(step)
        title = message("row {number}", request.view, number=number) if len(inputs) > 1 else None
        shown = replace(request.view, step=step, title=title)
        render.write("pass", result, shown, request.format, out)
        _extras(request, result, shown, out)
        if request.saving.model is not None and step is not None:
            _save_model(step.network(request.network), request.saving.model)
    out.flush()
    return steps


def _save_model(network: Network, path: str) -> None:
    """The model written to `path` (its writers, Keras's format among them, load only for this)."""
    from ..io.models import save_model_file

    save_model_file(network, path)


def _extras(request: ComputeRequest, result: NetworkPass, view: View, out: IO[str]) -> None:
    """What a person asked for besides the tables: the plots, the tables saved as SVG or HTML."""
    if request.plot:
        from ..render.plot import layer_plots

        out.write(layer_plots(result, view, out))
    saving = request.saving
    if saving.svg or saving.html:
        from ..render.record import recorded

        svg, html = recorded(result, view, saving.svg is not None, saving.html is not None)
        for path, text, option in ((saving.svg, svg, "--save-svg"), (saving.html, html, "--save-html")):
            if path and text is not None:
                replace_file(path, text, option)


def check(request: CheckRequest) -> Verdict:
    """One row's outputs against the values written for them."""
    render.check("verdict", request.format, request.view)
    rows = input_rows(request.inputs, request.network)
    if rows.shape[0] != 1:
        raise NeuronError(
            "check takes one input row; -x ({file}) has {count}", file=request.inputs[1:], count=rows.shape[0]
        )
    forward = request.network.forward(rows[0])
    outputs = forward.outputs
    written = parse_vector(request.expect, "--expect")  # finite numbers only, named where one is not
    if written.size != outputs.size:
        import re

        decimal_comma = re.fullmatch(r"\s*-?\d+,\d+\s*", request.expect) and outputs.size == 1
        raise NeuronError(
            "--expect has {given} but there {outputs}{hint}",
            given=Phrase("{count} value" if written.size == 1 else "{count} values", count=written.size),
            outputs=Phrase("is {count} output" if outputs.size == 1 else "are {count} outputs", count=outputs.size),
            hint=Phrase("; a decimal point is written {point}", point=request.expect.strip().replace(",", "."))
            if decimal_comma
            else "",
        )
    # floating noise (0.1 + 0.2 - 0.3) is the 0 it stands for: its scale says so
    return check_outputs(
        split_values(request.expect, "--expect"), outputs, request.tolerance, forward.passes[-1].output_scale()
    )
