"""The Typer options of the commands, built from their one declaration in options.py: each command's
parameters are annotated with these, so that --help, completion and the parser all follow the declaration.

No `from __future__ import annotations`: Typer reads every command's annotations at each start, and evaluated
ones spare it some 200 string evaluations (benchmarks/startup.py watches start-up)."""

from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..render import formats
from . import options as o
from .edge import Outcome, run_command
from .options import Spec


def complete_activation(incomplete: str) -> list[str]:
    from ..nn.activations import REGISTRY

    names = [name for a in REGISTRY for name in (a.name, *a.aliases)]
    return [name for name in names if name.startswith(incomplete.lower())]


NAMING_ACTIVATIONS = (o.ACTIVATION, o.PLOT_NAME, o.ACTIVATION_NAME)  # completed with the registry's names


def option(spec: Spec) -> Any:
    """The typer.Option (or Argument) of a declared option."""
    extra: dict[str, Any] = {"help": spec.help}
    if spec.metavar and spec.kind is not bool:
        extra["metavar"] = spec.metavar
    if spec in NAMING_ACTIVATIONS:
        extra["autocompletion"] = complete_activation
    if spec.bounds is not None:
        extra["min"], extra["max"] = spec.bounds
    if spec.argument:
        return typer.Argument(**extra)
    if spec.choices:
        extra["case_sensitive"] = False
    flags = spec.flags if spec.off is None else (f"{spec.flags[0]}/{spec.off}",)
    return typer.Option(*flags, **extra)


def choices(spec: Spec) -> Any:
    """An Enum of the option's choices: --help lists them, completion offers them, and Typer refuses any other
    before a command starts."""
    return Enum(f"{spec.name.title().replace('_', '')}Choice", {name: name for name in spec.choices}, type=str)


def finish(work: Callable[[dict[str, Any], Outcome], int], given: dict[str, Any]) -> None:
    """Run a command's work on its options, in the language of the run; end with its exit code where not 0."""
    code = run_command(work, given)
    if code:
        raise typer.Exit(code)


CHECK_FORMATS = list(dict.fromkeys(formats("verdict") + formats("answers")))  # a verdict's and a sheet's

if TYPE_CHECKING:  # the choices are Enums made at run time: to mypy, any value
    LossChoice = str
    DtypeChoice = str
    ColorChoice = str
    LangChoice = str
    GateChoice = str
    DrawingChoice = str
    OptimizerChoice = str
    PassFormatChoice = str
    CheckFormatChoice = str
    TruthFormatChoice = str
    CatalogueFormatChoice = str
    TrainingFormatChoice = str
    InspectFormatChoice = str
    QuizFormatChoice = str
    FLOAT64: Any
    AUTO: Any
    SGD: Any
    HALF_SSE: Any
    MERMAID: Any
else:
    LossChoice, DtypeChoice, ColorChoice = choices(o.LOSS), choices(o.DTYPE), choices(o.COLOR)
    LangChoice, GateChoice, DrawingChoice = choices(o.LANG), choices(o.GATE), choices(o.DRAWING)
    OptimizerChoice = choices(o.OPTIMIZER)
    PassFormatChoice = choices(o.format_spec(formats("pass")))
    CheckFormatChoice = choices(o.format_spec(CHECK_FORMATS))
    TruthFormatChoice = choices(o.format_spec(formats("truth_table")))
    CatalogueFormatChoice = choices(o.format_spec(formats("activations")))
    TrainingFormatChoice = choices(o.format_spec(formats("training")))
    InspectFormatChoice = choices(o.format_spec(formats("inspect")))
    QuizFormatChoice = choices(o.format_spec(formats("quiz")))
    # the defaults that --help shows
    FLOAT64, AUTO, SGD = DtypeChoice("float64"), ColorChoice("auto"), OptimizerChoice("sgd")
    HALF_SSE, MERMAID = LossChoice("half_sse"), DrawingChoice("mermaid")

# ---------------------------------------------------------------- the network, its inputs, how results are shown
X = Annotated[str | None, option(o.X)]
W = Annotated[list[str] | None, option(o.W)]
B = Annotated[str | None, option(o.B)]
A = Annotated[str | None, option(o.ACTIVATION)]
Model = Annotated[str | None, option(o.MODEL)]
Dtype = Annotated[DtypeChoice, option(o.DTYPE)]
Digits = Annotated[int | None, option(o.DIGITS)]
Grad = Annotated[bool, option(o.GRAD)]
Color = Annotated[ColorChoice, option(o.COLOR)]
Lang = Annotated[LangChoice | None, option(o.LANG)]
IndexBase = Annotated[int, option(o.INDEX_BASE)]

# ---------------------------------------------------------------- compute
PassFormat = Annotated[PassFormatChoice | None, option(o.format_spec(formats("pass")))]
Explain = Annotated[bool, option(o.EXPLAIN)]
Target = Annotated[str | None, option(o.TARGET)]
Lr = Annotated[float | None, option(o.LR)]
Loss = Annotated[LossChoice | None, option(o.LOSS)]
Plot = Annotated[bool, option(o.PLOT)]
SaveSvg = Annotated[str | None, option(o.SAVE_SVG)]
SaveHtml = Annotated[str | None, option(o.SAVE_HTML)]
SaveModel = Annotated[str | None, option(o.SAVE_MODEL)]
PlayStep = Annotated[float | None, option(o.PLAY_STEP)]
PlaySave = Annotated[str | None, option(o.PLAY_SAVE)]
Header = Annotated[bool | None, option(o.HEADER)]

# ---------------------------------------------------------------- check
CheckFormat = Annotated[CheckFormatChoice | None, option(o.format_spec(CHECK_FORMATS))]
Expect = Annotated[list[str] | None, option(o.EXPECT)]
Answers = Annotated[str | None, option(o.ANSWERS)]
Tol = Annotated[float | None, option(o.TOL)]
Rtol = Annotated[float | None, option(o.RTOL)]
Sig = Annotated[int | None, option(o.SIG)]
MinDecimals = Annotated[int | None, option(o.MIN_DECIMALS)]
Points = Annotated[float | None, option(o.POINTS)]
SheetTarget = Annotated[str | None, option(o.SHEET_TARGET)]
SheetLr = Annotated[float | None, option(o.SHEET_LR)]
SheetLoss = Annotated[LossChoice | None, option(o.SHEET_LOSS)]
Quiet = Annotated[bool, option(o.QUIET)]
MinSig = Annotated[int | None, option(o.MIN_SIG)]
Questions = Annotated[str | None, option(o.QUESTIONS)]
Student = Annotated[str | None, option(o.STUDENT)]
IdColumn = Annotated[str | None, option(o.ID_COLUMN)]
Encoding = Annotated[str | None, option(o.ENCODING)]
DecimalComma = Annotated[bool, option(o.DECIMAL_COMMA)]

# ---------------------------------------------------------------- truth-table, plot, diagram, activations
TruthFormat = Annotated[TruthFormatChoice | None, option(o.format_spec(formats("truth_table")))]
Gate = Annotated[GateChoice | None, option(o.GATE)]
PlotName = Annotated[str, option(o.PLOT_NAME)]
Range = Annotated[str | None, option(o.RANGE)]
PlotAt = Annotated[list[str] | None, option(o.PLOT_AT)]
Width = Annotated[int | None, option(o.WIDTH)]
Height = Annotated[int, option(o.HEIGHT)]
Drawing = Annotated[DrawingChoice, option(o.DRAWING)]
LabelDigits = Annotated[int | None, option(o.LABEL_DIGITS)]
ActivationName = Annotated[str | None, option(o.ACTIVATION_NAME)]
ValuesAt = Annotated[str | None, option(o.VALUES_AT)]
CatalogueFormat = Annotated[CatalogueFormatChoice | None, option(o.format_spec(formats("activations")))]

# ---------------------------------------------------------------- train, inspect
Data = Annotated[str, option(o.DATA)]
TrainModel = Annotated[str | None, option(o.TRAIN_MODEL)]
TrainLoss = Annotated[LossChoice, option(o.TRAIN_LOSS)]
Optimizer = Annotated[OptimizerChoice, option(o.OPTIMIZER)]
TrainLr = Annotated[float | None, option(o.TRAIN_LR)]
Momentum = Annotated[float, option(o.MOMENTUM)]
Nesterov = Annotated[bool, option(o.NESTEROV)]
Epochs = Annotated[int, option(o.EPOCHS)]
BatchSize = Annotated[int, option(o.BATCH_SIZE)]
Shuffle = Annotated[bool, option(o.SHUFFLE)]
Seed = Annotated[int, option(o.SEED)]
TrainSave = Annotated[str | None, option(o.TRAIN_SAVE)]
LossPlot = Annotated[bool, option(o.LOSS_PLOT)]
TrainingFormat = Annotated[TrainingFormatChoice | None, option(o.format_spec(formats("training")))]
ModelFile = Annotated[str, option(o.MODEL_FILE)]
MaxParams = Annotated[int | None, option(o.MAX_PARAMS)]
QuizFile = Annotated[str, option(o.QUIZ_FILE)]
QuizStudent = Annotated[str | None, option(o.QUIZ_STUDENT)]
Students = Annotated[str | None, option(o.STUDENTS)]
QuizFormat = Annotated[QuizFormatChoice | None, option(o.format_spec(formats("quiz")))]
InspectFormat = Annotated[InspectFormatChoice | None, option(o.format_spec(formats("inspect")))]
