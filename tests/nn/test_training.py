"""Training against Keras 3's own model.fit (tests/reference/keras_training.json, made by the script beside it),
and against numbers worked by hand: the perceptron rule, the optimizers' first steps, the losses' slopes."""

import io
import json
from pathlib import Path

import numpy as np
import pytest

from neuron_cli.errors import NeuronError
from neuron_cli.io import sheets
from neuron_cli.io.sheets import data_arrays, read_data
from neuron_cli.nn.layers import Layer, Network
from neuron_cli.nn.losses import NAMES as LOSSES
from neuron_cli.nn.losses import row_losses
from neuron_cli.nn.optimizers import SGD, Adam, RMSprop, make_optimizer
from neuron_cli.nn.training import Settings, Trainer

REFERENCE = json.loads((Path(__file__).parent.parent / "reference" / "keras_training.json").read_text())


def network_of(case):
    return Network(
        tuple(
            Layer.from_kernel(spec["kernel"], spec.get("bias", 0.0), spec["activation"]).__class__(
                np.array(spec["kernel"], dtype=float).T,
                np.array(spec.get("bias", np.zeros(len(spec["kernel"][0]))), dtype=float),
                Layer.from_kernel(spec["kernel"], 0.0, spec["activation"]).activation,
                spec["use_bias"],
            )
            for spec in case["layers"]
        )
    )


@pytest.mark.parametrize("case", REFERENCE["cases"], ids=lambda case: case["name"])
def test_fit_matches_keras_epoch_by_epoch(case):
    settings = {k: v for k, v in case["optimizer"].items() if k not in ("name", "learning_rate")}
    optimizer = make_optimizer(case["optimizer"]["name"], case["optimizer"].get("learning_rate"), **settings)
    settings = Settings(case["loss"], case["batch_size"])
    trainer = Trainer(network_of(case), np.array(case["x"]), np.array(case["t"]), settings, optimizer)
    epochs = list(trainer.epochs(case["epochs"]))
    assert [e.loss for e in epochs] == pytest.approx(case["history_loss"], rel=1e-9, abs=1e-12)
    if "history_accuracy" in case:
        assert [e.accuracy for e in epochs] == pytest.approx(case["history_accuracy"], abs=1e-12)
    for layer, final in zip(trainer.network.layers, case["final"]):
        assert pytest.approx(np.array(final["kernel"]), rel=1e-9, abs=1e-12) == layer.weights.T
        if "bias" in final:
            assert layer.bias == pytest.approx(np.array(final["bias"]), rel=1e-9, abs=1e-12)
        else:
            assert not layer.use_bias and np.all(layer.bias == 0)


def test_the_and_perceptron_by_hand():
    # lr 0.1 from w = (0, 0), b = 0, rows 00 01 10 11 (AND). Epoch 1: 00 fires (z = 0 >= 0) but t = 0:
    # w = (0, 0), b = -0.1; 01, 10 silent (right); 11: z = -0.1, t = 1: w = (0.1, 0.1), b = 0. Two mistakes.
    data = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    step = Network((Layer.create([0.0, 0.0], 0.0, "step"),))
    trainer = Trainer(step, data, np.array([[0], [0], [0], [1.0]]), Settings("half_sse"), SGD(0.1))
    epochs = list(trainer.epochs(20))
    assert epochs[0].mistakes == 2 and epochs[0].loss == pytest.approx(0.25)  # two rows off by 1: 1/2 * 2 / 4
    assert epochs[-1].mistakes == 0 and len(epochs) < 20  # it stops at the first epoch without a mistake
    outputs = trainer.network(data)
    assert outputs.ravel().tolist() == [0, 0, 0, 1]


def test_xor_does_not_converge_for_one_perceptron():
    data = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    step = Network((Layer.create([0.0, 0.0], 0.0, "step"),))
    trainer = Trainer(step, data, np.array([[0], [1], [1], [0.0]]), Settings("half_sse"), SGD(0.1))
    epochs = list(trainer.epochs(30))
    assert len(epochs) == 30 and all(e.mistakes > 0 for e in epochs)


def test_the_first_steps_of_each_optimizer_by_hand():
    g = np.array([0.5, -2.0])
    w = np.array([1.0, 1.0])
    sgd = SGD(0.1, momentum=0.9)
    sgd.build([w])
    sgd.apply([g], [w])  # m = -0.1 g; w += m
    sgd.apply([g], [w])  # m = 0.9 m - 0.1 g
    assert w == pytest.approx(1 - 0.1 * g - (0.9 * 0.1 + 0.1) * g)
    w = np.array([1.0, 1.0])
    adam = Adam(0.01)
    adam.build([w])
    adam.apply([g], [w])  # step 1: m = 0.1 g, v = 0.001 g^2, alpha = 0.01 sqrt(0.001) / 0.1
    assert w == pytest.approx(1 - 0.01 * np.sqrt(0.001) / 0.1 * 0.1 * g / (np.sqrt(0.001) * np.abs(g) + 1e-7))
    w = np.array([1.0, 1.0])
    rms = RMSprop(0.01)
    rms.build([w])
    rms.apply([g], [w])  # v = 0.1 g^2
    assert w == pytest.approx(1 - 0.01 * g / np.sqrt(0.1 * g**2 + 1e-7))


@pytest.mark.parametrize("loss", LOSSES)
def test_each_loss_slope_is_its_central_difference(loss):
    rng = np.random.default_rng(3)
    outputs = rng.uniform(0.05, 0.9, size=(4, 3))
    targets = np.eye(3)[[0, 2, 1, 1]]
    _, slope = row_losses(loss, outputs, targets)
    h = 1e-6
    for r in range(4):
        for k in range(3):
            up, down = outputs.copy(), outputs.copy()
            up[r, k] += h
            down[r, k] -= h
            numeric = (row_losses(loss, up, targets)[0][r] - row_losses(loss, down, targets)[0][r]) / (2 * h)
            assert slope[r, k] == pytest.approx(numeric, rel=1e-5, abs=1e-8)


def test_a_diverging_run_names_its_epoch():
    data = np.array([[1.0, 2.0], [3.0, 4.0]])
    # Each step multiplies w's error by about 1 - 2 lr x^2 (here -49): it overflows within a few dozen epochs.
    linear = Network((Layer.create([1.0, 1.0], 0.0, "linear"),))
    trainer = Trainer(linear, data, np.array([[1.0], [2.0]]), Settings("mse"), SGD(1.0))
    with pytest.raises(NeuronError, match=r"the loss became (inf|nan) in epoch \d+"):
        list(trainer.epochs(500))


def test_data_with_and_without_a_header():
    with_header = read_data(io.BytesIO(b"name,x1,x2,t1\na,1,2,0\nb,3,4,1\n"))
    inputs, targets = data_arrays(with_header, 1, 2)
    assert inputs.tolist() == [[1, 2], [3, 4]] and targets.tolist() == [[0], [1]]
    without = read_data(io.BytesIO(b"1,2,0\n3,4,1\n"))
    inputs, targets = data_arrays(without, 1, None)
    assert inputs.tolist() == [[1, 2], [3, 4]] and targets.tolist() == [[0], [1]]
    with pytest.raises(NeuronError, match="line 3, x2 is 'oops'"):
        data_arrays(read_data(io.BytesIO(b"x1,x2,t1\n1,2,0\n3,oops,1\n")), 1, 2)


def test_train_command_reports_and_saves(neuron, tmp_path):
    (tmp_path / "and.csv").write_text("x1,x2,t1\n0,0,0\n0,1,0\n1,0,0\n1,1,1\n")
    args = ["train", "--data", str(tmp_path / "and.csv"), "-w", "0,0", "-b", "0", "-a", "step", "--lr", "0.1"]
    run = neuron(*args, "--epochs", "20", "--format", "json", "--save-model", str(tmp_path / "and.json"))
    lines = [json.loads(line) for line in run.lines()]
    assert run.code == 0 and lines[0]["epoch"] == 1 and lines[-1]["converged"] is True
    assert lines[-1]["epochs"] == len(lines) - 1
    assert lines[-1]["model"] == json.loads((tmp_path / "and.json").read_text())
    check = neuron("compute", "--model", str(tmp_path / "and.json"), "-x", "1,1")
    assert check.out == "1.0\n"
    table = neuron(*args, "--epochs", "20", "--format", "table")
    assert "converged after" in table.out
    csv = neuron(*args, "--epochs", "2", "--format", "csv")
    assert csv.lines()[0] == "epoch,loss,accuracy"


def test_a_diverging_command_saves_nothing(neuron, tmp_path):
    (tmp_path / "d.csv").write_text("x1,t1\n10,1\n20,2\n")
    run = neuron(
        "train",
        "--data",
        str(tmp_path / "d.csv"),
        "-w",
        "1",
        "--lr",
        "1",
        "--loss",
        "mse",
        "--epochs",
        "500",
        "--save-model",
        str(tmp_path / "out.json"),
    )
    assert run.code == 2 and "in epoch" in run.err and not (tmp_path / "out.json").exists()


@pytest.mark.parametrize(
    ("activation", "place", "reason"),
    [
        ("step", "net.keras", "step is not a Keras activation"),
        ("step", "net.h5", "step is not a Keras activation"),
        ("tanh", "missing/net.json", "the folder"),
        ("tanh", ".", "is a directory"),
    ],
)
def test_a_model_that_cannot_be_saved_is_refused_before_training(neuron, tmp_path, activation, place, reason):
    (tmp_path / "and.csv").write_text("x1,x2,t1\n0,0,0\n1,1,1\n")
    target = tmp_path / place
    run = neuron(
        "train", "--data", str(tmp_path / "and.csv"), "-w", "0,0", "-a", activation, "--lr", "0.1",
        "--epochs", "10000000", "--save-model", str(target), "-f", "json",
    )  # fmt: skip
    assert run.code == 2 and run.out == "" and reason in run.err and "--save-model" in run.err


def test_a_data_set_is_read_in_blocks_and_its_limits_count_rows_not_the_header(monkeypatch):
    monkeypatch.setattr(sheets, "DATA_BLOCK", 3)
    monkeypatch.setattr(sheets, "MAX_DATA_ROWS", 7)
    rows = b"".join(b"%d,%d,1\n" % (k, -k) for k in range(7))
    inputs, targets = data_arrays(read_data(io.BytesIO(b"x1,x2,t1\n" + rows)), 1, 2)
    assert inputs[:, 0].tolist() == list(range(7)) and targets.shape == (7, 1)
    with pytest.raises(NeuronError, match="more than 7 rows"):
        data_arrays(read_data(io.BytesIO(b"x1,x2,t1\n" + rows + b"7,7,1\n")), 1, 2)
    monkeypatch.setattr(sheets, "MAX_DATA_VALUES", 12)  # 4 rows of 3 values
    with pytest.raises(NeuronError, match="more than 4 rows of 3 values"):
        data_arrays(read_data(io.BytesIO(rows)), 1, None)


def test_the_first_problem_in_the_file_is_named_whichever_block_it_is_in(monkeypatch):
    monkeypatch.setattr(sheets, "DATA_BLOCK", 2)
    text = b'x1,t1\n1,0\n2,0\n3,0\n4,oops\n5,"6\n'
    with pytest.raises(NeuronError, match="line 5, t1 is 'oops'"):
        data_arrays(read_data(io.BytesIO(text)), 1, 1)
    with pytest.raises(NeuronError, match="line 3 has 3 values but the first row has 2"):
        data_arrays(read_data(io.BytesIO(b"1,0\n2,0\n3,0,0\nx,0\n")), 1, None)
