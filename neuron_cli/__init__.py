"""neuron: what an artificial neuron, a layer of them and a stack of layers compute, with Keras's numbers.

The library the `neuron` command is built on:

    from neuron_cli import Layer, Network
    network = Network([Layer.create([[0.15, 0.2], [0.25, 0.3]], 0.35, "sigmoid"),
                       Layer.create([[0.4, 0.45], [0.5, 0.55]], 0.6, "sigmoid")])
    network.forward([0.05, 0.1]).outputs
"""

__version__ = "0.1.0"


def _command_starts() -> None:
    """The `neuron` command (not a program that imports the library) takes Ctrl-C from its first own line."""
    import os
    import sys

    if os.path.basename(sys.argv[0]) == "neuron" or sys.argv[0] == "-m":
        from .io import interrupt

        interrupt.install()


_command_starts()

# The library's names are imported when first used (PEP 562), so that the command's entry imports nothing
# heavy before it can handle Ctrl-C and closed streams.
_NAMES = {
    "ActivationSpec": ("nn.activations", "ActivationSpec"),
    "get_activation": ("nn.activations", "get"),
    "Layer": ("nn.layers", "Layer"),
    "LayerPass": ("nn.layers", "LayerPass"),
    "Network": ("nn.layers", "Network"),
    "NetworkPass": ("nn.layers", "NetworkPass"),
    "TrainingStep": ("nn.learning", "TrainingStep"),
    "learning_step": ("nn.learning", "learning_step"),
    "NeuronError": ("errors", "NeuronError"),
    "load_model": ("io.models", "load_model"),
    "model_document": ("io.models", "model_document"),
    "save_model": ("io.models", "save_model_file"),
}


def __getattr__(name: str) -> object:
    if name not in _NAMES:
        raise AttributeError(f"module 'neuron_cli' has no attribute {name!r}")
    import importlib

    module, attribute = _NAMES[name]
    return getattr(importlib.import_module(f"neuron_cli.{module}"), attribute)


__all__ = [
    "ActivationSpec",
    "Layer",
    "LayerPass",
    "Network",
    "NetworkPass",
    "NeuronError",
    "TrainingStep",
    "__version__",
    "get_activation",
    "learning_step",
    "load_model",
    "model_document",
    "save_model",
]
