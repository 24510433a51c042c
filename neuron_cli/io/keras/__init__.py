"""Keras model files, read and written without Keras (h5py reads and writes the HDF5; imported only here)."""

from .layers import MAX_PARAMS
from .model import KerasLayer, KerasModel
from .reading import is_keras_file, read_keras
from .writing import h5_file_bytes, keras_file_bytes, sequential_config

__all__ = [
    "MAX_PARAMS",
    "KerasLayer",
    "KerasModel",
    "h5_file_bytes",
    "is_keras_file",
    "keras_file_bytes",
    "read_keras",
    "sequential_config",
]
