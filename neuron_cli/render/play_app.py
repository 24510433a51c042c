"""The screen of `neuron play` (Textual): the Playground (render/play_state.py) drawn as fields and tables that
follow every key, an activation's curve with z marked, and a line of keys. Imported by that command alone."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ..errors import NeuronError
from ..i18n import describe, message
from ..nn.layers import NetworkPass
from ..nn.learning import TrainingStep
from .numbers import format_number, full_number
from .play_state import Field, Playground
from .plot import Mark, curve, range_around

DIGITS = 5  # significant digits in the lines of the screen; the command line on leaving has every digit
CELL_DIGITS = 3  # in the tables: a 3 x 3 layer with its step rows fits 80 columns (the status line gives the
# focused field's every digit)
NARROW = 60  # columns: in a narrower terminal the help puts what a key does under the key, not beside it
FOCUSED, EDITABLE = "reverse bold", "underline"
BRAILLE = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # the dot of (row, column) in a cell's 4x2


def n(value: float, digits: int = DIGITS) -> str:
    return format_number(float(value), digits)


class Board:
    """The playground as Rich renderables, in the language `lang`, `base` the first number of x1, w1, n1."""

    def __init__(self, play: Playground, lang: str, base: int = 1) -> None:
        self.play, self.lang, self.base = play, lang, base

    def say(self, text: str, **values: Any) -> str:
        return message(text, self.lang, **values)

    def cell(self, field: Field) -> Text:
        """A field as it stands: its value, or what is being typed into it (with a cursor)."""
        play = self.play
        focused = play.field == field
        if field.kind == "a":
            shown = play.layers[field.layer].activation.label
        else:
            shown = (play.typed + "▏") if focused and play.typed else n(play.value(field), CELL_DIGITS)
        return Text(shown, style=FOCUSED if focused else EDITABLE)

    def body(self) -> RenderableType:
        play, parts = self.play, list[RenderableType]()
        result = play.forward()
        step = play.learning()
        inputs = Text(self.say("inputs") + "  ")
        for i in range(len(play.inputs)):
            inputs.append(f"x{i + self.base} ")
            inputs.append_text(self.cell(Field("x", index=i)))
            inputs.append("  ")
        parts.append(inputs)
        for k, layer_pass in enumerate(result.passes):
            parts += self.layer(k, layer_pass, step)
        parts.append(self.curve(result))
        parts += self.ending(result, step)
        return Group(*parts)

    def layer(self, k: int, layer_pass: Any, step: TrainingStep | None) -> list[RenderableType]:
        layer = layer_pass.layer
        heading = Text(self.say("layer {number}", number=k + 1) + ": f = ", style="bold")
        heading.append_text(self.cell(Field("a", k)))
        heading.append("  (a)", style="dim")
        table = Table(box=None, padding=(0, 1), pad_edge=False, show_edge=False, header_style="bold")
        table.add_column(self.say("neuron"))
        for i in range(layer.input_size):
            table.add_column(f"w{i + self.base}", justify="right")
        table.add_column("b", justify="right")
        for name in (self.say("sum"), "z", "f(z)"):
            table.add_column(name, justify="right")
        update = step.updates[k] if step is not None else None
        for j in range(layer.neurons):
            weights = [self.cell(Field("w", k, j, i)) for i in range(layer.input_size)]
            bias = self.cell(Field("b", k, j)) if layer.use_bias else Text("-")
            computed = (layer_pass.weighted_sums[j], layer_pass.z[j], layer_pass.values[j])
            table.add_row(f"n{j + self.base}", *weights, bias, *(n(v, CELL_DIGITS) for v in computed))
            products = layer_pass.products[j]
            table.add_row(Text("  x*w", style="dim"), *(Text(n(p, CELL_DIGITS), style="dim") for p in products))
            if update is not None:
                changes = [*(update.weights[j] - layer.weights[j]), update.bias[j] - layer.bias[j]]
                table.add_row(Text("  " + self.say("step"), style="cyan"), *(_signed(c) for c in changes))
        shown: list[RenderableType] = [heading, table]
        if layer.activation.layerwise:
            shown.append(Text(self.say("outputs") + ": " + ", ".join(map(n, layer_pass.outputs))))
        return shown

    def curve(self, result: NetworkPass) -> RenderableType:
        """The activation of the layer in focus, with the z of each of its neurons marked (the focused one
        brightest)."""
        field = self.play.field
        k = field.layer if field.kind != "x" else 0
        layer_pass = result.passes[k]
        spec = layer_pass.layer.activation
        marks = [Mark(float(z), f"n{j + self.base}") for j, z in enumerate(layer_pass.z)]
        values = [float(v) for v in layer_pass.values]  # where each dot stands (a layer-wide f: not f(z) alone)
        chosen = field.neuron if field.kind in ("w", "b") else None
        return sketch(spec, marks, values, chosen, self.say("layer {number}", number=k + 1))

    def ending(self, result: NetworkPass, step: TrainingStep | None) -> list[RenderableType]:
        outputs = ", ".join(f"y{k + self.base} = {n(y)}" for k, y in enumerate(result.outputs))
        lines: list[RenderableType] = [Text(self.say("outputs") + ": " + outputs, style="bold")]
        training = self.play.training
        if step is not None and training is not None:
            targets = ", ".join(map(n, training.targets))
            lines.append(
                Text(
                    self.say(
                        "loss {loss} = {value}, targets {targets}; g: the step shown (r = {rate})",
                        loss=training.loss,
                        value=n(float(step.loss)),
                        targets=targets,
                        rate=n(training.rate),
                    )
                )
            )
        return lines


def _signed(change: float) -> Text:
    text = format_number(float(change), 3)
    return Text(text if text.startswith("-") else "+" + text, style="cyan")


def sketch(
    spec: Any, marks: list[Mark], values: list[float], chosen: int | None, title: str, width: int = 48, height: int = 4
) -> Text:
    """The activation drawn in braille over the z range around the marks, each neuron a dot at its z and its
    value (the chosen one's labelled), the output's range at the left, z's range beneath. A layer-wide
    activation is drawn as neuron 1's output as its z moves with the others at 0 (as `neuron plot` draws it)."""
    start, stop = range_around(spec, marks)
    z = np.linspace(start, stop, 2 * width)
    marked = list(zip(marks, values))
    drawn, _ = curve(spec, z)
    finite = [v for v in [*drawn.tolist(), *values] if np.isfinite(v)]
    low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
    high = high if high > low else low + 1.0
    cells = [[0] * width for _ in range(height)]
    for column, value in enumerate(drawn):
        if np.isfinite(value):
            row = round((high - value) / (high - low) * (4 * height - 1))
            cells[row // 4][column // 2] |= BRAILLE[row % 4][column % 2]
    lines = [[chr(0x2800 + bits) if bits else " " for bits in row] for row in cells]
    for number, (mark, value) in enumerate(marked):
        if start <= mark.z <= stop and np.isfinite(value):
            column = min(width - 1, int((mark.z - start) / (stop - start) * width))
            row = min(height - 1, int((high - value) / (high - low) * height))
            lines[row][column] = "●" if number == chosen or chosen is None else "•"
    left = [format_number(high, 3)] + [""] * (height - 2) + [format_number(low, 3)]
    pad = max(map(len, left))
    text = Text(f"{title}: f(z)", style="bold", no_wrap=True)
    if chosen is not None and chosen < len(marks):
        text.append(f"   ● {marks[chosen].label}: z = {n(marks[chosen].z)}", style="bold yellow")
    text.append("\n")
    for label, line in zip(left, lines):
        text.append(label.rjust(pad) + " ┤")
        for character in line:
            text.append(character, style="bold yellow" if character in "●•" else "")
        text.append("\n")
    text.append(" " * pad + "  " + n(start).ljust(width - len(n(stop))) + n(stop) + "  z")
    return text


def _unwrapped(part: Any) -> bool:
    return isinstance(part, Text) and bool(part.no_wrap)


class PlayApp(App[str]):
    """The playground on the terminal; on leaving, its result is the `neuron compute` command line."""

    CSS = """
    #body { height: 1fr; overflow-x: auto; }

    #keys { dock: bottom; height: auto; background: $panel; }
    """
    BINDINGS: ClassVar = [
        Binding("tab", "move(1)", show=False, priority=True),
        Binding("shift+tab", "move(-1)", show=False, priority=True),
        Binding("ctrl+c", "leave", show=False, priority=True),
    ]

    def __init__(self, play: Playground, lang: str, base: int = 1) -> None:
        super().__init__()
        self.play, self.lang, self.base = play, lang, base
        self.problem, self.helping = "", False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="body"):
            yield Static(id="screen")
        yield Static(id="keys")

    def on_mount(self) -> None:
        self.refresh_screen()

    def on_resize(self, event: events.Resize) -> None:
        # the screen's width and the help's layout follow the terminal's, once its new size is laid out
        self.call_after_refresh(self.refresh_screen)

    def refresh_screen(self) -> None:
        from rich.measure import Measurement

        shown = self.help_text() if self.helping else Board(self.play, self.lang, self.base).body()
        screen = self.query_one("#screen", Static)
        # as wide as the tables and the curve need (a narrow terminal scrolls sideways rather than cut a number
        # short); the lines of words wrap within that, or within the terminal where it is wider
        parts = [] if self.helping else getattr(shown, "renderables", [])  # the help wraps: it never scrolls
        fixed = [part for part in parts if isinstance(part, Table) or _unwrapped(part)]
        options = self.console.options.update_width(10_000)
        natural = max((Measurement.get(self.console, options, part).maximum for part in fixed), default=0)
        screen.styles.width = "100%" if self.helping else max(natural, self.query_one("#body").size.width)
        screen.update(shown)
        self.query_one("#keys", Static).update(self.keys_text())

    def keys_text(self) -> Text:
        play, field = self.play, self.play.field

        def say(text: str, **values: Any) -> str:
            return message(text, self.lang, **values)

        if field.kind == "a":
            where = say("layer {number}: activation", number=field.layer + 1)
        else:
            where = field.name(self.base) + " = " + full_number(play.value(field))
        text = Text(where, style="bold")
        if play.typed:
            text.append("  " + say("typed: {typed} (Enter sets it, Esc drops it)", typed=play.typed))
        if self.problem:
            text.append("  " + self.problem, style="red")
        text.append("\n" + say("Tab next  +/- change  a activation  g step  ? help  q leave"), style="dim")
        return text

    def help_text(self) -> Group:
        """Every key beside what it does; in a narrow terminal (under 60 columns) what it does goes under the key."""
        from rich.padding import Padding

        title, _, lines = message(
            "Keys\n\n"
            "  Tab, Shift+Tab   move between the fields\n"
            "  + - Up Down      change the number by the step (--step), or the activation\n"
            "  0-9 . e          type a number; - while typing is its sign; Enter sets it, Esc drops it\n"
            "  a, A             next or previous activation of the layer in focus\n"
            "  g                take the gradient step the screen shows (with --target)\n"
            "  q, Ctrl+C        leave, printing the neuron compute command line of this screen\n"
            "  Left Right PgUp PgDn  scroll a screen larger than the terminal\n"
            "  ?                this help, or back\n",
            self.lang,
        ).partition("\n\n")
        pairs = [line.strip().partition("  ")[::2] for line in lines.splitlines()]  # two spaces end a key
        if self.size.width < NARROW:
            under: list[RenderableType] = [Text(title, style="bold"), Text("")]
            for key, does in pairs:
                under += [Text("  " + key), Padding(does.strip(), (0, 0, 0, 6))]
            return Group(*under)
        keys = Table.grid(padding=(0, 2))
        keys.add_column(no_wrap=True)
        keys.add_column()
        for key, does in pairs:
            keys.add_row("  " + key, does.strip())
        return Group(Text(title, style="bold"), Text(""), keys)

    def action_move(self, by: int) -> None:
        self.problem = self.said(self.play.enter())
        if not self.problem:
            self.play.move(by)
        self.refresh_screen()

    def said(self, problem: NeuronError | None) -> str:
        """A reason in the screen's language; empty where there is none."""
        return "" if problem is None else describe(problem, self.lang)

    def action_leave(self) -> None:
        self.play.enter()  # a number being typed is set, as Tab and Enter set it (one that is no number is not)
        self.exit(self.play.command_line())

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.problem = ""
        self.press(event.key, event.character or "")
        self.refresh_screen()

    def press(self, key: str, character: str) -> None:
        play = self.play
        if key in ("q", "ctrl+c"):
            self.action_leave()
        elif key == "question_mark" or character == "?" or (self.helping and key == "escape"):
            self.helping = not self.helping
        elif self.helping:  # the help hides the numbers: no key changes them unseen
            return
        elif key == "enter":
            self.problem = self.said(play.enter())
        elif key == "escape":
            play.cancel()
        elif key == "backspace":
            play.backspace()
        elif character and play.type(character):
            return
        elif key in ("plus", "up", "minus", "down") or character in ("+", "-"):
            self.problem = self.said(play.enter())
            if not self.problem:
                self.problem = self.said(play.nudge(1 if key in ("plus", "up") or character == "+" else -1))
        elif key in SCROLLS:
            body = self.query_one("#body", VerticalScroll)
            if key in ("pageup", "pagedown"):  # a page of what the terminal shows, however tall it is
                (body.scroll_page_up if key == "pageup" else body.scroll_page_down)(animate=False)
            else:
                body.scroll_relative(x=SCROLLS[key], animate=False)
        elif character == "a":
            play.cycle(1)
        elif character == "A":
            play.cycle(-1)
        elif character == "g":
            self.problem = self.said(play.take_step())


SCROLLS = {"left": -8, "right": 8, "pageup": 0, "pagedown": 0}  # keys that scroll a screen larger than the terminal
