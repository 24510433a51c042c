"""The message catalogue as gettext keeps it: `ko.po` (the source a translator edits: each English sentence, its
`msgid`, and its Korean, its `msgstr`) compiled to `ko.mo` (what a run reads, through the standard library's
gettext). `python -m neuron_cli.i18n.catalog` compiles the .po after an edit; a test checks that the two agree.

Only what the catalogue uses of the .po format is read: comments, msgctxt-less entries, msgid, msgid_plural,
msgstr and msgstr[N], each a run of quoted strings with C escapes.
"""

from __future__ import annotations

import ast
import struct
from pathlib import Path

HERE = Path(__file__).parent
PO = HERE / "ko.po"
MO = HERE / "ko.mo"
HEADER = (
    "Project-Id-Version: neuron\nLanguage: ko\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\nPlural-Forms: nplurals=1; plural=0;\n"
)


def read_po(path: Path = PO) -> dict[str, str]:
    """The .po's entries: msgid -> msgstr (a plural's msgid and msgid_plural joined by NUL, as .mo keeps them)."""
    entries: dict[str, str] = {}
    field, parts = "", dict[str, str]()  # the field being read, and the fields of the entry being read

    def finish() -> None:
        if "msgid" in parts:
            key = parts["msgid"] + ("\0" + parts["msgid_plural"] if "msgid_plural" in parts else "")
            value = parts.get("msgstr", parts.get("msgstr[0]", ""))
            if key:
                entries[key] = value
            elif value:
                entries[""] = value  # the header
        parts.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            parts[field] = parts.get(field, "") + ast.literal_eval(line)
            continue
        name, _, rest = line.partition(" ")
        if name == "msgid":
            finish()
        field = name
        parts[field] = ast.literal_eval(rest)
    finish()
    return entries


def po_text(entries: dict[str, str]) -> str:
    """A .po file of these entries (msgid -> Korean), the header first."""

    def quoted(text: str) -> str:
        body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
        return f'"{body}"'

    out = ['msgid ""', f"msgstr {quoted(HEADER)}", ""]
    for key, value in entries.items():
        if not key:
            continue
        singular, _, plural = key.partition("\0")
        out.append(f"msgid {quoted(singular)}")
        if plural:
            out += [f"msgid_plural {quoted(plural)}", f"msgstr[0] {quoted(value)}", ""]
        else:
            out += [f"msgstr {quoted(value)}", ""]
    return "\n".join(out)


def mo_bytes(entries: dict[str, str]) -> bytes:
    """The GNU .mo of these entries (the header included), keys sorted as gettext expects."""
    catalog = {"": HEADER, **{key: value for key, value in entries.items() if key}}
    keys = sorted(catalog)
    ids = [key.encode("utf-8") for key in keys]
    strs = [catalog[key].encode("utf-8") for key in keys]
    start = 7 * 4 + 16 * len(keys)  # the header, then the two tables of (length, offset)
    id_table, str_table, data = [], [], b""
    for encoded in ids:
        id_table += [len(encoded), start + len(data)]
        data += encoded + b"\0"
    for encoded in strs:
        str_table += [len(encoded), start + len(data)]
        data += encoded + b"\0"
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + 8 * len(keys), 0, 0)
    return header + struct.pack(f"{len(id_table)}i", *id_table) + struct.pack(f"{len(str_table)}i", *str_table) + data


def compile_po(po: Path = PO, mo: Path = MO) -> None:
    mo.write_bytes(mo_bytes(read_po(po)))


if __name__ == "__main__":
    compile_po()
    print(f"{MO}: {len(read_po())} entries")
