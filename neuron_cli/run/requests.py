"""What a command asks for, as one frozen object each: the command line builds it from its options (cli/), the
jobs here take it whole. No function below the command line takes a long list of parameters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..nn.grading import Tolerance
from ..nn.layers import Network
from ..render import Format, View

if TYPE_CHECKING:  # what only grading and training use: a stream's start does not load them
    from ..io.questions import Quiz
    from ..nn.training import Settings

Array = np.ndarray


@dataclass(frozen=True)
class Step:
    """One training step towards targets: --target, --lr, --loss."""

    targets: Array
    loss: str = "half_sse"
    rate: float = 0.1


@dataclass(frozen=True)
class Saving:
    """Files a computation also writes: the tables as SVG or HTML, the model (after the step, if any)."""

    svg: str | None = None
    html: str | None = None
    model: str | None = None


@dataclass(frozen=True)
class ComputeRequest:
    """`neuron compute`: the network on the rows of -x, or on a stream of rows from standard input."""

    network: Network
    format: Format
    view: View
    inputs: str | None = None  # -x as written; None or "-": the rows of standard input
    step: Step | None = None
    saving: Saving = Saving()
    plot: bool = False
    header: bool | None = None  # the stream's first line is a CSV header (None: where it holds only names)
    split: bool = False  # a long stream may be read by two processes (the caller ends with the run)

    def row_only(self) -> list[str]:
        """The options given that act on one input row only (not on a stream, nor on the rows of a file)."""
        given = (
            ("--explain", self.view.explain),
            ("--target", self.step is not None),
            ("--plot", self.plot),
            ("--save-svg", self.saving.svg is not None),
            ("--save-html", self.saving.html is not None),
        )
        return [option for option, on in given if on]


@dataclass(frozen=True)
class CheckRequest:
    """`neuron check --expect`: the outputs of one row against the values written for them."""

    network: Network
    format: Format
    view: View
    inputs: str
    expect: str
    tolerance: Tolerance


@dataclass(frozen=True)
class GradeRequest:
    """`neuron check --answers`: every row of an answer sheet graded, cell by cell: a class's sheet of a question
    file (`quiz`), or a teacher's own sheet of `network`."""

    network: Network | None
    format: Format
    view: View
    sheet: str  # a path, or - for standard input
    quiz: Quiz | None = None
    inputs: Array | None = None  # -x: the inputs of every row, where the sheet has no x1..
    targets: Array | None = None  # --target: the targets of every row, where the sheet has no t1..
    loss: str = "half_sse"  # the training step of loss, w and b columns
    rate: float = 0.1
    tolerance: Tolerance = field(default_factory=Tolerance)
    points: float = 1.0  # what a right answer of a teacher's sheet earns
    id_column: str = "student"
    student: str | None = None  # the one row Gradescope grades, where the sheet holds several
    encoding: str | None = None  # None: detected
    decimal_comma: bool = False
    split: bool = False  # a sheet in a regular file may be graded by two processes (the caller ends with the run)


@dataclass(frozen=True)
class Optimizing:
    """--optimizer and its settings, as Keras names them."""

    name: str = "sgd"
    rate: float | None = None
    momentum: float = 0.0
    nesterov: bool = False


@dataclass(frozen=True)
class TrainRequest:
    """`neuron train`: epochs of training over a data set."""

    network: Network
    inputs: Array
    targets: Array
    settings: Settings
    optimizing: Optimizing
    epochs: int
    format: Format
    view: View
    plot: bool = False
