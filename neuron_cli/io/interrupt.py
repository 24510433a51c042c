"""Ctrl-C in the `neuron` command: the run ends at once with the shell's code 130 and nothing on the screen, also
in the middle of an import (where Python's KeyboardInterrupt leaves a traceback, or NumPy an ImportError about a
half-loaded module); only a write that must finish whole (`held`) makes it wait for its moment.

A program that imports the library keeps Python's KeyboardInterrupt: `install` is called by the command alone.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager

_held = 0
_pressed = False


def install() -> None:
    """End the run on Ctrl-C, unless SIGINT was ignored by whoever started us (then it stays ignored)."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_ctrl_c)


def _on_ctrl_c(*_: object) -> None:
    global _pressed
    if _held:
        _pressed = True
    else:
        _end()


def _end() -> None:
    os._exit(130)


@contextmanager
def held() -> Iterator[None]:
    """Within the block Ctrl-C waits; pressed meanwhile, it ends the run as the block is left.

    A flag rather than a blocked signal: the kernel gives a process's SIGINT to any thread that does not block
    it (NumPy's BLAS keeps a few), and Python then runs the handler in the main thread all the same."""
    global _held, _pressed
    _held += 1
    try:
        yield
    finally:
        _held -= 1
        if not _held and _pressed:
            _pressed = False
            _end()
