"""`python -m neuron_cli` is the `neuron` command."""

from .cli.entry import main

main()
