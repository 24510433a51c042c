"""What the command line's options mean, for the Typer commands and the fast path alike: the network they
describe, how results are shown, standard input as rows, and the options refused as ignored. No Typer."""

from __future__ import annotations

import math
import sys
from enum import Enum
from typing import IO, Any

import numpy as np

from ..errors import NeuronError
from ..i18n import Phrase
from ..io.values import parse_activation, parse_bias, parse_weights
from ..nn.layers import MAX_PARAMS, Layer, Network
from ..render import Format, View


def value(given: dict[str, Any], name: str) -> Any:
    """An option's value as given: a choice as its text (Typer gives an Enum member, the fast path a string)."""
    found = given.get(name)
    return found.value if isinstance(found, Enum) else found


def given_or(given: dict[str, Any], name: str, default: Any) -> Any:
    """An option's value, or its default where it was not given (the fast path passes only what was given)."""
    found = value(given, name)
    return default if found is None else found


def build_network(given: dict[str, Any]) -> Network:
    """The network the options describe (a --model file, or one layer from -w, -b and -a), in the arithmetic
    --dtype asks for."""
    network = described_network(
        given.get("w"), given.get("b"), given.get("activation"), given.get("model"), max_params(given)
    )
    return network.astype(np.float32) if value(given, "dtype") == "float32" else network


def check_step_options(given: dict[str, Any]) -> None:
    """--lr and --loss shape the step --target asks for: without --target they are refused, and --lr is finite."""
    target = given.get("target")
    refuse_unused(**{"--lr": (given.get("lr") is not None and target is None, "--target")})
    refuse_unused(**{"--loss": (given.get("loss") is not None and target is None, "--target")})
    check_finite(given.get("lr"), "--lr")


def refuse_layers_beside_model(w: list[str] | None, b: str | None, a: str | None) -> None:
    """--model brings its own layers: -w, -b or -a beside it would be ignored, so they are refused."""
    given = [name for name, part in (("-w", w), ("-b", b), ("-a", a)) if part is not None]
    if given:
        raise NeuronError("--model brings its own layers; leave out {given} (or drop --model)", given=", ".join(given))


def max_params(given: dict[str, Any]) -> int:
    """--max-params: a model file of more parameters is refused before its numbers are read."""
    limit = given.get("max_params")
    if limit is None:
        return MAX_PARAMS
    if limit < 1:
        raise NeuronError("--max-params must be 1 or more, got {value}", value=limit)
    return int(limit)


def described_network(
    w: list[str] | None, b: str | None, a: str | None, model: str | None, limit: int | None = None
) -> Network:
    if model is not None:
        refuse_layers_beside_model(w, b, a)
        from ..io.models import load_model

        return load_model(model, max_params=MAX_PARAMS if limit is None else limit)
    if not w:
        raise NeuronError(
            'give the weights with -w (one neuron: -w 0.5,-0.2,0.1; a layer: -w "0.1,0.2;0.3,0.4") or a --model file'
        )
    weights = parse_weights(w)
    bias = parse_bias(b) if b is not None else 0.0
    activation = parse_activation(a) if a is not None else "linear"
    return Network((Layer.create(weights, bias, activation),))


def stdin_source(x: str | None) -> IO[bytes]:
    """Standard input as the stream of rows: asked for with `-x -`, or taken when it is not a terminal."""
    if sys.stdin is None and x == "-":
        raise NeuronError("-x -: standard input is closed; pipe rows of inputs into it, or give -x 1,2,3")
    if sys.stdin is None or (x is None and sys.stdin.isatty()):
        raise NeuronError("give the inputs with -x (e.g. -x 1,2,3), or pipe rows of inputs into standard input")
    refuse_same_file()
    return sys.stdin.buffer


def refuse_same_file(source: Any = None, path: str | None = None) -> None:
    """`neuron compute ... < f >> f` (or `check --answers f >> f`) would read its own output for ever: an input
    (standard input, or the file `source` opened from `path`) that is the file standard output writes to is
    refused (by device and inode)."""
    import os
    import stat

    try:
        given = os.fstat((sys.stdin if source is None else source).fileno())
        written = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # a stream without a descriptor (a test's), or a closed one
        return
    if stat.S_ISREG(given.st_mode) and (given.st_dev, given.st_ino) == (written.st_dev, written.st_ino):
        if path is not None:
            raise NeuronError(
                "--answers: {path} is the file standard output writes to; write the report to another file", path=path
            )
        raise NeuronError("standard input and standard output are the same file; write the output to another file")


def refuse_unused(**options: tuple[bool, str]) -> None:
    """Refuse an option that would be ignored: each name maps to (given, what it needs)."""
    for name, (given, needs) in options.items():
        if given:
            raise NeuronError(
                "{option} does nothing without {needs}; {fix}",
                option=name,
                needs=needs,
                fix=Phrase("give both, or leave it out"),
            )


def check_digits(digits: int | None) -> None:
    if digits is not None and not 1 <= digits <= 17:
        raise NeuronError("--digits must be from 1 to 17, got {digits}", digits=digits)


def check_finite(number: float | None, option: str, least: float | None = None) -> None:
    """A number option must be finite (and at least `least`, where given)."""
    if number is None:
        return
    if not math.isfinite(number):
        raise NeuronError("{option} must be a finite number, got {value}", option=option, value=number)
    if least is not None and number < least:
        raise NeuronError("{option} must be 0 or more, got {value}", option=option, value=number)


def chosen_format(given: dict[str, Any]) -> Format:
    """--format, else a table on a terminal and plain lines into a pipe or file."""
    chosen = value(given, "format")
    if chosen is not None:
        return Format(chosen)
    return Format.table if sys.stdout.isatty() else Format.plain


COLORS = {"auto": None, "always": True, "never": False}


def make_view(given: dict[str, Any], lang: str, **extra: Any) -> View:
    """How results are shown: --digits, --color and --index-base, in the run's language."""
    digits = given.get("digits")
    check_digits(digits)
    color = COLORS[value(given, "color") or "auto"]
    return View(digits=digits, color=color, index_base=given_or(given, "index_base", 1), lang=lang, **extra)


def refuse_plot(plot: bool, chosen: Format) -> None:
    """--plot draws for a person: in a machine format it would break what a program reads."""
    if plot and chosen is not Format.table:
        raise NeuronError("--plot draws for a person and goes with --format table, not {format}", format=chosen.value)
