"""The number syntax every value shares: Python's float syntax, finite numbers only.

It stands in nn/ because the activations' SPEC strings (`leaky_relu:negative_slope=0.1`, which Layer.create
takes as Keras's activations.get takes a name) read their numbers by it; io/ reads every input by the same rule."""

from __future__ import annotations

import math

from ..errors import NeuronError


def parse_number(token: str, where: str) -> float:
    """One number in Python's float syntax, finite; `where` says where it stands, for the message."""
    text = token.strip()
    if not text:
        raise NeuronError("{where} is empty; write a number there (e.g. 0.5) or remove the extra comma", where=where)
    try:
        value = float(text)
    except ValueError:
        raise NeuronError("{where} is {text!r}, which is not a number", where=where, text=text) from None
    if not math.isfinite(value):
        raise NeuronError("{where} is {text!r}; only finite numbers are accepted", where=where, text=text)
    return value


def is_number(text: str | bytes) -> bool:
    """Whether float() reads `text` (finite or not): a CSV header's names are the fields that are not numbers."""
    try:
        float(text)
    except ValueError:
        return False
    return True
