"""Writes keras_reference.json: every activation of Keras 3 evaluated in float64, with its gradient by autograd.

Run once, by hand, where Keras 3 and PyTorch are installed (neither is a dependency of neuron):

    KERAS_BACKEND=torch python tests/reference/make_keras_reference.py

Keras computes the values (its torch backend, float64 tensors); torch.autograd differentiates Keras's own
function for the slopes. sparsemax is the exception: Keras 3.15's code departs from the published definition,
so its reference is computed here from that definition, by bisection on the threshold tau.
"""

import json
from pathlib import Path

import keras
import torch

Z = [
    -1000.0,
    -750.0,
    -100.0,
    -30.0,
    -10.0,
    -6.0,
    -5.0,
    -3.5,
    -2.0,
    -1.5,
    -0.75,
    -0.5,
    -0.25,
    -1e-3,
    -1e-8,
    0.0,
    1e-8,
    1e-3,
    0.25,
    0.4,
    0.75,
    1.5,
    2.0,
    2.5,
    3.5,
    5.0,
    6.0,
    10.0,
    30.0,
    100.0,
    750.0,
    1000.0,
]
# Points where a piecewise activation has a kink: values are checked there, slopes are not.
KINKS = [-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 6.0, 0.3, -0.3, 0.7]

ELEMENTWISE = [
    ("celu", {}),
    ("celu", {"alpha": 0.5}),
    ("elu", {}),
    ("elu", {"alpha": 2.0}),
    ("exponential", {}),
    ("gelu", {}),
    ("gelu", {"approximate": True}),
    ("hard_shrink", {}),
    ("hard_shrink", {"threshold": 0.3}),
    ("hard_sigmoid", {}),
    ("hard_silu", {}),
    ("hard_swish", {}),
    ("hard_tanh", {}),
    ("leaky_relu", {}),
    ("leaky_relu", {"negative_slope": 0.1}),
    ("linear", {}),
    ("log_sigmoid", {}),
    ("mish", {}),
    ("relu", {}),
    ("relu", {"negative_slope": 0.1}),
    ("relu", {"max_value": 6.0}),
    ("relu", {"threshold": 0.7}),
    ("relu", {"threshold": 0.7, "negative_slope": 0.1}),
    ("relu", {"threshold": -0.3, "max_value": 2.5}),
    ("relu", {"negative_slope": 0.2, "max_value": 3.0}),
    ("relu", {"threshold": -0.3}),
    ("relu6", {}),
    ("selu", {}),
    ("sigmoid", {}),
    ("silu", {}),
    ("swish", {}),
    ("soft_shrink", {}),
    ("soft_shrink", {"threshold": 0.3}),
    ("softplus", {}),
    ("softsign", {}),
    ("sparse_plus", {}),
    ("sparse_sigmoid", {}),
    ("squareplus", {}),
    ("squareplus", {"b": 1.0}),
    ("tanh", {}),
    ("tanh_shrink", {}),
    ("threshold", {"threshold": 0.3, "default_value": -1.0}),
]
LAYERWISE = ["softmax", "log_softmax", "glu", "sparsemax"]
VECTORS = [
    [1.0, 2.0, 3.0, 4.0],
    [0.5, 0.5, -1.0, 2.0],
    [1000.0, -1000.0, 0.0, 999.0],
    [0.1, 0.2, 0.3, 0.4],
    [3.0, 3.0, 3.0, 3.0],
    [1.0, 0.5, 0.2, -0.3],
    [-2.0, 7.0, 7.0, 1.5],
]


def sparsemax_by_definition(z):
    """argmin ||p - z||^2 over the simplex: p = max(z - tau, 0) with sum p = 1; tau by bisection."""
    low, high = min(z) - 1.0, max(z)
    for _ in range(200):
        tau = (low + high) / 2
        if sum(max(v - tau, 0.0) for v in z) > 1.0:
            low = tau
        else:
            high = tau
    tau = (low + high) / 2
    support = [v for v in z if v > tau]
    tau = (sum(support) - 1.0) / len(support)  # exact once the support is known
    return [max(v - tau, 0.0) for v in z]


def elementwise(name, params):
    function = getattr(keras.activations, name)
    values, slopes = [], []
    for z in Z + KINKS:
        t = torch.tensor([z], dtype=torch.float64, requires_grad=True)
        y = function(t, **params)
        values.append(float(y[0]))
        if z in KINKS:
            slopes.append(None)
            continue
        (g,) = torch.autograd.grad(y.sum(), t)
        slopes.append(float(g[0]))
    return {"activation": name, "params": params, "z": Z + KINKS, "f": values, "slope": slopes}


def layerwise(name):
    rows = []
    for vector in VECTORS:
        if name == "sparsemax":
            rows.append({"z": vector, "f": sparsemax_by_definition(vector), "source": "definition"})
            continue
        t = torch.tensor([vector], dtype=torch.float64, requires_grad=True)
        y = getattr(keras.activations, name)(t)
        jacobian = torch.autograd.functional.jacobian(lambda v: getattr(keras.activations, name)(v)[0], t)[:, 0, :]
        rows.append({"z": vector, "f": y[0].tolist(), "jacobian": jacobian.tolist(), "source": "keras"})
    return {"activation": name, "rows": rows}


def main():
    keras.config.set_floatx("float64")
    data = {
        "keras": keras.__version__,
        "torch": torch.__version__,
        "elementwise": [elementwise(name, params) for name, params in ELEMENTWISE],
        "layerwise": [layerwise(name) for name in LAYERWISE],
    }
    text = json.dumps(data, indent=1, allow_nan=True)
    Path(__file__).with_name("keras_reference.json").write_text(text + "\n")


if __name__ == "__main__":
    main()
