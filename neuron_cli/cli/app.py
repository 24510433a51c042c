"""The Typer app: the commands declared by their modules, --version and --lang, and the one place where the
parser's own errors (an unknown option, a value of the wrong type) become a message and exit code 2."""

# No `from __future__ import annotations`: see params.py.

import sys
from typing import Annotated, Any

import typer

try:  # Typer 0.28 carries its own copy of click, and raises that copy's exceptions
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - an older Typer, on the real click
    from click import exceptions as click_errors  # type: ignore[no-redef]

from .. import __version__
from ..errors import INTERRUPTED, SUCCESS, USAGE
from ..i18n import message, translate_sentence
from . import activations, check, compute, diagram, inspect, play, plot, quiz, train, truth_table
from . import params as p
from .edge import cannot_write, finish, quiet_stdout, report

HELP = """What an artificial neuron, a layer and a stack of layers compute, step by step, with Keras's numbers:
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
COMMANDS = (compute, check, truth_table, plot, diagram, activations, train, quiz, inspect, play)  # the order of --help


def version_callback(shown: bool) -> None:
    if shown:
        sys.stdout.write(f"neuron {__version__}\n")
        sys.stdout.flush()
        raise typer.Exit()


Version = Annotated[
    bool | None, typer.Option(*p.o.VERSION.flags, callback=version_callback, is_eager=True, help=p.o.VERSION.help)
]


def make_app() -> typer.Typer:
    """The app with every command declared by its module."""
    app = typer.Typer(
        name="neuron",
        add_completion=True,
        no_args_is_help=True,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    def main(version: Version = None, lang: p.Lang = None) -> None:
        return

    main.__doc__ = HELP
    app.callback()(main)
    for command in COMMANDS:
        command.declare(app)
    return app


def _repeated_option(group: Any, arguments: list[str]) -> str | None:
    """The first option of the command that takes one value but is given twice (--at 1 --at 2), or None."""
    at = next((k for k, word in enumerate(arguments) if word in getattr(group, "commands", {})), None)
    if at is None:
        return None
    single = {
        flag: param.opts[0]
        for param in group.commands[arguments[at]].params
        if getattr(param, "param_type_name", "") == "option"
        and not (param.multiple or getattr(param, "is_flag", False) or getattr(param, "count", False))
        for flag in param.opts
    }
    seen: set[str] = set()
    words = arguments[at + 1 :]
    k = 0
    while k < len(words):
        word = words[k]
        if word == "--":
            break
        flag = word.split("=", 1)[0] if word.startswith("--") else word
        if flag in single:
            if single[flag] in seen:
                return word.split("=", 1)[0]
            seen.add(single[flag])
            k += 1 if "=" in word else 2  # its value follows, unless it is given with =
            continue
        k += 1
    return None


def run(arguments: list[str], lang: str) -> int:
    """The `neuron` command through Typer, in the language `lang` (--help is written in it too); its exit code."""
    command = typer.main.get_command(make_app())
    from .help import translate, translate_click

    translate(command, lang)  # in English too: a command's short help whole, and words measured as a terminal does
    translate_click()
    repeated = _repeated_option(command, arguments)
    if repeated is not None:  # click would keep the last value silently: an option that would be ignored
        report(
            message(
                "error: {problem}",
                lang,
                problem=message("{option} is given twice; give it once", lang, option=repeated),
            )
        )
        return USAGE
    try:
        code = command.main(args=arguments, prog_name="neuron", standalone_mode=False)
    except click_errors.NoArgsIsHelpError as problem:  # `neuron` alone: the help, as no_args_is_help asks
        return finish(problem.ctx.get_help() + "\n" if problem.ctx else "", SUCCESS)
    except click_errors.ClickException as problem:  # a usage error: an unknown option, a value of the wrong type
        context = getattr(problem, "ctx", None)
        where = f" ({message('see', lang)} '{context.command_path} --help')" if context is not None else ""
        report(message("error: {problem}", lang, problem=translate_sentence(problem.format_message()) + where))
        return problem.exit_code if problem.exit_code else USAGE
    except typer.Exit as done:  # --help, --version, and the exit codes of the commands
        return finish("", done.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        quiet_stdout()
        return INTERRUPTED
    except BrokenPipeError:  # the reader went away before a command's own handling (--help, --version)
        quiet_stdout()
        return SUCCESS
    except SystemExit as ended:  # click's own answer to a closed pipe (--help | true): exit 1, which it is not
        if type(sys.stdout).__name__ == "PacifyFlushWrapper":
            quiet_stdout()
            return SUCCESS
        raise SystemExit(ended.code) from None
    except OSError as problem:  # a full disk or a closed stdout before a command's own handling (--version)
        quiet_stdout()
        cannot_write(problem)
        return USAGE
    return finish("", code if isinstance(code, int) else SUCCESS)
