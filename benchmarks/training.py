"""Training speed of `neuron train` against Keras 3's fit, as ratios measured in one run.

2,000 rows x 8 inputs, an 8-16-1 network (relu, sigmoid), adam, binary_crossentropy, batch 32, 20 epochs, the
same starting weights. Measured: neuron's training loop in this process against a plain NumPy loop of the same
semantics (`plain_fit`, the named baseline; target <= 1.2x, CPU time, best of alternating runs); `neuron
train` as a whole process; a Keras process doing the same (import, build, fit); and Keras's fit() call alone,
timed inside that process. Targets: neuron <= 1/5 of the Keras
process (goal 1/10), and no longer than Keras's fit() alone. Memory: peak RSS of neuron at 20 and 200 epochs.

Keras is not a dependency of neuron: give a Python that has it (and a backend), e.g.
    python benchmarks/training.py --keras-python /path/to/venv/bin/python --backend jax
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import startup

DATA = Path(__file__).parent / "data"
KERAS_SCRIPT = """
import json, sys, time
import numpy as np
import keras
keras.config.set_floatx("float64")
spec = json.load(open(sys.argv[1]))
data = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1)
x, t = data[:, :8], data[:, 8:]
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(1, activation="sigmoid")])
for dense, layer in zip(model.layers, spec["layers"]):
    dense.set_weights([np.array(layer["kernel"]), np.array(layer["bias"])])
model.compile(optimizer=keras.optimizers.Adam(), loss="binary_crossentropy")
start = time.perf_counter()
model.fit(x, t, batch_size=32, epochs=20, shuffle=False, verbose=0)
print(time.perf_counter() - start)
"""


def make_files() -> tuple[Path, Path]:
    DATA.mkdir(exist_ok=True)
    rng = np.random.default_rng(5)
    x = rng.normal(size=(2000, 8)).round(5)
    t = (x[:, :4].sum(axis=1) > x[:, 4:].sum(axis=1)).astype(float)[:, None]
    data = DATA / "train_2000x8.csv"
    header = ",".join([f"x{i}" for i in range(1, 9)] + ["t1"])
    np.savetxt(data, np.hstack([x, t]), fmt="%.5f", delimiter=",", header=header, comments="")
    model = DATA / "train_8_16_1.json"
    layers = [
        {"kernel": rng.uniform(-0.5, 0.5, (8, 16)).round(4).tolist(), "bias": [0.0] * 16, "activation": "relu"},
        {"kernel": rng.uniform(-0.5, 0.5, (16, 1)).round(4).tolist(), "bias": [0.0], "activation": "sigmoid"},
    ]
    model.write_text(json.dumps({"layers": layers}))
    return data, model


def _column_sums(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """sum_i x[:, i] * w[:, i] added left to right: the order neuron's contract fixes (no BLAS)."""
    total = x[:, 0, None] * w[:, 0]
    for i in range(1, w.shape[1]):
        total += x[:, i, None] * w[:, i]
    return total


def _row_sum(values: np.ndarray) -> np.ndarray:
    total = values[0].copy()
    for row in values[1:]:
        total += row
    return total


def plain_fit(x: np.ndarray, t: np.ndarray, layers: list[dict], epochs: int) -> list[np.ndarray]:
    """The named baseline: a plain NumPy loop of `neuron train`'s semantics for this case (8-16-1, relu then
    sigmoid, binary cross-entropy as Keras clips it, Adam, batches of 32 in order, sums in the contract's order,
    the loss and accuracy of each batch kept), written as one would by hand; its weights are checked against
    neuron's."""
    w = [np.array(layer["kernel"], dtype=float).T.copy() for layer in layers]
    b = [np.array(layer["bias"], dtype=float) for layer in layers]
    variables = [w[0], b[0], w[1], b[1]]
    m = [np.zeros_like(v) for v in variables]
    s = [np.zeros_like(v) for v in variables]
    step, eps = 0, 1e-7
    for _ in range(epochs):
        total = right = 0.0
        for start in range(0, len(x), 32):
            xb, tb = x[start : start + 32], t[start : start + 32]
            z1 = _column_sums(xb, w[0]) + b[0]
            a1 = np.maximum(z1, 0)
            z2 = _column_sums(a1, w[1]) + b[1]
            y = 1 / (1 + np.exp(-z2))
            yc = np.clip(y, eps, 1 - eps)
            total += float(_row_sum(-(tb * np.log(yc) + (1 - tb) * np.log(1 - yc)))[0])
            right += float(np.sum((y > 0.5) == (tb > 0.5)))
            inside = (y >= eps) & (y <= 1 - eps)
            dz2 = np.where(inside, (yc - tb) / (yc * (1 - yc)), 0.0) / len(xb) * (y * (1 - y))
            dz1 = _column_sums(dz2, w[1].T) * (z1 > 0)
            gradients = [_column_sums(xb.T, dz1.T).T, _row_sum(dz1), _column_sums(a1.T, dz2.T).T, _row_sum(dz2)]
            step += 1
            alpha = 0.001 * np.sqrt(1 - 0.999**step) / (1 - 0.9**step)
            for k, (g, v) in enumerate(zip(gradients, variables)):
                m[k] += (g - m[k]) * (1 - 0.9)
                s[k] += (np.square(g) - s[k]) * (1 - 0.999)
                v -= (m[k] * alpha) / (np.sqrt(s[k]) + eps)
    return variables


def against_plain_loop(data: Path, model: Path, runs: int) -> None:
    """neuron's training loop (nn/training.py) against plain_fit, in this process, CPU time, alternating."""
    from neuron_cli.nn.layers import Layer, Network
    from neuron_cli.nn.optimizers import make_optimizer
    from neuron_cli.nn.training import Settings, Trainer

    layers = json.loads(model.read_text())["layers"]
    table = np.loadtxt(data, delimiter=",", skiprows=1)
    x, t = table[:, :8], table[:, 8:]
    ours, plain = [], []
    for _ in range(max(runs, 5)):
        start = time.process_time()
        network = Network(tuple(Layer.from_kernel(a["kernel"], a["bias"], a["activation"]) for a in layers))
        trainer = Trainer(network, x, t, Settings(loss="binary_crossentropy"), make_optimizer("adam"))
        for _epoch in trainer.epochs(20):
            pass
        ours.append(time.process_time() - start)
        start = time.process_time()
        reference = plain_fit(x, t, layers, 20)
        plain.append(time.process_time() - start)
    trained = [array for layer in trainer.layers for array in (layer.weights, layer.bias)]
    apart = max(float(np.max(np.abs(a - r))) for a, r in zip(trained, reference))
    print(f"neuron's fit: {min(ours):.3f} s CPU (runs {', '.join(f'{v:.3f}' for v in ours)})")
    print(f"plain NumPy loop: {min(plain):.3f} s CPU (runs {', '.join(f'{v:.3f}' for v in plain)})")
    print(f"neuron / plain loop: {min(ours) / min(plain):.3f} (target <= 1.2); weights apart by {apart:.1e}")


def neuron_run(data: Path, model: Path, epochs: int) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of one `neuron train` process."""
    command = [
        *startup.neuron_executable(),
        "train",
        "--data",
        str(data),
        "--model",
        str(model),
        "--optimizer",
        "adam",
        "--loss",
        "binary_crossentropy",
        "--epochs",
        str(epochs),
        "-f",
        "plain",
    ]
    # A fresh parent for each run, so that its children's peak RSS is this run's alone.
    measure = (
        "import resource, subprocess, sys, time; start = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
        "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run([sys.executable, "-c", measure, *command], check=True, capture_output=True, text=True)
    elapsed, peak = done.stdout.split()
    return float(elapsed), int(peak) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keras-python", help="a Python with Keras 3 installed")
    parser.add_argument("--backend", default="jax")
    args = parser.parse_args()
    data, model = make_files()
    script = DATA / "keras_fit.py"
    script.write_text(KERAS_SCRIPT)
    against_plain_loop(data, model, args.runs)
    neuron_times, keras_times, fit_times = [], [], []
    for _ in range(args.runs):
        neuron_times.append(neuron_run(data, model, 20)[0])
        if args.keras_python:
            env = {"KERAS_BACKEND": args.backend, "JAX_ENABLE_X64": "1", "PATH": "/usr/bin:/bin"}
            start = time.perf_counter()
            done = subprocess.run(
                [args.keras_python, str(script), str(model), str(data)],
                check=True,
                capture_output=True,
                text=True,
                env=env,
            )
            keras_times.append(time.perf_counter() - start)
            fit_times.append(float(done.stdout.strip().splitlines()[-1]))
    neuron_time = statistics.median(neuron_times)
    print(f"neuron train, whole process: {neuron_time:.3f} s")
    if keras_times:
        keras_time, fit_time = statistics.median(keras_times), statistics.median(fit_times)
        print(f"Keras ({args.backend}) process: {keras_time:.3f} s; its fit() alone: {fit_time:.3f} s")
        print(f"neuron / Keras process: {neuron_time / keras_time:.3f} (target <= 0.2, goal <= 0.1)")
        print(f"neuron / Keras fit() alone: {neuron_time / fit_time:.3f} (target <= 1)")
    _, rss_20 = neuron_run(data, model, 20)
    _, rss_200 = neuron_run(data, model, 200)
    print(f"peak RSS: {rss_20:.0f} MiB at 20 epochs, {rss_200:.0f} MiB at 200 epochs")


if __name__ == "__main__":
    main()
