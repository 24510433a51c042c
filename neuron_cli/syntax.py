"""The number syntax every input shares: Python's float syntax, finite numbers only."""

from __future__ import annotations

import math

from .errors import NeuronError


def parse_number(token: str, where: str) -> float:
    """One number in Python's float syntax, finite; `where` says where it stands, for the message."""
    text = token.strip()
    if not text:
        raise NeuronError(f"{where} is empty; write a number there (e.g. 0.5) or remove the extra comma")
    try:
        value = float(text)
    except ValueError:
        raise NeuronError(f"{where} is {text!r}, which is not a number") from None
    if not math.isfinite(value):
        raise NeuronError(f"{where} is {text!r}; only finite numbers are accepted")
    return value
