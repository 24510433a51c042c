"""A training run: the trainer's epochs written as each ends (or gathered for a table), a progress bar on a
terminal, the loss curve, and the trained model saved only once training has ended well."""

from __future__ import annotations

import sys
from typing import IO, Any

import numpy as np

from .training import Epoch, Trainer

TABLE_EPOCHS = 20  # a table shows at most about this many epochs: the first, the last and evenly spaced ones


def shown_epochs(planned: int) -> set[int]:
    """The epochs a table shows of a run of `planned` epochs (the last one run is always added)."""
    return {int(e) for e in np.unique(np.linspace(1, planned, min(planned, TABLE_EPOCHS)).round())}


def run_training(
    trainer: Trainer, planned: int, chosen: Any, view: Any, out: IO[str], plot: bool = False
) -> tuple[Any, list[Epoch]]:
    """Train for up to `planned` epochs, writing the report as it goes; (the trained network, every epoch's
    loss when `plot` asks for the curve, else [])."""
    from . import render
    from .parsing import model_document
    from .render.training import TrainingPart
    from .render.writers import needs_whole

    whole = needs_whole("training", chosen)
    keep = shown_epochs(planned)
    kept: list[Epoch] = []
    curve: list[Epoch] = []
    first = True
    last: Epoch | None = None
    with progress(planned) as advance:
        for epoch in trainer.epochs(planned):
            last = epoch
            if plot:
                curve.append(epoch)
            if whole:
                if epoch.number in keep:
                    kept.append(epoch)
            else:
                render.write("training", TrainingPart([epoch], first), view, chosen, out)
                out.flush()
                first = False
            advance(epoch)
    if whole and last is not None and (not kept or kept[-1] is not last):
        kept.append(last)
    network = trainer.network
    final = TrainingPart(
        kept if whole else [],
        first,
        last=True,
        network=network,
        perceptron=trainer.perceptron,
        converged=bool(last is not None and last.mistakes == 0),
        ran=last.number if last is not None else 0,
        document=model_document(network),
    )
    render.write("training", final, view, chosen, out)
    out.flush()
    return network, curve


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

        from .messages import message

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
