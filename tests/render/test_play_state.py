"""The playground without its screen: fields that change as keys would change them, a step equal to
`compute --target`'s, and a command line that computes the same numbers back."""

import json

import numpy as np
import pytest

from neuron_cli.nn.layers import Layer, Network
from neuron_cli.render.play_state import Field, Playground, Training
from tests.conftest import run_here

SEED = Network((Layer.create([0.5, -0.2, 0.1], 0.1, "sigmoid"),))  # the seed's neuron


def seed(training=None, step=0.1):
    return Playground(SEED, np.array([1.0, 2.0, 3.0]), training, step)


def test_fields_are_inputs_weights_bias_then_activation():
    play = seed()
    assert [f.kind for f in play.fields] == ["x", "x", "x", "w", "w", "w", "b", "a"]
    play.move(-1)
    assert play.field == Field("a", 0)
    play.move(1)
    assert play.field == Field("x", index=0)


def test_plus_and_minus_step_in_decimal():
    play = seed(step=0.1)
    play.focus = 4  # w2 = -0.2
    for _ in range(3):
        play.nudge(1)
    assert play.value(play.field) == 0.1  # -0.2 + 0.3, not 0.09999999999999998
    play.nudge(-1)
    assert play.value(play.field) == 0.0
    assert play.forward().passes[0].weighted_sums[0] == 1 * 0.5 + 3 * 0.1


def test_typing_sets_on_enter_and_minus_is_the_sign_while_typing():
    play = seed()
    play.focus = 6  # b
    assert all(play.type(c) for c in "2.5")
    assert play.type("-") and play.typed == "-2.5"
    assert play.value(play.field) == 0.1  # not yet set
    assert play.enter() is None and play.value(play.field) == -2.5 and play.typed == ""
    assert not play.type("-")  # not typing: '-' is the command that lowers the number
    assert not play.type("a") and not play.type("g") and not play.type("q")  # commands stay commands


def test_an_exponent_takes_its_own_sign_and_a_bad_number_is_named():
    play = seed()
    for c in "1e":
        play.type(c)
    play.type("-")
    play.type("3")
    assert play.typed == "1e-3" and play.enter() is None and play.value(play.field) == 0.001
    for c in "1..2":
        play.type(c)
    assert play.enter() is not None and play.typed == "1..2" and play.value(play.field) == 0.001


def test_activations_cycle_through_those_that_fit_the_layer():
    play = seed()
    seen = set()
    for _ in range(40):
        play.cycle(1)
        seen.add(play.layers[0].activation.name)
    assert "glu" not in seen  # glu halves its neurons: one neuron cannot take it
    assert {"relu", "tanh", "step", "softmax", "sigmoid"} <= seen


def test_g_takes_the_step_compute_target_takes(tmp_path):
    training = Training(np.array([1.0]), "half_sse", 0.5, False, True)
    play = seed(training)
    saved = tmp_path / "after.json"
    assert run_here(*_args(play.command_line()), "--save-model", str(saved), "--format", "json").code == 0
    assert play.take_step() is None
    after = json.loads(saved.read_text())["layers"][0]
    assert after["weights"] == play.layers[0].weights.tolist() and after["bias"] == play.layers[0].bias.tolist()
    assert "--target" in str(seed().take_step())  # without --target there is no step, and it says why


@pytest.mark.parametrize("layers", [1, 2])
def test_the_command_line_computes_the_screen(tmp_path, layers):
    network = (
        SEED
        if layers == 1
        else Network(
            (Layer.create([[0.3, -0.7, 0.1], [0.2, 0.2, 0.2]], 0.0, "tanh"), Layer.create([1.5, -2.0], 0.25, "sigmoid"))
        )
    )
    model = tmp_path / "net.json"
    play = Playground(network, np.array([1.0, 2.0, 3.0]), Training(np.array([1.0]), "mse", 0.3, True, True), 0.1)
    play.focus = 3
    play.nudge(1)
    play.take_step()
    play.take_step()
    if layers == 2:
        from neuron_cli.io.models import save_model_file

        save_model_file(play.network, str(model))
    words = _args(play.command_line(str(model) if layers == 2 else None))
    assert "--lr" in words and "--loss" in words and "--target" in words
    shown = json.loads(run_here(*words, "--format", "json").out.splitlines()[0])
    assert shown["outputs"] == play.forward().outputs.tolist()  # every digit


def _args(line):
    import shlex

    words = shlex.split(line)
    assert words[:2] == ["neuron", "compute"]
    return words[1:]


def test_a_step_that_would_overflow_is_not_taken_and_says_why():
    network = Network((Layer.create([0.5, -0.2, 0.1], 0.1, "linear"),))
    play = Playground(
        network, np.array([1e308, 1e308, 1e308]), Training(np.array([0.0]), "half_sse", 0.1, False, False), 0.1
    )
    before = play.layers[0].weights.copy()
    problem = play.take_step()
    assert problem is not None and "infinite" in str(problem)
    assert np.array_equal(play.layers[0].weights, before)


def test_a_number_too_large_is_named_by_its_field():
    play = seed()
    play.focus = 3
    for c in "1e999":
        play.type(c)
    problem = play.enter()
    assert problem is not None and "w1 (n1, L1)" in str(problem) and play.typed == "1e999"
