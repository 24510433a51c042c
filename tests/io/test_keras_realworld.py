"""The Keras files people committed to public repositories (tests/fixtures/realworld, from shared/realworld/keras:
Keras 2.0.5 to 3.12), and files Keras 3 wrote with every layer neuron reads besides Dense: each computes what
Keras predicts (float64, and --dtype float32 as Keras's own float32) and counts parameters as Keras does.

The expected numbers were made once with real Keras in a scratch environment (Keras 3.15 on JAX, and tf_keras
2.21 for the files Keras 3 cannot load; tests/fixtures/keras/make_layers.py for the second set), not by neuron.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from neuron_cli.errors import NeuronError
from neuron_cli.io.keras import read_keras
from neuron_cli.io.models import load_model, model_summary

HERE = Path(__file__).parent.parent / "fixtures"
REAL = HERE / "realworld"
EXPECTED = json.loads((REAL / "expected.json").read_text())["files"]
COMPUTED = sorted(name for name, entry in EXPECTED.items() if "inputs" in entry)
LAYERS = json.loads((HERE / "keras" / "expected_layers.json").read_text())["models"]
SHARED = Path(__file__).parents[3] / "shared" / "realworld" / "keras"


def rows(entry) -> np.ndarray:
    inputs = np.array(entry["inputs"], dtype=np.float64)
    return inputs.reshape(len(inputs), -1)  # an image is one row of its numbers, row-major


@pytest.mark.parametrize("name", COMPUTED)
def test_every_real_file_computes_as_keras_predicts(name):
    entry = EXPECTED[name]
    network = load_model(str(REAL / name))
    x = rows(entry)
    # float64 from the stored float32 weights: the reference is the same layers evaluated in float64
    np.testing.assert_allclose(network(x), entry["float64"], rtol=1e-9, atol=1e-12)
    # --dtype float32: Keras's own arithmetic, whose sums are in BLAS's order
    np.testing.assert_allclose(network.astype(np.float32)(x.astype(np.float32)), entry["float32"], rtol=1e-5, atol=2e-6)


@pytest.mark.parametrize("name", COMPUTED)
def test_every_real_file_counts_parameters_as_keras_does(name):
    entry = EXPECTED[name]
    model = read_keras(str(REAL / name))
    assert (model.params, model.trainable) == (entry["params"]["total"], entry["params"]["trainable"])
    summary = [(layer["name"], layer["class_name"], layer["params"]) for layer in entry["layers"]]
    assert [(layer.name, layer.class_name, layer.params) for layer in model.layers] == summary
    shapes = [tuple(layer["output_shape"][1:]) for layer in entry["layers"]]
    assert [layer.output_shape for layer in model.layers] == shapes


def test_a_flattened_image_is_one_row_of_its_numbers(neuron):
    entry = EXPECTED["lukas_perceptron.h5"]
    image = np.array(entry["inputs"][0]).reshape(28, 28)  # what Keras was given: (28, 28), row-major
    assert read_keras(str(REAL / "lukas_perceptron.h5")).input_shape == (28, 28)
    run = neuron("compute", "--model", str(REAL / "lukas_perceptron.h5"), "-x", ",".join(map(str, image.ravel())))
    assert run.code == 0
    np.testing.assert_allclose([float(v) for v in run.out.split(",")], entry["float64"][0], rtol=1e-9)


def test_a_file_of_weights_alone_is_refused_saying_how_to_give_a_model(tmp_path):
    import h5py

    made = tmp_path / "weights.h5"  # what save_weights writes: layer_names, a group per layer, no model_config
    with h5py.File(made, "w") as store:
        store.attrs["layer_names"] = np.array([b"dense_1"], dtype=object)
        group = store.create_group("dense_1")
        group.attrs["weight_names"] = np.array([b"dense_1/kernel:0"], dtype=object)
        group.create_dataset("dense_1/kernel:0", data=np.zeros((3, 2), dtype="float32"))
    files = [made] + ([SHARED / "suertang_mnist_mlp.h5"] if (SHARED / "suertang_mnist_mlp.h5").exists() else [])
    for path in files:
        with pytest.raises(NeuronError, match=r"weights alone .*model\.save"):
            load_model(str(path))


@pytest.mark.parametrize("name", ["layers.keras", "layers.h5", "flat.keras", "flat.h5", "legacy.h5"])
def test_every_layer_kind_computes_as_keras_predicts(name):
    entry = LAYERS[name.split(".")[0]]
    model = read_keras(str(HERE / "keras" / name))
    assert (model.params, model.trainable) == (entry["params"], entry["trainable"])
    summary = [tuple(layer) for layer in entry["layers"] if layer[1] != "InputLayer" or name.startswith("layers")]
    assert [(layer.name, layer.class_name, layer.params) for layer in model.layers] == summary
    network, x = model.network(), rows(entry)
    # Keras's predictions are float32 (its arithmetic, BatchNormalization's rsqrt included)
    np.testing.assert_allclose(network(x), entry["predictions"], rtol=2e-6, atol=2e-7)
    np.testing.assert_allclose(network.astype(np.float32)(x.astype(np.float32)), entry["predictions"], atol=3e-7)


def test_layers_besides_dense_keep_their_numbers_when_the_network_learns():
    network = load_model(str(HERE / "keras" / "layers.keras"))
    labelled = [layer for layer in network.layers if layer.label]
    assert {layer.label for layer in labelled} >= {
        "batch_normalization (BatchNormalization)",
        "p_re_lu (PReLU)",
    }
    assert not any(layer.trainable for layer in labelled)


def test_a_converted_file_holds_every_layer_and_computes_the_same(neuron, tmp_path):
    source = HERE / "keras" / "layers.keras"
    converted = neuron("inspect", str(source), "--format", "json")
    document = json.loads(converted.out)
    kinds = [layer.get("type", "dense") for layer in document["layers"]]
    assert kinds.count("batch_normalization") == 2 and "prelu" in kinds and kinds.count("dense") == 5
    normalization = next(layer for layer in document["layers"] if layer.get("type") == "batch_normalization")
    assert set(normalization) >= {"gamma", "beta", "moving_mean", "moving_variance", "epsilon"}
    (tmp_path / "layers.json").write_text(converted.out)
    assert model_summary(str(tmp_path / "layers.json")).params == LAYERS["layers"]["params"]
    x = ",".join(map(str, LAYERS["layers"]["inputs"][0]))
    assert (
        neuron("compute", "--model", str(tmp_path / "layers.json"), "-x", x).out
        == neuron("compute", "--model", str(source), "-x", x).out
    )
    flat = json.loads(neuron("inspect", str(HERE / "keras" / "flat.keras"), "--format", "json").out)
    assert flat["input_shape"] == [3, 4] and flat["layers"][0]["type"] == "flatten"


@pytest.mark.parametrize(
    ("name", "says"),
    [("branch.keras", "its graph merges at layer 'sum' (it takes left, right)")],
)
def test_a_graph_that_is_not_one_chain_is_refused_naming_the_layer(neuron, name, says):
    run = neuron("compute", "--model", str(HERE / "keras" / name), "-x", "1,2,3")
    assert run.code == 2 and says in run.err and len(run.err.splitlines()) == 1


def test_inspect_shows_keras_counts_trainable_and_not(neuron):
    run = neuron("inspect", str(HERE / "keras" / "layers.keras"), "--format", "table")
    assert "batch_normalization (BatchNormalization)" in run.out and "p_re_lu (PReLU)" in run.out
    assert "total params: 176 (trainable 156, non-trainable 20" in run.out
