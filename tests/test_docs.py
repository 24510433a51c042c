"""The README and --help keep up with the code: every command and every activation is documented."""

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from neuron_cli.activations import REGISTRY
from neuron_cli.cli import app

README = (Path(__file__).parent.parent / "README.md").read_text()
COMMANDS = sorted(command.name for command in typer.main.get_group(app).commands.values())


def test_commands_are_the_contracts():
    assert COMMANDS == ["activations", "check", "compute", "diagram", "plot", "truth-table"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme_and_has_help_with_examples(command):
    assert f"`neuron {command}" in README
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.stdout and f"neuron {command}" in result.stdout


@pytest.mark.parametrize("activation", REGISTRY, ids=lambda a: a.name)
def test_every_activation_is_in_the_readme_table(activation):
    assert f"| `{activation.name}` |" in README
    assert f"`{activation.formula.replace('|', chr(92) + '|')}`" in README
    for alias in activation.aliases:
        assert alias in README
