"""Normalise names for comparison: one :class:`NormName` per input string.

The steps, in order: Unicode NFKC; invisible and zero-width characters removed; Cyrillic and
Greek look-alikes folded to Latin when the name is (or pretends to be) Latin; casefold;
traditional Chinese to simplified (OpenCC); Han runs cut into place names, generic words,
legal forms and distinctive chunks, each read in pinyin (so 海康威视 becomes ``haikangweishi``);
other scripts transliterated to ASCII (rigour); legal forms replaced by generic forms
(rigour's org types: "Co., Ltd." becomes ``llc``); punctuation dropped; leet digits inside
words read as letters; abbreviations expanded (Tech, Intl, Corp, Co, Comm, Grp …); an
unknown word that sounds like a listed word ("Induztrial") or is one keyboard-neighbour typo
from it ("Industtial") read as that word.

Every token gets a kind: distinctive (``D``), generic business word (``G``), place (``P``),
legal form (``L``) or initial (``I``). The word lists live in
``clearance/data/matching/words.yml``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml
from rapidfuzz.distance import OSA

from clearance.matching.memo import remember

__all__ = [
    "DISTINCT",
    "KIND_WEIGHTS",
    "LEGAL",
    "NormName",
    "WordLists",
    "classify",
    "fuzzy_keys",
    "keyboard_neighbours",
    "keyboard_typo",
    "normalise",
    "singular",
    "skeleton",
    "sound_key",
    "vowels_dropped",
    "word_lists",
]

DISTINCT, GENERIC, PLACE, LEGAL, INITIAL = "D", "G", "P", "L", "I"

#: How much a word of each kind counts when two names are compared.
KIND_WEIGHTS: dict[str, float] = {
    DISTINCT: 1.0,
    GENERIC: 0.3,
    PLACE: 0.2,
    LEGAL: 0.0,
    INITIAL: 0.1,
}

# Characters that render as nothing (or as a plain space) and are used to break matching.
_INVISIBLE = dict.fromkeys(
    [
        *range(0x200B, 0x2010),  # zero-width space/joiners, LRM/RLM
        *range(0x202A, 0x202F),  # bidi embeddings
        *range(0x2060, 0x2070),  # word joiner, invisible operators
        0x00AD,  # soft hyphen
        0x034F,  # combining grapheme joiner
        0x061C,  # Arabic letter mark
        0x115F,
        0x1160,
        0x17B4,
        0x17B5,
        0x180E,  # Mongolian vowel separator
        0x3164,  # Hangul filler
        0xFEFF,  # BOM / zero-width no-break space
        0xFFA0,
    ]
)

# Cyrillic and Greek letters that look like Latin ones.
_HOMOGLYPHS = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "е": "e",
        "ё": "e",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "ѕ": "s",
        "ԁ": "d",
        "ԛ": "q",
        "ԝ": "w",
        "ү": "y",
        "һ": "h",
        "ӏ": "l",
        "А": "A",
        "В": "B",
        "Е": "E",
        "К": "K",
        "М": "M",
        "Н": "H",
        "О": "O",
        "Р": "P",
        "С": "C",
        "Т": "T",
        "Х": "X",
        "І": "I",
        "Ј": "J",
        "Ѕ": "S",
        "У": "Y",
        "Α": "A",
        "Β": "B",
        "Ε": "E",
        "Ζ": "Z",
        "Η": "H",
        "Ι": "I",
        "Κ": "K",
        "Μ": "M",
        "Ν": "N",
        "Ο": "O",
        "Ρ": "P",
        "Τ": "T",
        "Υ": "Y",
        "Χ": "X",
        "α": "a",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
    }
)
_HOMOGLYPH_SOURCES = frozenset(chr(c) for c in _HOMOGLYPHS)

_LEET = str.maketrans(
    {"0": "o", "1": "i", "2": "z", "3": "e", "4": "a", "5": "s", "6": "g", "7": "t", "8": "b"}
)
_OCR_DIGITS = str.maketrans({"o": "0", "i": "1", "l": "1", "z": "2", "s": "5", "b": "8", "g": "9"})
_HAN_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_SPLIT = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['’`´ʼ]")
_DIGIT = re.compile(r"[0-9]")
_ORDINAL = re.compile(r"^([0-9]+)(s+t+|n+d+|r+d+|t+h+)$")
_ALPHA = re.compile(r"[a-z]")

# Han legal forms and the generic form they are replaced by.
_HAN_LEGAL_TARGETS = {
    "股份有限公司": "jsc",
    "有限责任公司": "llc",
    "有限公司": "llc",
    "集团公司": "group",
    "集团": "group",
    "公司": "company",
    "总公司": "company",
    "株式会社": "kk",
    "有限会社": "llc",
    "合同会社": "llc",
    "合资会社": "lp",
    "合名会社": "lp",
    "会社": "company",
    "厂": "factory",
    "工厂": "factory",
}


@dataclass(slots=True, frozen=True)
class WordLists:
    """The loaded word lists (see ``data/matching/words.yml``)."""

    abbreviations: dict[str, str]
    places: frozenset[str]
    generic: frozenset[str]
    legal: frozenset[str]
    han_words: dict[str, tuple[str, str]]  # Han word -> (kind, token)
    han_max: int
    numbers: dict[str, int]
    known: frozenset[str]  # every listed Latin word and abbreviation


@cache
def word_lists() -> WordLists:
    """Load the word lists once per process."""
    text = resources.files("clearance.data").joinpath("matching/words.yml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    abbreviations = {str(k): str(v) for k, v in data["abbreviations"].items()}
    places: set[str] = set()
    generic: set[str] = set()
    han_words: dict[str, tuple[str, str]] = {}
    for kind, words, target in (
        (PLACE, data["places"], places),
        (GENERIC, data["generic"], generic),
    ):
        for word in words:
            word = str(word)
            if _HAN_CHAR.search(word):
                reading = _pinyin(word)
                han_words[word] = (kind, reading)
                target.add(reading)
            else:
                target.add(word)
    generic.update(str(w) for w in data["titles"])
    generic.update([_plural(w) for w in generic] + [singular(w) for w in generic])
    legal = {str(w) for w in data["legal_words"]}
    for word in sorted(generic | places | legal | set(abbreviations) | set(data["numbers"])):
        dropped = vowels_dropped(word)
        if len(word) >= 4 and len(dropped) >= 3 and dropped != word:
            word = abbreviations.get(word, str(data["numbers"].get(word, word)))
            known = dropped in generic or dropped in places or dropped in legal
            if not known and dropped not in abbreviations:
                abbreviations[dropped] = word
    for word in data["han_legal_forms"]:
        token = _HAN_LEGAL_TARGETS.get(str(word), "company")
        kind = GENERIC if token in ("group", "factory") else LEGAL
        han_words[str(word)] = (kind, token)
    generic.update({"group", "factory"})
    return WordLists(
        abbreviations=abbreviations,
        places=frozenset(places),
        generic=frozenset(generic - legal),
        legal=frozenset(legal),
        han_words=han_words,
        han_max=max(len(w) for w in han_words),
        numbers={str(k): int(v) for k, v in data["numbers"].items()},
        known=frozenset(
            w
            for w in (*generic, *places, *legal, *abbreviations, *data["numbers"])
            if str(w).isascii() and len(str(w)) > 3
        ),
    )


def _plural(word: str) -> str:
    if word.endswith("y") and len(word) > 3:
        return word[:-1] + "ies"
    return word if word.endswith("s") else word + "s"


def singular(word: str) -> str:
    """English plural -> singular, for the few endings company names use."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def vowels_dropped(word: str) -> str:
    """The word without its inner vowels ("limited" -> "lmtd"), as evasive spellings write it."""
    if len(word) < 3:
        return word
    return word[0] + _VOWELS.sub("", word[1:-1]) + word[-1]


@cache
def _pinyin_table() -> dict[str, str]:
    """Han character -> its first pinyin reading without tone marks."""
    from pypinyin.pinyin_dict import pinyin_dict

    table: dict[str, str] = {}
    for code, readings in pinyin_dict.items():
        first = readings.split(",", 1)[0]
        plain = "".join(
            c for c in unicodedata.normalize("NFD", first) if not unicodedata.combining(c)
        )
        table[chr(code)] = plain.lower()
    return table


def _pinyin(text: str) -> str:
    table = _pinyin_table()
    return "".join(table.get(char, char) for char in text)


@cache
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def _fold_homoglyphs(text: str) -> str:
    """Map Cyrillic/Greek look-alikes to Latin when the name is written in Latin letters.

    A name with any ASCII letter is Latin; a name made only of look-alike letters is
    treated as disguised Latin too. Real Cyrillic or Greek names are left to transliteration.
    """
    if _ASCII_LETTER.search(text) is not None:
        return text.translate(_HOMOGLYPHS)
    letters = [c for c in text if c.isalpha()]
    if letters and all(c in _HOMOGLYPH_SOURCES for c in letters):
        return text.translate(_HOMOGLYPHS)
    return text


def classify(token: str) -> str:
    """The kind of a normalised token: D, G, P, L or I."""
    words = word_lists()
    if token in words.legal:
        return LEGAL
    if token in words.places:
        return PLACE
    if token in words.generic:
        return GENERIC
    if len(token) == 1 and not token.isdigit():
        return INITIAL
    return DISTINCT


@dataclass(slots=True)  # not frozen: see features.Pair
class NormName:
    """A name ready for comparison.

    Attributes:
        text: the input as given.
        tokens: normalised words, in input order.
        kinds: one kind letter per token (D, G, P, L, I).
        surfaces: what each token was written as (the Han characters for pinyin tokens).
        has_han: whether some surface is not in Latin letters (a Han or other script word).
    """

    text: str
    tokens: tuple[str, ...]
    kinds: str
    surfaces: tuple[str, ...]
    has_han: bool = False  # some token was written in other than Latin letters

    @property
    def key(self) -> str:
        """The tokens joined: equal keys mean equal normalised names."""
        return " ".join(self.tokens)


def _latin_tokens(segment: str, out: list[tuple[str, str, str]]) -> None:
    from rigour.text.translit import ascii_text

    if not segment.strip():
        return
    segment = _legal_forms(segment)
    if not segment.isascii():
        segment = _to_ascii(segment)
        if not segment.isascii():
            segment = ascii_text(segment).casefold()
    segment = _APOSTROPHES.sub("", segment).replace("&", " and ")
    tokens: list[str] = []
    kinds: list[str] = []
    cache = _WORD_CACHE
    segment = _join_fragments(segment)
    for raw in _SPLIT.split(segment):
        if not raw:
            continue
        found = cache.get(raw)
        if found is None:
            found = _word(raw)
            if len(cache) < 500_000:
                cache[raw] = found
        token, kind = found
        if tokens and _is_tens(tokens[-1]) and _is_digit_1_9(token):
            tokens[-1] = str(int(tokens[-1]) + int(token))  # forty four -> 44
            continue
        tokens.append(token)
        kinds.append(kind)
    for pos in range(len(tokens) - 1, max(-1, len(tokens) - 3), -1):
        if kinds[pos] == LEGAL:
            continue
        legal = _legal_typo(tokens[pos], pos == len(tokens) - 1) if kinds[pos] == DISTINCT else None
        if legal is None:
            break
        tokens[pos], kinds[pos] = legal, LEGAL
    out.extend((t, k, t) for t, k in zip(tokens, kinds, strict=True))


_TRANSLIT = str.maketrans(
    {
        **dict(zip("абвгдезийклмнопрстуфыэ", "abvgdeziiklmnoprstufye", strict=True)),
        **{"ё": "e", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch"},
        **{"ъ": "", "ь": "", "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g"},
        **dict(zip("αβγδεζηικλμνξοπρστυφως", "avgdeziiklmnxoprstyfos", strict=True)),
        **{"θ": "th", "χ": "ch", "ψ": "ps", "ά": "a", "έ": "e", "ή": "i", "ί": "i"},
        **{"ό": "o", "ύ": "y", "ώ": "o", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d"},
        **{"ł": "l", "ı": "i", "þ": "th", "ð": "d", "«": " ", "»": " ", "„": " ", "“": " "},
    }
)


def _to_ascii(text: str) -> str:
    """Cyrillic and Greek transliterated, accents dropped (fast path before rigour)."""
    text = text.translate(_TRANSLIT)
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


_WORD_CACHE: dict[str, tuple[str, str]] = {}


def _join_fragments(segment: str) -> str:
    """Rejoin a known word split by a stray space ("Limi ted", "Corp oration")."""
    parts = segment.split()
    if len(parts) < 2:
        return segment
    words = word_lists()
    known = words.known
    out: list[str] = []
    i = 0
    while i < len(parts):
        if i + 1 < len(parts):
            joined = parts[i] + parts[i + 1]
            bare = joined.strip(".,;:")
            if (
                bare in known
                and parts[i].strip(".,") not in known
                and parts[i + 1].strip(".,") not in known
            ):
                out.append(joined)
                i += 2
                continue
        out.append(parts[i])
        i += 1
    return " ".join(out)


def _word(raw: str) -> tuple[str, str]:
    """One Latin word: leet and OCR digits read, number words as digits, abbreviations
    expanded, a listed word's misspelling read as that word; with its kind."""
    token = raw
    if _DIGIT.search(token) is not None and _ALPHA.search(token) is not None:
        token = _mixed(token)
    words = word_lists()
    number = words.numbers.get(token)
    if number is not None:
        token = str(number)
    token = words.abbreviations.get(token, token)
    kind = classify(token)
    if kind == DISTINCT:
        alike = _listed_alike(token)
        if alike is not None:
            number = words.numbers.get(alike)
            token = str(number) if number is not None else words.abbreviations.get(alike, alike)
            kind = classify(token)
    return token, kind


def _mixed(token: str) -> str:
    """A word of letters and digits: an ordinal (1st), leet (H1kv1s10n) or OCR'd digits (36O)."""
    ordinal = _ORDINAL.match(token)
    if ordinal:
        return ordinal.group(1)
    digits = sum(c.isdigit() for c in token)
    if digits * 2 > len(token):
        return token.translate(_OCR_DIGITS)
    return token.translate(_LEET)


# Legal forms that a typo, a sound-alike spelling or a cut may leave unrecognised.
_LEGAL_TYPO_TARGETS = (
    "co",
    "inc",
    "ltd",
    "llc",
    "plc",
    "corp",
    "gmbh",
    "lp",
    "ag",
    "sa",
    "limited",
    "company",
    "corporation",
    "incorporated",
)
# Short words rigour's legal-form table holds that are far more often ordinary words.
_NOT_LEGAL = frozenset({"is", "ii", "iii", "at", "it", "an", "in", "on", "of", "or", "sc", "s c"})


def _legal_forms(segment: str) -> str:
    """Replace legal forms by rigour's generic forms, except short ordinary words."""
    from rigour.names.org_types import extract_org_types, replace_org_types_compare

    found = extract_org_types(segment, generic=True)
    if not found:
        return segment
    if all(m.strip(" .,").replace(".", " ").strip() not in _NOT_LEGAL for m, _ in found):
        return replace_org_types_compare(segment, generic=True)
    for matched, target in found:
        if matched.strip(" .,").replace(".", " ").strip() in _NOT_LEGAL:
            continue
        segment = re.sub(rf"(?<!\w){re.escape(matched)}(?!\w)", f" {target} ", segment, count=1)
    return segment


@cache
def _legal_generic(word: str) -> str:
    from rigour.names.org_types import replace_org_types_compare

    return replace_org_types_compare(word, generic=True).strip() or word


_LEGAL_TYPOS: dict[tuple[str, bool], str | None] = {}


def _legal_typo(token: str, last: bool) -> str | None:
    """A trailing word one keystroke, one sound or a cut away from a legal form (Icn, Ko,
    Lttd, Liimted, Lim). Remembered in a plain dict (a hit changes nothing shared)."""
    key = (token, last)
    if key in _LEGAL_TYPOS:
        return _LEGAL_TYPOS[key]
    return remember(_LEGAL_TYPOS, key, _find_legal_typo(token, last), 1 << 16)


def _find_legal_typo(token: str, last: bool) -> str | None:
    if token.isdigit() or len(token) > 13:
        return None
    collapsed = _DOUBLES.sub(r"\1", token)
    for target in _LEGAL_TYPO_TARGETS:
        close = len(token) >= 3 and abs(len(target) - len(token)) <= 1
        if (
            close
            and OSA.distance(token, target) <= 1
            and (len(target) > 3 or len(token) == len(target))
        ):
            return _legal_generic(target)
        ocr = token.replace("rn", "m").replace("cl", "d")
        if token.replace("k", "c") == target or collapsed == target or ocr == target:
            return _legal_generic(target)
        if last and len(token) >= 3 and len(target) > len(token) + 2 and target.startswith(token):
            return _legal_generic(target)
    return None


def _is_tens(token: str) -> bool:
    return len(token) == 2 and token[1] == "0" and token[0] in "23456789"


def _is_digit_1_9(token: str) -> bool:
    return len(token) == 1 and "1" <= token <= "9"


def _han_tokens(segment: str, out: list[tuple[str, str, str]]) -> None:
    words = word_lists()
    pending: list[str] = []

    def flush() -> None:
        if pending:
            chunk = "".join(pending)
            reading = _pinyin(chunk)
            if not reading.isascii():
                from rigour.text.translit import ascii_text

                reading = ascii_text(reading).casefold().replace(" ", "")
            if reading:
                out.append((reading, classify(reading), chunk))
            pending.clear()

    i, n = 0, len(segment)
    while i < n:
        for size in range(min(words.han_max, n - i), 1, -1):
            found = words.han_words.get(segment[i : i + size])
            if found is not None:
                break
        else:
            found = words.han_words.get(segment[i]) if i + 1 == n else None
            size = 1
        if found is None:
            pending.append(segment[i])
            i += 1
            continue
        flush()
        out.append((found[1], found[0], segment[i : i + size]))
        i += size
    flush()


@lru_cache(maxsize=200_000)
def normalise(text: str) -> NormName:
    """Normalise one name (cached: the same string always gives the same result)."""
    parts: list[tuple[str, str, str]] = []
    if text.isascii():  # NFKC-stable, no invisible characters, no look-alikes, no Han
        _latin_tokens(text.casefold(), parts)
        return _build(text, parts)
    clean = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    clean = _fold_homoglyphs(clean).casefold()
    if _HAN_CHAR.search(clean) is not None:
        clean = _t2s().convert(clean)
        pos = 0
        for match in _HAN_RUN.finditer(clean):
            if match.start() > pos:
                _latin_tokens(clean[pos : match.start()], parts)
            _han_tokens(match.group(), parts)
            pos = match.end()
        if pos < len(clean):
            _latin_tokens(clean[pos:], parts)
    else:
        _latin_tokens(clean, parts)
    return _build(text, parts)


def _build(text: str, parts: list[tuple[str, str, str]]) -> NormName:
    surfaces = tuple(p[2] for p in parts)
    return NormName(
        text=text,
        tokens=tuple(p[0] for p in parts),
        kinds="".join(p[1] for p in parts),
        surfaces=surfaces,
        has_han=any(not s.isascii() for s in surfaces),
    )


_PHONETIC = (("ph", "f"), ("ck", "k"), ("kh", "h"), ("gh", "g"), ("c", "k"), ("q", "k"))
_PHONETIC_CHARS = str.maketrans({"z": "s", "y": "i", "w": "v"})
_VOWELS = re.compile(r"[aeiou]")
_DOUBLES = re.compile(r"(.)\1+")


@lru_cache(maxsize=500_000)
def skeleton(token: str) -> str:
    """A sound-alike key: phonetic spellings unified, doubled letters and inner vowels dropped.

    "Hikvision", "Hkvsn" and "Hickvizion" share the skeleton ``hkvsn``.
    """
    key = token
    for a, b in _PHONETIC:
        key = key.replace(a, b)
    key = _DOUBLES.sub(r"\1", key.translate(_PHONETIC_CHARS))
    return _DOUBLES.sub(r"\1", key[:1] + _VOWELS.sub("", key[1:]))


def fuzzy_keys(token: str) -> set[str]:
    """Keys shared by tokens one edit apart: every single-character deletion, and the token.

    Two tokens within one insertion, deletion, substitution or adjacent transposition of
    each other have a key in common (symmetric deletion).
    """
    keys = {token}
    if len(token) >= 3:
        keys.update(token[:i] + token[i + 1 :] for i in range(len(token)))
    return keys


# Spellings that sound the same, unified in this order: "ph" as "f"; "c" and "q" as "k"
# (so "ck" and "ch" become "kk" and "kh"); "z" as "s"; "y" as "i"; "ie" as "ei"; "kh" and
# "gh" as "h" and "g"; doubled letters once.
_SOUND_PAIRS = (("ph", "f"), ("c", "k"), ("q", "k"), ("z", "s"), ("y", "i"), ("ie", "ei"))
_SOUND_TAIL = (("kh", "h"), ("gh", "g"))


@lru_cache(maxsize=500_000)
def sound_key(token: str) -> str:
    """The word as it sounds: sound-alike spellings unified, vowels kept.

    c, k and q; s and z; i and y; ph and f; kh and h, gh and g; ie and ei; doubled letters.
    "Phenix" and "Fenix", "CALB" and "KALB", "BYD" and "BiD", "Tech" and "Tekh" share a key.
    """
    key = token
    for a, b in _SOUND_PAIRS:
        key = key.replace(a, b)
    for a, b in _SOUND_TAIL:
        key = key.replace(a, b)
    return _DOUBLES.sub(r"\1", key)


# The letter rows of a QWERTY keyboard and how far each row is shifted to the right, in key
# widths (A lies under Q and W, Z under A and S).
_KEYBOARD_ROWS = (("qwertyuiop", 0.0), ("asdfghjkl", 0.25), ("zxcvbnm", 0.75))


@cache
def keyboard_neighbours() -> dict[str, frozenset[str]]:
    """Each letter's neighbours on a QWERTY keyboard: left and right on its row, and the
    keys that touch it on the rows above and below (S: A, D, W, E, Z, X)."""
    where = {
        letter: (row, col + shift)
        for row, (letters, shift) in enumerate(_KEYBOARD_ROWS)
        for col, letter in enumerate(letters)
    }
    out: dict[str, frozenset[str]] = {}
    for letter, (row, x) in where.items():
        out[letter] = frozenset(
            other
            for other, (orow, ox) in where.items()
            if (orow == row and abs(ox - x) == 1.0) or (abs(orow - row) == 1 and abs(ox - x) < 1.0)
        )
    return out


def keyboard_typo(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with one letter replaced by a key next to it (AVOC for AVIC)."""
    if len(a) != len(b) or a == b:
        return False
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(diff) != 1:
        return False
    x, y = diff[0]
    return y in keyboard_neighbours().get(x, frozenset())


#: Shortest unknown word that is read as a listed word it sounds like ("Tekh" as "Tech").
_SOUND_ALIKE_MIN = 4
#: Shortest unknown word that is read as a listed word one keyboard-neighbour typo away.
_KEYBOARD_TYPO_MIN = 7


@cache
def _listed_misspellings() -> tuple[dict[str, str], dict[str, str]]:
    """Two tables of listed words (generic, place, legal form, number, abbreviation; four
    letters or more, with an inner vowel; not readings of Chinese words): by sound key, and
    by every spelling one keyboard-neighbour typo away after the first letter (words of seven
    letters or more, not places). Keys two listed words share are left out, and so are typos
    that are listed words themselves."""
    words = word_lists()
    by_sound: dict[str, set[str]] = {}
    by_typo: dict[str, set[str]] = {}
    neighbours = keyboard_neighbours()
    listed = (*words.generic, *words.places, *words.legal, *words.abbreviations, *words.numbers)
    pinyin = {token for _kind, token in words.han_words.values()}
    for word in listed:
        if len(word) < _SOUND_ALIKE_MIN or not word.isalpha() or not _VOWELS.search(word[1:-1]):
            continue
        if word in pinyin:
            continue  # a reading in pinyin spells sounds already: Chaney is not chanye
        by_sound.setdefault(sound_key(word), set()).add(word)
        if len(word) >= _KEYBOARD_TYPO_MIN and word not in words.places:
            for i, letter in enumerate(word[1:], 1):
                for other in neighbours.get(letter, ()):
                    by_typo.setdefault(word[:i] + other + word[i + 1 :], set()).add(word)
    known = set(listed)
    return (
        {key: next(iter(ws)) for key, ws in by_sound.items() if len(ws) == 1},
        {key: next(iter(ws)) for key, ws in by_typo.items() if len(ws) == 1 and key not in known},
    )


def _listed_alike(token: str) -> str | None:
    """The listed word an unknown word misspells, with the same first letter: one that sounds
    the same ("Induztrial", "Firzt", "Tekh") or, from seven letters, a listed word one
    keyboard-neighbour typo away ("Industtial"; not places: Nangong is a town of its own, not
    a typo of Nantong)."""
    if len(token) < _SOUND_ALIKE_MIN or not token.isalpha():
        return None
    by_sound, by_typo = _listed_misspellings()
    found = by_sound.get(sound_key(token))
    if found is None and len(token) >= _KEYBOARD_TYPO_MIN:
        found = by_typo.get(token)
    if found is None or found[0] != token[0]:
        return None  # a misspelling keeps the first letter: Farm is not Pharm, Haney not Chanye
    return found
