"""The hot paths without Typer, click or Rich: `neuron compute` (one row or a stream) and `neuron check --answers`
in a machine format, when the command line holds only their plain options (see COMMANDS), each in its plainest
spelling. Anything else (help, other options, a repeated option, a table on a terminal) returns None, and the
Typer app handles the whole command as usual. tests/test_fast.py runs command lines through both and compares.
"""

from __future__ import annotations

import os
import sys
from typing import Any

# Each command's options in their plainest spelling: the key each sets and the conversion Typer applies to its
# value (click's float and int are Python's). Anything else on the line leaves the command to Typer.
COMPUTE = {
    "-x": ("x", str),
    "--x": ("x", str),
    "-w": ("w", str),
    "--w": ("w", str),
    "-b": ("b", str),
    "--b": ("b", str),
    "-a": ("activation", str),
    "--activation": ("activation", str),
    "-f": ("format", str),
    "--format": ("format", str),
}
CHECK = {
    **COMPUTE,
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
COMMANDS: dict[str, tuple[dict[str, tuple[str, Any]], tuple[str, ...], tuple[str, ...]]] = {
    # command: (its options, its flags, its machine formats)
    "compute": ({**COMPUTE, "--digits": ("digits", int)}, (), ("plain", "csv", "json")),
    "check": (CHECK, ("-q", "--quiet"), ("plain", "csv", "json", "junit", "gradescope")),
}
LOSSES = ("half_sse", "mse", "binary_crossentropy", "categorical_crossentropy")


def options(arguments: list[str]) -> dict[str, Any] | None:
    """The options of a plain `compute` or `check --answers` command line in a machine format, or None where the
    full command line reader is needed (help, another option, a repeated one, a table on a terminal)."""
    if not arguments or arguments[0] not in COMMANDS or os.environ.get("NEURON_FAST") == "0":
        return None
    known, flags, formats = COMMANDS[arguments[0]]
    given: dict[str, Any] = {"command": arguments[0], "w": []}
    words = arguments[1:]
    k = 0
    while k < len(words):
        if words[k] in flags:
            if "quiet" in given:
                return None
            given["quiet"] = True
            k += 1
            continue
        if words[k] not in known or k + 1 == len(words):
            return None
        key, convert = known[words[k]]
        if key == "w":
            given["w"].append(words[k + 1])
        elif key in given:
            return None  # a repeated option: Typer's rule (the last wins) is Typer's to apply
        else:
            try:
                given[key] = convert(words[k + 1])
            except ValueError:
                return None  # Typer's own message for a value of the wrong type
        k += 2
    if "format" in given:
        if given["format"].lower() not in formats:
            return None
        given["format"] = given["format"].lower()
    elif sys.stdout.isatty():
        return None  # a table on a terminal: Rich draws it
    if given["command"] == "check":
        return given if "answers" in given and given.get("loss", LOSSES[0]) in LOSSES else None
    return given if given["w"] else None


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
            halves=True,  # this process ends with the run (see sheet.grade_halves)
        )
        sys.stdout.flush()
        return 1 if passed < total else 0
    return outcome.code


def compute(given: dict[str, Any]) -> int:
    """Compute as `neuron compute` does, and return its exit code."""
    import numpy as np

    from . import render
    from .core import Block
    from .edge import failures
    from .options import build_network, check_digits, stdin_source
    from .parsing import input_rows

    with failures() as outcome:
        check_digits(given.get("digits"))
        view = render.View(digits=given.get("digits"), lang=outcome.lang)
        chosen = render.Format(given.get("format", "plain"))
        network = build_network(given["w"], given.get("b"), given.get("activation"), None)
        x = given.get("x")
        if x is None or x == "-":
            from .stream import run_stream

            run_stream(stdin_source(x), network, chosen, view, sys.stdout, split=True)
        else:
            rows = input_rows(x, network)
            if len(rows) > 1:
                render.write("rows", Block(network, rows), view, chosen, sys.stdout)
            else:
                render.write("pass", network.forward(np.asarray(rows[0])), view, chosen, sys.stdout)
        sys.stdout.flush()
    return outcome.code
