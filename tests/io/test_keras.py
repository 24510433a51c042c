"""Keras model files made by Keras itself (tests/fixtures/keras, with the script that made them): read without
Keras, computed as Keras predicts, inspected as model.summary() counts, and written back in Keras's layout."""

import io
import json
import zipfile
from pathlib import Path

import h5py
import numpy as np
import pytest

from neuron_cli.errors import NeuronError
from neuron_cli.io.keras import keras_file_bytes, read_keras
from neuron_cli.io.models import load_model, save_model_file
from neuron_cli.nn.layers import Layer, Network

FIXTURES = Path(__file__).parent.parent / "fixtures" / "keras"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text())["models"]
FILES = ["mlp.keras", "mlp.h5", "nested.keras", "nested.h5", "dense2.keras", "tf2.h5"]


@pytest.mark.parametrize("name", FILES)
def test_compute_gives_what_keras_predicts(name):
    expected = EXPECTED[name.split(".")[0]]
    network = load_model(str(FIXTURES / name))
    inputs = np.array(expected["inputs"])
    predictions = np.array(expected["predictions"])
    # float64 from the stored float32 weights: as near as float32 arithmetic allows
    assert network(inputs) == pytest.approx(predictions, rel=2e-6, abs=1e-7)
    # --dtype float32: Keras's own arithmetic, to float32 precision
    assert network.astype(np.float32)(inputs) == pytest.approx(predictions, rel=1e-6, abs=1e-7)


@pytest.mark.parametrize("name", FILES)
def test_inspect_counts_parameters_as_keras_does(name):
    expected = EXPECTED[name.split(".")[0]]
    model = read_keras(str(FIXTURES / name))
    assert model.params == expected["params"]


def test_inspect_table_and_conversion(neuron, tmp_path):
    run = neuron("inspect", str(FIXTURES / "mlp.keras"), "--format", "table")
    assert run.code == 0
    for text in ("dense (Dense)", "dropout (Dropout)", "activation (Activation)", "leaky_relu:negative_slope=0.1"):
        assert text in run.out
    assert "total params: 26" in run.out
    converted = neuron("inspect", str(FIXTURES / "mlp.h5"), "--format", "json")
    (tmp_path / "mlp.json").write_text(converted.out)
    x = ",".join(map(str, EXPECTED["mlp"]["inputs"][0]))
    same = neuron("compute", "--model", str(tmp_path / "mlp.json"), "-x", x)
    assert same.out == neuron("compute", "--model", str(FIXTURES / "mlp.keras"), "-x", x).out


def test_a_written_keras_file_has_keras_own_layout(tmp_path):
    """The paths and config of a .keras file neuron writes are those of one Keras wrote (dense2.keras)."""
    keras_written = zipfile.ZipFile(FIXTURES / "dense2.keras")
    network = load_model(str(FIXTURES / "dense2.keras"))
    ours = zipfile.ZipFile(io.BytesIO(keras_file_bytes(network)))
    assert set(ours.namelist()) == set(keras_written.namelist())

    def datasets(archive):
        found = set()
        with h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r") as store:
            store.visititems(lambda name, item: found.add((name, getattr(item, "shape", None))))
        return found

    assert datasets(ours) == datasets(keras_written)
    theirs, mine = (json.loads(a.read("config.json")) for a in (keras_written, ours))
    assert [layer["class_name"] for layer in mine["config"]["layers"]] == [
        layer["class_name"] for layer in theirs["config"]["layers"]
    ]
    assert set(mine["config"]["layers"][1]["config"]) >= {"units", "activation", "use_bias", "name"}


def test_save_model_keras_round_trip(tmp_path):
    network = Network(
        (
            Layer.create([[1.0, 2.0], [3.0, 4.0]], 0.0, "leaky_relu:negative_slope=0.05", use_bias=False),
            Layer.create([[1.0, -1.0]], 0.5, "sigmoid"),
        )
    )
    save_model_file(network, str(tmp_path / "n.keras"))
    back = load_model(str(tmp_path / "n.keras"))
    x = np.array([[0.3, -0.7], [1.0, 2.0]])
    assert back(x).tolist() == network(x).tolist()  # float64 weights: exact
    assert not back.layers[0].use_bias and back.layers[0].activation.label == "leaky_relu:negative_slope=0.05"


def test_what_keras_would_compute_otherwise_does_not_become_a_keras_file(tmp_path):
    with pytest.raises(NeuronError, match="step is not a Keras activation"):
        save_model_file(Network((Layer.create([1.0], 0.0, "step"),)), str(tmp_path / "s.keras"))
    with pytest.raises(NeuronError, match="Keras 3's own sparsemax computes otherwise"):
        save_model_file(Network((Layer.create([[1.0], [2.0]], 0.0, "sparsemax"),)), str(tmp_path / "s.keras"))
    assert not (tmp_path / "s.keras").exists()


@pytest.mark.parametrize(
    "spec", ["relu:threshold=-1", "relu:negative_slope=-0.5", "relu:max_value=-1", "leaky_relu:negative_slope=-0.1"]
)
@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_a_parameter_keras_layers_refuse_is_not_saved_for_keras(tmp_path, spec, suffix):
    # keras.layers.ReLU(threshold=-1.0) raises, and so would keras.saving.load_model on the file
    with pytest.raises(NeuronError, match="refuses a negative"):
        save_model_file(Network((Layer.create([1.0], 0.0, spec),)), str(tmp_path / f"r{suffix}"))
    assert not (tmp_path / f"r{suffix}").exists()
    save_model_file(Network((Layer.create([1.0], 0.0, "relu:threshold=1,max_value=3"),)), str(tmp_path / "ok.keras"))


def test_files_neuron_cannot_read_say_why(tmp_path):
    damaged = tmp_path / "damaged.keras"
    damaged.write_bytes((FIXTURES / "mlp.keras").read_bytes()[:300])
    weights_only = tmp_path / "weights.h5"
    with h5py.File(weights_only, "w") as store:
        store.create_dataset("x", data=np.zeros(3))
    text = tmp_path / "text.keras"
    text.write_text("hello")
    cases = [
        (damaged, "damaged"),
        (weights_only, "no model_config"),
        (text, "neither a .keras zip nor an HDF5 file"),
        (FIXTURES / "nodense.keras", "no layer that computes"),
    ]
    for path, message in cases:
        with pytest.raises(NeuronError, match=message):
            load_model(str(path))


def test_the_command_refuses_an_unknown_layer_with_exit_2(neuron, tmp_path):
    model = tmp_path / "conv.keras"
    with zipfile.ZipFile(FIXTURES / "mlp.keras") as source, zipfile.ZipFile(model, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, data.replace(b'"Dropout"', b'"Conv1D"') if name == "config.json" else data)
    run = neuron("compute", "--model", str(model), "-x", "1,2,3")
    assert run.code == 2 and "Conv1D layer ('dropout')" in run.err and "Traceback" not in run.err


def test_a_converted_model_never_writes_minus_zero(tmp_path):
    from neuron_cli.io.models import model_summary, summary_document

    path = tmp_path / "m.toml"
    path.write_text('name = "m"\n[[layers]]\nweights = [[1.0, -0.0]]\nbias = [-0.0]\n')
    text = json.dumps(summary_document(model_summary(str(path))))
    assert "-0.0" not in text and '"bias": [0.0]' in text
