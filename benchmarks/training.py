"""Training speed of `neuron train` against Keras 3's fit, as ratios measured in one run.

2,000 rows x 8 inputs, an 8-16-1 network (relu, sigmoid), adam, binary_crossentropy, batch 32, 20 epochs, the
same starting weights. Measured: `neuron train` as a whole process; a Keras process doing the same (import,
build, fit); and Keras's fit() call alone, timed inside that process. Targets: neuron <= 1/5 of the Keras
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
