"""The Korean catalogue: each English sentence of the program and its Korean (see messages.py)."""

TRANSLATIONS: dict[str, str] = {}
