"""Two ways to run `neuron` as its user does: in this process (`neuron`: the command line's own entry, with
standard streams and environment of its own, fast), and as a real process (`neuron_process`: real pipes,
signals, encodings and exit codes; only where the process is what is tested)."""

import contextlib
import gc
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# The machines are shared: a time limit per example would fail tests for the load of others, not for our code.
settings.register_profile("shared-machine", deadline=None)
settings.load_profile("shared-machine")

# What the output depends on is pinned: no terminal width from the caller, English unless asked.
PINNED = ("COLUMNS", "LINES", "LANG", "LC_ALL", "LC_MESSAGES", "NEURON_LANG", "NO_COLOR")


def neuron_command() -> list[str]:
    installed = Path(sys.executable).parent / "neuron"
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "neuron_cli"]


def environment(env: dict | None = None) -> dict:
    inherited = {k: v for k, v in os.environ.items() if k not in PINNED}
    return {**inherited, "NO_COLOR": "1", "NEURON_LANG": "en", **(env or {})}


class Run:
    def __init__(self, code: int, out: bytes, err: bytes):
        self.code = code
        self.stdout_bytes = out
        self.out = out.decode("utf-8", "replace")
        self.err = err.decode("utf-8", "replace")

    def lines(self) -> list[str]:
        return self.out.splitlines()


def default_sigint() -> None:
    """A child starts with Ctrl-C's default action, even where this test run was started with SIGINT ignored
    (CI runners and nohup do that, and an ignored signal stays ignored across exec)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_process(*args: str, stdin: bytes | str | None = None, env: dict | None = None, timeout: float = 120) -> Run:
    """The installed command in a real process."""
    data = stdin.encode() if isinstance(stdin, str) else stdin
    completed = subprocess.run(
        [*neuron_command(), *args],
        input=data if data is not None else b"",
        capture_output=True,
        env=environment(env),
        timeout=timeout,
        preexec_fn=default_sigint,
    )
    return Run(completed.returncode, completed.stdout, completed.stderr)


class Captured(io.TextIOWrapper):
    """A standard stream over bytes the test reads afterwards; a terminal only where `tty` says so."""

    def __init__(self, data: bytes = b"", tty: bool = False) -> None:
        super().__init__(io.BytesIO(data), encoding="utf-8", errors="strict", newline="\n", write_through=True)
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty

    def value(self) -> bytes:
        self.flush()
        return self.buffer.getvalue()  # type: ignore[attr-defined]


def run_here(
    *args: str, stdin: bytes | str | None = None, env: dict | None = None, timeout: float = 0, tty: bool = False
) -> Run:
    """The command's own entry (cli.entry.run) in this process, with standard streams and an environment of its
    own: what a process would print and its exit code, without starting one. With `tty`, its stdout says it is
    a terminal (of COLUMNS columns, where the environment gives them)."""
    from neuron_cli.cli.entry import run

    data = stdin.encode() if isinstance(stdin, str) else (stdin or b"")
    streams = Captured(data), Captured(tty=tty), Captured()
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    saved_environ = dict(os.environ)
    os.environ.clear()
    os.environ.update(environment(env))
    sys.stdin, sys.stdout, sys.stderr = streams
    try:
        code = run(list(args))
    except SystemExit as done:  # pragma: no cover - the entry returns its code; a stray exit is still one
        code = done.code if isinstance(done.code, int) else 1
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.environ.clear()
        os.environ.update(saved_environ)
        gc.unfreeze()  # edge.start froze what a run had loaded: a test run's objects are not the program's
    with contextlib.suppress(ValueError):
        streams[1].flush()
    return Run(code, streams[1].value(), streams[2].value())


@pytest.fixture
def neuron():
    """neuron(*args, stdin=b"...", env={...}) runs the command in this process; its code, out and err."""
    return run_here


@pytest.fixture
def neuron_process():
    """neuron_process(*args, stdin=b"...", env={...}) runs the installed command as a real process."""
    return run_process


@pytest.fixture(autouse=True)
def polars_wanted():
    """Each test starts as a process does: polars wanted, until an input says it is too small to pay."""
    from neuron_cli.io import polars

    polars.wanted(True)
    yield
    polars.wanted(True)


@pytest.fixture(autouse=True)
def english_to_start():
    """Each test starts as a process does with NEURON_LANG=en: a test run in Korean leaves nothing behind."""
    from neuron_cli import i18n

    i18n.use("en")
    yield
    i18n.use("en")
