"""A training run: the trainer's epochs written as each ends (or gathered for a table), a progress bar on a
terminal, the loss curve, and the trained model saved only once training has ended well."""

from __future__ import annotations

from collections import deque
from typing import IO

import numpy as np

from .. import render
from ..io.models import model_document
from ..nn.layers import Network
from ..nn.optimizers import make_optimizer
from ..nn.training import Epoch, Trainer
from ..render.progress import progress
from ..render.training import TrainingPart
from .requests import TrainRequest

TABLE_EPOCHS = 20  # a table shows at most about this many epochs: the first, the last and evenly spaced ones
CURVE_POINTS = 2000  # a loss curve keeps at most about twice this many epochs: every k-th, k doubling as it grows


def shown_epochs(planned: int) -> set[int]:
    """The epochs a table shows of a run of `planned` epochs (the last one run is always added)."""
    return {int(e) for e in np.unique(np.linspace(1, planned, min(planned, TABLE_EPOCHS)).round())}


def run_training(request: TrainRequest, out: IO[str]) -> tuple[Network, list[Epoch]]:
    """Train for up to `request.epochs` epochs, writing the report as it goes; (the trained network, every epoch
    when `request.plot` asks for the loss curve, else [])."""
    optimizing = request.optimizing
    rule = make_optimizer(optimizing.name, optimizing.rate, optimizing.momentum, optimizing.nesterov)
    trainer = Trainer(request.network, request.inputs, request.targets, request.settings, rule)
    whole = render.needs_whole("training", request.format)
    keep = shown_epochs(request.epochs)
    kept: list[Epoch] = []
    recent: deque[Epoch] = deque(maxlen=TABLE_EPOCHS)  # a run that stops early shows every epoch it ran
    curve: list[Epoch] = []
    stride = 1
    first = True
    last: Epoch | None = None
    with progress(request.epochs) as advance:
        for epoch in trainer.epochs(request.epochs):
            last = epoch
            if request.plot and epoch.number % stride == 0:
                curve.append(epoch)
                if len(curve) > 2 * CURVE_POINTS:  # memory stays bounded however many epochs: thin by half
                    curve, stride = curve[1::2], stride * 2
            if whole:
                recent.append(epoch)
                if epoch.number in keep:
                    kept.append(epoch)
            else:
                render.write("training", TrainingPart([epoch], first), request.view, request.format, out)
                out.flush()
                first = False
            advance(epoch)
    if whole and last is not None and last.number <= TABLE_EPOCHS:
        kept = list(recent)
    elif whole and last is not None and (not kept or kept[-1] is not last):
        kept.append(last)
    if request.plot and last is not None and (not curve or curve[-1] is not last):
        curve.append(last)
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
    render.write("training", final, request.view, request.format, out)
    out.flush()
    return network, curve
