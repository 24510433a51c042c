"""The Typer app: declares options, wires parsing, core, stream and render; owns stdin, stdout, stderr, exit codes."""

# No `from __future__ import annotations` here: Typer reads every command's annotations at each start, and
# evaluated ones spare it some 200 string evaluations (benchmarks/startup.py watches start-up).

import contextlib
import math
import sys
from collections.abc import Iterator
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import typer

try:  # Typer 0.28 carries its own copy of click, and raises that copy's exceptions
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - an older Typer, on the real click
    from click import exceptions as click_errors  # type: ignore[no-redef]

from . import __version__
from .core import Network
from .edge import IF_THE_PIPE_CLOSES, cannot_write, failures, quiet_stdout, report, start
from .errors import NeuronError
from .messages import language, message
from .options import answer_sheet, check_digits, check_tolerance, described_network, refuse_unused, stdin_source
from .options import build_network as network_of
from .parsing import input_rows, load_model, parse_activation, parse_vector
from .render import Format, View
from .render.writers import formats

app = typer.Typer(
    name="neuron",
    add_completion=True,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Loss(str, Enum):
    half_sse = "half_sse"
    mse = "mse"
    binary_crossentropy = "binary_crossentropy"
    categorical_crossentropy = "categorical_crossentropy"


class OptimizerName(str, Enum):
    sgd = "sgd"
    adam = "adam"
    rmsprop = "rmsprop"


class Drawing(str, Enum):
    mermaid = "mermaid"
    dot = "dot"


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class Gate(str, Enum):
    AND = "and"
    OR = "or"
    NAND = "nand"
    NOR = "nor"
    XOR = "xor"
    XNOR = "xnor"


# ---------------------------------------------------------------- options shared by the commands


def complete_activation(incomplete: str) -> list[str]:
    from .activations import REGISTRY

    names = [name for a in REGISTRY for name in (a.name, *a.aliases)]
    return [name for name in names if name.startswith(incomplete.lower())]


XOption = Annotated[
    str | None,
    typer.Option(
        "-x",
        "--x",
        metavar="VALUES",
        help="Inputs: numbers separated by commas or spaces (1,2,3), @FILE, or - to read one row a line from stdin.",
    ),
]
WOption = Annotated[
    list[str] | None,
    typer.Option(
        "-w",
        "--w",
        metavar="WEIGHTS",
        help='Weights, one per input. A layer: neurons separated by ; ("0.1,0.2;0.3,0.4") or -w once per neuron.',
    ),
]
BOption = Annotated[
    str | None,
    typer.Option("-b", "--b", metavar="BIAS", help="Bias: one shared by all neurons, or one per neuron. Default 0."),
]
AOption = Annotated[
    str | None,
    typer.Option(
        "-a",
        "--activation",
        metavar="SPEC",
        help="Activation: NAME or NAME:key=value,... (leaky_relu:negative_slope=0.1). Default linear.",
        autocompletion=complete_activation,
    ),
]
ModelOption = Annotated[
    str | None, typer.Option("--model", metavar="PATH", help="A stack of layers from a JSON or TOML model file.")
]


def format_choices(kind: str) -> Any:
    """An Enum of exactly the formats this kind of result has writers for: --help lists them, completion offers
    them, and Typer refuses any other before a command starts."""
    return Enum(f"{kind.title()}Format", {name: name for name in formats(kind)}, type=str)


if TYPE_CHECKING:
    PassFormat = Format
    VerdictFormat = Format
    TruthFormat = Format
    CatalogueFormat = Format
    TrainingFormat = Format
    InspectFormat = Format
else:
    PassFormat = format_choices("pass")
    VerdictFormat = Enum(
        "CheckFormat", {name: name for name in dict.fromkeys(formats("verdict") + formats("answers"))}, type=str
    )
    TruthFormat, CatalogueFormat = format_choices("truth_table"), format_choices("activations")
    TrainingFormat = format_choices("training")
    InspectFormat = format_choices("inspect")


def format_option() -> Any:
    return typer.Option(
        "--format", "-f", case_sensitive=False, help="Output format. Default: table on a terminal, plain when piped."
    )


DigitsOption = Annotated[
    int | None,
    typer.Option("--digits", metavar="N", help="Significant digits to print (1-17). Default: all (tables: 10)."),
]
GradOption = Annotated[bool, typer.Option("--grad", help="Also show the derivatives of each neuron's output.")]
ColorOption = Annotated[
    Color, typer.Option("--color", help="Colour: auto (on a terminal, unless NO_COLOR is set), always or never.")
]


class Lang(str, Enum):
    en = "en"
    ko = "ko"


LangOption = Annotated[
    Lang | None,
    typer.Option(
        "--lang",
        case_sensitive=False,
        help="Language of what is written for a person. Default: NEURON_LANG, LC_ALL, LC_MESSAGES, LANG.",
    ),
]


class Dtype(str, Enum):
    float64 = "float64"
    float32 = "float32"


DtypeOption = Annotated[
    Dtype,
    typer.Option("--dtype", help="Arithmetic: float64 (exact), or float32 as Keras computes by default."),
]
IndexBaseOption = Annotated[
    int,
    typer.Option(
        "--index-base",
        min=0,
        max=1,
        help="Number inputs, weights and neurons from 0 (x0, w0) or 1 in what a person reads.",
    ),
]


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Turn the user's mistakes, a failed write and Ctrl-C into a message and an exit code; never a traceback."""
    with failures(LANG) as outcome:
        yield
    if outcome.stopped:
        raise typer.Exit(outcome.code)


LANG = "en"  # the language of this run: set in `run` before any command, from --lang or the environment


def build_network(
    w: list[str] | None, b: str | None, a: str | None, model: str | None, dtype: "Dtype | None" = None
) -> Network:
    """The network the options describe, in the arithmetic --dtype asks for."""
    return network_of(w, b, a, model, dtype is Dtype.float32)


def make_view(
    digits: int | None = None,
    color: Color = Color.auto,
    index_base: int = 1,
    **extra: Any,
) -> View:
    check_digits(digits)
    shown = {Color.auto: None, Color.always: True, Color.never: False}[color]
    return View(digits=digits, color=shown, index_base=index_base, lang=LANG, **extra)


def chosen_format(given: Enum | None) -> Format:
    if given is not None:
        return Format(given.value)
    return Format.table if sys.stdout.isatty() else Format.plain


def refuse_plot(plot: bool, chosen: Format) -> None:
    """--plot draws for a person: in a machine format it would break what a program reads."""
    if plot and chosen is not Format.table:
        raise NeuronError(
            message("--plot draws for a person and goes with --format table, not {format}", LANG, format=chosen.value)
        )


def version_callback(value: bool) -> None:
    if value:
        sys.stdout.write(f"neuron {__version__}\n")
        sys.stdout.flush()
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool | None, typer.Option("--version", callback=version_callback, is_eager=True, help="Print the version.")
    ] = None,
    lang: LangOption = None,
) -> None:
    """What an artificial neuron, a layer and a stack of layers compute, step by step, with Keras's numbers:
    inputs times weights, plus the bias, through an activation.

    \b
    Examples:
      neuron compute -x 1,2,3 -w 0.5,-0.2,0.1 -b 0.1 -a sigmoid
      neuron compute -x 1,2,3 -w "0.1,0.2,0.3;0.4,0.5,0.6" -a relu -f json
      neuron check -x 1,2,3 -w 0.5,-0.2,0.1 -b 0.1 -a sigmoid --expect 0.6225
      neuron truth-table -w 1,1 -b -1.5 -a step --gate and
      neuron plot sigmoid --at 0.5
      neuron activations gelu
    """


# ---------------------------------------------------------------- compute


@app.command()
def compute(
    x: XOption = None,
    w: WOption = None,
    b: BOption = None,
    activation: AOption = None,
    model: ModelOption = None,
    format: Annotated[PassFormat | None, format_option()] = None,
    digits: DigitsOption = None,
    grad: GradOption = False,
    explain: Annotated[bool, typer.Option("--explain", help="Write the arithmetic out step by step.")] = False,
    target: Annotated[
        str | None, typer.Option("--target", metavar="T", help="Targets, one per output: take one training step.")
    ] = None,
    lr: Annotated[
        float | None, typer.Option("--lr", metavar="R", help="Learning rate of the training step. Default 0.1.")
    ] = None,
    loss: Annotated[Loss | None, typer.Option("--loss", help="Loss of the training step. Default half_sse.")] = None,
    plot: Annotated[bool, typer.Option("--plot", help="Mark each neuron's z on its activation's curve.")] = False,
    save_svg: Annotated[
        str | None, typer.Option("--save-svg", metavar="FILE", help="Also save the tables (and explanation) as SVG.")
    ] = None,
    save_html: Annotated[
        str | None, typer.Option("--save-html", metavar="FILE", help="Also save the tables (and explanation) as HTML.")
    ] = None,
    save_model: Annotated[
        str | None,
        typer.Option(
            "--save-model",
            metavar="PATH",
            help="Write the model (JSON, TOML or .keras by its name): after --target the updated one, else as given.",
        ),
    ] = None,
    header: Annotated[
        bool | None,
        typer.Option(
            "--header/--no-header",
            help="The stream's first line is a CSV header (x1,x2,...). Default: it is one if it holds only names.",
        ),
    ] = None,
    dtype: DtypeOption = Dtype.float64,
    color: ColorOption = Color.auto,
    lang: LangOption = None,
    index_base: IndexBaseOption = 1,
) -> None:
    """Compute a neuron, a layer or a stack of layers on one input row or a stream of rows.

    \b
    Examples:
      neuron compute -x 1,2,3 -w 0.5,-0.2,0.1 -b 0.1 -a sigmoid
      neuron compute -x 1,2,3 -w "0.1,0.2,0.3;0.4,0.5,0.6" -a relu
      neuron compute -x 1,2 -w -0.5,0.3 -b -1 -a step --format json
      neuron compute -x 1,2,3 -w 0.5,-0.2,0.1 -a sigmoid --explain
      neuron compute -x 1,2,3 -w 0.5,-0.2,0.1 -a sigmoid --target 1 --lr 0.5
      seq 1 6 | paste -d, - - | neuron compute -w 1,1 -a tanh
    """
    with user_errors():
        refuse_unused(**{"--lr": (lr is not None and target is None, "--target")})
        refuse_unused(**{"--loss": (loss is not None and target is None, "--target")})
        if lr is not None and not math.isfinite(lr):
            raise NeuronError(message("--lr must be a finite number, got {value}", LANG, value=lr))
        chosen = chosen_format(format)
        view = make_view(digits, color, index_base, grad=grad, explain=explain)
        refuse_plot(plot, chosen)
        from . import render

        row_only = [
            name
            for name, on in (
                ("--explain", explain),
                ("--target", target is not None),
                ("--plot", plot),
                ("--save-svg", save_svg),
                ("--save-html", save_html),
            )
            if on
        ]
        if (x is None or x == "-") and row_only:
            raise NeuronError(
                message("{options}: one input row only, given with -x, not a stream", LANG, options=", ".join(row_only))
            )
        network = build_network(w, b, activation, model, dtype)
        if save_model is not None and target is None:
            # Without a training step the model is written as given: JSON or TOML to .keras and back.
            from .parsing import save_model_file

            save_model_file(network, save_model)
            if x is None and (sys.stdin is None or sys.stdin.isatty()):
                return  # a conversion alone: nothing to compute
        if x is None or x == "-":
            from .stream import run_stream

            render.check("rows", chosen, view)
            run_stream(stdin_source(x), network, chosen, view, sys.stdout, header)
            return
        rows = input_rows(x, network)
        if len(rows) > 1 and row_only:
            raise NeuronError(
                message(
                    "{options}: one input row only; -x ({file}) has {count} rows",
                    LANG,
                    options=", ".join(row_only),
                    file=x[1:],
                    count=len(rows),
                )
            )
        targets = parse_vector(target, "--target") if target is not None else None
        if len(rows) > 1 and chosen is not Format.table:
            from .core import Block

            render.check("rows", chosen, view)
            render.write("rows", Block(network, rows), view, chosen, sys.stdout)
            sys.stdout.flush()
            return
        render.check("pass", chosen, view)
        rate = lr if lr is not None else 0.1
        for number, row in enumerate(rows, start=1):
            result = network.forward(row)
            step = result.train_step(targets, (loss or Loss.half_sse).value, rate) if targets is not None else None
            title = message("row {number}", LANG, number=number) if len(rows) > 1 else None
            shown = View(**{**view.__dict__, "step": step, "title": title})
            render.write("pass", result, shown, chosen, sys.stdout)
            if plot:
                show_plots(result, shown)
            if save_svg or save_html:
                save_record(result, shown, save_svg, save_html)
            if save_model is not None and step is not None:
                from .parsing import save_model_file

                save_model_file(step.network(network), save_model)
        sys.stdout.flush()


def show_plots(result: Any, view: View) -> None:
    from .plot import Mark, draw, range_around
    from .render.tables import make_console, unicode_ok

    out = make_console(sys.stdout, color=view.color)
    color = out.is_terminal and not out.no_color
    for number, layer_pass in enumerate(result.passes, start=1):
        spec = layer_pass.layer.activation
        z = layer_pass.z if not spec.layerwise else layer_pass.z[:1]
        marks = [Mark(float(v), f"n{j + view.index_base}: z = {v:.4g}") for j, v in enumerate(z)]
        start, stop = range_around(spec, marks)
        if len(result.passes) > 1:
            sys.stdout.write(message("layer {number}:", LANG, number=number) + "\n")
        width = min(72, out.width)
        sys.stdout.write(draw(spec, start, stop, marks, width, color=color, fancy=unicode_ok(out), lang=LANG))


def save_record(result: Any, view: View, svg: str | None, html: str | None) -> None:
    """The table view (and the explanation) recorded by Rich and saved as SVG or HTML."""
    import io

    from rich.text import Text

    from .explain import explanation
    from .render.tables import make_console, render_table

    recorder = make_console(io.StringIO(), width=110, record=True)
    render_table(result, View(**{**view.__dict__, "explain": False}), recorder)
    if view.explain:
        recorder.print(Text(explanation(result, view)))
    from .files import replace_file

    for path, text in (
        (svg, lambda: recorder.export_svg(title="neuron", clear=False)),
        (html, lambda: recorder.export_html(clear=False)),
    ):
        if path:
            replace_file(path, text(), "--save-svg" if path == svg else "--save-html")


# ---------------------------------------------------------------- check


@app.command()
def check(
    x: XOption = None,
    w: WOption = None,
    b: BOption = None,
    activation: AOption = None,
    model: ModelOption = None,
    expect: Annotated[
        list[str] | None,
        typer.Option("--expect", "-e", metavar="VALUES", help="The outputs you expect, one per output."),
    ] = None,
    answers: Annotated[
        str | None,
        typer.Option("--answers", metavar="SHEET", help="Grade a CSV answer sheet (or - for stdin): a row per answer."),
    ] = None,
    tol: Annotated[
        float | None, typer.Option("--tol", metavar="T", help="Absolute tolerance. Default: from the decimals written.")
    ] = None,
    rtol: Annotated[
        float | None,
        typer.Option("--rtol", metavar="R", help="With --answers: a tolerance relative to the true value."),
    ] = None,
    sig: Annotated[
        int | None,
        typer.Option("--sig", metavar="N", help="With --answers: within half a unit of the true value's N-th digit."),
    ] = None,
    min_decimals: Annotated[
        int | None,
        typer.Option("--min-decimals", metavar="N", help="With --answers: fewer decimals written is too_coarse."),
    ] = None,
    points: Annotated[
        float | None,
        typer.Option("--points", metavar="P", help="With --answers: points per row (gradescope). Default 1."),
    ] = None,
    target: Annotated[
        str | None, typer.Option("--target", metavar="T", help="With --answers: targets of every row without t1...")
    ] = None,
    lr: Annotated[
        float | None, typer.Option("--lr", metavar="R", help="With --answers: learning rate of the step. Default 0.1.")
    ] = None,
    loss: Annotated[
        Loss | None, typer.Option("--loss", help="With --answers: loss of the step. Default half_sse.")
    ] = None,
    format: Annotated[VerdictFormat | None, format_option()] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing; only the exit code says.")] = False,
    dtype: DtypeOption = Dtype.float64,
    color: ColorOption = Color.auto,
    lang: LangOption = None,
    index_base: IndexBaseOption = 1,
) -> None:
    """Check your answer: exit 0 when every output matches --expect, 1 when one does not.

    By default an output matches within half a unit of the last decimal written: --expect 0.6225 accepts
    0.62245 to 0.62255. --tol sets an absolute tolerance instead.

    --answers SHEET grades a whole class: a CSV with a header naming x1..xn (inputs), y1.. z1.. loss w1_1..
    b1.. (answers), t1.. (targets) and any naming columns (student, question). Exit 0 when every row passes,
    1 when one does not, 2 when the sheet cannot be read. Formats: table, csv, json, junit, gradescope.

    \b
    Examples:
      neuron check -x 1,2,3 -w 0.5,-0.2,0.1 -b 0.1 -a sigmoid --expect 0.6225
      neuron check -x 1,2,3 -w "0.1,0.2,0.3;0.4,0.5,0.6" -a relu --expect 1.4,3.2
      neuron check --answers class.csv -w 0.5,-0.2,0.1 -b 0.1 -a sigmoid
      neuron check --answers class.csv --model net.json -f gradescope
    """
    with user_errors():
        check_tolerance(tol, "--tol")
        check_tolerance(rtol, "--rtol")
        view = make_view(None, color, index_base)
        chosen = chosen_format(format)
        from . import render

        if answers is not None:
            passed, total = answer_sheet(
                answers,
                x,
                w,
                b,
                activation,
                model,
                dtype is Dtype.float32,
                expect,
                tol,
                rtol,
                sig,
                min_decimals,
                points,
                target,
                lr,
                loss.value if loss else None,
                chosen,
                view,
                quiet,
            )
            if passed < total:
                raise typer.Exit(1)
            return
        with_sheet_only: dict[str, Any] = {"--rtol": rtol, "--sig": sig, "--min-decimals": min_decimals}
        with_sheet_only.update({"--points": points, "--target": target, "--lr": lr, "--loss": loss})
        refuse_unused(**{name: (value is not None, "--answers") for name, value in with_sheet_only.items()})
        if not expect:
            raise NeuronError(message("give the outputs you expect with --expect, e.g. --expect 0.6225", LANG))
        if len(expect) > 1:
            raise NeuronError(
                message(
                    "--expect is given {count} times; give it once, with every output: --expect 0.5,0.7",
                    LANG,
                    count=len(expect),
                )
            )
        render.check("verdict", chosen, view)
        network = build_network(w, b, activation, model, dtype)
        if x is None or x == "-":
            raise NeuronError(
                message("check takes one input row with -x (e.g. -x 1,2,3), or a sheet with --answers", LANG)
            )
        rows = input_rows(x, network)
        if rows.shape[0] != 1:
            raise NeuronError(
                message("check takes one input row; -x ({file}) has {count}", LANG, file=x[1:], count=rows.shape[0])
            )
        from .parsing import parse_expected

        expected, tolerances = parse_expected(expect[0])
        outputs = network(rows[0])
        if expected.size != outputs.size:
            raise NeuronError(
                message(
                    "--expect has {given} but there {outputs}",
                    LANG,
                    given=plural_values(expected.size),
                    outputs=plural_outputs(outputs.size),
                )
            )
        if tol is not None:
            tolerances = np.full(expected.size, tol)
        from .core import Verdict

        verdict = Verdict(expected, outputs, tolerances, tol is None)
        IF_THE_PIPE_CLOSES[0] = 0 if verdict.passed else 1
        if not quiet:
            render.write("verdict", verdict, view, chosen, sys.stdout)
            sys.stdout.flush()
    if not verdict.passed:
        raise typer.Exit(1)


def plural_values(count: int) -> str:
    return message("{count} value" if count == 1 else "{count} values", LANG, count=count)


def plural_outputs(count: int) -> str:
    return message("is {count} output" if count == 1 else "are {count} outputs", LANG, count=count)


# ---------------------------------------------------------------- truth-table


@app.command("truth-table")
def truth_table(
    w: WOption = None,
    b: BOption = None,
    activation: AOption = None,
    model: ModelOption = None,
    gate: Annotated[
        Gate | None,
        typer.Option("--gate", "-g", case_sensitive=False, help="Check against a gate: exit 1 where a row differs."),
    ] = None,
    format: Annotated[TruthFormat | None, format_option()] = None,
    digits: DigitsOption = None,
    dtype: DtypeOption = Dtype.float64,
    color: ColorOption = Color.auto,
    lang: LangOption = None,
    index_base: IndexBaseOption = 1,
) -> None:
    """The neuron on every 0/1 combination of its inputs; --gate checks it against a logic gate.

    For n inputs: and = all 1, or = any 1, nand = not all 1, nor = none 1, xor = an odd number of 1s,
    xnor = an even number. A step fires at 1; any other activation counts as 1 where its output is 0.5 or
    more. A layer of several neurons: each output is checked, and the notes say which are the gate.

    \b
    Examples:
      neuron truth-table -w 1,1 -b -1.5 -a step --gate and
      neuron truth-table -w 1,1,1 -b -0.5 -a step --gate or
      neuron truth-table -w 20,20 -b -10 -a sigmoid --gate or
    """
    with user_errors():
        from . import render
        from .core import truth_table as tabulate

        view = make_view(digits, color, index_base)
        chosen = chosen_format(format)
        render.check("truth_table", chosen, view)
        table = tabulate(build_network(w, b, activation, model, dtype), gate.value if gate else None)
        IF_THE_PIPE_CLOSES[0] = 0 if table.passed else 1
        render.write("truth_table", table, view, chosen, sys.stdout)
        sys.stdout.flush()
    if not table.passed:
        raise typer.Exit(1)


# ---------------------------------------------------------------- plot


@app.command()
def plot(
    name: Annotated[
        str,
        typer.Argument(
            help="The activation: NAME or NAME:key=value,...", metavar="NAME", autocompletion=complete_activation
        ),
    ],
    range_: Annotated[
        str | None, typer.Option("--range", "-r", metavar="A:B", help="The z axis, e.g. -6:6. Default: per activation.")
    ] = None,
    at: Annotated[
        list[str] | None, typer.Option("--at", metavar="Z", help="Mark z and print f(z) and f'(z); repeatable.")
    ] = None,
    width: Annotated[
        int | None,
        typer.Option("--width", help="Plot width in characters. Default: 72, or the terminal's if narrower."),
    ] = None,
    height: Annotated[int, typer.Option("--height", help="Plot height in lines.")] = 20,
    color: ColorOption = Color.auto,
    lang: LangOption = None,
) -> None:
    """The activation and its derivative plotted in the terminal; --at Z marks a point.

    A layer-wide activation (softmax...) is shown as neuron 1's output as its z moves, with neuron 2's z at 0.
    Without --range the z axis widens to show every --at; with it, a point outside is named, not drawn.

    \b
    Examples:
      neuron plot sigmoid --at 0.5
      neuron plot leaky_relu:negative_slope=0.1 --range -3:3
      neuron plot gelu --at -1 --at 1
    """
    with user_errors():
        from .plot import Mark, curve, draw, parse_range, range_around
        from .render import format_number
        from .render.tables import make_console, unicode_ok
        from .syntax import parse_number

        spec = parse_activation(name, "NAME")
        out = make_console(sys.stdout, color=make_view(None, color).color)
        width = width if width is not None else min(72, out.width)
        if not (10 <= width <= 1000 and 5 <= height <= 500):
            raise NeuronError(message("--width takes 10 to 1000 and --height 5 to 500", LANG))
        points = [parse_number(text, f"--at ({text})") for text in at or []]
        marks = [Mark(z, f"z = {z:g}") for z in points]
        start, stop = parse_range(range_, spec) if range_ is not None else range_around(spec, marks)
        shown = out.is_terminal and not out.no_color
        sys.stdout.write(draw(spec, start, stop, marks, width, height, shown, unicode_ok(out), lang=LANG))
        for z in points:
            value, slope = curve(spec, np.array([z]))
            outside = "" if start <= z <= stop else " " + message("(outside the plotted range, not marked)", LANG)
            parts = [f"at z = {format_number(z)}:", f"f(z) = {format_number(value[0])},"]
            parts.append(f"f'(z) = {format_number(slope[0])}{outside}")
            line = " ".join(parts)
            # where the terminal is narrower than the line, each part on a line of its own, never cut mid-number
            sys.stdout.write((line if len(line) <= out.width else "\n  ".join(parts)) + "\n")
        sys.stdout.flush()


# ---------------------------------------------------------------- diagram


@app.command()
def diagram(
    x: XOption = None,
    w: WOption = None,
    b: BOption = None,
    activation: AOption = None,
    model: ModelOption = None,
    format: Annotated[Drawing, typer.Option("--format", "-f", help="Mermaid or Graphviz DOT.")] = Drawing.mermaid,
    digits: Annotated[
        int | None, typer.Option("--digits", metavar="N", help="Significant digits of the labels (1-17). Default 6.")
    ] = None,
    lang: LangOption = None,
    index_base: IndexBaseOption = 1,
) -> None:
    """Draw the neuron, layer or network as Mermaid or Graphviz DOT: inputs, neurons, weighted connections.

    With -x the inputs' values and each neuron's output are written on the nodes.

    \b
    Examples:
      neuron diagram -w "0.1,0.2,0.3;0.4,0.5,0.6" -a relu
      neuron diagram --model net.json --format dot | dot -Tpng -o net.png
      neuron diagram -x 1,2,3 -w 0.5,-0.2,0.1 -b 0.1 -a sigmoid
    """
    with user_errors():
        from .diagram import dot, graph, mermaid

        make_view(digits)
        network = build_network(w, b, activation, model)
        result = network.forward(input_rows(x, network)[0]) if x is not None else None
        nodes, edges = graph(network, result, digits, index_base)
        sys.stdout.write(mermaid(nodes, edges) if format is Drawing.mermaid else dot(nodes, edges))
        sys.stdout.flush()


# ---------------------------------------------------------------- activations


@app.command()
def activations(
    name: Annotated[
        str | None, typer.Argument(help="One activation to show in full.", autocompletion=complete_activation)
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at", metavar="Z", help="The activation at these z values (1,2,3), without weights; needs NAME."
        ),
    ] = None,
    format: Annotated[CatalogueFormat | None, format_option()] = None,
    digits: DigitsOption = None,
    color: ColorOption = Color.auto,
    lang: LangOption = None,
) -> None:
    """List every activation with its formula; with NAME, its derivative, parameters, range and sample values.

    With NAME --at Z,..: the activation at those z (element by element, or the whole vector for softmax,
    log_softmax, sparsemax and glu); --format plain prints the values alone.

    \b
    Examples:
      neuron activations
      neuron activations leaky-relu
      neuron activations gelu --format json
      neuron activations softmax --at 1,2,3 --format plain
    """
    with user_errors():
        from . import render
        from .activations import REGISTRY

        view = make_view(digits, color)
        chosen = chosen_format(format)
        if at is not None:
            from .core import activation_values

            if name is None:
                raise NeuronError(
                    message("--at needs an activation NAME, e.g. neuron activations sigmoid --at 0.5", LANG)
                )
            render.check("values", chosen, view)
            spec = parse_activation(name, "NAME")
            render.write("values", activation_values(spec, parse_vector(at, "--at")), view, chosen, sys.stdout)
        elif name is None:
            render.check("activations", chosen, view)
            render.write("activations", list(REGISTRY), view, chosen, sys.stdout)
        else:
            if digits is not None:
                refuse_unused(**{"--digits": (True, "--at")})
            render.check("activation", chosen, view)
            render.write("activation", parse_activation(name, "NAME").activation, view, chosen, sys.stdout)
        sys.stdout.flush()


# ---------------------------------------------------------------- train


@app.command()
def train(
    data: Annotated[
        str, typer.Option("--data", metavar="PATH", help="The data set: CSV (x1..xn,t1..tk header, or none), or -.")
    ],
    w: WOption = None,
    b: BOption = None,
    activation: AOption = None,
    model: Annotated[
        str | None,
        typer.Option("--model", metavar="PATH", help="The network: a model file; layers may give units instead."),
    ] = None,
    loss: Annotated[Loss, typer.Option("--loss", help="The loss (Keras's).")] = Loss.half_sse,
    optimizer: Annotated[
        OptimizerName, typer.Option("--optimizer", help="Keras's update rule, with its defaults.")
    ] = OptimizerName.sgd,
    lr: Annotated[
        float | None,
        typer.Option("--lr", metavar="R", help="Learning rate. Default Keras's: sgd 0.01, adam 0.001, rmsprop 0.001."),
    ] = None,
    momentum: Annotated[float, typer.Option("--momentum", metavar="M", help="sgd's momentum.")] = 0.0,
    nesterov: Annotated[bool, typer.Option("--nesterov", help="sgd with Nesterov momentum.")] = False,
    epochs: Annotated[int, typer.Option("--epochs", metavar="N", help="Epochs (passes over the data).")] = 1,
    batch_size: Annotated[int, typer.Option("--batch-size", metavar="B", help="Rows a step, as Keras's.")] = 32,
    shuffle: Annotated[bool, typer.Option("--shuffle", help="Shuffle the rows every epoch (with --seed).")] = False,
    seed: Annotated[
        int, typer.Option("--seed", metavar="S", help="Seed of --shuffle and of layers that give units.")
    ] = 0,
    save_model: Annotated[
        str | None,
        typer.Option("--save-model", metavar="PATH", help="Write the trained network (JSON, or TOML by its name)."),
    ] = None,
    plot: Annotated[bool, typer.Option("--plot", help="Draw the loss curve after training.")] = False,
    format: Annotated[TrainingFormat | None, format_option()] = None,
    digits: DigitsOption = None,
    color: ColorOption = Color.auto,
    lang: LangOption = None,
    index_base: IndexBaseOption = 1,
) -> None:
    """Train the neuron, layer or network on a data set, epoch by epoch, as Keras's model.fit does.

    Each epoch goes through the rows in batches of --batch-size: the batch's loss is the mean over its rows,
    and the optimizer steps by its gradient. A network of one step layer learns by the perceptron rule, a row
    at a time, and stops after the first epoch without a mistake.

    \b
    Examples:
      neuron train --data and.csv -w 0,0 -b 0 -a step --lr 0.1 --epochs 20
      neuron train --data xor.csv --model net.json --lr 0.5 --epochs 1000
      neuron train --data iris.csv --model net.json --optimizer adam -f json
    """
    with user_errors():
        from . import render
        from .fit import run_training
        from .optimizers import make_optimizer
        from .sheet import data_arrays, read_data
        from .training import Trainer

        if lr is not None and not (math.isfinite(lr) and lr > 0):
            raise NeuronError(message("--lr must be a finite number above 0, got {value}", LANG, value=lr))
        if not 1 <= epochs <= 10_000_000:
            raise NeuronError(message("--epochs must be from 1 to 10000000, got {value}", LANG, value=epochs))
        if batch_size < 1:
            raise NeuronError(message("--batch-size must be 1 or more, got {value}", LANG, value=batch_size))
        view = make_view(digits, color, index_base)
        chosen = chosen_format(format)
        refuse_plot(plot, chosen)
        render.check("training", chosen, view)
        rule = make_optimizer(optimizer.value, lr, momentum, nesterov)
        dataset = read_data(stdin_source("-") if data == "-" else _open_data(data))
        network = training_network(w, b, activation, model, dataset, seed)
        inputs, targets = data_arrays(dataset, network.output_size, network.input_size)
        trainer = Trainer(network, inputs, targets, loss.value, rule, batch_size, shuffle, seed)
        trained, curve = run_training(trainer, epochs, chosen, view, sys.stdout, plot)
        if plot:
            from .plot import loss_curve
            from .render.tables import make_console, unicode_ok

            out = make_console(sys.stdout, color=view.color)
            sys.stdout.write(loss_curve(curve, out.is_terminal and not out.no_color, unicode_ok(out), LANG))
        if save_model is not None:
            from .parsing import save_model_file

            save_model_file(trained, save_model)
        sys.stdout.flush()


def _open_data(path: str) -> Any:
    from .parsing import open_input

    return open_input(path, "--data")


def training_network(
    w: list[str] | None, b: str | None, a: str | None, model: str | None, dataset: Any, seed: int
) -> Network:
    """The network to train: -w/-b/-a, or a model file whose layers may give units (sized from the data)."""
    if model is None:
        return described_network(w, b, a, None)
    given = [name for name, value in (("-w", w), ("-b", b), ("-a", a)) if value is not None]
    if given:
        raise NeuronError(
            message("--model brings its own layers; leave out {given} (or drop --model)", LANG, given=", ".join(given))
        )
    if dataset.inputs is not None:
        return load_model(model, len(dataset.inputs), seed)
    # No header: the inputs are what the outputs leave of a row, and the outputs do not depend on the inputs.
    outputs = load_model(model, 1, seed).output_size
    return load_model(model, max(dataset.width - outputs, 1), seed)


# ---------------------------------------------------------------- inspect


@app.command()
def inspect(
    file: Annotated[str, typer.Argument(metavar="FILE", help="A model file: .keras, .h5, or neuron's JSON or TOML.")],
    format: Annotated[InspectFormat | None, format_option()] = None,
    color: ColorOption = Color.auto,
    lang: LangOption = None,
) -> None:
    """A model file's layers, shapes, activations and parameter counts, as Keras's model.summary() shows them;
    --format json converts it to a neuron model file.

    Keras files are read without Keras (h5py reads the HDF5): InputLayer, Dense, Activation, Dropout and a
    Sequential inside; any other layer is refused with its class name.

    \b
    Examples:
      neuron inspect model.keras
      neuron inspect model.h5 --format json > model.json
      neuron compute --model model.keras -x 1,2,3
    """
    with user_errors():
        from . import render
        from .keras_files import model_summary

        view = make_view(None, color)
        chosen = chosen_format(format)
        render.check("inspect", chosen, view)
        render.write("inspect", model_summary(file), view, chosen, sys.stdout)
        sys.stdout.flush()


# ---------------------------------------------------------------- the program


def chosen_language(arguments: list[str]) -> str:
    """--lang from the command line (read before Typer parses, so that --help is in it too), else the environment."""
    for k, word in enumerate(arguments):
        if word == "--lang" and k + 1 < len(arguments):
            return arguments[k + 1].lower() if arguments[k + 1].lower() in ("en", "ko") else language()
        if word.startswith("--lang="):
            value = word.split("=", 1)[1].lower()
            return value if value in ("en", "ko") else language()
    return language()


def run() -> None:
    """The `neuron` command."""
    global LANG
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    if not encoding.startswith("utf") and hasattr(sys.stdout, "reconfigure"):
        # ASCII, cp949...: a character the terminal cannot show is escaped, never an encoding error.
        sys.stdout.reconfigure(errors="backslashreplace")
    if sys.stderr is not None and hasattr(sys.stderr, "reconfigure"):
        sys.stderr.reconfigure(errors="backslashreplace")
    LANG = start(chosen_language(sys.argv[1:]))
    try:
        command = typer.main.get_command(app)
        if LANG != "en":
            from .help import translate, translate_click

            translate(command, LANG)
            translate_click(LANG)
        code = command.main(args=sys.argv[1:], prog_name="neuron", standalone_mode=False)
    except click_errors.NoArgsIsHelpError as problem:  # `neuron` alone: the help, as no_args_is_help asks
        finish(problem.ctx.get_help() + "\n" if problem.ctx else "", 0)
    except click_errors.ClickException as problem:  # a usage error: an unknown option, a value of the wrong type
        context = getattr(problem, "ctx", None)
        from .messages import translate_sentence

        where = f" ({message('see', LANG)} '{context.command_path} --help')" if context is not None else ""
        report(message("error: {problem}", LANG, problem=translate_sentence(problem.format_message()) + where))
        sys.exit(problem.exit_code if problem.exit_code else 2)
    except typer.Exit as done:  # --help, --version, and the exit codes of the commands
        finish("", done.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        quiet_stdout()
        sys.exit(130)
    except BrokenPipeError:  # the reader went away before a command's own handling (--help, --version)
        quiet_stdout()
        sys.exit(0)
    except OSError as problem:  # a full disk or a closed stdout before a command's own handling (--version)
        quiet_stdout()
        cannot_write(problem)
        sys.exit(2)
    finish("", code if isinstance(code, int) else 0)


def finish(text: str, code: int) -> None:
    """Write the last words, flush, and exit with `code`; a failed write is one error line and exit 2."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_stdout()
    except (OSError, ValueError, AttributeError) as problem:  # ValueError, AttributeError: stdout closed (>&-)
        quiet_stdout()
        reason = f"{message('cannot write the output', LANG)}: {getattr(problem, 'strerror', None) or problem}"
        report(message("error: {problem}", LANG, problem=reason))
        sys.exit(2)
    sys.exit(code)


__all__ = ["app", "run"]
