"""A progress bar on stderr while training runs, on a terminal only; elsewhere nothing."""

from __future__ import annotations

import sys
from typing import Any

from ..i18n import message
from ..nn.training import Epoch


class progress:
    """A Rich progress bar on stderr while training runs, on a terminal only; elsewhere nothing."""

    def __init__(self, planned: int) -> None:
        self.planned = planned
        self.bar: Any = None

    def __enter__(self) -> Any:
        stream = sys.stderr
        if stream is None or not stream.isatty():
            return lambda epoch: None
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(
            TextColumn(message("epoch") + " {task.completed}/{task.total}"),
            BarColumn(),
            TextColumn("{task.fields[loss]}"),
            TimeRemainingColumn(),
            console=Console(file=stream),
            transient=True,
        )
        self.bar.start()
        task = self.bar.add_task("train", total=self.planned, loss="")

        def advance(epoch: Epoch) -> None:
            self.bar.update(task, completed=epoch.number, loss=f"{message('loss')} {epoch.loss:.6g}")

        return advance

    def __exit__(self, *problem: object) -> None:
        if self.bar is not None:
            self.bar.stop()
