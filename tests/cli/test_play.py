"""`neuron play` on its screen: keys in through Textual's pilot, the numbers checked, the screen at 80x24 in both
languages kept as snapshots, and the command refused where there is no terminal."""

import asyncio
from pathlib import Path

import numpy as np
import pytest

from neuron_cli.nn.layers import Layer, Network
from neuron_cli.render.play_app import PlayApp
from neuron_cli.render.play_state import Playground, Training
from tests.conftest import run_here

LAYER = Network((Layer.create([[0.5, -0.2, 0.1], [0.3, 0.1, -0.4], [0.2, 0.2, 0.2]], 0.1, "sigmoid"),))


def playground(training=True):
    targets = Training(np.array([1.0, 0.0, 1.0]), "half_sse", 0.1, False, False) if training else None
    return Playground(LAYER, np.array([1.0, 2.0, 3.0]), targets, 0.1)


def drive(play, keys, lang="en"):
    """The app on a virtual 80x24 terminal after `keys`; (the app, whether its body had to scroll)."""

    async def go():
        app = PlayApp(play, lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            scrolls = app.query_one("#body").max_scroll_y > 0
            await pilot.press(*keys)
            await pilot.pause()
        return app, scrolls

    return asyncio.run(go())


def test_a_layer_of_3_by_3_fits_80_by_24_with_its_step():
    _, scrolls = drive(playground(), [])
    assert not scrolls


def test_tab_then_plus_changes_the_first_weight_and_everything_after_it():
    play = playground()
    before = play.forward().outputs.copy()
    drive(play, ["tab", "tab", "tab", "plus", "plus"])
    assert play.layers[0].weights[0, 0] == 0.7
    assert play.forward().outputs[0] > before[0] and play.forward().outputs[1] == before[1]


def test_shift_tab_from_the_first_field_reaches_the_activation_and_a_changes_it():
    play = playground()
    drive(play, ["shift+tab", "a"])
    assert play.field.kind == "a" and play.layers[0].activation.name != "sigmoid"


def test_a_typed_number_with_its_sign_is_set_by_enter():
    play = playground()
    drive(play, ["tab", "2", ".", "5", "minus", "enter"])
    assert play.inputs.tolist() == [1.0, -2.5, 3.0]


def test_down_lowers_and_escape_drops_what_is_typed():
    play = playground()
    drive(play, ["down", "7", "escape"])
    assert play.inputs[0] == 0.9 and play.typed == ""


def test_g_takes_the_step_the_screen_shows():
    play = playground()
    shown = play.learning().updates[0].weights.copy()
    drive(play, ["g"])
    assert np.array_equal(play.layers[0].weights, shown)


def test_g_without_target_says_why_and_changes_nothing():
    play = playground(training=False)
    app, _ = drive(play, ["g"])
    assert "--target" in app.problem and np.array_equal(play.layers[0].weights, LAYER.layers[0].weights)


@pytest.mark.parametrize("key", ["q", "ctrl+c"])
def test_leaving_gives_the_compute_command_line(key):
    app, _ = drive(playground(), ["tab", "tab", "tab", "plus", key])
    assert app.return_value is not None and app.return_value.startswith("neuron compute -x 1,2,3 -w '0.6,-0.2,0.1;")
    assert app.return_value.endswith("-b 0.1 -a sigmoid --target 1,0,1")


def test_help_opens_and_closes_on_question_mark():
    app, _ = drive(playground(), ["question_mark"])
    assert app.helping
    app, _ = drive(playground(), ["question_mark", "question_mark"])
    assert not app.helping


def test_without_a_terminal_it_refuses_and_names_compute():
    run = run_here("play", "-x", "1,2,3", "-w", "0.5,-0.2,0.1", "-b", "0.1", "-a", "sigmoid")
    assert run.code == 2 and "neuron compute" in run.err and run.out == ""
    korean = run_here("play", "-x", "1", "-w", "1", env={"NEURON_LANG": "ko"})
    assert korean.code == 2 and "터미널" in korean.err


def test_bad_options_are_refused_before_the_screen():
    assert run_here("play", "-x", "1,2", "-w", "1").code == 2
    assert "--step" in run_here("play", "-x", "1", "-w", "1", "--step", "0").err
    assert "--target" in run_here("play", "-x", "1", "-w", "1", "--lr", "0.5").err


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_screen_at_80_by_24(snap_compare, lang):
    assert snap_compare(PlayApp(playground(), lang), terminal_size=(80, 24), press=["tab", "tab", "tab", "plus"])


def test_a_narrow_terminal_scrolls_sideways_rather_than_cut_numbers():
    async def go():
        app = PlayApp(playground(), "en")
        async with app.run_test(size=(40, 24)) as pilot:
            await pilot.pause()
            body = app.query_one("#body")
            wide = app.query_one("#screen").size.width > 40 and body.max_scroll_x > 0
            await pilot.press("right")
            await pilot.pause()
            return wide, body.scroll_x

    wide, scrolled = asyncio.run(go())
    assert wide and scrolled > 0


def test_the_help_wraps_within_a_narrow_terminal_and_widens_with_it():
    def shown(app):
        from textual.geometry import Region

        screen = app.query_one("#screen")
        strips = screen.render_lines(Region(0, 0, screen.size.width, screen.size.height))
        return app.query_one("#body").max_scroll_x, "\n".join(strip.text.rstrip() for strip in strips)

    async def go():
        app = PlayApp(playground(), "en")
        async with app.run_test(size=(40, 40)) as pilot:
            await pilot.press("question_mark")
            await pilot.pause()
            narrow = shown(app)
            await pilot.resize_terminal(100, 40)
            await pilot.pause()
            wide = shown(app)
        return narrow, wide

    (narrow_scroll, narrow), (wide_scroll, wide) = asyncio.run(go())
    assert narrow_scroll == 0 and wide_scroll == 0
    assert "  Tab, Shift+Tab\n      move between the fields" in narrow  # what a key does, under it
    assert "Tab, Shift+Tab        move between the fields" in wide  # beside it


def test_the_readme_s_keys_give_the_readme_s_line():
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    shown = readme.split("# then Tab Tab Tab + + g q\n")[1].splitlines()[0]
    network = Network((Layer.create([0.5, -0.2, 0.1], 0.1, "sigmoid"),))
    play = Playground(network, np.array([1.0, 2.0, 3.0]), Training(np.array([1.0]), "half_sse", 0.1, False, False), 0.1)
    app, _ = drive(play, ["tab", "tab", "tab", "plus", "plus", "g", "q"])
    assert app.return_value == shown


def test_save_model_is_checked_before_the_screen_opens(tmp_path):
    run = run_here("play", "-x", "1", "-w", "1", "--save-model", str(tmp_path / "no" / "such" / "x.json"))
    assert run.code == 2 and "does not exist" in run.err and "terminal" not in run.err


def test_inputs_from_a_file_are_read_as_compute_reads_them(tmp_path):
    (tmp_path / "x.txt").write_text("1 2 3\n")
    run = run_here("play", "-x", f"@{tmp_path / 'x.txt'}", "-w", "0.5,-0.2,0.1")
    assert run.code == 2 and "terminal" in run.err  # -x @FILE is taken; only the missing terminal is refused


def test_a_number_that_would_become_infinite_stays_and_says_so():
    play = Playground(LAYER, np.array([1e308, 2.0, 3.0]), None, 1e308)
    app, _ = drive(play, ["plus"])
    assert play.inputs[0] == 1e308 and "infinite" in app.problem


def test_while_the_help_is_open_no_key_changes_a_number():
    play = playground()
    app, _ = drive(play, ["question_mark", "plus", "g", "a", "escape"])
    assert not app.helping and play.inputs[0] == 1.0 and play.layers[0].activation.name == "sigmoid"


def test_leaving_while_typing_keeps_the_typed_number():
    app, _ = drive(playground(), ["7", "q"])
    assert app.return_value.startswith("neuron compute -x 7,2,3 ")


def test_a_save_that_fails_on_leaving_still_prints_the_line(tmp_path, capsys):
    from neuron_cli.cli.play import _save
    from neuron_cli.errors import NeuronError

    play = Playground(Network((Layer.create([0.5, 0.5], -0.7, "step"),)), np.array([1.0, 0.0]), None, 0.1)
    with pytest.raises(NeuronError):
        _save(play, str(tmp_path / "net.keras"), "neuron compute -x 1,0 -w 0.5,0.5 -b -0.7 -a step")
    assert capsys.readouterr().out == "neuron compute -x 1,0 -w 0.5,0.5 -b -0.7 -a step\n"
    assert not (tmp_path / "net.keras").exists()
