"""The Typer app: declares options, wires parsing, core, stream and render; owns stdin, stdout, stderr, exit codes."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from enum import Enum
from typing import IO, Annotated

import numpy as np
import typer

from . import __version__
from .core import LOSSES, Layer, Network
from .errors import NeuronError
from .parsing import load_model, parse_activation, parse_bias, parse_inputs, parse_weights

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


# ---------------------------------------------------------------- options shared by the commands that compute

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
    str | None,
    typer.Option("--model", metavar="PATH", help="A stack of layers from a JSON or TOML model file."),
]
FormatOption = Annotated[
    Format | None,
    typer.Option("--format", "-f", help="Output format. Default: table on a terminal, plain when piped."),
]
DigitsOption = Annotated[
    int | None,
    typer.Option(
        "--digits", metavar="N", help="Significant digits to print (1-17). Default: full precision (tables: 10)."
    ),
]
GradOption = Annotated[bool, typer.Option("--grad", help="Also show the derivatives of each neuron's output.")]


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Turn the user's mistakes, a closed pipe and Ctrl-C into a message and an exit code; never a traceback."""
    try:
        yield
    except NeuronError as problem:
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
        given = [name for name, value in (("-w", w), ("-b", b), ("-a", a)) if value]
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


def stdin_lines(x: str | None) -> IO[bytes]:
    """Standard input as the stream of rows: asked for with `-x -`, or taken when it is not a terminal."""
    if sys.stdin is None or (x is None and sys.stdin.isatty()):
        raise NeuronError("give the inputs with -x (e.g. -x 1,2,3), or pipe rows of inputs into standard input")
    return sys.stdin.buffer


def output_format(chosen: Format | None) -> Format:
    if chosen is not None:
        return chosen
    return Format.table if sys.stdout.isatty() else Format.plain


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

      neuron activations gelu
    """


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
) -> None:
    """Compute a neuron, a layer or a stack of layers on one input row or a stream of rows.

    Examples:

      neuron compute -x 1,2,3 -w 0.5,-0.2,0.1 -b 0.1 -a sigmoid

      neuron compute -x 1,2,3 -w "0.1,0.2,0.3;0.4,0.5,0.6" -a relu

      neuron compute -x 1,2 -w -0.5,0.3 -b -1 -a step --format json

      seq 1 5 | paste -d, - - | neuron compute -w 1,1 -a tanh
    """
    with user_errors():
        check_digits(digits)
        network = build_network(w, b, activation, model)
        chosen = output_format(format)
        if x is None or x == "-":
            from .stream import run_stream

            run_stream(stdin_lines(x), network, chosen.value, digits, grad, sys.stdout)
            return
        rows = parse_inputs(x)
        network.check_inputs(rows.shape[1], "-x" if rows.shape[0] == 1 else f"-x ({x[1:]}), each row")
        show_rows(rows, network, chosen, digits, grad)


def show_rows(rows: np.ndarray, network: Network, chosen: Format, digits: int | None, grad: bool) -> None:
    from . import render

    view = render.View(digits=digits, grad=grad)
    out = sys.stdout
    if chosen is Format.plain:
        out.write(render.plain_lines(network(rows), digits))
    elif chosen is Format.csv:
        out.write(render.csv_header(rows.shape[1], network.output_size))
        out.write(render.csv_lines(rows, network(rows), digits))
    elif chosen is Format.json:
        for row in rows:
            out.write(render.json_line(network.forward(row), view))
    else:
        console = render.make_console(out)
        for number, row in enumerate(rows, start=1):
            if rows.shape[0] > 1:
                console.rule(f"row {number}")
            render.render_table(network.forward(row), view, console)
    out.flush()


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
        from .render import write_activation, write_activation_list

        chosen = output_format(format).value
        if name is None:
            write_activation_list(chosen, sys.stdout)
        else:
            write_activation(lookup(name), chosen, sys.stdout)


def run() -> None:
    """The `neuron` command."""
    app(prog_name="neuron")


__all__ = ["LOSSES", "app", "run"]
