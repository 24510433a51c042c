"""Every option of every command, declared once: its spellings, its kind of value, its choices, its help. The
Typer app builds its options from these (cli/params.py), the fast path reads command lines by them
(cli/fast.py), and --lang is found by them before either starts; so the three can never disagree. No Typer here:
the fast path imports this module and nothing heavy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..nn import losses


@dataclass(frozen=True)
class Spec:
    """One option: `name` is its parameter in a command's function and its key in the values a request is built
    from; `flags` its spellings, the plainest first (`-x`, `--x`). `kind` is the type of its value: str, int,
    float, bool (a flag, or with `off` a --name/--no-name pair), or list (str, the option given once or more)."""

    name: str
    flags: tuple[str, ...]
    help: str
    metavar: str | None = None
    kind: type = str
    choices: tuple[str, ...] = ()
    off: str | None = None  # the flag that sets a bool option false (--no-header)
    argument: bool = False  # a positional argument (NAME, FILE), not an option
    bounds: tuple[int, int] | None = None  # an int's smallest and largest value, checked by the parser

    def read(self, text: str) -> Any:
        """The value as Typer reads it from the command line (click's int and float are Python's); a choice in
        lower case. ValueError where Typer would refuse it (the fast path then leaves the line to Typer)."""
        if self.kind is int:
            return int(text)
        if self.kind is float:
            return float(text)
        if self.choices:
            if text.lower() not in self.choices:
                raise ValueError(text)
            return text.lower()
        return text


FORMATS_HELP = "Output format. Default: table on a terminal, plain when piped."

# ---------------------------------------------------------------- the network and its inputs
X = Spec(
    "x",
    ("-x", "--x"),
    "Inputs: numbers separated by commas or spaces (1,2,3), @FILE, or - to read one row a line from stdin.",
    "VALUES",
)
W = Spec(
    "w",
    ("-w", "--w"),
    'Weights, one per input. A layer: neurons separated by ; ("0.1,0.2;0.3,0.4") or -w once per neuron.',
    "WEIGHTS",
    kind=list,
)
B = Spec("b", ("-b", "--b"), "Bias: one shared by all neurons, or one per neuron. Default 0.", "BIAS")
ACTIVATION = Spec(
    "activation",
    ("-a", "--activation"),
    "Activation: NAME or NAME:key=value,... (leaky_relu:negative_slope=0.1). Default linear.",
    "SPEC",
)
MODEL = Spec("model", ("--model",), "A stack of layers from a JSON or TOML model file.", "PATH")
DTYPE = Spec(
    "dtype",
    ("--dtype",),
    "Arithmetic: float64 (exact), or float32 as Keras computes by default.",
    choices=("float64", "float32"),
)

# ---------------------------------------------------------------- how results are shown
DIGITS = Spec("digits", ("--digits",), "Significant digits to print (1-17). Default: all (tables: 10).", "N", int)
GRAD = Spec("grad", ("--grad",), "Also show the derivatives of each neuron's output.", kind=bool)
COLOR = Spec(
    "color",
    ("--color",),
    "Colour: auto (on a terminal, unless NO_COLOR is set), always or never.",
    choices=("auto", "always", "never"),
)
LANG = Spec(
    "lang",
    ("--lang",),
    "Language of what is written for a person. Default: NEURON_LANG, LC_ALL, LC_MESSAGES, LANG.",
    choices=("en", "ko"),
)
INDEX_BASE = Spec(
    "index_base",
    ("--index-base",),
    "Number inputs, weights and neurons from 0 (x0, w0) or 1 in what a person reads.",
    "0|1",
    kind=int,
    bounds=(0, 1),
)
VERSION = Spec("version", ("--version",), "Print the version.", kind=bool)

# ---------------------------------------------------------------- compute
EXPLAIN = Spec("explain", ("--explain",), "Write the arithmetic out step by step.", kind=bool)
TARGET = Spec("target", ("--target",), "Targets, one per output: take one training step.", "T")
LR = Spec("lr", ("--lr",), "Learning rate of the training step. Default 0.1.", "R", float)
LOSS = Spec("loss", ("--loss",), "Loss of the training step. Default half_sse.", choices=losses.NAMES)
PLOT = Spec("plot", ("--plot",), "Mark each neuron's z on its activation's curve.", kind=bool)
SAVE_SVG = Spec("save_svg", ("--save-svg",), "Also save the tables (and explanation) as SVG.", "FILE")
SAVE_HTML = Spec("save_html", ("--save-html",), "Also save the tables (and explanation) as HTML.", "FILE")
SAVE_MODEL = Spec(
    "save_model",
    ("--save-model",),
    "Write the model (by its name: .keras, .h5, .toml, else JSON): after --target the updated one, else as given.",
    "PATH",
)
HEADER = Spec(
    "header",
    ("--header",),
    "The stream's first line is a CSV header (x1,x2,...). Default: it is one if it holds only names.",
    kind=bool,
    off="--no-header",
)

# ---------------------------------------------------------------- check
EXPECT = Spec("expect", ("--expect", "-e"), "The outputs you expect, one per output.", "VALUES", list)
ANSWERS = Spec(
    "answers", ("--answers",), "Grade a CSV answer sheet (or - for stdin): a row per student, or per answer.", "SHEET"
)
TOL = Spec("tol", ("--tol",), "An absolute tolerance, in place of the written rule.", "T", float)
RTOL = Spec("rtol", ("--rtol",), "A tolerance relative to the true value, in place of the written rule.", "R", float)
SIG = Spec("sig", ("--sig",), "Within half a unit of the true value's N-th significant digit.", "N", int)
MIN_DECIMALS = Spec(
    "min_decimals", ("--min-decimals",), "An answer with fewer decimals is too_coarse (unless exact there).", "N", int
)
POINTS = Spec("points", ("--points",), "With --answers: the points of each answer of the sheet. Default 1.", "P", float)
SHEET_TARGET = Spec("target", ("--target",), "With --answers: targets of every row without t1...", "T")
SHEET_LR = Spec("lr", ("--lr",), "With --answers: learning rate of the step. Default 0.1.", "R", float)
SHEET_LOSS = Spec("loss", ("--loss",), "With --answers: loss of the step. Default half_sse.", choices=losses.NAMES)
QUIET = Spec("quiet", ("--quiet", "-q"), "Print nothing; only the exit code says.", kind=bool)
MIN_SIG = Spec(
    "min_sig",
    ("--min-sig",),
    "Significant digits an answer shows at the least, unless exact (default 3; 0: off).",
    "N",
    int,
)
QUESTIONS = Spec(
    "questions", ("--questions",), "With --answers: the question file (TOML or JSON) that holds every input.", "FILE"
)
STUDENT = Spec("student", ("--student",), "The student whose row is graded (gradescope) or shown (quiz).", "ID")
ID_COLUMN = Spec("id_column", ("--id-column",), "With --answers: the column of student ids. Default student.", "NAME")
ENCODING = Spec(
    "encoding",
    ("--encoding",),
    "With --answers: the sheet's encoding (utf-8, utf-16, cp949). Default: detected.",
    "NAME",
)
DECIMAL_COMMA = Spec(
    "decimal_comma", ("--decimal-comma",), "With --answers: 0,62 is 0.62 (a ; or tab delimited sheet).", kind=bool
)

# ---------------------------------------------------------------- truth-table, plot, diagram, activations
GATE = Spec(
    "gate",
    ("--gate", "-g"),
    "Check against a gate: exit 1 where a row differs.",
    choices=("and", "or", "nand", "nor", "xor", "xnor"),
)
PLOT_NAME = Spec("name", ("NAME",), "The activation: NAME or NAME:key=value,...", "NAME", argument=True)
RANGE = Spec("range_", ("--range", "-r"), "The z axis, e.g. -6:6. Default: per activation.", "A:B")
PLOT_AT = Spec("at", ("--at",), "Mark z and print f(z) and f'(z); repeatable.", "Z", list)
WIDTH = Spec("width", ("--width",), "Plot width in characters. Default: 72, or the terminal's if narrower.", "N", int)
HEIGHT = Spec("height", ("--height",), "Plot height in lines.", "N", int)
DRAWING = Spec("format", ("--format", "-f"), "Mermaid or Graphviz DOT.", choices=("mermaid", "dot"))
LABEL_DIGITS = Spec("digits", ("--digits",), "Significant digits of the labels (1-17). Default 6.", "N", int)
ACTIVATION_NAME = Spec("name", ("NAME",), "One activation to show in full.", "NAME", argument=True)
VALUES_AT = Spec("at", ("--at",), "The activation at these z values (1,2,3), without weights; needs NAME.", "Z")

# ---------------------------------------------------------------- train
DATA = Spec("data", ("--data",), "The data set: CSV (x1..xn,t1..tk header, or none), or -.", "PATH")
TRAIN_MODEL = Spec("model", ("--model",), "The network: a model file; layers may give units instead.", "PATH")
TRAIN_LOSS = Spec("loss", ("--loss",), "The loss (Keras's).", choices=losses.NAMES)
OPTIMIZER = Spec(
    "optimizer", ("--optimizer",), "Keras's update rule, with its defaults.", choices=("sgd", "adam", "rmsprop")
)
TRAIN_LR = Spec("lr", ("--lr",), "Learning rate. Default Keras's: sgd 0.01, adam 0.001, rmsprop 0.001.", "R", float)
MOMENTUM = Spec("momentum", ("--momentum",), "sgd's momentum.", "M", float)
NESTEROV = Spec("nesterov", ("--nesterov",), "sgd with Nesterov momentum.", kind=bool)
EPOCHS = Spec("epochs", ("--epochs",), "Epochs (passes over the data).", "N", int)
BATCH_SIZE = Spec("batch_size", ("--batch-size",), "Rows a step, as Keras's.", "B", int)
SHUFFLE = Spec("shuffle", ("--shuffle",), "Shuffle the rows every epoch (with --seed).", kind=bool)
SEED = Spec("seed", ("--seed",), "Seed of --shuffle and of layers that give units.", "S", int)
TRAIN_SAVE = Spec(
    "save_model", ("--save-model",), "Write the trained network (by its name: .keras, .h5, .toml, else JSON).", "PATH"
)
LOSS_PLOT = Spec("plot", ("--plot",), "Draw the loss curve after training.", kind=bool)

# ---------------------------------------------------------------- inspect, quiz
MAX_PARAMS = Spec(
    "max_params",
    ("--max-params",),
    "A model file of more parameters is refused before it is read. Default 100000000.",
    "N",
    int,
)
MODEL_FILE = Spec("file", ("FILE",), "A model file: .keras, .h5, or neuron's JSON or TOML.", "FILE", argument=True)
QUIZ_FILE = Spec("file", ("FILE",), "A question file (TOML or JSON).", "FILE", argument=True)
QUIZ_STUDENT = Spec("student", ("--student",), "The student whose own numbers are shown.", "ID")
STUDENTS = Spec(
    "students", ("--students",), "A CSV of the class (a column student): every student's questions.", "FILE"
)


# ---------------------------------------------------------------- play
PLAY_STEP = Spec("step", ("--step",), "How much + and - change a number. Default 0.1.", "S", float)
PLAY_SAVE = Spec(
    "save_model",
    ("--save-model",),
    "On leaving, write the model as last shown (by its name: .keras, .h5, .toml, else JSON).",
    "PATH",
)


def format_spec(formats: list[str]) -> Spec:
    """--format, offering exactly the formats a command's results have writers for."""
    return Spec("format", ("--format", "-f"), FORMATS_HELP, choices=tuple(formats))


# The fast path: the commands it answers without Typer and the options it reads there, --format offering the
# machine formats alone; anything else on the line leaves the command to Typer.
FAST: dict[str, tuple[Spec, ...]] = {
    "compute": (X, W, B, ACTIVATION, DIGITS, format_spec(["plain", "csv", "json"])),
    "check": (
        *(
            X,
            W,
            B,
            ACTIVATION,
            MODEL,
            MAX_PARAMS,
            ANSWERS,
            TOL,
            RTOL,
            SIG,
            MIN_DECIMALS,
            POINTS,
            SHEET_TARGET,
            SHEET_LR,
        ),
        *(SHEET_LOSS, QUIET, MIN_SIG, QUESTIONS, STUDENT, ID_COLUMN, ENCODING, DECIMAL_COMMA),
        format_spec(["plain", "csv", "json", "junit", "gradescope"]),
    ),
}


def language_given(arguments: list[str]) -> str | None:
    """--lang as the command line gives it (read before any parser, so that --help is in it too); None where it
    is not given, or not one of its choices (the parser then says so)."""
    for k, word in enumerate(arguments):
        for flag in LANG.flags:
            value = None
            if word == flag and k + 1 < len(arguments):
                value = arguments[k + 1]
            elif word.startswith(flag + "="):
                value = word.split("=", 1)[1]
            if value is not None:
                return value.lower() if value.lower() in LANG.choices else None
    return None
