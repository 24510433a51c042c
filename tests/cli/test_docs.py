"""The README and --help keep up with the code: every command and every activation is documented."""

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from neuron_cli.cli.app import make_app
from neuron_cli.nn.activations import REGISTRY

app = make_app()

README = (Path(__file__).parent.parent.parent / "README.md").read_text()
COMMANDS_IN_ORDER = [command.name for command in typer.main.get_group(app).commands.values()]
COMMANDS = sorted(command.name for command in typer.main.get_group(app).commands.values())


def test_commands_are_the_contracts():
    names = "activations check compute diagram inspect play plot quiz train truth-table"
    assert names.split() == COMMANDS


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme_and_has_help_with_examples(command):
    assert f"`neuron {command}" in README
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.stdout and f"neuron {command}" in result.stdout


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_commands_line_in_the_list_is_a_sentence(neuron, lang):
    heading = "Commands:" if lang == "en" else "명령:"
    listed = neuron("--lang", lang, "--help", env={"COLUMNS": "200"}).out.split(heading)[1]
    entries: list[list[str]] = []
    for line in listed.splitlines():
        if line.startswith("  ") and not line.startswith("   "):  # a command's name, then its line
            entries.append(line.split(None, 1))
        elif line.strip():  # the line goes on, wrapped
            entries[-1][1] += " " + line.strip()
    assert [name for name, _ in entries] == COMMANDS_IN_ORDER
    assert all(text.endswith(".") for _, text in entries), entries


@pytest.mark.parametrize("activation", REGISTRY, ids=lambda a: a.name)
def test_every_activation_is_in_the_readme_table(activation):
    assert f"| `{activation.name}` |" in README
    assert f"`{activation.formula.replace('|', chr(92) + '|')}`" in README
    for alias in activation.aliases:
        assert alias in README


def readme_files():
    """The files the README shows under a name (```csv class.csv), which its examples then read."""
    import re

    files = dict(re.findall(r"```\w+ ([\w.]+)\n(.*?)```", README, re.S))
    keras = Path(__file__).parent.parent / "fixtures" / "keras"
    files.update({path.name: path.read_bytes() for path in keras.iterdir() if path.suffix in (".keras", ".h5")})
    return files


def console_examples():
    """Each `$ neuron ...` line of the README's console blocks with the output shown under it."""
    import re

    files = readme_files()

    examples = []
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        command, shown = None, []
        for line in [*block.splitlines(), "$ end"]:
            if line.startswith("$ "):
                if command is not None:
                    examples.append((command, "\n".join(shown) + "\n"))
                command, shown = line[2:], []
            else:
                shown.append(line)

    # Commands that need files, other programs or a pipe are shown for the reader, not run here.
    def runnable(command):
        named = re.findall(r"[\w.]+\.(?:csv|json|toml|keras|h5)\b", command)
        return not re.search(r"[|<>@$]|;\s", command) and all(name in files for name in named)

    return [(c, s) for c, s in examples if c.startswith("neuron ") and runnable(c)]


@pytest.mark.parametrize(("command", "shown"), console_examples(), ids=lambda value: str(value)[:60])
def test_the_readme_examples_print_what_they_show(neuron, command, shown, tmp_path, monkeypatch):
    import shlex

    for name, content in readme_files().items():
        (tmp_path / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    monkeypatch.chdir(tmp_path)
    run = neuron(*shlex.split(command)[1:])
    assert run.out + run.err == shown
