"""The one exception a user ever sees."""

from typing import Any


class NeuronError(Exception):
    """A mistake in what the user gave: the message says what was expected, what came, and the fix.

    `text` is an English sentence of the message catalogue, with named placeholders filled from `values`; the
    message is written in the language of the run (see messages.py).
    """

    def __init__(self, text: str, /, **values: Any) -> None:
        from .messages import message

        super().__init__(message(text, **values))
