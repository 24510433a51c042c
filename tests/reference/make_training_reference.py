"""Makes keras_training.json: Keras 3's model.fit on small data sets, in float64, for every optimizer and loss.

Run with Keras 3 and its torch backend (neither is a dependency of neuron):
    KERAS_BACKEND=torch python tests/reference/make_training_reference.py
Each case stores the starting weights (kernel layout), the data, the settings, Keras's history and the final
weights; tests/test_training.py trains the same network with neuron and compares.
"""

import json
import zlib
from pathlib import Path

import keras
import numpy as np
from keras.src.backend.common import dtypes

keras.config.set_floatx("float64")
keras.config.set_dtype_policy("float64")  # losses and metrics too, not only the layers
# Keras 3.15's type promotion turns every 64-bit result of its ops into 32-bit ("to be aligned with JAX's
# default"), so that even a float64 model multiplies its matrices in float32. Without this table Keras's own
# fit() runs in float64 throughout, which is what neuron computes.
dtypes.BIT64_TO_BIT32_DTYPE.clear()


def half_sse(y_true, y_pred):
    return 0.5 * keras.ops.sum(keras.ops.square(y_pred - y_true), axis=-1)


def case(name, layers, x, t, loss, optimizer, batch_size, epochs, metrics=True):
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    model = keras.Sequential([keras.Input((x.shape[1],))])
    specs = []
    inputs = x.shape[1]
    for units, activation, use_bias in layers:
        model.add(keras.layers.Dense(units, activation=activation, use_bias=use_bias))
        kernel = rng.uniform(-1, 1, size=(inputs, units)).round(3)
        bias = rng.uniform(-0.5, 0.5, size=units).round(3)
        specs.append(
            {
                "kernel": kernel.tolist(),
                "activation": activation,
                "use_bias": use_bias,
                **({"bias": bias.tolist()} if use_bias else {}),
            }
        )
        inputs = units
    for dense, spec in zip(model.layers, specs):
        dense.set_weights([np.array(spec["kernel"])] + ([np.array(spec["bias"])] if spec["use_bias"] else []))
    opt = {
        "sgd": lambda c: keras.optimizers.SGD(**c),
        "adam": lambda c: keras.optimizers.Adam(**c),
        "rmsprop": lambda c: keras.optimizers.RMSprop(**c),
    }[optimizer["name"]]({k: v for k, v in optimizer.items() if k != "name"})
    keras_loss = half_sse if loss == "half_sse" else loss
    accuracy = ["binary_accuracy"] if t.shape[1] == 1 else ["categorical_accuracy"]
    model.compile(optimizer=opt, loss=keras_loss, metrics=accuracy if metrics else [])
    history = model.fit(x, t, batch_size=batch_size, epochs=epochs, shuffle=False, verbose=0)
    final = []
    for dense in model.layers:
        weights = dense.get_weights()
        final.append({"kernel": weights[0].tolist(), **({"bias": weights[1].tolist()} if len(weights) > 1 else {})})
    result = {
        "name": name,
        "layers": specs,
        "x": x.tolist(),
        "t": t.tolist(),
        "loss": loss,
        "optimizer": optimizer,
        "batch_size": batch_size,
        "epochs": epochs,
        "history_loss": history.history["loss"],
        "final": final,
    }
    if metrics:
        result["history_accuracy"] = history.history[accuracy[0]]
    return result


rng = np.random.default_rng(7)
x10 = rng.uniform(-1, 1, size=(10, 3)).round(4)
binary = (x10.sum(axis=1, keepdims=True) > 0).astype(float)
regress = (x10 @ np.array([[0.5], [-1.0], [2.0]]) + 0.3).round(4)
x12 = rng.uniform(-2, 2, size=(12, 4)).round(4)
onehot = np.eye(3)[np.argmax(x12[:, :3], axis=1)]
x50 = rng.uniform(-1, 1, size=(50, 2)).round(4)
y50 = (np.sin(x50[:, :1] * 2) + x50[:, 1:] ** 2).round(4)

cases = [
    case(
        "sgd-mse",
        [(3, "tanh", True), (1, "sigmoid", True)],
        x10,
        binary,
        "mse",
        {"name": "sgd", "learning_rate": 0.5},
        4,
        6,
    ),
    case(
        "sgd-momentum-bce",
        [(3, "relu", True), (1, "sigmoid", True)],
        x10,
        binary,
        "binary_crossentropy",
        {"name": "sgd", "learning_rate": 0.1, "momentum": 0.9},
        3,
        5,
    ),
    case(
        "sgd-nesterov-mse",
        [(2, "sigmoid", True), (1, "linear", True)],
        x10,
        regress,
        "mse",
        {"name": "sgd", "learning_rate": 0.05, "momentum": 0.8, "nesterov": True},
        4,
        5,
        metrics=False,
    ),
    case(
        "adam-bce",
        [(4, "tanh", True), (1, "sigmoid", True)],
        x10,
        binary,
        "binary_crossentropy",
        {"name": "adam", "learning_rate": 0.01},
        3,
        7,
    ),
    case(
        "adam-default-cce",
        [(5, "relu", True), (3, "softmax", True)],
        x12,
        onehot,
        "categorical_crossentropy",
        {"name": "adam"},
        5,
        4,
    ),
    case(
        "rmsprop-mse",
        [(3, "elu", True), (1, "linear", True)],
        x10,
        regress,
        "mse",
        {"name": "rmsprop", "learning_rate": 0.01},
        4,
        5,
        metrics=False,
    ),
    case(
        "sgd-half-sse-no-bias",
        [(2, "tanh", False), (1, "linear", True)],
        x10,
        regress,
        "half_sse",
        {"name": "sgd", "learning_rate": 0.1},
        10,
        4,
        metrics=False,
    ),
    case(
        "sgd-default-batch-32",
        [(8, "relu", True), (1, "linear", True)],
        x50,
        y50,
        "mse",
        {"name": "sgd", "learning_rate": 0.05},
        32,
        3,
        metrics=False,
    ),
    case(
        "rmsprop-default-cce",
        [(3, "softmax", True)],
        x12,
        onehot,
        "categorical_crossentropy",
        {"name": "rmsprop"},
        4,
        3,
    ),
]
out = Path(__file__).with_name("keras_training.json")
out.write_text(json.dumps({"keras": keras.__version__, "backend": keras.backend.backend(), "cases": cases}, indent=1))
print(f"wrote {len(cases)} cases to {out}")
