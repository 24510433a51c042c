"""Every sentence written for a person, in one catalogue: English text is the key, Korean its translation.

Numbers are formatted before they reach a sentence; a sentence names its placeholders ({count}, {line}).
"""

from __future__ import annotations

import os
from typing import Any

LANGUAGES = ("en", "ko")
KOREAN: dict[str, str] = {}  # filled from messages_ko.py on first use, so English never pays for it
CURRENT = ["en"]  # the language of this run, set once by the command line before any work


def use(lang: str) -> None:
    """Write every message from now on in `lang` (en or ko)."""
    CURRENT[0] = lang if lang in LANGUAGES else "en"


def language(given: str | None = None) -> str:
    """`--lang`, else NEURON_LANG, then LC_ALL, LC_MESSAGES, LANG: Korean where the first set one starts with ko."""
    if given:
        return given
    for name in ("NEURON_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


def _korean() -> dict[str, str]:
    if not KOREAN:
        from .messages_ko import TRANSLATIONS

        KOREAN.update(TRANSLATIONS)
    return KOREAN


def message(text: str, lang: Any = None, /, **values: Any) -> str:
    """The sentence `text` in the language `lang` (a code, anything with a `.lang`, or None: the run's), its
    placeholders filled. A `row_name` value is a noun of the catalogue and is translated with it."""
    code = getattr(lang, "lang", lang) or CURRENT[0]
    if code == "ko":
        text = _korean().get(text, text)
        if isinstance(values.get("row_name"), str):
            values["row_name"] = NOUNS_KO.get(values["row_name"], values["row_name"])
    return text.format(**values) if values else text


NOUNS_KO = {"input": "입력", "neuron": "뉴런", "output": "출력", "weight": "가중치", "value": "값", "row": "행"}


def plural(count: int, noun: str, lang: Any = None, /) -> str:
    """`1 input`, `3 inputs`; in Korean `입력 3개`."""
    if (getattr(lang, "lang", lang) or CURRENT[0]) == "ko":
        return f"{NOUNS_KO.get(noun, noun)} {count}개"
    return f"{count} {noun}{'' if count == 1 else 's'}"
