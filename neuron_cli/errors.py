"""The one exception a user ever sees, and the one table from what ended a run to its exit code.

Every layer raises `NeuronError` for the user's mistakes; only the command line's edge (cli/edge.py) turns what
ended a run into an exit code, through `exit_code` here.
"""

from __future__ import annotations

from typing import Any

SUCCESS = 0
MISMATCH = 1  # check, truth-table --gate, an answer sheet: an answer is wrong
USAGE = 2  # bad usage or bad input, and an output that could not be written
INTERRUPTED = 130  # Ctrl-C: the shell's code for SIGINT


class NeuronError(Exception):
    """A mistake in what the user gave: the message says what was expected, what came, and the fix.

    `text` is an English sentence of the message catalogue with named placeholders, `values` fill them. The
    sentence is put in the reader's language only where it is written (i18n.describe), so the same error reads
    in Korean on a Korean terminal and in English where stderr cannot show Hangul. `str()` gives the English.
    A value may itself be a NeuronError (a reason inside a reason): it is described in the same language.
    """

    def __init__(self, text: str, /, **values: Any) -> None:
        super().__init__(text)
        self.text = text
        self.values = {name: _shortened(value) for name, value in values.items()}

    def __str__(self) -> str:
        return self.text.format(**self.values) if self.values else self.text


LONGEST_QUOTE = 100  # a value quoted in a message is cut to its start and end past this many characters


def _shortened(value: Any) -> Any:
    """A user's text as a message quotes it: whole, or a megabyte-long cell cut to what identifies it."""
    if isinstance(value, str) and len(value) > LONGEST_QUOTE:
        return f"{value[:60]}...{value[-20:]}"
    return value


class EndedElsewhere(Exception):
    """The run was ended by the other process of a stream read by two (a bad line, a closed pipe, a full disk):
    it has written its message, if any; this one exits with its `code` and writes nothing more."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def exit_code(problem: BaseException, if_the_pipe_closes: int = SUCCESS) -> int:
    """The exit code of a run that `problem` ended. A closed pipe (`neuron ... | head -1`) gives the code the
    command would have given had its reader stayed: `if_the_pipe_closes`."""
    if isinstance(problem, EndedElsewhere):
        return problem.code
    if isinstance(problem, KeyboardInterrupt):
        return INTERRUPTED
    if isinstance(problem, BrokenPipeError):
        return if_the_pipe_closes
    return USAGE  # NeuronError, and OSError: a full disk, /dev/full, a closed stdout
