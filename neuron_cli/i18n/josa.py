"""Korean particles (조사) chosen from the word before them, as a native reader expects: 값이, 입력 2개가,
sigmoid와, relu는, 3을, 10은, 파일로; never the fallback forms 이(가), 은(는).

A Korean sentence of the catalogue marks a particle after a placeholder as `{name|은}` (or any form of the pair:
`{name|는}` is the same): the word the placeholder becomes decides between 은 and 는. A word is read as a
Korean reader reads it: Hangul by its last syllable's final consonant (받침); a number by its last digits'
Korean reading (1 일, 3 삼, 6 육, 10 십); a Latin name by its Korean reading where the project knows it (sigmoid
시그모이드, relu 렐루), else by how English words usually end; anything in quotes or brackets by what is inside.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

# The pairs: (after a final consonant, after a vowel). 으로/로 is special: after ㄹ it is 로.
PAIRS = {
    "은": ("은", "는"),
    "는": ("은", "는"),
    "이": ("이", "가"),
    "가": ("이", "가"),
    "을": ("을", "를"),
    "를": ("을", "를"),
    "과": ("과", "와"),
    "와": ("과", "와"),
    "으로": ("으로", "로"),
    "로": ("으로", "로"),
    "이라": ("이라", "라"),
    "라": ("이라", "라"),
    "이나": ("이나", "나"),
    "나": ("이나", "나"),
}
RIEUL = 8  # the final consonant ㄹ's index among Hangul finals
# How the last digit of a number is read, and whether that reading ends in a final consonant (ㄹ for 1, 7, 8).
DIGIT_FINAL = {"0": 21, "1": 8, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": 8, "8": 8, "9": 0}  # 영 일 이 삼 ...
# A whole number ending in zeros is read by its last unit: 십 (ㅂ), 백 (ㄱ), 천 (ㄴ), then 만 (ㄴ), 억 (ㄱ), 조.
UNIT_FINAL = {1: 17, 2: 1, 3: 4}
LARGE_FINAL = (4, 1, 0)  # 만, 억, 조: a unit of four zeros each
READINGS_FILE = Path(__file__).parent / "readings.ko"  # how the names a sentence may hold are read
_HANGUL = re.compile("[가-힣]")
_LATIN_VOWEL_END = re.compile(r"(?:[aeiouy]|[aeiou]r|ow|ew|aw)$")  # 에, 이, 오, 우: no final consonant
_LATIN_VOWEL = re.compile("[aeiouy]")
# A letter's name ends in a final consonant for l 엘, r 알 (ㄹ), m 엠 (ㅁ) and n 엔 (ㄴ) alone.
_LETTER_FINAL = {"l": RIEUL, "r": RIEUL, "m": 16, "n": 4}


def final(word: str) -> int | None:
    """The final consonant's index (0: none, 8: ㄹ) of how a word is read; None where it cannot be known."""
    text = word.strip().rstrip(".,;:!?")
    while text and text[-1] in "'\")]}>'’”":
        text = text[:-1].rstrip()  # 'x3' reads as x3; (y1..) as y1
    if not text:
        return None
    last = text[-1]
    if _HANGUL.match(last):
        return (ord(last) - 0xAC00) % 28
    reading = readings().get(text.lower()) or readings().get(text.split(":")[0].lower())
    if reading:
        return final(reading)
    if last.isdigit():
        number = re.search(r"[\d.]+$", text).group()  # type: ignore[union-attr]
        if "." in number:  # decimals are read digit by digit: 0.50 ends in 영
            return DIGIT_FINAL[last]
        stripped = number.rstrip("0")
        zeros = len(number) - len(stripped)
        if not stripped:
            return DIGIT_FINAL["0"]
        if zeros in UNIT_FINAL:
            return UNIT_FINAL[zeros]
        if zeros >= 4:
            return LARGE_FINAL[min(zeros // 4 - 1, 2)]
        return DIGIT_FINAL[stripped[-1]]
    if last.isascii() and last.isalpha():
        word = re.split(r"[^0-9A-Za-z_]+", text)[-1]  # the last word: a.csv is read by csv, --tol by tol
        reading = readings().get(word.lower())
        if reading:
            return final(reading)
        lower = word.lower()
        if len(word) == 1 or word.isupper() or not _LATIN_VOWEL.search(lower):
            return _LETTER_FINAL.get(lower[-1], 0)  # letters read by their names: x 엑스, csv 시에스브이, xml 엑스엠엘
        return _english_final(lower)
    return None


def _english_final(word: str) -> int:
    """The final consonant of how Korean writes an English word it has no reading for, by the word's ending:
    loanwords end in a vowel where English ends in a hiss or a consonant cluster (notes 노츠, text 텍스트, field
    필드), in ㄹ, ㅁ, ㄴ, ㅇ where it ends in l, m, n, ng (model 모델, file 파일, name 네임, line 라인, string
    스트링), and in a final consonant after a short vowel's stop (input 인풋, zip 집, book 북)."""
    if word.endswith(("le", "l")):
        return RIEUL
    if word.endswith(("me", "m")):
        return 16
    if word.endswith("ng"):
        return 21
    if word.endswith(("ne", "n")):
        return 4
    if word.endswith("ck"):
        return 1
    if _LATIN_VOWEL_END.search(word) or word[-1] in "sxzhfvdgjqw" or len(word) < 2:
        return 0
    if word[-2] not in "aeiou":  # st, nt, pt, rk, lp: 스트, 트, 프트, 크, 프
        return 0
    return {"t": 19, "p": 17, "b": 17, "k": 1, "c": 1}.get(word[-1], 0)  # 인풋, 집, 웹, 북, 맥


@functools.lru_cache(maxsize=1)
def readings() -> dict[str, str]:
    """Latin names and their Korean readings (readings.ko: a name and its reading a line)."""
    found = {}
    for line in READINGS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, reading = line.partition("\t")
            found[name.strip()] = reading.strip()
    return found


def attach(word: str, particle: str) -> str:
    """The particle's form that follows `word` (은 or 는, ...); where the word's reading cannot be known, the form
    after a vowel is not guessed: the consonant form is, as a Korean writer does after a symbol."""
    pair = PAIRS.get(particle)
    if pair is None:
        return particle
    ending = final(word)
    if ending is None:
        return pair[0]
    if pair[0] == "으로":
        return "로" if ending in (0, RIEUL) else "으로"
    return pair[0] if ending else pair[1]
