"""Text and files to arrays, and the message for every kind of bad token."""

import json

import numpy as np
import pytest

from neuron_cli.errors import NeuronError
from neuron_cli.io.models import load_model
from neuron_cli.io.values import parse_bias, parse_inputs, parse_vector, parse_weights


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,2,3", [1, 2, 3]),
        ("1 2 3", [1, 2, 3]),
        ("1, 2,\t3", [1, 2, 3]),
        (" -1,.5,2.,1e-3 ", [-1, 0.5, 2, 0.001]),
        ("+4", [4]),
    ],
)
def test_vectors_in_python_float_syntax(text, expected):
    np.testing.assert_array_equal(parse_vector(text, "-x"), expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "-x is empty"),
        ("1,,2", "-x, value 2 is empty"),
        ("1,2,", "-x, value 3 is empty"),
        (",1", "-x, value 1 is empty"),
        ("1,abc", "-x, value 2 is 'abc', which is not a number"),
        ("nan", "only finite"),
        ("1,inf", "value 2 is 'inf'; only finite"),
        ("1e999", "only finite"),
    ],
)
def test_bad_vectors_name_the_value(text, message):
    with pytest.raises(NeuronError, match=message):
        parse_vector(text, "-x")


def test_weights_by_semicolon_or_repeated_option():
    expected = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]
    np.testing.assert_array_equal(parse_weights(["0.1,0.2,0.3;0.4,0.5,0.6"]), expected)
    np.testing.assert_array_equal(parse_weights(["0.1,0.2,0.3", "0.4,0.5,0.6"]), expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [("1,2;", "neuron 2 is empty"), ("1,2;;3,4", "neuron 2 is empty"), (";1,2", "neuron 1 is empty")],
)
def test_an_empty_neuron_between_semicolons_is_refused(text, message):
    with pytest.raises(NeuronError, match=message):
        parse_weights([text])


def test_ragged_weights_give_both_counts():
    with pytest.raises(NeuronError, match="neuron 1 has 3 values but neuron 2 has 2"):
        parse_weights(["1,2,3;4,5"])


def test_bias_shared_or_per_neuron():
    np.testing.assert_array_equal(parse_bias("-1"), [-1])
    np.testing.assert_array_equal(parse_bias("0.1,0.2"), [0.1, 0.2])


def test_files_of_each_kind(tmp_path):
    np.save(tmp_path / "w.npy", np.array([[1.0, 2.0], [3.0, 4.0]]))
    (tmp_path / "w.json").write_text("[[1, 2], [3, 4]]")
    (tmp_path / "w.txt").write_text("# two neurons\n1,2\n3 4\n")
    for name in ("w.npy", "w.json", "w.txt"):
        np.testing.assert_array_equal(parse_weights([f"@{tmp_path / name}"]), [[1, 2], [3, 4]])
    np.testing.assert_array_equal(parse_inputs(f"@{tmp_path / 'w.txt'}"), [[1, 2], [3, 4]])


def test_pickled_npy_is_refused(tmp_path):
    np.save(tmp_path / "p.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(NeuronError, match="pickles are refused"):
        parse_weights([f"@{tmp_path / 'p.npy'}"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[1, "a"]', "'a' is not a number"),
        ("[[1, 2], [3]]", "different lengths"),
        ("{", "not valid JSON"),
        ("[[1, [2]]]", "mixes numbers and lists"),
        ("[[[1]]]", "nested more than two deep"),
        ("[]", "no numbers"),
        ("[true]", "not a number"),
    ],
)
def test_bad_json_files(tmp_path, content, message):
    (tmp_path / "w.json").write_text(content)
    with pytest.raises(NeuronError, match=message):
        parse_weights([f"@{tmp_path / 'w.json'}"])


def test_missing_file():
    with pytest.raises(NeuronError, match="cannot read"):
        parse_weights(["@/no/such/file.txt"])


def test_model_files_in_both_layouts(tmp_path):
    model = {
        "layers": [
            {"weights": [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], "bias": [0.0, 0.1], "activation": "relu"},
            {"kernel": [[1.0], [-1.0]], "bias": 0.5, "activation": "sigmoid"},
        ]
    }
    (tmp_path / "m.json").write_text(json.dumps(model))
    network = load_model(str(tmp_path / "m.json"))
    assert [layer.weights.shape for layer in network.layers] == [(2, 3), (1, 2)]
    (tmp_path / "m.toml").write_text(
        '[[layers]]\nweights = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]\nbias = [0.0, 0.1]\nactivation = "relu"\n'
        '[[layers]]\nkernel = [[1.0], [-1.0]]\nbias = 0.5\nactivation = "sigmoid"\n'
    )
    again = load_model(str(tmp_path / "m.toml"))
    np.testing.assert_array_equal(network(np.array([1.0, 2.0, 3.0])), again(np.array([1.0, 2.0, 3.0])))


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ({"layers": []}, 'non-empty "layers"'),
        ({"layers": [{"bias": 1}]}, "needs one of weights"),
        ({"layers": [{"weights": [[1]], "kernel": [[1]]}]}, "it has weights and kernel"),
        ({"layers": [{"weights": [[1]], "activation": "nope"}]}, "layer 1: unknown activation"),
        ({"layers": [{"weights": [[1]], "colour": 1}]}, "unknown key colour"),
        ({"layers": [{"weights": [[1, 2]]}, {"weights": [[1, 2]]}]}, "layer 2 takes 2 inputs but layer 1 gives 1"),
    ],
)
def test_bad_models(tmp_path, model, message):
    (tmp_path / "m.json").write_text(json.dumps(model))
    with pytest.raises(NeuronError, match=message):
        load_model(str(tmp_path / "m.json"))
