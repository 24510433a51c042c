"""The one exception a user ever sees, and the one that ends a run another process has already reported."""

from typing import Any


class NeuronError(Exception):
    """A mistake in what the user gave: the message says what was expected, what came, and the fix.

    `text` is an English sentence of the message catalogue, with named placeholders filled from `values`; the
    message is written in the language of the run (see messages.py).
    """

    def __init__(self, text: str, /, **values: Any) -> None:
        from .messages import message

        super().__init__(message(text, **values))


class EndedElsewhere(Exception):
    """The run was ended by the other process of a file read by two (a bad line, a closed pipe, a full
    disk): it has written its message, if any; this one exits with its `code` and writes nothing more."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code
