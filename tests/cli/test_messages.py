"""The message catalogue: every sentence written for a person has its Korean, and Korean changes no machine
format."""

import ast
import re
from pathlib import Path

import pytest
import typer

from neuron_cli import i18n as messages
from neuron_cli.cli.app import make_app
from neuron_cli.cli.help import key, paragraphs
from neuron_cli.i18n import catalog
from neuron_cli.io.files import JSON_REASONS, TOML_REASONS
from neuron_cli.nn.activations import REGISTRY
from neuron_cli.nn.losses import REGISTRY as LOSSES

TRANSLATIONS = {key: value for key, value in catalog.read_po().items() if key}

app = make_app()

SOURCE = Path(__file__).parent.parent.parent / "neuron_cli"


def source_keys():
    """The English sentences the code passes to NeuronError, message and StreamError."""
    keys = set()
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            called = (
                getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if isinstance(node, ast.Call)
                else None
            )
            if called in ("NeuronError", "message", "say", "StreamError", "Phrase"):
                first = node.args[0] if node.args else None
                choices = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
                for choice in choices:
                    if isinstance(choice, ast.Constant) and isinstance(choice.value, str):
                        keys.add(choice.value)
    return keys


PROSE = re.compile(r"\b(where|general|default|summing|chosen|approximate|derivative of|the|so that|clipped|outputs)\b")


def registry_keys():
    keys = set()
    for activation in REGISTRY:
        keys.add(activation.summary)
        keys.update(param.help for param in activation.params)
        # a formula or range with words in it is read in the reader's language; pure math is not translated
        shown = (activation.formula, activation.derivative_formula, activation.output_range)
        keys.update(text for text in shown if PROSE.search(text))
    keys.update(loss.formula for loss in LOSSES if PROSE.search(loss.formula))
    return keys - {""}


def help_keys():
    keys = set()

    def visit(command):
        for text in (command.help or "",):
            for paragraph in paragraphs(text):
                if not paragraph.lstrip().startswith("\b"):
                    keys.add(key(paragraph))
        for param in command.params:
            if getattr(param, "help", None):
                keys.add(key(param.help))
        for sub in getattr(command, "commands", {}).values():
            visit(sub)

    visit(typer.main.get_command(app))
    return keys


def all_keys():
    reasons = set(JSON_REASONS) | set(TOML_REASONS)  # a parser's own reasons, put in the reader's language
    return source_keys() | registry_keys() | help_keys() | set(messages.EXTRA_KEYS) | reasons


def test_every_message_has_its_korean():
    missing = sorted(k for k in all_keys() if k not in TRANSLATIONS)
    assert not missing, f"{len(missing)} messages have no Korean:\n" + "\n".join(missing[:40])


def test_every_translation_keeps_its_placeholders():
    import string

    for english, korean in TRANSLATIONS.items():
        names = {field for _, field, _, _ in string.Formatter().parse(english) if field}
        unmarked = re.sub(r"\|[가-힣]+\}", "}", korean)  # {name|은} and {name!r|으로}: the particle is no field
        kept = {field for _, field, _, _ in string.Formatter().parse(unmarked) if field}
        assert kept <= names, (english, korean)
        # a placeholder may be left out only where it is English grammar (a plural s)
        # ... or click's English type name ("a valid float"), which Korean says as 수
        assert names - kept <= {"s", "s2", "s3", "value_s", "number_type"}, (english, korean)


def test_no_translation_is_left_over():
    assert not set(TRANSLATIONS) - all_keys() - {"Examples:"}


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    messages.use("en")


def test_the_compiled_catalogue_is_the_po_compiled():
    # ko.mo is what a run reads; ko.po what a translator edits: `python -m neuron_cli.i18n.catalog` after an edit
    assert catalog.MO.read_bytes() == catalog.mo_bytes(catalog.read_po())


def test_no_sentence_falls_back_to_both_forms_of_a_particle():
    import re

    fallback = re.compile(r"이\(가\)|은\(는\)|을\(를\)|\(으\)로|와\(과\)|과\(와\)|\(이\)라")
    assert [english for english, korean in TRANSLATIONS.items() if fallback.search(korean)] == []


@pytest.mark.parametrize(
    ("word", "particle", "shown"),
    [
        ("값", "이", "값이"),
        ("입력 2개", "가", "입력 2개가"),
        ("sigmoid", "과", "sigmoid와"),
        ("relu", "은", "relu는"),
        ("3", "를", "3을"),
        ("10", "는", "10은"),
        ("0.50", "은", "0.50은"),
        ("파일", "으로", "파일로"),
        ("6", "로", "6으로"),
        ("x", "이", "x가"),
        ("y1", "가", "y1이"),
        ("a.csv", "은", "a.csv는"),
        ("'x3'", "은", "'x3'은"),
        ("tanh", "와", "tanh와"),
        ("data.txt", "은", "data.txt는"),  # 티엑스티: letters read by their names
        ("notes.md", "은", "notes.md는"),
        ("notes", "은", "notes는"),  # 노츠
        ("'abc'", "으로", "'abc'로"),
        ("weights.npy", "이", "weights.npy가"),
        ("model.h5", "을", "model.h5를"),
        ("model.json", "은", "model.json은"),  # 제이슨
        ("hw1.toml", "으로", "hw1.toml로"),  # ㄹ
        ("file", "은", "file은"),  # 파일
        ("name", "이", "name이"),  # 네임
        ("string", "이", "string이"),  # 스트링
        ("test", "이", "test가"),  # 테스트
        ("input", "이", "input이"),  # 인풋
        ("student", "은", "student는"),  # 스튜던트
        ("XML", "로", "XML로"),
    ],
)
def test_a_particle_follows_how_its_word_is_read(word, particle, shown):
    from neuron_cli.i18n.josa import attach

    assert word + attach(word, particle) == shown
    assert messages.message("{w|" + particle + "} .", "ko", w=word) == shown + " ."


def test_a_click_sentence_with_a_marked_particle_is_translated_not_crashed(monkeypatch):
    """A catalogue sentence for Click's English may mark a particle ({value|는}); one that does not fit the
    English it matched leaves that English as it was rather than ending in a KeyError."""

    class Catalogue:
        def __init__(self, korean):
            self.korean = korean

        def gettext(self, text):
            return self.korean.get(text, text)

    sentence = "{value} is not in the range {range}."
    monkeypatch.setattr(messages, "_korean", lambda: Catalogue({sentence: "{value|는} {range} 범위 밖입니다."}))
    assert messages.translate_sentence("'XOR' is not in the range 0<=x<=1.", "ko") == "'XOR'는 0<=x<=1 범위 밖입니다."
    monkeypatch.setattr(messages, "_korean", lambda: Catalogue({sentence: "{unknown} 범위 밖"}))
    english = "5 is not in the range 0<=x<=1."
    assert messages.translate_sentence(english, "ko") == english


@pytest.mark.parametrize(("gate", "particle"), [("OR", "는"), ("AND", "는"), ("XOR", "는"), ("NAND", "는")])
def test_gate_names_take_the_particle_of_their_reading(gate, particle):
    from neuron_cli.i18n.josa import attach

    assert attach(gate, "은") == particle
