"""neuron: what an artificial neuron, a layer of them and a stack of layers compute, with Keras's numbers."""

from .activations import ActivationSpec
from .activations import get as get_activation
from .core import Layer, Network
from .errors import NeuronError

__version__ = "0.1.0"

__all__ = ["ActivationSpec", "Layer", "Network", "NeuronError", "__version__", "get_activation"]
