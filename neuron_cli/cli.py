"""The Typer app: declares options, wires parsing, core, stream and render; owns stdin, stdout, stderr, exit codes."""

# No `from __future__ import annotations` here: Typer reads every command's annotations at each start, and
# evaluated ones spare it some 200 string evaluations (benchmarks/startup.py watches start-up).

import contextlib
import math
import os
import sys
from collections.abc import Iterator
from enum import Enum
from typing import IO, TYPE_CHECKING, Annotated

import numpy as np
import typer

from . import __version__
from .core import Layer, Network, NetworkPass
from .errors import NeuronError
from .parsing import load_model, parse_activation, parse_bias, parse_inputs, parse_vector, parse_weights

if TYPE_CHECKING:
    from rich.console import Console

    from .render import View

app = typer.Typer(
    name="neuron",
    help="What an artificial neuron, a layer and a stack of layers compute, step by step, with Keras's numbers.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    plain = "plain"


class Loss(str, Enum):
    half_sse = "half_sse"
    mse = "mse"
    binary_crossentropy = "binary_crossentropy"


class Drawing(str, Enum):
    mermaid = "mermaid"
    dot = "dot"


class Gate(str, Enum):
    AND = "and"
    OR = "or"
    NAND = "nand"
    NOR = "nor"
    XOR = "xor"
    XNOR = "xnor"


# ---------------------------------------------------------------- options shared by the commands

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
    ),
]
ModelOption = Annotated[
    str | None, typer.Option("--model", metavar="PATH", help="A stack of layers from a JSON or TOML model file.")
]
FormatOption = Annotated[
    Format | None, typer.Option("--format", "-f", help="Output format. Default: table on a terminal, plain when piped.")
]
DigitsOption = Annotated[
    int | None,
    typer.Option("--digits", metavar="N", help="Significant digits to print (1-17). Default: all (tables: 10)."),
]
GradOption = Annotated[bool, typer.Option("--grad", help="Also show the derivatives of each neuron's output.")]


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Turn the user's mistakes, a closed pipe and Ctrl-C into a message and an exit code; never a traceback."""
    try:
        yield
    except NeuronError as problem:
        with contextlib.suppress(BrokenPipeError):
            sys.stdout.flush()
        print(f"error: {problem}", file=sys.stderr)
        raise typer.Exit(2) from None
    except BrokenPipeError:
        # The reader has gone (`| head -1`): stop quietly, and keep Python from complaining when it flushes.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None


def check_digits(digits: int | None) -> None:
    if digits is not None and not 1 <= digits <= 17:
        raise NeuronError(f"--digits must be from 1 to 17, got {digits}")


def build_network(w: list[str] | None, b: str | None, a: str | None, model: str | None) -> Network:
    """The network the options describe: a --model file, or one layer from -w, -b and -a."""
    if model is not None:
        given = [name for name, value in (("-w", w), ("-b", b), ("-a", a)) if value is not None]
        if given:
            raise NeuronError(f"--model brings its own layers; leave out {', '.join(given)} (or drop --model)")
        return load_model(model)
    if not w:
        raise NeuronError(
            'give the weights with -w (one neuron: -w 0.5,-0.2,0.1; a layer: -w "0.1,0.2;0.3,0.4") or a --model file'
        )
    weights = parse_weights(w)
    bias = parse_bias(b) if b is not None else 0.0
    activation = parse_activation(a) if a is not None else "linear"
    return Network((Layer.create(weights, bias, activation),))


def input_rows(x: str, network: Network) -> np.ndarray:
    rows = parse_inputs(x)
    network.check_inputs(rows.shape[1], "-x" if rows.shape[0] == 1 else f"-x ({x[1:]}), each row")
    return rows


def stdin_source(x: str | None) -> IO[bytes]:
    """Standard input as the stream of rows: asked for with `-x -`, or taken when it is not a terminal."""
    if sys.stdin is None or (x is None and sys.stdin.isatty()):
        raise NeuronError("give the inputs with -x (e.g. -x 1,2,3), or pipe rows of inputs into standard input")
    return sys.stdin.buffer


def output_format(chosen: Format | None) -> Format:
    if chosen is not None:
        return chosen
    return Format.table if sys.stdout.isatty() else Format.plain


def console(file: IO[str] | None = None) -> "Console":
    from .render.tables import make_console

    return make_console(file or sys.stdout)


def colored(shown: "Console") -> bool:
    return shown.is_terminal and not shown.no_color


def unicode_ok(shown: "Console") -> bool:
    from .render.tables import unicode_ok as can_show

    return can_show(shown)


def version_callback(value: bool) -> None:
    if value:
        print(f"neuron {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool | None, typer.Option("--version", callback=version_callback, is_eager=True, help="Print the version.")
    ] = None,
) -> None:
    """Show what an artificial neuron computes: inputs times weights, plus the bias, through an activation.

    Examples:

      neuron compute -x 1,2,3 -w 0.5,-0.2,0.1 -b 0.1 -a sigmoid

      neuron compute -x 1,2,3 -w "0.1,0.2,0.3;0.4,0.5,0.6" -a relu --format json

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
    format: FormatOption = None,
    digits: DigitsOption = None,
    grad: GradOption = False,
    explain: Annotated[bool, typer.Option("--explain", help="Write the arithmetic out step by step.")] = False,
    target: Annotated[
        str | None, typer.Option("--target", metavar="T", help="Targets, one per output: take one training step.")
    ] = None,
    lr: Annotated[float, typer.Option("--lr", metavar="R", help="Learning rate of the training step.")] = 0.1,
    loss: Annotated[Loss, typer.Option("--loss", help="Loss of the training step.")] = Loss.half_sse,
    plot: Annotated[bool, typer.Option("--plot", help="Mark each neuron's z on its activation's curve.")] = False,
    save_svg: Annotated[
        str | None, typer.Option("--save-svg", metavar="FILE", help="Also save the tables (and explanation) as SVG.")
    ] = None,
    save_html: Annotated[
        str | None, typer.Option("--save-html", metavar="FILE", help="Also save the tables (and explanation) as HTML.")
    ] = None,
    save_model: Annotated[
        str | None,
        typer.Option("--save-model", metavar="PATH", help="After --target: write the updated model (JSON or TOML)."),
    ] = None,
) -> None:
    """Compute a neuron, a layer or a stack of layers on one input row or a stream of rows.

    Examples:

      neuron compute -x 1,2,3 -w 0.5,-0.2,0.1 -b 0.1 -a sigmoid

      neuron compute -x 1,2,3 -w "0.1,0.2,0.3;0.4,0.5,0.6" -a relu

      neuron compute -x 1,2 -w -0.5,0.3 -b -1 -a step --format json

      neuron compute -x 1,2,3 -w 0.5,-0.2,0.1 -b 0.1 -a sigmoid --explain --target 1 --lr 0.5

      seq 1 6 | paste -d, - - | neuron compute -w 1,1 -a tanh
    """
    with user_errors():
        check_digits(digits)
        network = build_network(w, b, activation, model)
        chosen = output_format(format)
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
        these = f"{', '.join(row_only)} work{'s' if len(row_only) == 1 else ''}"
        if not math.isfinite(lr):
            raise NeuronError(f"--lr must be a finite number, got {lr}")
        if save_model is not None and target is None:
            raise NeuronError("--save-model writes the model after a training step: give --target too")
        if x is None or x == "-":
            if row_only:
                raise NeuronError(f"{these} on one row given with -x, not on a stream")
            from .stream import run_stream

            run_stream(stdin_source(x), network, chosen.value, digits, grad, sys.stdout)
            return
        rows = input_rows(x, network)
        if len(rows) > 1 and row_only:
            raise NeuronError(f"{these} on one input row; -x ({x[1:]}) has {len(rows)}")
        targets = parse_vector(target, "--target") if target is not None else None
        from .render import View

        for number, row in enumerate(rows, start=1):
            result = network.forward(row)
            step = result.train_step(targets, loss.value, lr) if targets is not None else None
            view = View(digits=digits, grad=grad, step=step)
            title = f"row {number}" if len(rows) > 1 else None
            show_result(result, view, chosen, explain, title, first=number == 1)
            if plot:
                show_plots(result)
            if save_svg or save_html:
                save_record(result, view, explain, save_svg, save_html)
            if save_model is not None and step is not None:
                from .parsing import save_model_file

                save_model_file(step.network(network), save_model)
        sys.stdout.flush()


def show_result(
    result: NetworkPass, view: "View", chosen: Format, explain: bool, title: str | None, first: bool
) -> None:
    from . import render

    out = sys.stdout
    if chosen is Format.json:
        extra = {"explanation": explanation_text(result, view)} if explain else None
        out.write(render.json_lines(result, view, extra))
    elif explain:
        if title:
            out.write(f"# {title}\n")
        out.write(explanation_text(result, view))
    elif chosen is Format.plain:
        out.write(render.plain_lines(result.outputs.reshape(1, -1), view.digits))
    elif chosen is Format.csv:
        if first:
            out.write(render.csv_header(result.inputs.size, result.outputs.size))
        out.write(render.csv_lines(result.inputs.reshape(1, -1), result.outputs.reshape(1, -1), view.digits))
    else:
        from .render.tables import render_table

        shown = console()
        if title:
            shown.rule(title)
        render_table(result, view, shown)


def explanation_text(result: NetworkPass, view: "View") -> str:
    from .explain import explanation

    return explanation(result, view.digits, view.step)


def show_plots(result: NetworkPass) -> None:
    from .plot import Mark, draw, range_around

    out = console()
    for number, layer_pass in enumerate(result.passes, start=1):
        spec = layer_pass.layer.activation
        z = layer_pass.z if not spec.layerwise else layer_pass.z[:1]
        marks = [Mark(float(v), f"n{j + 1}: z = {v:.4g}") for j, v in enumerate(z)]
        start, stop = range_around(spec, marks)
        if len(result.passes) > 1:
            sys.stdout.write(f"layer {number}:\n")
        sys.stdout.write(draw(spec, start, stop, marks, color=colored(out), fancy=unicode_ok(out)))


def save_record(result: NetworkPass, view: "View", explain: bool, svg: str | None, html: str | None) -> None:
    """The table view (and the explanation) recorded by Rich and saved as SVG or HTML."""
    import io

    from rich.text import Text

    from .render.tables import make_console, render_table

    recorder = make_console(io.StringIO(), width=110, record=True)
    render_table(result, view, recorder)
    if explain:
        recorder.print(Text(explanation_text(result, view)))
    try:
        if svg:
            recorder.save_svg(svg, title="neuron", clear=False)
        if html:
            recorder.save_html(html, clear=False)
    except OSError as problem:
        raise NeuronError(f"cannot write {svg or html}: {problem.strerror or problem}") from None


# ---------------------------------------------------------------- check


@app.command()
def check(
    x: XOption = None,
    w: WOption = None,
    b: BOption = None,
    activation: AOption = None,
    model: ModelOption = None,
    expect: Annotated[
        str | None,
        typer.Option("--expect", "-e", metavar="VALUES", help="The outputs you expect, one per output."),
    ] = None,
    tol: Annotated[
        float | None, typer.Option("--tol", metavar="T", help="Absolute tolerance. Default: from the decimals written.")
    ] = None,
    format: FormatOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing; only the exit code says.")] = False,
) -> None:
    """Check your answer: exit 0 when every output matches --expect, 1 when one does not.

    By default an output matches within half a unit of the last decimal written: --expect 0.6225 accepts
    0.62245 to 0.62255. --tol sets an absolute tolerance instead.

    Examples:

      neuron check -x 1,2,3 -w 0.5,-0.2,0.1 -b 0.1 -a sigmoid --expect 0.6225

      neuron check -x 1,2,3 -w "0.1,0.2,0.3;0.4,0.5,0.6" -a relu --expect 1.4,3.2 -q && echo right
    """
    with user_errors():
        from .parsing import parse_expected

        if expect is None:
            raise NeuronError("give the outputs you expect with --expect, e.g. --expect 0.6225")
        if tol is not None and not (tol >= 0 and np.isfinite(tol)):
            raise NeuronError(f"--tol must be 0 or more, got {tol}")
        network = build_network(w, b, activation, model)
        if x is None or x == "-":
            raise NeuronError("check takes one input row with -x (e.g. -x 1,2,3)")
        rows = input_rows(x, network)
        if rows.shape[0] != 1:
            raise NeuronError(f"check takes one input row; -x ({x[1:]}) has {rows.shape[0]}")
        expected, tolerances = parse_expected(expect)
        outputs = network(rows[0])
        if expected.size != outputs.size:
            raise NeuronError(
                f"--expect has {expected.size} value{'s' if expected.size != 1 else ''} but there "
                f"{'are' if outputs.size != 1 else 'is'} {outputs.size} output{'s' if outputs.size != 1 else ''}"
            )
        if tol is not None:
            tolerances = np.full(expected.size, tol)
        from .core import Verdict
        from .render import verdicts

        verdict = Verdict(expected, outputs, tolerances, tol is None)
        if not quiet:
            chosen = output_format(format)
            if chosen is Format.json:
                sys.stdout.write(verdicts.verdict_json(verdict))
            elif chosen is Format.table:
                verdicts.verdict_table(verdict, console())
            else:
                sys.stdout.write(verdicts.verdict_text(verdict))
            sys.stdout.flush()
    if not verdict.passed:
        raise typer.Exit(1)


# ---------------------------------------------------------------- truth-table


@app.command("truth-table")
def truth_table(
    w: WOption = None,
    b: BOption = None,
    activation: AOption = None,
    model: ModelOption = None,
    gate: Annotated[
        Gate | None, typer.Option("--gate", "-g", help="Check against a gate: exit 1 where a row differs.")
    ] = None,
    format: FormatOption = None,
    digits: DigitsOption = None,
) -> None:
    """The neuron on every 0/1 combination of its inputs; --gate checks it against a logic gate.

    For n inputs: and = all 1, or = any 1, nand = not all 1, nor = none 1, xor = an odd number of 1s,
    xnor = an even number. A step fires at 1; any other activation counts as 1 where its output is 0.5 or more.

    Examples:

      neuron truth-table -w 1,1 -b -1.5 -a step --gate and

      neuron truth-table -w 1,1,1 -b -0.5 -a step --gate or

      neuron truth-table -w 20,20 -b -10 -a sigmoid --gate or
    """
    with user_errors():
        from .core import truth_table as tabulate
        from .render import verdicts

        check_digits(digits)
        table = tabulate(build_network(w, b, activation, model), gate.value if gate else None)
        chosen = output_format(format)
        if chosen is Format.json:
            sys.stdout.write(verdicts.truth_json(table, digits))
        elif chosen is Format.csv:
            sys.stdout.write(verdicts.truth_csv(table, digits))
        elif chosen is Format.plain:
            sys.stdout.write(verdicts.truth_text(table, digits))
        else:
            verdicts.truth_rich(table, digits, console())
        sys.stdout.flush()
    if not table.passed:
        raise typer.Exit(1)


# ---------------------------------------------------------------- plot


@app.command()
def plot(
    name: Annotated[str, typer.Argument(help="The activation: NAME or NAME:key=value,...", metavar="NAME")],
    range_: Annotated[
        str | None, typer.Option("--range", "-r", metavar="A:B", help="The z axis, e.g. -6:6. Default: per activation.")
    ] = None,
    at: Annotated[
        list[str] | None, typer.Option("--at", metavar="Z", help="Mark z and print f(z) and f'(z); repeatable.")
    ] = None,
    width: Annotated[int, typer.Option("--width", help="Plot width in characters.")] = 72,
    height: Annotated[int, typer.Option("--height", help="Plot height in lines.")] = 20,
) -> None:
    """The activation and its derivative plotted in the terminal; --at Z marks a point.

    A layer-wide activation (softmax...) is shown as neuron 1's output as its z moves, with neuron 2's z at 0.

    Examples:

      neuron plot sigmoid --at 0.5

      neuron plot leaky_relu:negative_slope=0.1 --range -3:3

      neuron plot gelu --at -1 --at 1
    """
    with user_errors():
        from .plot import Mark, curve, draw, parse_range
        from .syntax import parse_number

        spec = parse_activation(name, "NAME")
        if not (10 <= width <= 1000 and 5 <= height <= 500):
            raise NeuronError("--width takes 10 to 1000 and --height 5 to 500")
        start, stop = parse_range(range_, spec)
        points = [parse_number(text, f"--at ({text})") for text in at or []]
        marks = [Mark(z, f"z = {z:g}") for z in points]
        out = console()
        sys.stdout.write(draw(spec, start, stop, marks, width, height, colored(out), unicode_ok(out)))
        from .render import format_number

        for z in points:
            value, slope = curve(spec, np.array([z]))
            sys.stdout.write(
                f"at z = {format_number(z)}: f(z) = {format_number(value[0])}, f'(z) = {format_number(slope[0])}\n"
            )
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
) -> None:
    """Draw the neuron, layer or network as Mermaid or Graphviz DOT: inputs, neurons, weighted connections.

    With -x the inputs' values and each neuron's output are written on the nodes.

    Examples:

      neuron diagram -w "0.1,0.2,0.3;0.4,0.5,0.6" -a relu

      neuron diagram --model net.json --format dot | dot -Tpng -o net.png

      neuron diagram -x 1,2,3 -w 0.5,-0.2,0.1 -b 0.1 -a sigmoid
    """
    with user_errors():
        from .diagram import dot, graph, mermaid

        check_digits(digits)
        network = build_network(w, b, activation, model)
        result = network.forward(input_rows(x, network)[0]) if x is not None else None
        nodes, edges = graph(network, result, digits)
        sys.stdout.write(mermaid(nodes, edges) if format is Drawing.mermaid else dot(nodes, edges))
        sys.stdout.flush()


# ---------------------------------------------------------------- activations


@app.command()
def activations(
    name: Annotated[str | None, typer.Argument(help="One activation to show in full.")] = None,
    format: Annotated[
        Format | None, typer.Option("--format", "-f", help="table (default on a terminal), json or plain.")
    ] = None,
) -> None:
    """List every activation with its formula; with NAME, its derivative, parameters, range and sample values.

    Examples:

      neuron activations

      neuron activations leaky-relu

      neuron activations gelu --format json
    """
    with user_errors():
        from .activations import lookup
        from .render.catalogue import write_activation, write_activation_list

        chosen = output_format(format).value
        if name is None:
            write_activation_list(chosen, sys.stdout)
        else:
            write_activation(lookup(name), chosen, sys.stdout)


def run() -> None:
    """The `neuron` command."""
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    if not encoding.startswith("utf") and hasattr(sys.stdout, "reconfigure"):
        # ASCII, cp949...: a character the terminal cannot show is escaped, never an encoding error.
        sys.stdout.reconfigure(errors="backslashreplace")
    try:
        code = app(prog_name="neuron", standalone_mode=False)
    except typer.TyperException as problem:  # a usage error: an unknown option, a value of the wrong type
        context = getattr(problem, "ctx", None)
        if type(problem).__name__ == "NoArgsIsHelpError" and context is not None:
            print(context.get_help())  # `neuron` alone: the help, as asked for by no_args_is_help
            sys.exit(0)
        where = f" (see '{context.command_path} --help')" if context is not None else ""
        print(f"error: {problem.format_message()}{where}", file=sys.stderr)
        sys.exit(getattr(problem, "exit_code", 2))
    except typer.Abort:
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


__all__ = ["app", "run"]
