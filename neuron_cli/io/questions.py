"""Question files: a teacher's homework (TOML or JSON), every input in it, so that nothing a student writes can
change a question; and each student's own numbers where a question varies, drawn from a hash of the file's seed
and the student's id, the same on every machine and every Python version.

    seed = "hw3-2026"                 # required where a question varies
    [defaults]
    tolerance = "written"             # or {tol = T}, {rtol = R}, {sig = N}
    min_sig = 3
    points = 1

    [[question]]
    id = "q1"
    x = [1.0, 2.0, 3.0]
    w = [[0.5, -0.2, 0.1]]            # rows are neurons; or "0.5,-0.2,0.1", as compute takes it
    b = 0.1
    activation = "sigmoid"            # or model = "net.json", relative to this file
    target = [1.0]                    # lr, loss: the training step of loss, w and b answers
    ask = ["y1", "z1", "loss", "w1_2"]
    vary = {x = [-2.0, 2.0], w = [-1.0, 1.0], decimals = 1}
"""

from __future__ import annotations

import collections
import functools
import hashlib
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import NeuronError
from ..i18n import Phrase
from ..nn import losses
from ..nn.grading import MIN_SIG, Tolerance
from ..nn.layers import Layer, Network
from .files import read_document
from .sheets import Expected, parse_asked
from .values import check_array, parse_activation, parse_matrix, parse_vector

Array = np.ndarray
QUESTION_KEYS = ("id", "text", "points", "x", "w", "b", "activation", "model", "target", "lr", "loss", "ask", "vary")
TOLERANCE_KEYS = ("tolerance", "min_sig", "min_decimals")
DEFAULT_KEYS = ("tolerance", "min_sig", "min_decimals", "points")
VARIED = ("x", "w", "b", "target")  # what `vary` may draw anew for each student
ID = re.compile(r"[A-Za-z0-9_-]+")  # a question's id heads its columns: q1.y1


@dataclass(frozen=True)
class Vary:
    """The ranges a question's numbers are drawn from for each student, and the decimals they are rounded to."""

    ranges: tuple[tuple[str, float, float], ...]
    decimals: int = 2


@dataclass(frozen=True, eq=False)
class Question:
    """One question: its network and inputs (a student's own, once drawn), what is asked, and its points."""

    id: str
    points: float
    text: str
    inputs: Array
    network: Network
    targets: Array | None
    rate: float
    loss: str
    asked: tuple[Expected, ...]
    tolerance: Tolerance
    vary: Vary | None = None

    @property
    def columns(self) -> list[str]:
        """The answer sheet's columns of this question: q1.y1, q1.loss, ..."""
        return [f"{self.id}.{e.header}" for e in self.asked]


@dataclass(frozen=True, eq=False)
class Quiz:
    """A question file: its questions, and the seed their varied numbers are drawn from."""

    path: str
    seed: str | None
    questions: tuple[Question, ...]

    def question(self, name: str) -> Question | None:
        """The question of this id, whatever its case (a sheet's headers are read so: Q1 and q1 are one)."""
        return self._by_id.get(name.lower())

    @functools.cached_property
    def _by_id(self) -> dict[str, Question]:  # a sheet's every cell looks its question up: 10,000 questions, too
        return {q.id.lower(): q for q in self.questions}

    def varies(self) -> bool:
        return any(q.vary is not None for q in self.questions)

    def for_student(self, student: str) -> Quiz:
        """The quiz with the student's own numbers in every question that varies."""
        drawn = tuple(draw(q, self.seed or "", student) if q.vary is not None else q for q in self.questions)
        return replace(self, questions=drawn)


def load_quiz(path_text: str, option: str = "--questions") -> Quiz:
    """A question file, every question checked: its network, what it asks, its ranges; or an error naming the
    option or argument that gave it (`option`), the file, the question and the key."""
    path = Path(path_text)
    document = read_document(path, option)
    if not _all_text(document):
        raise NeuronError(
            "{option}: {path} holds text that is not valid Unicode (a lone surrogate)", option=option, path=path_text
        )
    if not isinstance(document, dict):
        raise NeuronError(
            "{option}: {path} should hold questions ([[question]] in TOML)", option=option, path=path_text
        )
    unknown = sorted(set(document) - {"seed", "title", "defaults", "question", "questions"})
    if unknown:
        raise NeuronError(
            "{option}: {path} has unknown keys: {items}", option=option, path=path_text, items=", ".join(unknown)
        )
    entries = document.get("question", document.get("questions"))
    if not isinstance(entries, list) or not entries:
        raise NeuronError("{option}: {path} has no questions; add [[question]] tables", option=option, path=path_text)
    defaults = _defaults(document.get("defaults", {}), path_text, option)
    questions = tuple(_question(entry, defaults, path, k, option) for k, entry in enumerate(entries, start=1))
    # a sheet's headers are read whatever their case: q1 and Q1 are one
    counted = collections.Counter(q.id.lower() for q in questions)
    twice = sorted({q.id for q in questions if counted[q.id.lower()] > 1})
    if twice:
        raise NeuronError("{option}: {path}: the id {id!r} is given twice", option=option, path=path_text, id=twice[0])
    seed = document.get("seed")
    if seed is not None and not isinstance(seed, str):
        raise NeuronError(
            "{option}: {path}: seed should be a string, got {seed!r}", option=option, path=path_text, seed=seed
        )
    if any(q.vary is not None for q in questions) and not seed:
        raise NeuronError(
            '{option}: {path}: a question varies, so the file needs a seed (a string): seed = "hw1-2026"',
            option=option,
            path=path_text,
        )
    return Quiz(path_text, seed, questions)


def _defaults(entry: Any, path: str, option: str) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise NeuronError("{option}: {path}: [defaults] should be a table", option=option, path=path)
    unknown = sorted(set(entry) - set(DEFAULT_KEYS))
    if unknown:
        raise NeuronError(
            "{option}: {path}: [defaults] has unknown keys: {items}", option=option, path=path, items=", ".join(unknown)
        )
    return entry


def _question(entry: Any, defaults: dict[str, Any], path: Path, number: int, option: str) -> Question:
    where = Phrase("{option}: {path}, question {number}", option=option, path=path, number=number)
    if not isinstance(entry, dict):
        raise NeuronError("{where} should be a table of keys (id, x, w, ask, ...)", where=where)
    unknown = sorted(set(entry) - set(QUESTION_KEYS) - set(TOLERANCE_KEYS))
    if unknown:
        raise NeuronError("{where} has unknown keys: {items}", where=where, items=", ".join(unknown))
    name = entry.get("id")
    if not isinstance(name, str) or not ID.fullmatch(name):
        raise NeuronError(
            "{where}: its id should be letters, digits, _ or - (it heads the columns: q1.y1), got {id!r}",
            where=where,
            id=name,
        )
    where = Phrase("{option}: {path}, question {name}", option=option, path=path, name=name)
    network = _network(entry, path, where)
    inputs = _numbers(entry, "x", where)
    if inputs is None:
        raise NeuronError("{where} needs its inputs x", where=where)
    network.check_inputs(inputs.size, Phrase("{where}, {key}", where=where, key="x"))
    targets = _numbers(entry, "target", where)
    if targets is not None and targets.size != network.output_size:
        raise NeuronError(
            "{where}: target has {count} values but the network has {outputs} outputs",
            where=where,
            count=targets.size,
            outputs=network.output_size,
        )
    loss = entry.get("loss", "half_sse")
    if not isinstance(loss, str) or loss not in losses.NAMES:
        raise NeuronError("{where}: loss should be one of {items}", where=where, items=", ".join(losses.NAMES))
    return Question(
        name,
        _points(entry.get("points", defaults.get("points", 1.0)), where),
        str(entry.get("text", "")),
        inputs,
        network,
        targets,
        _rate(entry.get("lr", 0.1), where),
        loss,
        _asked(entry.get("ask"), network, targets is not None, where),
        _tolerance({**defaults, **entry}, where),
        _vary(entry.get("vary"), entry, where),
    )


def _network(entry: dict[str, Any], path: Path, where: str) -> Network:
    """A question's network: a model file (relative to the question file), or one layer from w, b, activation."""
    if "model" in entry:
        given = [key for key in ("w", "b", "activation") if key in entry]
        if given:
            raise NeuronError(
                "{where}: model brings its own layers; leave out {keys}", where=where, keys=", ".join(given)
            )
        from .models import load_model

        model = entry["model"]
        if not isinstance(model, str):
            raise NeuronError("{where}: model should be a file name, got {model!r}", where=where, model=model)
        return load_model(str(path.parent / model))
    weights = entry.get("w")
    if weights is None:
        raise NeuronError("{where} needs its weights w (or a model file)", where=where)
    matrix = (
        parse_matrix(weights, Phrase("{where}, {key}", where=where, key="w"))
        if isinstance(weights, str)
        else check_array(weights, Phrase("{where}, {key}", where=where, key="w"))
    )
    bias = _numbers(entry, "b", where)
    activation = entry.get("activation", "linear")
    if not isinstance(activation, str):
        raise NeuronError('{where}: activation should be a SPEC string such as "sigmoid"', where=where)
    spec = parse_activation(activation, Phrase("{where}, {key}", where=where, key="activation"))  # names itself
    try:
        layer = Layer.create(matrix, bias if bias is not None else 0.0, spec)
    except NeuronError as problem:
        raise NeuronError("{where}: {problem}", where=where, problem=problem) from None
    return Network((layer,))


def _numbers(entry: dict[str, Any], key: str, where: str) -> Array | None:
    """A vector of numbers: a list, one number, or a string as compute takes it."""
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        return parse_vector(value, Phrase("{where}, {key}", where=where, key=key))
    return check_array(value, Phrase("{where}, {key}", where=where, key=key)).reshape(-1)


MAX_POINTS = 1e6  # a question's points at most: scores stay finite, however many questions


def _points(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= MAX_POINTS:
        raise NeuronError(
            "{where}: points should be a number from 0 to {limit}, got {value!r}",
            where=where,
            limit=MAX_POINTS,
            value=value,
        )
    return float(value)


def _rate(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise NeuronError("{where}: lr should be a finite number, got {value!r}", where=where, value=value)
    return float(value)


def _asked(ask: Any, network: Network, stepped: bool, where: str) -> tuple[Expected, ...]:
    if not isinstance(ask, list) or not ask or not all(isinstance(item, str) for item in ask):
        raise NeuronError('{where}: ask should list what the students give, e.g. ask = ["y1", "z1"]', where=where)
    asked = []
    for item in ask:
        expected = parse_asked(item.strip(), network, Phrase("{where}, {key}", where=where, key="ask"))
        if expected is None or expected.kind in ("x", "t"):
            raise NeuronError(
                "{where}: ask {item!r} is not an answer: y1.., z1.., loss, w1_1.., b1.. (l2.w1_1 for a layer)",
                where=where,
                item=item,
            )
        if expected.kind in ("loss", "w", "b") and not stepped:
            raise NeuronError(
                "{where}: ask {item!r} needs the question's target (the loss is measured against it; a training step's "
                "weights and biases follow from it): give the question a target",
                where=where,
                item=item,
            )
        asked.append(expected)
    names = [e.header.lower() for e in asked]  # y1 and Y1 head one column
    if len(set(names)) < len(names):
        raise NeuronError("{where}: ask names an answer twice", where=where)
    return tuple(asked)


def _tolerance(entry: dict[str, Any], where: str) -> Tolerance:
    """The rule of the question, over the file's defaults: "written", or {tol = T}, {rtol = R}, {sig = N}."""
    rule = entry.get("tolerance", "written")
    min_sig = entry.get("min_sig", MIN_SIG)
    min_decimals = entry.get("min_decimals")
    for name, value in (("min_sig", min_sig), ("min_decimals", min_decimals)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 17):
            raise NeuronError("{where}: {name} should be a whole number from 0 to 17", where=where, name=name)
    if rule == "written":
        return Tolerance("written", 0.0, min_sig, min_decimals)
    kinds = {"tol": "absolute", "rtol": "relative", "sig": "significant"}
    if isinstance(rule, dict) and len(rule) == 1 and next(iter(rule)) in kinds:
        key, value = next(iter(rule.items()))
        number = _finite(value) and value >= 0
        if number and (key != "sig" or (float(value).is_integer() and 1 <= value <= 17)):
            return Tolerance(kinds[key], float(value), 0, min_decimals)
    raise NeuronError(
        '{where}: tolerance should be "written", {{tol = T}}, {{rtol = R}} or {{sig = N}}, got {rule!r}',
        where=where,
        rule=rule,
    )


def _vary(entry: Any, question: dict[str, Any], where: str) -> Vary | None:
    if entry is None:
        return None
    if not isinstance(entry, dict):
        raise NeuronError("{where}: vary should be a table such as {{x = [-2.0, 2.0], decimals = 1}}", where=where)
    ranges = []
    for key, span in entry.items():
        if key == "decimals":
            continue
        if key not in VARIED:
            raise NeuronError(
                "{where}: vary may draw {items}, not {key!r}", where=where, items=", ".join(VARIED), key=key
            )
        if key != "w" and key not in question and not (key == "b" and "model" not in question):
            raise NeuronError("{where}: vary draws {key}, which the question does not give", where=where, key=key)
        numbers = span if isinstance(span, list) else None
        if (
            numbers is None
            or len(numbers) != 2
            or not all(_finite(v) and abs(v) <= MAX_DRAWN for v in numbers)
            or numbers[0] > numbers[1]
        ):
            raise NeuronError(
                "{where}: vary's {key} should be [low, high], two numbers from -{limit} to {limit}, low first",
                where=where,
                key=key,
                limit=MAX_DRAWN,
            )
        ranges.append((key, float(numbers[0]), float(numbers[1])))
    decimals = entry.get("decimals", 2)
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 12:
        raise NeuronError("{where}: vary's decimals should be a whole number from 0 to 12", where=where)
    if not ranges:
        raise NeuronError("{where}: vary draws nothing; give a range, e.g. x = [-2.0, 2.0]", where=where)
    return Vary(tuple(ranges), decimals)


MAX_DRAWN = 1e12  # a drawn number's size at most: the range's width stays finite, and so do the answers


def _all_text(document: Any) -> bool:
    """Whether every string of a document is text UTF-8 can write (JSON's "\\ud800" is not)."""
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not item.isprintable() and any(0xD800 <= ord(c) <= 0xDFFF for c in item):
                return False
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True


def _finite(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value)


# ---------------------------------------------------------------- each student's own numbers


def drawn_number(seed: str, student: str, place: str, low: float, high: float, decimals: int) -> float:
    """One number of a student's variant: uniform in [low, high], rounded to `decimals`, from the SHA-256 of the
    seed, the student's id and the number's place (question, key, index): no generator's state or version can
    change it."""
    digest = hashlib.sha256("\x1f".join((seed, student, place)).encode()).digest()
    fraction = int.from_bytes(digest[:8], "big") / 2.0**64
    return round(low + (high - low) * fraction, decimals) + 0.0


def draw(question: Question, seed: str, student: str) -> Question:
    """The question with the student's own numbers where it varies: each number's place names it (q1.x.0,
    q1.w1.3: the question, what it is, where it stands) in the hash."""
    vary = question.vary
    assert vary is not None
    inputs, targets, layers = question.inputs, question.targets, list(question.network.layers)

    def numbers(shape: tuple[int, ...], at: str, low: float, high: float) -> Array:
        places = (f"{question.id}.{at}.{k}" for k in range(int(np.prod(shape))))
        drawn = [drawn_number(seed, student, place, low, high, vary.decimals) for place in places]
        return np.array(drawn, dtype=np.float64).reshape(shape)

    for key, low, high in vary.ranges:
        if key == "x":
            inputs = numbers(inputs.shape, key, low, high)
        elif key == "target" and targets is not None:
            targets = numbers(targets.shape, key, low, high)
        for n, layer in enumerate(layers):
            if key == "w":
                layers[n] = replace(layer, weights=numbers(layer.weights.shape, f"w{n + 1}", low, high))
            elif key == "b" and layer.use_bias:
                layers[n] = replace(layer, bias=numbers(layer.bias.shape, f"b{n + 1}", low, high))
    return replace(question, inputs=inputs, targets=targets, network=Network(tuple(layers)))
