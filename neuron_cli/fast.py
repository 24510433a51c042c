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
# check --answers: its own options, each with the conversion Typer applies (click's float and int are Python's)
SHEET_OPTIONS = {
    "--answers": ("answers", str),
    "--model": ("model", str),
    "--tol": ("tol", float),
    "--rtol": ("rtol", float),
    "--sig": ("sig", int),
    "--min-decimals": ("min_decimals", int),
    "--points": ("points", float),
    "--target": ("target", str),
    "--lr": ("lr", float),
    "--loss": ("loss", str),
}
SHEET_FORMATS = ("plain", "csv", "json", "junit", "gradescope")
LOSSES = ("half_sse", "mse", "binary_crossentropy", "categorical_crossentropy")


def options(arguments: list[str]) -> dict[str, Any] | None:
    """The options of a plain `compute` (or `check --answers`) command line, or None where the full command line
    reader is needed."""
    if not arguments or os.environ.get("NEURON_FAST") == "0":
        return None
    if arguments[0] == "check":
        return sheet_options(arguments[1:])
    if arguments[0] != "compute":
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


def sheet_options(words: list[str]) -> dict[str, Any] | None:
    """The options of a plain `check --answers SHEET` command line in a machine format, or None."""
    given: dict[str, Any] = {"w": [], "command": "check"}
    k = 0
    while k < len(words):
        if words[k] in ("-q", "--quiet"):
            if "quiet" in given:
                return None
            given["quiet"] = True
            k += 1
            continue
        option = OPTIONS.get(words[k]) or SHEET_OPTIONS.get(words[k], (None,))[0]
        if option is None or k + 1 == len(words):
            return None
        value = words[k + 1]
        if option == "w":
            given["w"].append(value)
        elif option in given:
            return None
        else:
            convert = SHEET_OPTIONS[words[k]][1] if words[k] in SHEET_OPTIONS else str
            try:
                given[option] = convert(value)
            except ValueError:
                return None  # Typer's own message for a value of the wrong type
        k += 2
    if "answers" not in given or "digits" in given or given.get("loss", LOSSES[0]) not in LOSSES:
        return None
    if "format" in given:
        if given["format"].lower() not in SHEET_FORMATS:
            return None
        given["format"] = given["format"].lower()
    elif sys.stdout.isatty():
        return None  # a table on a terminal: Rich draws it
    return given


def answer(given: dict[str, Any]) -> int:
    """The command the options were read for; its exit code."""
    return check(given) if given.get("command") == "check" else compute(given)


def check(given: dict[str, Any]) -> int:
    """As `neuron check --answers` does; the exit code."""
    from . import render
    from .edge import failures
    from .options import answer_sheet, check_tolerance

    with failures() as outcome:
        check_tolerance(given.get("tol"), "--tol")
        check_tolerance(given.get("rtol"), "--rtol")
        view = render.View(lang=outcome.lang)
        passed, total = answer_sheet(
            given["answers"],
            given.get("x"),
            given["w"] or None,
            given.get("b"),
            given.get("activation"),
            given.get("model"),
            False,
            None,
            given.get("tol"),
            given.get("rtol"),
            given.get("sig"),
            given.get("min_decimals"),
            given.get("points"),
            given.get("target"),
            given.get("lr"),
            given.get("loss"),
            render.Format(given.get("format", "plain")),
            view,
            given.get("quiet", False),
        )
        sys.stdout.flush()
        return 1 if passed < total else 0
    return outcome.code


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
