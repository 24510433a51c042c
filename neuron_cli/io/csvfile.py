"""CSV files as teachers' spreadsheets write them, to records: RFC 4180 quoting; UTF-8 with or without a byte
order mark, UTF-16 with one, or CP949/EUC-KR (Korean Excel's), detected or named; comma, semicolon or tab
delimited, detected from the first line; LF, CRLF or CR ending a line and nothing else (a form feed, NEL or
U+2028 is a character of a cell). Read a large piece at a time: memory does not grow with the rows. A record
that cannot be read (bad quoting, bytes not of the encoding) is a record of its own, with its reason."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, NamedTuple, TypeVar

from ..errors import NeuronError

PIECE = 1 << 20  # bytes read and decoded at a time
MAX_FIELD = 1 << 20  # one line may hold up to 1 MiB of text; a longer one is refused, not held whole
DELIMITERS = (",", ";", "\t")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet runs a cell that starts so as a formula
ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "utf-8-sig": "utf-8-sig", "utf-16": "utf-16"}
ENCODINGS.update({"cp949": "cp949", "euc-kr": "cp949", "euckr": "cp949", "uhc": "cp949", "ms949": "cp949"})
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
T = TypeVar("T")
_SURROGATE = re.compile("[\udc80-\udcff]")  # a byte not of the encoding, kept by surrogateescape


class Record(NamedTuple):
    """One record of a CSV file: its first line's number, its fields, or why it cannot be read. (A tuple: a
    sheet has a million of them, and a tuple is made in a tenth of the time of a frozen dataclass.)"""

    line: int
    fields: list[str]
    problem: NeuronError | None = None


@dataclass(frozen=True)
class Dialect:
    """How a file is written: its encoding and its delimiter."""

    encoding: str
    delimiter: str


def detect_encoding(head: bytes, given: str | None = None) -> str:
    """The encoding of a file that starts with `head`: named by `given`, else its byte order mark, else UTF-8
    where its bytes are UTF-8, else CP949 (a Korean Excel's CSV) where they are that."""
    if given is not None:
        name = ENCODINGS.get(given.strip().lower().replace("_", "-"))
        if name is None:
            raise NeuronError(
                "--encoding {given!r} is not one neuron reads; choose utf-8, utf-16 or cp949 (euc-kr)", given=given
            )
        return "utf-8-sig" if name == "utf-8" else name
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    lines = max(1, head.count(b"\n"))
    bad = {name: _bad_lines(head, name) for name in ("utf-8-sig", "cp949")}
    best = min(bad, key=lambda name: bad[name])  # UTF-8 where both read it alike (ASCII)
    if bad[best] <= lines // 2:  # a few bad lines are those rows' problem; most of them, the file's
        return best
    raise NeuronError(
        "the sheet is neither UTF-8, UTF-16 nor CP949 (EUC-KR) text; save it as UTF-8 CSV, or name its encoding "
        "with --encoding"
    )


def _bad_lines(head: bytes, encoding: str) -> int:
    """How many lines of `head` hold bytes that are not of the encoding."""
    text = codecs.getincrementaldecoder(encoding)(errors="surrogateescape").decode(head, final=False)
    return sum(1 for line in text.splitlines() if _SURROGATE.search(line))


def detect_delimiter(line: str, decimal_comma: bool = False) -> str:
    """The delimiter of a CSV file from its first line: the most frequent of comma, semicolon and tab outside
    quotes (not the comma where commas are decimal points)."""
    outside = re.sub(r'"[^"]*"', "", line)
    offered = [d for d in DELIMITERS if not (decimal_comma and d == ",")]
    counts = {d: outside.count(d) for d in offered}
    best = max(offered, key=lambda d: counts[d])
    return best if counts[best] else offered[0]


def records(
    source: IO[bytes] | Iterable[bytes],
    encoding: str | None = None,
    decimal_comma: bool = False,
    first_line: int = 1,
    dialect: Dialect | None = None,
) -> tuple[Dialect, Iterator[Record]]:
    """The file's dialect (as given, else detected) and its records (blank ones skipped), lines counted from
    `first_line`."""
    pieces = _pieces(source)
    if dialect is not None:
        return dialect, _records(_lines(pieces, dialect.encoding), dialect, first_line)
    head = b""
    while len(head) < PIECE and (piece := next(pieces, None)) is not None:
        head += piece  # enough of the file to tell its encoding by
    name = detect_encoding(head, encoding)
    batches = _lines(_chain(head, pieces), name)
    first = next(batches, None)
    dialect = Dialect(name, detect_delimiter(first.splitlines()[0] if first else "", decimal_comma))
    return dialect, _records(_chain(first, batches) if first else batches, dialect, first_line)


def _pieces(source: IO[bytes] | Iterable[bytes]) -> Iterator[bytes]:
    read = getattr(source, "read1", None) or getattr(source, "read", None)
    if read is None:
        yield from source
        return
    while piece := read(PIECE):
        yield piece


def _chain(head: T | None, rest: Iterator[T]) -> Iterator[T]:
    if head:
        yield head
    yield from rest


def _lines(pieces: Iterable[bytes], encoding: str) -> Iterator[str]:
    """The text in runs of whole lines (each line ending in LF, CRLF or CR, the last one perhaps in nothing);
    bytes not of the encoding stay as surrogate escapes, for the record that holds them to be refused."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="surrogateescape")
    rest = ""
    try:
        for piece in pieces:
            text = rest + decoder.decode(piece)
            end = max(text.rfind("\n"), text.rfind("\r", 0, len(text) - 1))  # a last CR may be half a CRLF
            rest = text[end + 1 :]
            if len(rest) > MAX_FIELD:
                raise NeuronError(
                    "a line is longer than {limit} characters, the limit of a sheet's line", limit=MAX_FIELD
                )
            if end >= 0:
                yield text[: end + 1]
        rest += decoder.decode(b"", final=True)
    except UnicodeError:  # UTF-16's own: an odd number of bytes, or no byte order mark to tell its order
        raise NeuronError("the sheet is not {encoding} text", encoding=encoding.upper()) from None
    if rest:
        yield rest


_record = tuple.__new__  # a Record made in C: _record(Record, (line, fields, None))


def _records(runs: Iterator[str], dialect: Dialect, first_line: int) -> Iterator[Record]:
    """Each record with its first line's number (a chain of each run's list of records: a reader that takes
    them a block at a time, with itertools.islice, never runs Python code for one)."""
    return itertools.chain.from_iterable(_record_runs(runs, dialect, first_line))


def _record_runs(runs: Iterator[str], dialect: Dialect, first_line: int) -> Iterator[list[Record]]:
    """The records of each run of lines, with their first line's number; a record that cannot be read (bad
    quoting, bytes not of the encoding) comes with its reason, and the records after it are read on. A run of
    lines without a quote, a foreign byte or a lone CR is split as it is (the common case, quickly; in one list
    where no line of it is blank); any other goes through Python's CSV reader, and a quoted record a run leaves
    open is read again with the next run."""
    number, carried = first_line, list[str]()  # the next line's number; the lines of a record left open
    delimiter, width = dialect.delimiter, [0]  # width: the first record's (the header's) number of fields
    for run in runs:
        plain = run.replace("\r\n", "\n") if "\r" in run else run
        foreign = not plain.isascii() and _SURROGATE.search(plain)  # isascii: at once, from how str is stored
        if not carried and '"' not in plain and "\r" not in plain and not foreign:
            lines = plain.split("\n")
            if not lines[-1]:
                lines.pop()  # the run's last line end
            starts = {line[:1] for line in lines}  # no line that starts blank (or with a delimiter): none is blank
            if lines and not any(start == delimiter or not start.strip() for start in starts):
                width[0] = width[0] or len(lines[0].split(delimiter))
                yield _split(lines, delimiter, number)
                number += len(lines)
                continue
            found = []
            for line in lines:
                fields = line.split(delimiter)
                if fields[0].strip() or any(field.strip() for field in fields):
                    width[0] = width[0] or len(fields)
                    found.append(_record(Record, (number, fields, None)))
                number += 1
            yield found
            continue
        lines = carried + [line for line in _LINE.findall(run) if line]
        first = number - len(carried)
        reading = _read_csv(lines, first, dialect, width, last=False)
        found = []
        try:
            while True:
                found.append(next(reading))
        except StopIteration as end:
            carried = end.value
        yield found
        number = first + len(lines)
    if carried:
        yield list(_read_csv(carried, number - len(carried), dialect, width, last=True))


def _split(lines: list[str], delimiter: str, number: int) -> list[Record]:
    """Lines without quotes or blanks as records, numbered from `number`. Where every line has as many fields,
    the whole text is split at once and cut into rows (a row's fields are then a slice, not a split)."""
    counts = set(map(str.count, lines, itertools.repeat(delimiter)))
    if len(counts) != 1:
        return [_record(Record, (n, line.split(delimiter), None)) for n, line in enumerate(lines, number)]
    width = counts.pop() + 1
    cells = delimiter.join(lines).split(delimiter)
    rows = list(
        map(cells.__getitem__, map(slice, range(0, len(cells), width), range(width, len(cells) + width, width)))
    )
    return list(map(_record, itertools.repeat(Record), zip(itertools.count(number), rows, itertools.repeat(None))))


def _read_csv(
    lines: list[str], first_line: int, dialect: Dialect, width: list[int], last: bool
) -> Generator[Record, None, list[str]]:
    """The records of these lines by Python's CSV reader; the lines of a quoted record they leave open (read
    again with the next run), unless these are the file's last.

    A quote opened and not closed on its line would swallow the rows after it: a record of several lines that
    is not as wide as the header, or one still open at the end of the file, is that first line's problem alone,
    and the reader starts again on the line after it."""
    start = 0  # where in `lines` the reader starts (again)
    while True:
        numbered = _Numbered(iter(lines[start:]), first_line + start)
        reader = csv.reader(numbered, delimiter=dialect.delimiter, strict=True)
        try:
            for fields in reader:
                line, end = numbered.start, numbered.number
                numbered.start = end + 1
                if end > line and width[0] and len(fields) != width[0]:
                    problem = NeuronError("a quote opened on this line is never closed")
                    yield Record(line, _cells(lines[line - first_line], dialect), problem)
                    start = line + 1 - first_line
                    break
                if not any(field.strip() for field in fields):
                    continue
                width[0] = width[0] or len(fields)
                if any(_SURROGATE.search(field) for field in fields):
                    encoding = dialect.encoding.replace("-sig", "").upper()
                    problem = NeuronError("it is not {encoding} text", encoding=encoding)
                    yield Record(line, [_SURROGATE.sub("\ufffd", field) for field in fields], problem)
                    continue
                yield Record(line, fields)
            else:
                return []
        except csv.Error as problem:
            line = numbered.start
            at_end = numbered.number == first_line + len(lines) - 1 and "end of data" in str(problem)
            if at_end and not last:
                return lines[line - first_line :]
            reason = (
                NeuronError("a quote opened on this line is never closed")
                if numbered.number > line or "end of data" in str(problem)
                else NeuronError("it is not a CSV record: {problem}", problem=problem)
            )
            yield Record(line, _cells(lines[line - first_line], dialect), reason)
            start = line + 1 - first_line


def _cells(line: str, dialect: Dialect) -> list[str]:
    """A line that is no CSV record, cut at its delimiters as well as it can be (for the row's name in a report)."""
    return _SURROGATE.sub("\ufffd", line.rstrip("\r\n")).replace('"', "").split(dialect.delimiter)


class _Numbered:
    """Lines with their numbers: `number` is the last one read, `start` the first of the record being read."""

    def __init__(self, lines: Iterator[str], first_line: int) -> None:
        self.lines, self.number, self.start = lines, first_line - 1, first_line

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.number += 1
        return line


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet shows as written, never runs as a formula: a leading ' where it would."""
    return "'" + text if text.startswith(FORMULA_START) else text


def safe_column(cells: list[str]) -> list[str]:
    """spreadsheet_safe of every cell, looked at once: a column where no cell starts as a formula does is kept."""
    joined = "\n" + "\n".join(cells)
    if not any("\n" + start in joined for start in FORMULA_START):
        return cells
    return list(map(spreadsheet_safe, cells))


_PLAIN_NUMBER = re.compile(r"[+-](?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")  # what a spreadsheet reads as a number


def safe_answers(cells: list[str]) -> list[str]:
    """An answer column as written, a signed decimal number (-0.5, +1e3) included: a spreadsheet reads it as the
    number it is. Any other cell it would take for a formula (-1+2, =A1, @x, -inf) gets a leading '."""
    guarded = safe_column(cells)
    if guarded is cells:
        return cells
    return [cell if _PLAIN_NUMBER.fullmatch(cell) else spreadsheet_safe(cell) for cell in cells]


def usable_id(text: str) -> bool:
    """Whether a student id is one `neuron quiz` gives numbers for, and so one a sheet's row is graded on: not
    blank, and printable text alone (no control or invisible character, no stray byte)."""
    text = text.strip()
    return bool(text) and text.isprintable()


def unescaped_id(text: str) -> str:
    """An id as written before spreadsheet_safe guarded it ('@alice is @alice), spaces around it aside, in
    Unicode's composed form (NFC: 김민지 typed on a Mac, in decomposed jamo, is the same student): the id a sheet
    `neuron quiz` made gives back is the one its numbers were drawn for."""
    import unicodedata

    text = text.strip()
    text = text[1:] if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_START) else text
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def write_columns(out: IO[str], columns: list[list[str]]) -> None:
    """CSV rows given a column at a time, as write_rows writes them: a column none of whose cells needs quotes
    (no delimiter, quote or line end) is joined as it is; only a column with such a cell goes cell by cell."""
    if not columns or not columns[0]:
        return
    shown = [list(map(_quoted, column)) if _needs_quotes("\x00".join(column)) else column for column in columns]
    out.write("\n".join(map(",".join, zip(*shown))) + "\n")


_NEEDS_QUOTES = re.compile('[,"\r\n]')


def _needs_quotes(text: str) -> bool:
    """Whether the text holds a delimiter, a quote or a line end (each looked for at memchr's speed)."""
    return "," in text or '"' in text or "\n" in text or "\r" in text


def _quoted(cell: str) -> str:
    """A cell as Python's CSV writer (minimal quoting) writes it, a CR quoted too."""
    return '"' + cell.replace('"', '""') + '"' if _NEEDS_QUOTES.search(cell) else cell


def write_rows(out: IO[str], rows: Iterable[Iterable[Any]]) -> None:
    """CSV rows, each ending in LF; a cell holding a CR is quoted too (Python's writer quotes only the characters
    of its line end, and a bare CR would end the row in a spreadsheet: the rest of the cell a row of its own)."""
    plain = csv.writer(out, lineterminator="\n")
    for row in rows:
        cells = list(row)
        if any(isinstance(cell, str) and "\r" in cell for cell in cells):
            text = io.StringIO()
            csv.writer(text, lineterminator="\r\n").writerow(cells)
            out.write(text.getvalue()[:-2] + "\n")
        else:
            plain.writerow(cells)
