"""Where the program meets its streams: the user's mistakes, failed writes, closed pipes and Ctrl-C become one
message and an exit code, never a traceback. Shared by the Typer commands and the fast path; no Typer here."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import EndedElsewhere, NeuronError
from .messages import language, message, use

IF_THE_PIPE_CLOSES = [0]  # the exit code of a command whose reader goes away: what it would have given


@dataclass
class Outcome:
    lang: str
    code: int = 0
    stopped: bool = False  # an exception ended the work


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
    chosen = lang or language()
    use(chosen)
    return chosen


@contextlib.contextmanager
def failures(lang: str | None = None) -> Iterator[Outcome]:
    """Run the work inside; what goes wrong sets the outcome's exit code and is reported on stderr."""
    outcome = Outcome(start(lang))
    try:
        yield outcome
    except EndedElsewhere as ended:  # the other half's process wrote what there was to say
        outcome.code, outcome.stopped = ended.code, True
    except NeuronError as problem:
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.flush()
        report(message("error: {problem}", problem=problem))
        outcome.code, outcome.stopped = 2, True
    except BrokenPipeError:
        # The reader has gone (`| head -1`): stop quietly, with the code the command would have given.
        quiet_stdout()
        outcome.code, outcome.stopped = IF_THE_PIPE_CLOSES[0], True
    except OSError as problem:  # a full disk, /dev/full, a closed stdout: the output could not be written
        quiet_stdout()
        cannot_write(problem)
        outcome.code, outcome.stopped = 2, True
    except KeyboardInterrupt:
        quiet_stdout()
        outcome.code, outcome.stopped = 130, True


def cannot_write(problem: BaseException) -> None:
    reason = f"{message('cannot write the output')}: {getattr(problem, 'strerror', None) or problem}"
    report(message("error: {problem}", problem=reason))


def report(text: str) -> None:
    """One line on stderr; where stderr is closed, nowhere (never onto stdout)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(text + "\n")
        sys.stderr.flush()


def quiet_stdout() -> None:
    """Point stdout at /dev/null so that Python's flush at exit finds nothing left to fail on."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
