"""The hot paths without Typer, click or Rich: `neuron compute` (one row or a stream) and `neuron check --answers`
in a machine format, when the command line holds only options the fast path reads (options.FAST), each in a
spelling the declaration gives. Anything else (help, another option, a repeated one, a table on a terminal)
returns None, and the Typer app reads the whole command line as usual. Both read the options by the same
declaration (cli/options.py) and run the same work (cli/compute.py, cli/check.py)."""

from __future__ import annotations

import os
import sys
from typing import Any

from .options import FAST, Spec


def options(arguments: list[str]) -> dict[str, Any] | None:
    """The options of a plain `compute` or `check --answers` command line in a machine format, or None where the
    full command line reader is needed."""
    if not arguments or arguments[0] not in FAST or os.environ.get("NEURON_FAST") == "0":
        return None
    by_flag: dict[str, Spec] = {flag: spec for spec in FAST[arguments[0]] for flag in spec.flags}
    given: dict[str, Any] = {"command": arguments[0]}
    words = arguments[1:]
    k = 0
    while k < len(words):
        spec = by_flag.get(words[k])
        if spec is None:
            return None
        if spec.kind is bool:
            if spec.name in given:
                return None
            given[spec.name] = True
            k += 1
            continue
        if k + 1 == len(words):
            return None
        try:
            found = spec.read(words[k + 1])
        except ValueError:
            return None  # Typer's own message for a value of the wrong type
        if spec.kind is list:
            given.setdefault(spec.name, []).append(found)
        elif spec.name in given:
            return None  # a repeated option: Typer's rule (the last wins) is Typer's to apply
        else:
            given[spec.name] = found
        k += 2
    if "format" not in given and sys.stdout.isatty():
        return None  # a table on a terminal: Rich draws it
    if given["command"] == "check":
        return given if "answers" in given else None
    return given if given.get("w") else None


def answer(given: dict[str, Any], split: bool = False) -> int:
    """The command the options were read for; its exit code. With `split` (a process that ends with the run,
    see entry.run), a long stream or sheet may be read by two processes."""
    from .edge import run_command

    if given["command"] == "check":  # each command loads its own modules alone: a stream starts the sooner
        from .check import run as work
    else:
        from .compute import run as work

    def split_run(values: dict[str, Any], outcome: Any) -> int:
        return work(values, outcome, split)

    return run_command(split_run, given)
