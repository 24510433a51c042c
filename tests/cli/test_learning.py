"""The learning tools through the installed command: explain, check, truth tables, plots, one training step."""

import json
import math
import xml.dom.minidom

import numpy as np
import pytest

from neuron_cli.nn.layers import Layer, Network
from neuron_cli.nn.learning import learning_step

NEURON = ["-x", "1,2,3", "-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid"]
LAYER = ["-x", "1,2,3", "-w", "0.1,0.2,0.3;0.4,0.5,0.6", "-a", "relu"]


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


# ---------------------------------------------------------------- explain


def test_explain_writes_every_step_with_its_numbers(neuron):
    run = neuron("compute", *NEURON, "--explain")
    assert run.code == 0
    text = run.out
    assert "x1 * w1 = 1 * 0.5 = 0.5" in text
    assert "x2 * w2 = 2 * (-0.2) = -0.4" in text
    assert "sum of x*w = 0.5 + (-0.4) + 0.3 = 0.4" in text
    assert "z = sum + b = 0.4 + 0.1 = 0.5" in text
    assert "1 / (1 + exp(-0.5)) = 0.6224593312" in text
    assert "\x1b[" not in text


def test_explain_shows_softmax_normalisation(neuron):
    text = neuron("compute", *LAYER[:4], "-a", "softmax", "--explain").out
    e = math.exp(1.4 - 3.2)
    assert "subtract the largest z (3.2)" in text
    assert f"sum = {e:.10g} + 1 = {e + 1:.10g}" in text
    assert f"out1 = {e:.10g} / {e + 1:.10g} = {e / (e + 1):.10g}" in text


def test_explain_in_json(neuron):
    doc = json.loads(neuron("compute", *NEURON, "--explain", "--format", "json").out)
    assert "z = sum + b = 0.4 + 0.1 = 0.5" in doc["explanation"]


# ---------------------------------------------------------------- check


@pytest.mark.parametrize(
    ("expect", "word"),
    [
        ("0.6225", "PASS"),
        ("0.62246", "PASS"),
        ("0.622", "PASS"),
        ("0.6224", "FAIL"),
        ("0.6226", "FAIL"),
        ("0.623", "FAIL"),
        ("0.7", "FAIL"),
        ("0.62", "TOO COARSE"),  # right at its places, but 2 digits: once it passed
        ("0.6", "TOO COARSE"),
        ("1", "TOO COARSE"),
    ],
)
def test_check_tolerance_comes_from_the_places_written_and_three_digits(neuron, expect, word):
    run = neuron("check", *NEURON, "--expect", expect)
    assert run.code == (0 if word == "PASS" else 1), run.out
    assert f": {word}" in run.out
    if word == "TOO COARSE":
        assert "give at least 3 significant digits" in run.out
    assert "0.6" not in neuron("check", *NEURON, "--expect", "0.6", "--min-sig", "1").err


def test_check_with_an_absolute_tolerance(neuron):
    assert neuron("check", *NEURON, "--expect", "0.62", "--tol", "0.01").code == 0
    assert neuron("check", *NEURON, "--expect", "0.62", "--tol", "0.001").code == 1


def test_check_a_layer_and_say_by_how_much(neuron):
    assert neuron("check", *LAYER, "--expect", "1.4,3.2").code == 0
    run = neuron("check", *LAYER, "--expect", "1.4,3.3")
    assert run.code == 1
    assert "output 2: answer 3.3, correct 3.1999999999999997, off by 0.1" in run.out
    assert "1 of 2 outputs do not match" in run.out


def test_check_json_and_quiet(neuron):
    run = neuron("check", *LAYER, "--expect", "1.4,3.3", "--format", "json")
    doc = json.loads(run.out)
    assert doc["pass"] is False
    assert [o["pass"] for o in doc["outputs"]] == [True, False]
    assert doc["outputs"][1]["difference"] == pytest.approx(0.1)
    quiet = neuron("check", *LAYER, "--expect", "1.4,3.3", "-q")
    assert quiet.code == 1 and quiet.out == "" and quiet.err == ""


def test_check_negative_expectations_and_bad_counts(neuron):
    assert neuron("check", "-x", "1", "-w", "-1", "--expect", "-1").code == 0
    run = neuron("check", *LAYER, "--expect", "1.4")
    assert run.code == 2 and "--expect has 1 value but there are 2 outputs" in run.err
    assert neuron("check", *LAYER).code == 2
    assert neuron("check", *LAYER, "--expect", "1.4,abc").code == 2


# ---------------------------------------------------------------- truth tables


@pytest.mark.parametrize(
    ("weights", "bias", "gate"),
    [
        ("1,1", "-1.5", "and"),
        ("1,1", "-0.5", "or"),
        ("-1,-1", "1.5", "nand"),
        ("-1,-1", "0.5", "nor"),
        ("1,1,1", "-2.5", "and"),
        ("1,1,1", "-0.5", "or"),
        ("1,1", "-2", "and"),
    ],
)
def test_perceptron_gates(neuron, weights, bias, gate):
    run = neuron("truth-table", "-w", weights, "-b", bias, "-a", "step", "--gate", gate)
    assert run.code == 0, run.out
    assert f"it is {gate.upper()} on every row" in run.out


def test_z_exactly_at_the_threshold_fires(neuron):
    # (1, 1): z = 1 + 1 - 2 = 0 exactly, and step fires where z >= 0
    rows = [
        json.loads(line) for line in neuron("truth-table", "-w", "1,1", "-b", "-2", "-a", "step", "-f", "json").lines()
    ]
    assert [row["inputs"] for row in rows] == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert [row["outputs"] for row in rows] == [[0.0], [0.0], [0.0], [1.0]]


def test_xor_is_refused_with_the_reason(neuron):
    run = neuron("truth-table", "-w", "1,1", "-b", "-0.5", "-a", "step", "--gate", "xor")
    assert run.code == 1
    assert "DIFFERS" in run.out
    assert "no single neuron can draw XOR" in run.out


def test_xor_by_a_network(neuron, tmp_path):
    model = {
        "layers": [
            {"weights": [[1, 1], [1, 1]], "bias": [-0.5, -1.5], "activation": "step"},
            {"weights": [[1, -1]], "bias": -0.5, "activation": "step"},
        ]
    }
    (tmp_path / "xor.json").write_text(json.dumps(model))
    run = neuron("truth-table", "--model", str(tmp_path / "xor.json"), "--gate", "xor")
    assert run.code == 0, run.out


def test_sigmoid_gate_counts_half_as_one(neuron):
    run = neuron("truth-table", "-w", "20,20", "-b", "-10", "-a", "sigmoid", "--gate", "or")
    assert run.code == 0
    assert "0.5 or more counts as 1" in run.out
    rows = [
        json.loads(line)
        for line in neuron("truth-table", "-w", "20,20", "-b", "-10", "-a", "sigmoid", "-f", "json").lines()
    ]
    assert rows[0]["outputs"][0] == pytest.approx(sigmoid(-10)) and rows[0]["fires"] == [0]


def test_truth_table_size_limit(neuron):
    run = neuron("truth-table", "-w", ",".join(["1"] * 17))
    assert run.code == 2 and "1 to 16 inputs" in run.err
    assert len(neuron("truth-table", "-w", ",".join(["1"] * 10), "-f", "csv").lines()) == 1 + 1024


# ---------------------------------------------------------------- plot


def test_plot_with_a_marked_point(neuron):
    run = neuron("plot", "sigmoid", "--at", "0.5")
    assert run.code == 0
    s = sigmoid(0.5)
    assert f"at z = 0.5: f(z) = {s!r}, f'(z) = {s * (1 - s)!r}" in run.out
    assert "sigmoid(z)" in run.out and "f'(z)" in run.out
    assert "\x1b[" not in run.out


def test_plot_range_and_ascii(neuron, neuron_process):
    run = neuron_process("plot", "relu", "--range", "-2:2", env={"PYTHONIOENCODING": "ascii"})
    assert run.code == 0 and run.stdout_bytes.isascii()
    assert "-2" in run.out and "2" in run.out
    assert neuron("plot", "relu", "--range", "2:-2").code == 2
    assert neuron("plot", "nope").code == 2


@pytest.mark.parametrize(
    ("option", "value"), [("--height", "0"), ("--height", "4"), ("--width", "0"), ("--width", "9")]
)
def test_a_plot_too_small_to_draw_is_refused(neuron, option, value):
    run = neuron("plot", "sigmoid", option, value)
    assert (
        run.code == 2 and run.out == "" and f"{option} takes " in run.err and run.err.rstrip().endswith(f"got {value}")
    )


def test_compute_plot_marks_each_neuron(neuron):
    run = neuron("compute", "-x", "1,2", "-w", "1,-1;0.5,0.5", "-a", "tanh", "--plot", "--format", "table")
    assert "n1: z = -1" in run.out and "n2: z = 1.5" in run.out


# ---------------------------------------------------------------- one training step


def test_training_step_half_sse_by_hand(neuron):
    doc = json.loads(neuron("compute", *NEURON, "--target", "1", "--lr", "0.5", "-f", "json").out)
    y = sigmoid(0.5)
    dz = (y - 1) * y * (1 - y)
    assert doc["loss"] == pytest.approx(0.5 * (y - 1) ** 2)
    update = doc["layers"][0]["neurons"][0]["update"]
    assert update["dz"] == pytest.approx(dz)
    assert update["dw"] == pytest.approx([dz * 1, dz * 2, dz * 3])
    assert update["weights"] == pytest.approx([0.5 - 0.5 * dz, -0.2 - 0.5 * dz * 2, 0.1 - 0.5 * dz * 3])
    assert update["bias"] == pytest.approx(0.1 - 0.5 * dz)


@pytest.mark.parametrize("loss", ["half_sse", "mse", "binary_crossentropy"])
def test_training_step_each_loss_on_a_layer(neuron, loss):
    x, w, b, t = np.array([0.5, -1.0]), np.array([[0.3, 0.8], [-0.6, 0.2]]), np.array([0.1, -0.2]), np.array([1.0, 0.0])
    y = 1 / (1 + np.exp(-(w @ x + b)))
    if loss == "half_sse":
        expected_loss, dy = 0.5 * np.sum((y - t) ** 2), y - t
    elif loss == "mse":
        expected_loss, dy = np.mean((y - t) ** 2), 2 * (y - t) / 2
    else:
        expected_loss = -np.mean(t * np.log(y) + (1 - t) * np.log(1 - y))
        dy = (y - t) / (y * (1 - y)) / 2
    dz = dy * y * (1 - y)
    doc = json.loads(
        neuron(
            "compute",
            "-x",
            "0.5,-1",
            "-w",
            "0.3,0.8;-0.6,0.2",
            "-b",
            "0.1,-0.2",
            "-a",
            "sigmoid",
            "--target",
            "1,0",
            "--loss",
            loss,
            "--lr",
            "0.1",
            "-f",
            "json",
        ).out
    )
    assert doc["loss"] == pytest.approx(expected_loss, rel=1e-12)
    for j, neuron_doc in enumerate(doc["layers"][0]["neurons"]):
        assert neuron_doc["update"]["dz"] == pytest.approx(dz[j], rel=1e-12)
        assert neuron_doc["update"]["weights"] == pytest.approx(list(w[j] - 0.1 * dz[j] * x), rel=1e-12)


def test_perceptron_rule(neuron):
    doc = json.loads(
        neuron(
            "compute",
            "-x",
            "1,0",
            "-w",
            "0.5,0.5",
            "-b",
            "-0.7",
            "-a",
            "step",
            "--target",
            "1",
            "--lr",
            "0.1",
            "-f",
            "json",
        ).out
    )
    update = doc["layers"][0]["neurons"][0]["update"]
    assert doc["rule"] == "perceptron"
    assert update["weights"] == pytest.approx([0.5 + 0.1 * 1 * 1, 0.5 + 0.1 * 1 * 0])  # w + r (t - y) x
    assert update["bias"] == pytest.approx(-0.7 + 0.1)


def test_training_step_in_table_and_explain(neuron):
    table = neuron("compute", *NEURON, "--target", "1", "-f", "table").out
    assert "new w" in table and "loss (half_sse) before the step" in table
    text = neuron("compute", *NEURON, "--target", "1", "--explain").out
    assert "dL/dz = dL/dy1 * f'(z)" in text and "dL/dw3 = dL/dz * x3" in text


def test_gradients_match_finite_differences_of_the_loss():
    network = Network(
        (
            Layer.create([[0.2, -0.4], [0.7, 0.1]], [0.1, 0.0], "tanh"),
            Layer.create([[0.5, -0.3], [0.2, 0.9]], [0.0, 0.2], "softmax"),
        )
    )
    x, t = np.array([0.3, -0.8]), np.array([1.0, 0.0])
    step = learning_step(network.forward(x), t, "binary_crossentropy", 0.1)
    h = 1e-6
    for index, layer in enumerate(network.layers):
        for j in range(layer.neurons):
            for i in range(layer.input_size):

                def loss_at(delta, index=index, j=j, i=i):
                    weights = [lay.weights.copy() for lay in network.layers]
                    weights[index][j, i] += delta
                    shifted = Network(
                        tuple(Layer(wt, lay.bias, lay.activation) for wt, lay in zip(weights, network.layers))
                    )
                    return learning_step(shifted.forward(x), t, "binary_crossentropy", 0.1).loss

                numeric = (loss_at(h) - loss_at(-h)) / (2 * h)
                assert step.updates[index].dw[j, i] == pytest.approx(numeric, abs=1e-8)


def test_save_svg_and_html(neuron, tmp_path):
    svg, html = tmp_path / "n.svg", tmp_path / "n.html"
    run = neuron("compute", *NEURON, "--explain", "--save-svg", str(svg), "--save-html", str(html))
    assert run.code == 0
    document = xml.dom.minidom.parse(str(svg))
    assert document.documentElement.tagName == "svg"
    assert "0.6224593312" in svg.read_text()
    assert "<html" in html.read_text().lower()
    assert neuron("compute", *NEURON, "--save-svg", "/no/such/dir/n.svg").code == 2


def test_row_tools_refuse_a_stream(neuron):
    run = neuron("compute", "-w", "1,1", "--explain", stdin="1,2\n")
    assert run.code == 2 and "--explain" in run.err


def test_row_tools_take_one_row(neuron, tmp_path):
    (tmp_path / "rows.txt").write_text("1,2\n3,4\n")
    run = neuron("compute", "-x", f"@{tmp_path / 'rows.txt'}", "-w", "1,1", "--target", "1")
    assert run.code == 2 and "--target: one input row only" in run.err and "has 2 rows" in run.err


@pytest.mark.parametrize(
    ("weights", "bias", "gate"),
    # The perceptron gates of Saito's "Deep Learning from Scratch" (밑바닥부터 시작하는 딥러닝), chapter 2.
    [("0.5,0.5", "-0.7", "and"), ("-0.5,-0.5", "0.7", "nand"), ("0.5,0.5", "-0.2", "or")],
)
def test_textbook_perceptron_gates(neuron, weights, bias, gate):
    assert neuron("truth-table", "-w", weights, "-b", bias, "-a", "step", "--gate", gate).code == 0


def test_textbook_xor_from_nand_or_and(neuron, tmp_path):
    model = {
        "layers": [
            {"weights": [[-0.5, -0.5], [0.5, 0.5]], "bias": [0.7, -0.2], "activation": "step"},
            {"weights": [[0.5, 0.5]], "bias": -0.7, "activation": "step"},
        ]
    }
    (tmp_path / "xor.toml").write_text(
        "".join(
            f'[[layers]]\nweights = {layer["weights"]}\nbias = {layer["bias"]}\nactivation = "step"\n'
            for layer in model["layers"]
        )
    )
    run = neuron("truth-table", "--model", str(tmp_path / "xor.toml"), "--gate", "xor", "--format", "json")
    assert run.code == 0
    assert [json.loads(line)["outputs"] for line in run.lines()] == [[0.0], [1.0], [1.0], [0.0]]


@pytest.mark.parametrize(
    ("spec", "formula"),
    [
        ("relu", "max(z, 0)"),
        (
            "relu:threshold=0.5,negative_slope=0.1",
            "(z if z > threshold else 0) - negative_slope * max(threshold - z, 0)",
        ),
        ("gelu", "z * (1 + erf(z / sqrt(2))) / 2"),
        ("gelu:approximate=true", "z * (1 + tanh(sqrt(2/pi) * (z + 0.044715 * z^3))) / 2"),
    ],
)
def test_explain_shows_the_formula_of_these_parameters(neuron, spec, formula):
    run = neuron("compute", "-x", "1", "-w", "1", "-a", spec, "--explain")
    assert f"f(z) = {formula}\n" in run.out
    doc = json.loads(neuron("compute", "-x", "1", "-w", "1", "-a", spec, "--format", "json").out)
    assert doc["layers"][0]["formula"] == formula


def test_categorical_crossentropy_is_explained_like_every_loss(neuron):
    """Every loss of the registry has its formulas: --explain once ended in a KeyError for this one."""
    args = ["-x", "1,2", "-w", "0.1,0.2;0.3,0.4", "-a", "softmax", "--target", "1,0"]
    run = neuron("compute", *args, "--loss", "categorical_crossentropy", "--explain")
    assert run.code == 0 and run.err == ""
    assert "loss categorical_crossentropy: L = -sum_k t_k log(s_k)" in run.out
    from neuron_cli.nn.losses import REGISTRY

    for loss in REGISTRY:
        explained = neuron("compute", *args, "--loss", loss.name, "--explain", "--format", "plain")
        assert explained.code == 0 and loss.formula in explained.out and loss.slope in explained.out


def test_a_step_inside_a_network_learns_alike_in_compute_and_train(neuron, tmp_path):
    """One rule: a step in a deeper network has derivative 0 like any activation, so the layers up to it keep
    their weights, in `compute --target` as in one epoch of `train` (batch size 1), and both say so once."""
    model = tmp_path / "net.json"
    model.write_text(
        '{"layers": [{"weights": [[1, -1], [0.5, 0.5]], "bias": [0, -1], "activation": "step"},'
        ' {"weights": [[0.7, -0.3]], "bias": 0.2, "activation": "sigmoid"}]}'
    )
    data = tmp_path / "data.csv"
    data.write_text("x1,x2,t1\n0.5,-1,1\n")
    stepped = neuron("compute", "--model", str(model), "-x", "0.5,-1", "--target", "1", "--lr", "0.3", "-f", "json")
    trained = neuron(
        "train", "--data", str(data), "--model", str(model), "--lr", "0.3", "--batch-size", "1", "-f", "json"
    )
    after_step = [[n["update"]["weights"] for n in layer["neurons"]] for layer in json.loads(stepped.out)["layers"]]
    after_epoch = [layer["weights"] for layer in json.loads(trained.lines()[-1])["model"]["layers"]]
    assert after_step == after_epoch
    assert after_step[0] == [[1.0, -1.0], [0.5, 0.5]] and after_step[1] != [[0.7, -0.3]]
    note = "note: layer 1 does not learn: the derivative of step is 0\n"
    assert stepped.err == trained.err == note


def test_a_layer_without_bias_keeps_none_and_explain_says_so(neuron, tmp_path):
    model = tmp_path / "nobias.json"
    model.write_text('{"layers": [{"weights": [[0.5, -0.2]], "activation": "sigmoid", "use_bias": false}]}')
    explained = neuron("compute", "-x", "1,2", "--model", str(model), "--target", "1", "--explain")
    assert "no bias (use_bias: false): nothing to update" in explained.out and "b = 0 -" not in explained.out
    document = json.loads(neuron("compute", "-x", "1,2", "--model", str(model), "--target", "1", "-f", "json").out)
    assert document["layers"][0]["neurons"][0]["update"]["bias"] == 0.0


@pytest.mark.parametrize("span", ["0:1e-320", "-1e-310:0", "1e8:100000000.00000002", "0:1e-300"])
def test_a_range_too_narrow_to_plot_is_refused_not_a_traceback(neuron, span):
    run = neuron("plot", "sigmoid", f"--range={span}")
    assert run.code == 2 and "narrower than a terminal plot can tell apart" in run.err and "Traceback" not in run.err
