"""Stacks of layers: forward passes, backpropagation, model files, diagrams and the library API."""

import itertools
import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from neuron_cli import Layer, Network, learning_step, load_model

# The classic worked example of backpropagation (Matt Mazur, "A Step by Step Backpropagation Example"):
# inputs 0.05, 0.10; hidden w1..w4 = 0.15, 0.20, 0.25, 0.30, b1 = 0.35; output w5..w8 = 0.40, 0.45, 0.50, 0.55,
# b2 = 0.60; targets 0.01, 0.99; learning rate 0.5; sigmoid everywhere; loss 1/2 sum of squared errors.
MAZUR = {
    "layers": [
        {"weights": [[0.15, 0.20], [0.25, 0.30]], "bias": 0.35, "activation": "sigmoid"},
        {"weights": [[0.40, 0.45], [0.50, 0.55]], "bias": 0.60, "activation": "sigmoid"},
    ]
}


@pytest.fixture
def mazur(tmp_path) -> Path:
    path = tmp_path / "mazur.json"
    path.write_text(json.dumps(MAZUR))
    return path


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_the_worked_example_forward_and_one_step_back(neuron, mazur):
    run = neuron(
        "compute", "--model", str(mazur), "-x", "0.05,0.1", "--target", "0.01,0.99", "--lr", "0.5", "--format", "json"
    )
    assert run.code == 0, run.err
    doc = json.loads(run.out)
    assert doc["outputs"] == pytest.approx([0.75136507, 0.772928465], abs=1e-8)
    assert doc["loss"] == pytest.approx(0.298371109, abs=1e-9)
    output_layer, hidden_layer = doc["layers"][1]["neurons"], doc["layers"][0]["neurons"]
    assert output_layer[0]["update"]["weights"] == pytest.approx([0.35891648, 0.408666186], abs=1e-8)
    assert output_layer[1]["update"]["weights"] == pytest.approx([0.511301270, 0.561370121], abs=1e-8)
    assert hidden_layer[0]["update"]["weights"] == pytest.approx([0.149780716, 0.19956143], abs=1e-8)
    assert hidden_layer[1]["update"]["weights"] == pytest.approx([0.24975114, 0.29950229], abs=1e-8)


def test_backpropagation_against_the_chain_rule_written_out():
    x, t, rate = np.array([0.05, 0.1]), np.array([0.01, 0.99]), 0.5
    w1, b1 = np.array([[0.15, 0.20], [0.25, 0.30]]), np.array([0.35, 0.35])
    w2, b2 = np.array([[0.40, 0.45], [0.50, 0.55]]), np.array([0.60, 0.60])
    h = sigmoid(w1 @ x + b1)
    y = sigmoid(w2 @ h + b2)
    delta2 = (y - t) * y * (1 - y)  # dL/dz of the output layer
    delta1 = (w2.T @ delta2) * h * (1 - h)  # dL/dz of the hidden layer
    network = Network([Layer.create(w1, b1, "sigmoid"), Layer.create(w2, b2, "sigmoid")])
    step = learning_step(network.forward(x), t, "half_sse", rate)
    np.testing.assert_allclose(step.updates[1].dz, delta2, rtol=1e-12)
    np.testing.assert_allclose(step.updates[0].dz, delta1, rtol=1e-12)
    np.testing.assert_allclose(step.updates[1].weights, w2 - rate * np.outer(delta2, h), rtol=1e-12)
    np.testing.assert_allclose(step.updates[0].weights, w1 - rate * np.outer(delta1, x), rtol=1e-12)
    np.testing.assert_allclose(step.updates[0].bias, b1 - rate * delta1, rtol=1e-12)
    assert step.loss == pytest.approx(0.5 * np.sum((y - t) ** 2), rel=1e-12)


def three_layers():
    rng = np.random.default_rng(5)
    return [
        (rng.normal(size=(4, 3)), rng.normal(size=4), "tanh"),
        (rng.normal(size=(3, 4)), rng.normal(size=3), "relu"),
        (rng.normal(size=(2, 3)), rng.normal(size=2), "softmax"),
    ]


def expected_forward(x):
    values = np.array(x)
    for weights, bias, name in three_layers():
        z = weights @ values + bias
        values = {
            "tanh": np.tanh,
            "relu": lambda v: np.maximum(v, 0),
            "softmax": lambda v: np.exp(v) / np.exp(v).sum(),
        }[name](z)
    return values


@pytest.mark.parametrize("layout", ["weights", "kernel"])
def test_three_layers_in_both_layouts(neuron, tmp_path, layout):
    layers = [
        {layout: (w if layout == "weights" else w.T).tolist(), "bias": b.tolist(), "activation": a}
        for w, b, a in three_layers()
    ]
    (tmp_path / "m.json").write_text(json.dumps({"layers": layers}))
    run = neuron("compute", "--model", str(tmp_path / "m.json"), "-x", "0.5,-1,2")
    assert [float(v) for v in run.out.split(",")] == pytest.approx(expected_forward([0.5, -1, 2]), rel=1e-12)


def test_toml_models_and_a_model_without_bias(neuron, tmp_path):
    (tmp_path / "m.toml").write_text(
        '[[layers]]\nweights = [[1.0, 2.0]]\nactivation = "relu"\n\n[[layers]]\nkernel = [[-3.0]]\nbias = 1\n'
    )
    assert float(neuron("compute", "--model", str(tmp_path / "m.toml"), "-x", "1,1").out) == pytest.approx(-8.0)


def test_sizes_that_do_not_chain(neuron, tmp_path):
    (tmp_path / "bad.json").write_text(
        json.dumps({"layers": [{"weights": [[1, 2], [3, 4]]}, {"weights": [[1, 2, 3]]}]})
    )
    run = neuron("compute", "--model", str(tmp_path / "bad.json"), "-x", "1,2")
    assert run.code == 2
    assert "layer 2 takes 3 inputs but layer 1 gives 2 outputs" in run.err
    run = neuron("compute", "--model", str(tmp_path / "bad.json"), "-w", "1")
    assert run.code == 2 and "leave out -w" in run.err


def test_a_stream_through_a_model(neuron, mazur):
    rows = np.random.default_rng(1).uniform(size=(500, 2))
    run = neuron("compute", "--model", str(mazur), stdin="".join(f"{a!r},{b!r}\n" for a, b in rows.tolist()))
    got = np.array([line.split(",") for line in run.lines()], dtype=float)
    w1, w2 = np.array(MAZUR["layers"][0]["weights"]), np.array(MAZUR["layers"][1]["weights"])
    expected = sigmoid(sigmoid(rows @ w1.T + 0.35) @ w2.T + 0.6)
    np.testing.assert_allclose(got, expected, rtol=1e-14)


def test_every_format_for_a_network(neuron, mazur):
    table = neuron("compute", "--model", str(mazur), "-x", "0.05,0.1", "--format", "table").out
    assert table.count("connections: 2 inputs x 2 neurons = 4") == 2
    assert "Layer 1: sigmoid" in table and "Layer 2: sigmoid" in table
    csv = neuron("compute", "--model", str(mazur), "-x", "0.05,0.1", "--format", "csv").lines()
    assert csv[0] == "x1,x2,y1,y2"
    doc = json.loads(neuron("compute", "--model", str(mazur), "-x", "0.05,0.1", "--format", "json").out)
    assert len(doc["layers"]) == 2
    assert doc["layers"][1]["neurons"][0]["connections"][0]["x"] == pytest.approx(
        sigmoid(0.15 * 0.05 + 0.2 * 0.1 + 0.35)
    )


def test_grad_on_a_model_is_d_outputs_d_inputs(neuron, mazur):
    doc = json.loads(neuron("compute", "--model", str(mazur), "-x", "0.05,0.1", "--grad", "--format", "json").out)
    network = load_model(str(mazur))
    h = 1e-6
    numeric = np.array(
        [(network(np.array([0.05, 0.1]) + e * h) - network(np.array([0.05, 0.1]) - e * h)) / (2 * h) for e in np.eye(2)]
    ).T
    np.testing.assert_allclose(doc["input_gradient"], numeric, atol=1e-9)


def test_save_model_chains_steps_as_a_shell_loop_would(neuron, tmp_path, mazur):
    """for i in 1 2 3 4 5; do neuron compute --model m.json ... --save-model m.json -f json | jq .loss; done"""
    model = tmp_path / "model.json"
    model.write_text(mazur.read_text())
    args = ["--model", str(model), "-x", "0.05,0.1", "--target", "0.01,0.99", "--lr", "0.5"]
    losses = [
        json.loads(neuron("compute", *args, "--save-model", str(model), "--format", "json").out)["loss"]
        for _ in range(5)
    ]
    assert losses[0] == pytest.approx(0.298371109, abs=1e-9)
    assert all(later < earlier for earlier, later in itertools.pairwise(losses))
    saved = json.loads(model.read_text())
    assert saved["layers"][0]["activation"] == "sigmoid" and len(saved["layers"][1]["weights"]) == 2


def test_save_model_as_toml_reads_back(neuron, tmp_path, mazur):
    out = tmp_path / "after.toml"
    neuron(
        "compute",
        "--model",
        str(mazur),
        "-x",
        "0.05,0.1",
        "--target",
        "0.01,0.99",
        "--lr",
        "0.5",
        "--save-model",
        str(out),
    )
    assert load_model(str(out)).layers[1].weights[0] == pytest.approx([0.35891648, 0.408666186], abs=1e-8)
    # Without --target the model is written as given (the contract: a conversion, e.g. JSON to TOML or .keras).
    assert neuron("compute", "--model", str(mazur), "-x", "1,1", "--save-model", str(out)).code == 0
    assert [layer.weights.tolist() for layer in load_model(str(out)).layers] == [
        layer.weights.tolist() for layer in load_model(str(mazur)).layers
    ]


def neuron_command():
    from ..conftest import neuron_command as command

    return command()


# ---------------------------------------------------------------- diagrams


def test_mermaid_diagram_of_a_three_by_two_layer(neuron):
    run = neuron("diagram", "-w", "0.1,0.2,0.3;0.4,0.5,0.6", "-a", "relu")
    assert run.code == 0
    assert run.lines()[0] == "flowchart LR"
    edges = [line for line in run.lines() if re.fullmatch(r'\s+\w+ -->\|"[^"]*"\| \w+', line)]
    assert len(edges) == 6
    assert '    x3 -->|"0.6"| L1N2' in run.lines()


def test_dot_diagram_of_a_network(neuron, mazur):
    run = neuron("diagram", "--model", str(mazur), "-x", "0.05,0.1", "--format", "dot")
    edges = [line for line in run.lines() if " -> " in line]
    assert len(edges) == 4 + 4
    assert run.out.startswith("digraph neuron {") and run.out.rstrip().endswith("}")
    assert "out = 0.751365" in run.out
    if shutil.which("dot"):
        rendered = subprocess.run(["dot", "-Tsvg"], input=run.out, capture_output=True, text=True)
        assert rendered.returncode == 0, rendered.stderr


# ---------------------------------------------------------------- the library, as the README shows it


def test_the_readme_library_example_runs():
    readme = (Path(__file__).parent.parent.parent / "README.md").read_text()
    section = readme.split("## Library", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert blocks
    for code in blocks:
        if "import keras" in code:  # Keras is not installed here: that block is for a Keras user's machine
            continue
        exec(compile(code, "README.md", "exec"), {})


def test_a_flat_kernel_is_one_units_weights(neuron, tmp_path):
    (tmp_path / "k.json").write_text(json.dumps({"layers": [{"kernel": [1.0, 2.0], "bias": 0.5}]}))
    assert float(neuron("compute", "--model", str(tmp_path / "k.json"), "-x", "1,1").out) == 3.5
