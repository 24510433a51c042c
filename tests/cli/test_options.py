"""Every option is declared once (cli/options.py): the Typer app's options and the fast path's both follow the
declaration, so that the two readers of a command line can never disagree on what an option is."""

import pytest
import typer

from neuron_cli.cli import options
from neuron_cli.cli.app import make_app
from neuron_cli.cli.fast import options as fast_options

COMMAND = typer.main.get_command(make_app())
SPECS = [value for value in vars(options).values() if isinstance(value, options.Spec)]
KINDS = {str: "str", int: "int", float: "float", list: "str", bool: "boolean"}


def declared(param) -> options.Spec:
    """The declaration a Typer parameter was built from: its name and help."""
    found = [spec for spec in SPECS if spec.name == param.name and spec.help == param.help]
    if not found and param.name == "format" and param.help == options.FORMATS_HELP:
        found = [options.format_spec(list(param.type.choices))]  # the formats its results have writers for
    assert len(found) >= 1, (param.name, param.help)
    return found[0]


@pytest.mark.parametrize("name", sorted(COMMAND.commands))
def test_every_typer_option_is_its_declaration(name):
    for param in COMMAND.commands[name].params:
        if param.name == "help":
            continue
        spec = declared(param)
        if spec.argument:
            assert param.param_type_name == "argument"
            continue
        assert tuple(param.opts) == spec.flags, param.name
        assert tuple(param.secondary_opts) == ((spec.off,) if spec.off else ())
        assert param.multiple == (spec.kind is list)
        assert param.is_flag == (spec.kind is bool)
        if spec.choices and spec.name != "format":
            assert tuple(param.type.choices) == spec.choices
        elif not spec.choices:
            assert param.type.name in (KINDS[spec.kind], "int range"), (param.name, param.type.name)
        if spec.metavar and spec.kind is not bool:
            assert param.metavar == spec.metavar


@pytest.mark.parametrize("command", sorted(options.FAST))
def test_the_fast_path_reads_a_subset_of_the_commands_options(command):
    typed = {param.name: param for param in COMMAND.commands[command].params}
    for spec in options.FAST[command]:
        param = typed[spec.name]
        assert set(spec.flags) <= set(param.opts), spec.name
        assert param.multiple == (spec.kind is list) and param.is_flag == (spec.kind is bool)
        if spec.name == "format":
            assert set(spec.choices) < set(param.type.choices)  # machine formats; a table is Rich's


def test_lang_is_found_by_its_declaration_before_either_reader():
    assert options.language_given(["compute", "--lang", "KO"]) == "ko"
    assert options.language_given(["--lang=en", "compute"]) == "en"
    assert options.language_given(["compute", "--lang", "fr"]) is None  # the parser says what is wrong
    assert options.language_given(["compute", "-x", "1"]) is None


def test_the_fast_path_takes_only_plain_command_lines():
    assert fast_options(["compute", "-x", "1", "-w", "1", "--format", "json"]) is not None
    for unusual in (
        ["compute", "-x", "1", "-w", "1", "--grad", "-f", "json"],
        ["compute", "--help"],
        ["compute", "-x", "1", "-w", "1", "-x", "2", "-f", "plain"],
        ["compute", "-x1", "-w", "1", "-f", "plain"],
        ["compute", "-x", "1", "-w", "1", "-f", "table"],
        ["check", "-x", "1", "-w", "1", "-f", "plain"],
        ["compute", "-x", "1", "-f", "plain"],
        ["compute", "-x", "1", "-w", "1", "--digits", "two", "-f", "plain"],
    ):
        assert fast_options(unusual) is None, unusual


@pytest.mark.parametrize(
    "args",
    [
        ["activations", "sigmoid", "--at", "1", "--at", "2", "-f", "plain"],
        ["truth-table", "-w", "1,1", "-a", "step", "--gate", "and", "--gate", "or"],
        ["compute", "-x", "1,2", "-w", "1,1", "--x=3,4"],
        ["compute", "-x", "1", "-w", "1", "-f", "plain", "--format", "json"],
    ],
)
def test_an_option_of_one_value_given_twice_is_refused_not_overridden(neuron, args):
    run = neuron(*args)
    assert run.code == 2 and "is given twice; give it once" in run.err and run.out == ""


def test_a_repeatable_option_still_repeats(neuron):
    assert neuron("plot", "sigmoid", "--at", "1", "--at", "2", "--width", "20", "--height", "5").code == 0
    assert neuron("compute", "-x", "1,2", "-w", "1,1", "-w", "2,2", "-f", "plain").out == "3.0,6.0\n"
