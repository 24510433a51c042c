"""`python -m neuron_cli` is the `neuron` command."""

from .entry import main

main()
