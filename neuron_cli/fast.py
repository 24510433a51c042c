"""The hot path of `neuron compute` without Typer, click or Rich: a one-row compute or a stream in a machine
format, when the command line holds nothing but -x, -w, -b, -a, --format and --digits, each in its plainest
spelling. Anything else (help, other options, a repeated option, a table on a terminal) returns None, and the
Typer app handles the whole command as usual. tests/test_fast.py runs command lines through both and compares.
"""

from __future__ import annotations

import os
import sys
from typing import Any

OPTIONS = {
    "-x": "x",
    "--x": "x",
    "-w": "w",
    "--w": "w",
    "-b": "b",
    "--b": "b",
    "-a": "activation",
    "--activation": "activation",
    "-f": "format",
    "--format": "format",
    "--digits": "digits",
}
FORMATS = ("plain", "csv", "json")


def options(arguments: list[str]) -> dict[str, Any] | None:
    """The options of a plain `compute` command line, or None where the full command line reader is needed."""
    if not arguments or arguments[0] != "compute" or os.environ.get("NEURON_FAST") == "0":
        return None
    given: dict[str, Any] = {"w": []}
    words = arguments[1:]
    k = 0
    while k < len(words):
        key = OPTIONS.get(words[k])
        if key is None or k + 1 == len(words):
            return None
        value = words[k + 1]
        if key == "w":
            given["w"].append(value)
        elif key in given:
            return None  # a repeated option: Typer's rule (the last wins) is Typer's to apply
        else:
            given[key] = value
        k += 2
    if "format" in given:
        if given["format"].lower() not in FORMATS:
            return None
        given["format"] = given["format"].lower()
    elif sys.stdout.isatty():
        return None  # a table on a terminal: Rich draws it
    if "digits" in given:
        try:
            given["digits"] = int(given["digits"])
        except ValueError:
            return None
    if not given["w"]:
        return None
    return given


def compute(given: dict[str, Any]) -> int:
    """Compute as `neuron compute` does, and return its exit code."""
    import numpy as np

    from . import render
    from .core import Block, Layer, Network
    from .edge import failures
    from .parsing import input_rows, parse_activation, parse_bias, parse_weights

    with failures() as outcome:
        view = render.View(digits=given.get("digits"), lang=outcome.lang)
        if view.digits is not None and not 1 <= view.digits <= 17:
            from .errors import NeuronError

            raise NeuronError("--digits must be from 1 to 17, got {digits}", digits=view.digits)
        chosen = render.Format(given.get("format", "plain"))
        bias = parse_bias(given["b"]) if "b" in given else 0.0
        activation = parse_activation(given["activation"]) if "activation" in given else "linear"
        network = Network((Layer.create(parse_weights(given["w"]), bias, activation),))
        x = given.get("x")
        if x is None or x == "-":
            from .stream import run_stream

            if sys.stdin is None or (x is None and sys.stdin.isatty()):
                from .errors import NeuronError

                raise NeuronError("give the inputs with -x (e.g. -x 1,2,3), or pipe rows of inputs into standard input")
            run_stream(sys.stdin.buffer, network, chosen, view, sys.stdout)
        else:
            rows = input_rows(x, network)
            if len(rows) > 1:
                render.write("rows", Block(network, rows), view, chosen, sys.stdout)
            else:
                render.write("pass", network.forward(np.asarray(rows[0])), view, chosen, sys.stdout)
        sys.stdout.flush()
    return outcome.code
