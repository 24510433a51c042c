"""What the command line's options mean, for the Typer app and for the fast path alike: the network they
describe, standard input as rows, the options refused as ignored, and the grading of an answer sheet. No Typer."""

from __future__ import annotations

import math
import os
import sys
from typing import IO, Any

import numpy as np

from .core import Layer, Network
from .errors import NeuronError
from .messages import message
from .parsing import input_rows, load_model, parse_activation, parse_bias, parse_vector, parse_weights
from .render import Format, View


def build_network(
    w: list[str] | None, b: str | None, a: str | None, model: str | None, float32: bool = False
) -> Network:
    """The network the options describe (a --model file, or one layer from -w, -b and -a), in the arithmetic
    --dtype asks for."""
    network = described_network(w, b, a, model)
    return network.astype(np.float32) if float32 else network


def described_network(w: list[str] | None, b: str | None, a: str | None, model: str | None) -> Network:
    if model is not None:
        given = [name for name, value in (("-w", w), ("-b", b), ("-a", a)) if value is not None]
        if given:
            raise NeuronError(
                message("--model brings its own layers; leave out {given} (or drop --model)", given=", ".join(given))
            )
        return load_model(model)
    if not w:
        raise NeuronError(
            message(
                "give the weights with -w (one neuron: -w 0.5,-0.2,0.1; "
                'a layer: -w "0.1,0.2;0.3,0.4") or a --model file',
            )
        )
    weights = parse_weights(w)
    bias = parse_bias(b) if b is not None else 0.0
    activation = parse_activation(a) if a is not None else "linear"
    return Network((Layer.create(weights, bias, activation),))


def stdin_source(x: str | None) -> IO[bytes]:
    """Standard input as the stream of rows: asked for with `-x -`, or taken when it is not a terminal."""
    if sys.stdin is None or (x is None and sys.stdin.isatty()):
        raise NeuronError(
            message("give the inputs with -x (e.g. -x 1,2,3), or pipe rows of inputs into standard input")
        )
    return sys.stdin.buffer


def refuse_unused(**options: tuple[bool, str]) -> None:
    """Refuse an option that would be ignored: each name maps to (given, what it needs)."""
    for name, (given, needs) in options.items():
        if given:
            raise NeuronError(
                message(
                    "{option} does nothing without {needs}; {fix}",
                    option=name,
                    needs=needs,
                    fix=message("give both, or leave it out"),
                )
            )


def check_digits(digits: int | None) -> None:
    if digits is not None and not 1 <= digits <= 17:
        raise NeuronError(message("--digits must be from 1 to 17, got {digits}", digits=digits))


def check_tolerance(value: float | None, option: str) -> None:
    if value is None:
        return
    if not math.isfinite(value):
        raise NeuronError(message("{option} must be a finite number, got {value}", option=option, value=value))
    if value < 0:
        raise NeuronError(message("{option} must be 0 or more, got {value}", option=option, value=value))


def answer_sheet(
    sheet: str,
    x: str | None,
    w: list[str] | None,
    b: str | None,
    activation: str | None,
    model: str | None,
    float32: bool,
    expect: list[str] | None,
    tol: float | None,
    rtol: float | None,
    sig: int | None,
    min_decimals: int | None,
    points: float | None,
    target: str | None,
    lr: float | None,
    loss: str | None,
    chosen: Format,
    view: View,
    quiet: bool,
    halves: bool = False,
) -> tuple[int, int]:
    """check --answers: the sheet graded row by row; (rows passed, rows graded). `halves`: see sheet.run_sheet."""
    from . import render
    from .core import Tolerance
    from .sheet import Options, run_sheet

    if expect:
        raise NeuronError(message("--expect and --answers do not go together: the sheet holds the answers"))
    rules = [name for name, value in (("--tol", tol), ("--rtol", rtol), ("--sig", sig)) if value is not None]
    if len(rules) > 1:
        raise NeuronError(message("choose one tolerance: {rules} were given", rules=" and ".join(rules)))
    if sig is not None and not 1 <= sig <= 17:
        raise NeuronError(message("--sig must be from 1 to 17, got {value}", value=sig))
    if min_decimals is not None and not 0 <= min_decimals <= 30:
        raise NeuronError(message("--min-decimals must be from 0 to 30, got {value}", value=min_decimals))
    if points is not None and not (math.isfinite(points) and points >= 0):
        raise NeuronError(message("--points must be a finite number, 0 or more, got {value}", value=points))
    refuse_unused(**{"--points": (points is not None and chosen is not Format.gradescope, "--format gradescope")})
    if lr is not None and not math.isfinite(lr):
        raise NeuronError(message("--lr must be a finite number, got {value}", value=lr))
    render.check("answers", chosen, view)
    network = build_network(w, b, activation, model, float32)
    inputs = None
    if x is not None:
        rows = input_rows(x, network)
        if rows.shape[0] != 1:
            raise NeuronError(message("-x with --answers is the one input row of every sheet row"))
        inputs = rows[0]
    rule, value = ("written", 0.0)
    if tol is not None:
        rule, value = "absolute", tol
    elif rtol is not None:
        rule, value = "relative", rtol
    elif sig is not None:
        rule, value = "significant", float(sig)
    options = Options(
        inputs=inputs,
        targets=parse_vector(target, "--target") if target is not None else None,
        loss=loss or "half_sse",
        rate=lr if lr is not None else 0.1,
        tolerance=Tolerance(rule, value, min_decimals),
        points=points if points is not None else 1.0,
    )
    if sheet == "-":
        source: Any = stdin_source("-")
    else:
        from .parsing import open_input

        source = open_input(sheet, "--answers")
    out = open(os.devnull, "w") if quiet else sys.stdout  # noqa: SIM115 - closed with the process
    return run_sheet(source, network, options, chosen, view, out, halves)
