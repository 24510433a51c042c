"""Where the program meets its streams: the user's mistakes, failed writes, closed pipes and Ctrl-C become one
message and an exit code (errors.exit_code), never a traceback. Shared by the Typer commands and the fast path;
no Typer here."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import SUCCESS, USAGE, EndedElsewhere, NeuronError, exit_code
from ..i18n import Phrase, current, describe, message, os_reason, use


@dataclass
class Outcome:
    """How a run ended: its language, its exit code, whether an exception ended it, and the code it gives
    should the reader of its output go away (what it would have given: `check` that found a mismatch, 1)."""

    lang: str
    code: int = SUCCESS
    stopped: bool = False
    if_the_pipe_closes: int = SUCCESS


def start(lang: str | None = None) -> str:
    """Set up a run: the language of its messages, and no NumPy warning text on stderr (overflow to inf and
    0/0 are results here, shown as such)."""
    import warnings

    import numpy as np

    warnings.simplefilter("ignore", RuntimeWarning)
    np.seterr(all="ignore")
    # What is loaded by now lives as long as the process: the collector, off while it loaded (see entry.main),
    # leaves it out of its walks from now on.
    gc.freeze()
    gc.enable()
    chosen = lang or current()
    use(chosen)
    return chosen


@contextlib.contextmanager
def failures(lang: str | None = None) -> Iterator[Outcome]:
    """Run the work inside; what goes wrong sets the outcome's exit code and is reported on stderr."""
    outcome = Outcome(start(lang))
    try:
        yield outcome
    except (NeuronError, EndedElsewhere, OSError, KeyboardInterrupt, MemoryError, ImportError) as caught:
        if isinstance(caught, ImportError) and not _cannot_map(caught):
            raise  # a missing module is a bug: its traceback (as any other bug keeps its own)
        problem: BaseException = caught
        if isinstance(caught, (MemoryError, ImportError)):  # ulimit -v, or the machine's memory: a user's limit
            problem = NeuronError("not enough memory to go on (a limit such as ulimit -v, or the machine's)")
        outcome.code, outcome.stopped = exit_code(problem, outcome.if_the_pipe_closes), True
        if isinstance(problem, NeuronError):
            with contextlib.suppress(OSError, ValueError):
                sys.stdout.flush()
            report(
                message("error: {problem}", problem=describe(problem)),
                message("error: {problem}", "en", problem=describe(problem, "en")),
            )
        elif isinstance(problem, OSError) and not isinstance(problem, BrokenPipeError):
            quiet_stdout()
            cannot_write(problem)  # a full disk, /dev/full, a closed stdout: the output could not be written
        else:
            quiet_stdout()  # a closed pipe, Ctrl-C, or the other process's end: nothing more to say


def _cannot_map(problem: ImportError) -> bool:
    """Whether a module loaded late failed for want of memory: the loader could not map its library."""
    return "failed to map" in str(problem) or "allocate memory" in str(problem)


def run_command(work: Callable[[dict[str, Any], Outcome], int], given: dict[str, Any]) -> int:
    """A command's work on its options, in the language of the run (i18n.use); its exit code."""
    with failures() as outcome:
        outcome.code = work(given, outcome)
    return outcome.code


def cannot_write(problem: BaseException) -> None:
    reason = Phrase("cannot write the output: {reason}", reason=os_reason(problem))
    report(message("error: {problem}", problem=reason), message("error: {problem}", "en", problem=reason))


def report(text: str, english: str | None = None) -> None:
    """One line on stderr; where stderr cannot show it (an ASCII terminal and Korean), `english` instead, never
    escapes; where stderr is closed, nowhere (never onto stdout)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        encoding = getattr(sys.stderr, "encoding", None) or "utf-8"
        try:
            text.encode(encoding)
        except (UnicodeEncodeError, LookupError):
            text = english if english is not None else text.encode("ascii", "replace").decode()
        if sys.stderr.isatty():
            text = _wrapped(text)
        sys.stderr.write(text + "\n")
        sys.stderr.flush()


def _wrapped(text: str) -> str:
    """A message broken between words at the terminal's width (COLUMNS where it is set), its later lines indented
    under its first word after the label ("error: ")."""
    from .help import columns, wrap_text

    try:
        given = os.environ.get("COLUMNS", "")
        width = int(given) if given.isdigit() else os.get_terminal_size(sys.stderr.fileno()).columns
    except OSError:
        return text
    label = text.split(" ", 1)[0] + " "
    indent = " " * columns(label) if columns(label) <= width // 3 else ""
    return "\n".join(wrap_text(line, max(width - 1, 20), "", indent) for line in text.splitlines())


def quiet_stdout() -> None:
    """Point stdout at /dev/null so that Python's flush at exit finds nothing left to fail on."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def finish(text: str, code: int) -> int:
    """Write the last words and flush; the exit code (a failed write is one error line and exit 2)."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_stdout()
    except (OSError, ValueError, AttributeError) as problem:  # ValueError, AttributeError: stdout closed (>&-)
        quiet_stdout()
        cannot_write(problem)
        return USAGE
    return code
