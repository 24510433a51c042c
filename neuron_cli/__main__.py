"""`python -m neuron_cli` is the `neuron` command."""

from .cli import run

run()
