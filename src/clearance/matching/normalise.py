"""Normalise names for comparison: one :class:`NormName` per input string.

The steps, in order: Unicode NFKC; invisible and zero-width characters removed; Cyrillic and
Greek look-alikes folded to Latin when the name is (or pretends to be) Latin; casefold;
traditional Chinese to simplified (OpenCC); Han runs cut into place names, generic words,
legal forms and distinctive chunks, the distinctive ones read in pinyin (so 海康威视 becomes
``haikangweishi``), generic words as the English word registered names use (技术:
``technology``); Chinese written in pinyin ("Hua Wei Ji Shu", "huaweijishu", hua2wei2) cut
the same way (:mod:`clearance.matching.romanised`);
other scripts transliterated to ASCII (rigour); legal forms replaced by generic forms
(rigour's org types: "Co., Ltd." becomes ``llc``); punctuation dropped; leet digits inside
words read as letters; abbreviations expanded (Tech, Intl, Corp, Co, Comm, Grp …); an
unknown word that sounds like a listed word ("Induztrial") or is one keyboard-neighbour typo
from it ("Industtial") read as that word.

Every token gets a kind (:mod:`clearance.matching.words`): distinctive (``D``), generic
business word (``G``), place (``P``), legal form (``L``) or initial (``I``). The word lists live
in ``clearance/data/matching/words.yml`` and ``legal_forms.yml``, the character tables (invisible
characters, look-alikes, transliteration, leet) in ``characters.yml``. Only the first
:data:`MAX_NAME_CHARS` characters of a name are read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from rapidfuzz.distance import OSA

from clearance.legal_forms import legal_forms
from clearance.matching.memo import remember
from clearance.matching.romanised import all_syllables, read_runs, syllables, tone_numbers
from clearance.matching.spelling import collapse_doubles
from clearance.matching.tables import character_tables
from clearance.matching.words import (
    DISTINCT,
    LEGAL,
    classify,
    listed_alike,
    pinyin,
    word_lists,
)

__all__ = ["MAX_NAME_CHARS", "NormName", "normalise", "simplified"]

#: Names are normalised from their first this many characters: the work on a name grows with
#: the square of its longest word (its one-edit keys), so a 100 KB name would take gigabytes.
#: The screener says in a result's notes when it cut the name it was given.
MAX_NAME_CHARS = 1_000

_HAN_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_SPLIT = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['’`´ʼ]")
#: An apostrophe before a syllable of pinyin (Xi'an, Jing'ao): not a word's end ('AO' a form).
_SYLLABLE_APOSTROPHE = re.compile(r"(?<=[a-z])['’`´ʼ](?=[aoe])")
_DIGIT = re.compile(r"[0-9]")
_ORDINAL = re.compile(r"^([0-9]+)(s+t+|n+d+|r+d+|t+h+)$")
_ALPHA = re.compile(r"[a-z]")


@cache
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """``text`` with traditional Chinese characters written simplified (OpenCC t2s)."""
    return str(_t2s().convert(text))


def _fold_homoglyphs(text: str) -> str:
    """Map Cyrillic/Greek look-alikes to Latin when the name is written in Latin letters.

    A name with any ASCII letter is Latin; a name made only of look-alike letters is
    treated as disguised Latin too. Real Cyrillic or Greek names are left to transliteration.
    """
    tables = character_tables()
    if _ASCII_LETTER.search(text) is not None:
        return text.translate(tables.homoglyphs)
    letters = [c for c in text if c.isalpha()]
    if letters and all(c in tables.homoglyph_sources for c in letters):
        return text.translate(tables.homoglyphs)
    return text


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
    if _APOSTROPHES.search(segment) is not None:  # the look-behind only where one is
        segment = _SYLLABLE_APOSTROPHE.sub("", segment)
    segment = _replace_legal_forms(segment)
    if not segment.isascii():
        segment = _to_ascii(segment)
        if not segment.isascii():
            segment = ascii_text(segment).casefold()
    segment = _APOSTROPHES.sub("", segment).replace("&", " and ")
    tokens: list[str] = []
    kinds: list[str] = []
    cache = _WORD_CACHE
    segment = _join_fragments(segment)
    syllabic = False  # some word is made of pinyin syllables
    for raw in _SPLIT.split(segment):
        if not raw:
            continue
        found = cache.get(raw)
        if found is None:
            found = _word(raw)
            if len(cache) < 500_000:
                cache[raw] = found
        token, kind, of_syllables = found
        syllabic = syllabic or of_syllables
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
    surfaces = tokens
    read = read_runs(tokens, kinds, tokens) if syllabic and len(tokens) < 40 else None
    if read is not None:  # Chinese written in pinyin: cut as the Han name is
        tokens, kinds, surfaces = read
    out.extend(zip(tokens, kinds, surfaces, strict=True))


def _to_ascii(text: str) -> str:
    """Cyrillic and Greek transliterated, accents dropped (fast path before rigour)."""
    text = text.translate(character_tables().transliteration)
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


#: Latin word as written -> (its token, its kind, whether the token is pinyin syllables).
_WORD_CACHE: dict[str, tuple[str, str, bool]] = {}


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


def _word(raw: str) -> tuple[str, str, bool]:
    """One Latin word: leet and OCR digits read, number words as digits, abbreviations
    expanded, a listed word's misspelling read as that word; with its kind and whether it
    is made of pinyin syllables."""
    token, kind = _read_word(raw)
    return token, kind, syllables(token) is not None


def _read_word(raw: str) -> tuple[str, str]:
    token = raw
    if _DIGIT.search(token) is not None and _ALPHA.search(token) is not None:
        token = tone_numbers(token) or _mixed(token)
    words = word_lists()
    number = words.numbers.get(token)
    if number is not None:
        token = str(number)
    token = words.abbreviations.get(token, token)
    kind = classify(token)
    if kind == DISTINCT:
        alike = listed_alike(token)
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
        return token.translate(character_tables().ocr_digits)
    return token.translate(character_tables().leet)


def _replace_legal_forms(segment: str) -> str:
    """Replace legal forms by rigour's generic forms, except short ordinary words."""
    from rigour.names.org_types import extract_org_types, replace_org_types_compare

    found = extract_org_types(segment, generic=True)
    if not found:
        return segment
    if all_syllables(segment):
        return segment  # "Na Si Da Gu Fen": pinyin, not legal forms (NA, GU)
    not_legal = legal_forms().not_legal
    if all(m.strip(" .,").replace(".", " ").strip() not in not_legal for m, _ in found):
        return replace_org_types_compare(segment, generic=True)
    for matched, target in found:
        if matched.strip(" .,").replace(".", " ").strip() in not_legal:
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
    collapsed = collapse_doubles(token)
    for target in legal_forms().typo_targets:
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
            reading = pinyin(chunk)
            if not reading.isascii():
                from rigour.text.translit import ascii_text

                reading = ascii_text(reading).casefold().replace(" ", "")
            if reading:
                out.append((reading, classify(reading), chunk))
            pending.clear()

    i, n = 0, len(segment)
    while i < n:
        for size in range(min(words.han_max, n - i), 1, -1):
            listed = words.han_words.get(segment[i : i + size])
            if listed is not None:
                break
        else:
            listed = words.han_words.get(segment[i]) if i + 1 == n else None
            size = 1
        if listed is None:
            pending.append(segment[i])
            i += 1
            continue
        flush()
        out.append((listed.token, listed.kind, segment[i : i + size]))
        i += size
    flush()


@lru_cache(maxsize=200_000)
def normalise(text: str) -> NormName:
    """Normalise one name (cached: the same string always gives the same result)."""
    parts: list[tuple[str, str, str]] = []
    given = text
    text = text[:MAX_NAME_CHARS]
    if text.isascii():  # NFKC-stable, no invisible characters, no look-alikes, no Han
        _latin_tokens(text.casefold(), parts)
        return _build(given, parts)
    clean = unicodedata.normalize("NFKC", text).translate(character_tables().invisible)
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
    return _build(given, parts)


def _build(text: str, parts: list[tuple[str, str, str]]) -> NormName:
    surfaces = tuple(p[2] for p in parts)
    return NormName(
        text=text,
        tokens=tuple(p[0] for p in parts),
        kinds="".join(p[1] for p in parts),
        surfaces=surfaces,
        has_han=any(not s.isascii() for s in surfaces),
    )
