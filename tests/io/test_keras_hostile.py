"""Model files an attacker made, built here with h5py and zipfile: each is refused (exit 2, one line naming the
file and the reason) quickly, reading nothing outside itself, in memory in proportion to the file."""

import io
import json
import os
import resource
import subprocess
import time
import zipfile
from pathlib import Path

import h5py
import numpy as np
import pytest

from neuron_cli.errors import NeuronError
from neuron_cli.io.keras import h5_file_bytes, read_keras
from neuron_cli.io.models import load_model
from neuron_cli.nn.layers import Layer, Network
from tests.conftest import environment, neuron_command

FIXTURES = Path(__file__).parent.parent / "fixtures" / "keras"
SECRET = b"0.5,0.25,secret\n" * 8


def legacy(tmp_path: Path, name: str = "model.h5") -> Path:
    """A good legacy .h5 (one Dense 3 -> 2) to spoil."""
    path = tmp_path / name
    path.write_bytes(h5_file_bytes(Network((Layer.create([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], 0.5),))))
    return path


def kernel_path(store) -> str:
    group = store["model_weights/dense"]
    name = group.attrs["weight_names"][0]
    return name.decode() if isinstance(name, bytes) else str(name)


def refused(path: Path, says: str) -> None:
    start = time.monotonic()
    with pytest.raises(NeuronError, match=says) as raised:
        load_model(str(path))
    assert str(path) in str(raised.value)
    assert time.monotonic() - start < 1.0


def test_an_external_link_is_not_followed(tmp_path):
    outside = tmp_path / "outside.h5"
    with h5py.File(outside, "w") as store:
        store.create_dataset("kernel", data=np.ones((3, 2)))
    path = legacy(tmp_path)
    with h5py.File(path, "a") as store:
        name = kernel_path(store)
        del store["model_weights/dense"][name]
        store["model_weights/dense"][name] = h5py.ExternalLink(str(outside), "kernel")
    refused(path, "external link; neuron follows no link")


def test_a_soft_link_loop_is_refused_not_followed(tmp_path):
    path = legacy(tmp_path)
    with h5py.File(path, "a") as store:
        name = kernel_path(store)
        del store["model_weights/dense"][name]
        store["model_weights/dense"][name] = h5py.SoftLink(f"/model_weights/dense/{name}")
    refused(path, "soft link")


def test_external_storage_never_reads_the_file_it_names(tmp_path):
    secret = tmp_path / "passwd"
    secret.write_bytes(SECRET)
    path = legacy(tmp_path)
    with h5py.File(path, "a") as store:
        name = kernel_path(store)
        del store["model_weights/dense"][name]
        store["model_weights/dense"].create_dataset(
            name, shape=(3, 2), dtype="float64", external=[(str(secret), 0, 48)]
        )
    refused(path, "stored outside the file")  # refused from the dataset's properties, before any data is read


def test_a_virtual_dataset_is_refused(tmp_path):
    other = tmp_path / "source.h5"
    with h5py.File(other, "w") as store:
        store.create_dataset("data", data=np.ones((3, 2)))
    path = legacy(tmp_path)
    with h5py.File(path, "a") as store:
        name = kernel_path(store)
        del store["model_weights/dense"][name]
        layout = h5py.VirtualLayout(shape=(3, 2), dtype="float64")
        layout[:] = h5py.VirtualSource(str(other), "data", shape=(3, 2))
        store["model_weights/dense"].create_virtual_dataset(name, layout)
    refused(path, "virtual or external storage")


def test_a_dataset_declared_huge_is_refused_before_it_is_read(tmp_path):
    path = legacy(tmp_path)
    with h5py.File(path, "a") as store:
        name = kernel_path(store)
        del store["model_weights/dense"][name]
        store["model_weights/dense"].create_dataset(name, shape=(2, 10**9), dtype="float64", chunks=(1, 1024))
    assert path.stat().st_size < 1 << 20
    refused(path, r"has shape \(2, 1000000000\), but the layer needs \(3, 2\)")


@pytest.mark.parametrize(
    ("values", "says"), [(np.full((3, 2), np.nan), "not finite"), (np.ones((3, 2)) * 1j, "complex")]
)
def test_weights_must_be_finite_reals(tmp_path, values, says):
    path = legacy(tmp_path)
    with h5py.File(path, "a") as store:
        name = kernel_path(store)
        del store["model_weights/dense"][name]
        store["model_weights/dense"].create_dataset(name, data=values)
    refused(path, says)


def test_a_config_nested_deeper_than_100_is_refused(tmp_path):
    path = legacy(tmp_path)
    with h5py.File(path, "a") as store:
        store.attrs["model_config"] = '{"class_name": "Sequential", "config": {"x": ' + "[" * 1000 + "]" * 1000 + "}}"
    refused(path, "nested")


def test_a_zip_bomb_is_refused_before_it_unpacks(tmp_path):
    path = tmp_path / "bomb.keras"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("config.json", b" " * (200 << 20))  # 200 MiB of spaces: a few hundred KiB packed
        archive.writestr("model.weights.h5", b"")
    assert path.stat().st_size < 2 << 20
    refused(path, "would unpack to")


def test_a_zip_that_lies_about_its_sizes_is_read_only_to_the_limit(tmp_path):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("config.json", b"{" + b" " * (100 << 20) + b"}")
        archive.writestr("model.weights.h5", b"")
    raw = bytearray(data.getvalue())
    # the central directory says 2 bytes: the member is still read no further than 100 times its packed size
    central = raw.rfind(b"PK\x01\x02")
    raw[central + 24 : central + 28] = (2).to_bytes(4, "little")
    path = tmp_path / "liar.keras"
    path.write_bytes(bytes(raw))
    with pytest.raises(NeuronError):
        load_model(str(path))


@pytest.mark.parametrize("kind", ["fifo", "zero", "directory"])
def test_what_is_not_a_regular_file_is_refused_without_waiting(tmp_path, kind):
    path = tmp_path / "model.keras"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    refused(path, "not a regular file")


def test_a_json_model_too_big_to_hold_is_refused_before_it_is_made(tmp_path):
    path = tmp_path / "huge.json"
    path.write_text(json.dumps({"layers": [{"units": 100000, "activation": "relu"}] * 8}))
    start = time.monotonic()
    with pytest.raises(NeuronError, match="--max-params"):
        load_model(str(path), input_size=100000)
    assert time.monotonic() - start < 1.0


def test_max_params_is_checked_from_the_config_before_weights_are_read(neuron):
    run = neuron("compute", "--model", str(FIXTURES / "mlp.keras"), "-x", "1,2,3", "--max-params", "20")
    assert run.code == 2 and "more than 20 parameters (--max-params)" in run.err
    assert neuron("inspect", str(FIXTURES / "mlp.keras"), "--max-params", "26").code == 0


def test_a_model_file_takes_memory_in_proportion_to_itself(tmp_path):
    # a dataset declared as 16 GB in a small file, under a 600 MB address space: refused, never allocated
    path = legacy(tmp_path)
    with h5py.File(path, "a") as store:
        name = kernel_path(store)
        del store["model_weights/dense"][name]
        store["model_weights/dense"].create_dataset(name, shape=(3, 2 * 10**9), dtype="float64", chunks=(1, 4096))

    def limited():
        resource.setrlimit(resource.RLIMIT_AS, (600 << 20, 600 << 20))

    done = subprocess.run(
        [*neuron_command(), "inspect", str(path)],
        capture_output=True,
        env=environment(),
        preexec_fn=limited,
        timeout=60,
    )
    assert done.returncode == 2 and b"has shape (3, 2000000000)" in done.stderr and b"Traceback" not in done.stderr


def test_save_model_h5_writes_keras_legacy_hdf5(tmp_path):
    network = Network((Layer.create([[1.0, -1.0, 0.5]], 0.25, "sigmoid"), Layer.create([[2.0]], 0.0, "linear")))
    path = tmp_path / "out.h5"
    from neuron_cli.io.models import save_model_file

    save_model_file(network, str(path))
    assert path.read_bytes()[:4] == b"\x89HDF"
    x = np.array([[0.3, -0.7, 1.1]])
    assert load_model(str(path))(x).tolist() == network(x).tolist()
    # the layout of a file Keras 3 wrote (tests/fixtures/keras/legacy.h5): the same attributes and groups
    with h5py.File(FIXTURES / "legacy.h5") as keras_written, h5py.File(path) as ours:
        assert set(ours.attrs) >= {"model_config", "keras_version", "backend"} <= set(keras_written.attrs)
        assert set(ours["model_weights"].attrs) == set(keras_written["model_weights"].attrs)
        for group in ours["model_weights"].attrs["layer_names"]:
            names = ours["model_weights"][group].attrs["weight_names"]
            assert all(isinstance(ours["model_weights"][group][n], h5py.Dataset) for n in names)
        assert json.loads(ours.attrs["model_config"])["class_name"] == "Sequential"
    assert read_keras(str(path)).params == 6


def keras_archive(path: Path, layers: list, weights: dict[str, np.ndarray]) -> Path:
    """A .keras file of a Sequential config and its weights (layers/<name>/vars/<k>)."""
    config = {"class_name": "Sequential", "config": {"name": "s", "layers": layers}}
    store = io.BytesIO()
    with h5py.File(store, "w") as h5:
        for name, array in weights.items():
            h5[name] = array
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("config.json", json.dumps(config))
        archive.writestr("model.weights.h5", store.getvalue())
    return path


def input_layer(size: int) -> dict:
    return {"class_name": "InputLayer", "config": {"batch_shape": [None, size], "name": "input"}}


def test_thousands_of_layers_are_read_in_linear_time(tmp_path):
    dense = {"class_name": "Dense", "config": {"name": "dense", "units": 1, "activation": "sigmoid"}}
    drops = [{"class_name": "Dropout", "config": {"name": f"d{i}", "rate": 0.1}} for i in range(16000)]
    weights = {"layers/dense/vars/0": np.ones((2, 1)), "layers/dense/vars/1": np.zeros(1)}
    path = keras_archive(tmp_path / "deep.keras", [input_layer(2), dense, *drops], weights)
    start = time.monotonic()
    network = load_model(str(path))
    assert time.monotonic() - start < 8.0  # a guard against the quadratic read: 15 s, when each layer summed all before
    assert network.forward(np.array([[1.0, 2.0]])).outputs[0, 0] == pytest.approx(1 / (1 + np.exp(-3.0)))


def test_a_layer_computed_value_by_value_on_a_wide_input_counts_its_square(tmp_path):
    activation = {"class_name": "Activation", "config": {"name": "a", "activation": "sigmoid"}}
    path = keras_archive(tmp_path / "wide.keras", [input_layer(60000), activation], {})
    refused(path, r"layer .a. \(Activation\) on 60000 values is computed with 3600000000 weights")
    small = keras_archive(tmp_path / "small.keras", [input_layer(3), activation], {})
    assert load_model(str(small)).forward(np.zeros((1, 3))).outputs.tolist() == [[0.5, 0.5, 0.5]]


def test_a_kernel_of_fill_values_alone_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "fill.h5"
    config = {
        "class_name": "Sequential",
        "config": {
            "name": "s",
            "layers": [
                input_layer(9000),
                {"class_name": "Dense", "config": {"name": "dense", "units": 10000, "activation": "linear"}},
            ],
        },
    }
    with h5py.File(path, "w") as store:
        store.attrs["model_config"] = json.dumps(config)
        group = store.create_group("model_weights/dense")
        group.create_dataset("dense/kernel", shape=(9000, 10000), dtype="f4", chunks=(1000, 1000), fillvalue=0.5)
        group.create_dataset("dense/bias", data=np.zeros(10000, "f4"))
        group.attrs["weight_names"] = [b"dense/kernel", b"dense/bias"]
    assert path.stat().st_size < 1 << 17
    refused(path, "declares 90000000 numbers but the file holds 0 bytes of them")


def test_max_params_holds_where_the_kernel_gives_the_input_size(tmp_path):
    path = tmp_path / "keras1.h5"
    config = {
        "class_name": "Sequential",
        "config": [{"class_name": "Dense", "config": {"name": "dense_1", "units": 10, "activation": "relu"}}],
    }
    with h5py.File(path, "w") as store:
        store.attrs["model_config"] = json.dumps(config)
        group = store.create_group("model_weights/dense_1")
        group["dense_1/kernel:0"] = np.ones((50, 10), "f4")
        group["dense_1/bias:0"] = np.zeros(10, "f4")
        group.attrs["weight_names"] = [b"dense_1/kernel:0", b"dense_1/bias:0"]
    with pytest.raises(NeuronError, match=r"more than 100 parameters \(--max-params\)"):
        load_model(str(path), max_params=100)
    assert load_model(str(path), max_params=510).layers[0].weights.shape == (10, 50)
