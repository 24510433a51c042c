"""Every sentence written for a person, in one catalogue: English text is the key, Korean its translation;
the language of a run, chosen from --lang or the environment.

Numbers are formatted before they reach a sentence; a sentence names its placeholders ({count}, {line}).
"""

from __future__ import annotations

import os
from typing import Any

from ..errors import NeuronError

LANGUAGES = ("en", "ko")
KOREAN: list[Any] = []  # the Korean catalogue (ko.mo), read on first use, so that English never pays for it
# Words of Typer's click (looked up through cli/help.py), kept in the catalogue beside ours.
EXTRA_KEYS = (
    "Usage:",
    "Options",
    "Commands",
    "Arguments",
    "Show this message and exit.",
    "Error",
    "No such option: {name}",
    "Missing option {param_hint}.",
    "Missing argument {param_hint}.",
    "Got unexpected extra argument ({args})",
    "Got unexpected extra arguments ({args})",
    "Invalid value for {param_hint}: {message}",
    "Option {name!r} requires an argument.",
    "Option {name!r} requires {nargs} arguments.",
    "Did you mean {possibility}?",
    "(Possible options: {possibilities})",
    "No such command {name!r}.",
    "Missing command.",
    "{value!r} is not a valid {number_type}.",
    "{value} is not in the range {range}.",
    "{value!r} is not one of {choices}.",
    "{value!r} is not {choice}.",
    "{value!r} is not a valid boolean.",
    "{value!r} is not a valid integer.",
    "{value!r} is not a valid float.",
    "Install completion for the current shell.",
    "Show completion for the current shell, to copy it or customize the installation.",
    "default",
    "required",
    "default: {default}",
    "Got unexpected extra argument(s) ({args})",
    "{value} or more",
    "more than {value}",
    "{value} or less",
    "less than {value}",
    "Usage: ",
    "error: {problem}",
    # looked up through a variable: table headers, verdict words, reasons chosen before the sentence
    "output",
    "expected",
    "answer",
    "correct",
    "PASS",
    "FAIL",
    "TOO COARSE",
    "difference",
    "allowed",
    "name",
    "aliases",
    "f(z)",
    "range",
    "acts on",
    "layer",
    "pass",
    "fail",
    "missing",
    "invalid",
    "too coarse",
    "a directory",
    "a named pipe",
    "a socket",
    "a device",
    "holds Python objects (pickles are refused)",
    "is not a .npy file",
)
CURRENT = ["en"]  # the language of this run, set once by the command line before any work


def use(lang: str) -> None:
    """Write every message from now on in `lang` (en or ko)."""
    CURRENT[0] = lang if lang in LANGUAGES else "en"


def current() -> str:
    """The language of this run."""
    return CURRENT[0]


def language(given: str | None = None) -> str:
    """`--lang`, else NEURON_LANG, then LC_ALL, LC_MESSAGES, LANG: Korean where the first set one starts with ko."""
    if given:
        return given
    for name in ("NEURON_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


def _korean() -> Any:
    """The Korean catalogue: gettext's reading of ko.mo (compiled from ko.po by i18n/catalog.py)."""
    if not KOREAN:
        import gettext

        from .catalog import MO

        try:
            with open(MO, "rb") as file:
                KOREAN.append(gettext.GNUTranslations(file))
        except OSError:  # an install without its catalogue: English, rather than no answer at all
            KOREAN.append(gettext.NullTranslations())
    return KOREAN[0]


_MARKED = None  # {name|은}: a placeholder and the particle after it, compiled on first use


def _with_particles(text: str, values: dict[str, Any]) -> str:
    """A Korean sentence's marked particles ({name|은}) in the form the placeholder's word takes (i18n/josa.py);
    the placeholder filled in, braces in it doubled for the format that follows."""
    global _MARKED
    import re

    from .josa import attach

    if _MARKED is None:
        _MARKED = re.compile(r"\{(\w+)((?:![rsa])?(?::[^{}|]*)?)\|([가-힣]+)\}")

    def filled(found: Any) -> str:
        shown = ("{" + found.group(1) + found.group(2) + "}").format(**values)
        return (shown + attach(shown, found.group(3))).replace("{", "{{").replace("}", "}}")

    return _MARKED.sub(filled, text)


class Phrase(str):
    """A piece of a sentence (where a value stands: "line 3, x2"; a hint), kept as its catalogue sentence and
    values until a whole sentence is written: as a str it is English, and message() and describe() put it in
    their own language, so that an error built in one language can still be written in the other (an ASCII
    stderr falls back to English whole, never half)."""

    text: str
    values: dict[str, Any]

    def __new__(cls, text: str, /, **values: Any) -> Phrase:
        self = super().__new__(cls, message(text, "en", **values))
        self.text, self.values = text, values
        return self

    def __reduce__(self) -> Any:  # pickled (a process's error to the other) as its plain English
        return (str, (str(self),))


def os_reason(problem: BaseException) -> str:
    """Why the operating system refused (a file not there, no permission), in the reader's language where the
    catalogue knows the reason; else as the system says it."""
    import errno

    reasons = {
        errno.ENOENT: Phrase("No such file or directory"),
        errno.EACCES: Phrase("Permission denied"),
        errno.EPERM: Phrase("Operation not permitted"),
        errno.EISDIR: Phrase("Is a directory"),
        errno.ENOTDIR: Phrase("Not a directory"),
        errno.ENOSPC: Phrase("No space left on device"),
        errno.EROFS: Phrase("Read-only file system"),
        errno.EFBIG: Phrase("File too large"),
        errno.ENAMETOOLONG: Phrase("File name too long"),
        errno.ELOOP: Phrase("Too many levels of symbolic links"),
        errno.EMFILE: Phrase("Too many open files"),
        errno.EIO: Phrase("Input/output error"),
    }
    number = getattr(problem, "errno", None)
    if number in reasons:
        return reasons[number]
    return getattr(problem, "strerror", None) or str(problem)


def _in(lang: str, values: dict[str, Any]) -> dict[str, Any]:
    """The values of a sentence, every Phrase among them in `lang`."""
    if not any(isinstance(value, Phrase) for value in values.values()):
        return values
    return {key: message(v.text, lang, **v.values) if isinstance(v, Phrase) else v for key, v in values.items()}


def message(text: str, lang: Any = None, /, **values: Any) -> str:
    """The sentence `text` in the language `lang` (a code, anything with a `.lang`, or None: the run's), its
    placeholders filled. A `row_name` value is a noun of the catalogue and is translated with it."""
    code = getattr(lang, "lang", lang) or CURRENT[0]
    values = _in(code, values)
    if code == "ko":
        text = _korean().gettext(text)
        if isinstance(values.get("row_name"), str):
            values["row_name"] = NOUNS_KO.get(values["row_name"], values["row_name"])
        if "|" in text and values:
            text = _with_particles(text, values)
    return text.format(**values) if values else text


def describe(problem: BaseException, lang: Any = None, /) -> str:
    """A NeuronError's sentence in the language `lang` (None: the run's), with every reason inside it (a value
    that is a NeuronError itself) described in the same language; any other exception as it reads."""
    if not isinstance(problem, NeuronError):
        return str(problem)
    values = {
        key: describe(value, lang) if isinstance(value, NeuronError) else value for key, value in problem.values.items()
    }
    return message(problem.text, lang, **values)  # a Phrase among the values is put in `lang` there


NOUNS_KO = {"input": "입력", "neuron": "뉴런", "output": "출력", "weight": "가중치", "value": "값", "row": "행"}


def plural(count: int, noun: str, lang: Any = None, /) -> str:
    """`1 input`, `3 inputs`; in Korean `입력 3개`."""
    if (getattr(lang, "lang", lang) or CURRENT[0]) == "ko":
        return f"{NOUNS_KO.get(noun, noun)} {count}개"
    return f"{count} {noun}{'' if count == 1 else 's'}"


def translate_sentence(text: str, lang: Any = None) -> str:
    """A sentence written elsewhere in English (Typer's usage errors) in the run's language, wherever it matches
    one of EXTRA_KEYS' templates; the rest of it stays as it is."""
    import re
    import string

    code = getattr(lang, "lang", lang) or CURRENT[0]
    if code != "ko":
        return text
    for template in EXTRA_KEYS:
        if "{" not in template:
            continue
        pattern = ""
        for literal, field, _spec, _conversion in string.Formatter().parse(template):
            pattern += re.escape(literal)
            if field:
                pattern += f"(?P<{field}>[^()]+?)" if pattern else f"(?P<{field}>.+?)"
        pattern = pattern.replace(r"\ \(", r" \(")
        match = re.search(pattern + (r"(?=$|\s\()" if template.endswith("}") else ""), text)
        if match:
            values = dict(match.groupdict())
            korean = _korean().gettext(template).replace("!r}", "}").replace("!r|", "|")
            try:
                korean = (_with_particles(korean, values) if "|" in korean else korean).format(**values)
            except (KeyError, IndexError, ValueError):  # a catalogue sentence that does not fit: keep the English
                continue
            text = text[: match.start()] + korean + text[match.end() :]
    return text
