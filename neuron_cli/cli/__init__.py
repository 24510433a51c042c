"""The command line: the Typer app, one module per command, the fast path, and where the program meets its
streams (edge.py). The only layer that reads stdin, writes stdout and stderr, and gives exit codes."""
