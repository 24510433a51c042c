"""Runs the installed `neuron` command as a user would: a real process, real pipes, real exit codes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# The machines are shared: a time limit per example would fail tests for the load of others, not for our code.
settings.register_profile("shared-machine", deadline=None)
settings.load_profile("shared-machine")


def neuron_command() -> list[str]:
    installed = Path(sys.executable).parent / "neuron"
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "neuron_cli"]


class Run:
    def __init__(self, completed: subprocess.CompletedProcess):
        self.code = completed.returncode
        self.out = completed.stdout.decode("utf-8", "replace")
        self.err = completed.stderr.decode("utf-8", "replace")
        self.stdout_bytes = completed.stdout

    def lines(self) -> list[str]:
        return self.out.splitlines()


@pytest.fixture
def neuron():
    """neuron(*args, stdin=b"...", env={...}) runs the installed command and returns its code, out and err."""

    def run(*args: str, stdin: bytes | str | None = None, env: dict | None = None, timeout: float = 120) -> Run:
        data = stdin.encode() if isinstance(stdin, str) else stdin
        # What the output depends on is pinned: no terminal width from the caller, English unless asked.
        inherited = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "LANG", "LC_ALL")}
        environment = {**inherited, "NO_COLOR": "1", "NEURON_LANG": "en", **(env or {})}
        completed = subprocess.run(
            [*neuron_command(), *args],
            input=data if data is not None else b"",
            capture_output=True,
            env=environment,
            timeout=timeout,
        )
        return Run(completed)

    return run
