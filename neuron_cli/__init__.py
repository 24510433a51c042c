"""neuron: what an artificial neuron, a layer of them and a stack of layers compute, with Keras's numbers.

The library the `neuron` command is built on:

    from neuron_cli import Layer, Network
    network = Network([Layer.create([[0.15, 0.2], [0.25, 0.3]], 0.35, "sigmoid"),
                       Layer.create([[0.4, 0.45], [0.5, 0.55]], 0.6, "sigmoid")])
    network.forward([0.05, 0.1]).outputs
"""

from .activations import ActivationSpec
from .activations import get as get_activation
from .core import Layer, LayerPass, Network, NetworkPass, TrainingStep
from .errors import NeuronError
from .parsing import load_model, model_document
from .parsing import save_model_file as save_model

__version__ = "0.1.0"

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
    "load_model",
    "model_document",
    "save_model",
]
