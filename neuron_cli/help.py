"""--help in the reader's language: every command's and option's help text put through the message catalogue."""

from __future__ import annotations

from typing import Any

from .messages import message


def translate(command: Any, lang: str) -> None:
    """Translate, in place, the help of a click command, its parameters and its subcommands."""
    for attribute in ("help", "short_help"):
        text = getattr(command, attribute, None)
        if text:
            setattr(command, attribute, _translate_text(text, lang))
    for param in getattr(command, "params", []):
        if getattr(param, "help", None):
            param.help = message(param.help, lang)
    for sub in getattr(command, "commands", {}).values():
        translate(sub, lang)


def _translate_text(text: str, lang: str) -> str:
    """A docstring: each paragraph is a key of its own, and so is each example's comment-free line."""
    paragraphs = text.split("\n\n")
    return "\n\n".join(
        message(paragraph.strip("\n"), lang) if paragraph.strip() else paragraph for paragraph in paragraphs
    )
