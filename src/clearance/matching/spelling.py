"""Spellings of one word: plural and singular, without inner vowels, as it sounds, its
consonant skeleton, its one-edit keys and its keyboard-neighbour typos.

Pure functions of a word (no word lists): normalisation, word likeness and the index's fuzzy
keys all spell words through them.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from clearance.matching.tables import character_tables

__all__ = [
    "collapse_doubles",
    "fuzzy_keys",
    "keyboard_neighbours",
    "keyboard_typo",
    "ocr_reading",
    "plural",
    "singular",
    "skeleton",
    "sound_key",
    "vowels_dropped",
]

_VOWELS = re.compile(r"[aeiou]")
_PHONETIC = (("ph", "f"), ("ck", "k"), ("kh", "h"), ("gh", "g"), ("c", "k"), ("q", "k"))
_PHONETIC_CHARS = str.maketrans({"z": "s", "y": "i", "w": "v"})
# Spellings that sound the same, unified in this order: "ph" as "f"; "c" and "q" as "k"
# (so "ck" and "ch" become "kk" and "kh"); "z" as "s"; "y" as "i"; "ie" as "ei"; "kh" and
# "gh" as "h" and "g"; doubled letters once.
_SOUND_PAIRS = (("ph", "f"), ("c", "k"), ("q", "k"), ("z", "s"), ("y", "i"), ("ie", "ei"))
_SOUND_TAIL = (("kh", "h"), ("gh", "g"))


def collapse_doubles(word: str) -> str:
    """Doubled letters written once ("Hikkvission" -> "hikvision").

    A loop rather than ``re.sub(r"(.)\1+", r"\1", word)``: the same result, but a
    replacement template costs a call into the ``re`` module's Python code for every word,
    and the index build collapses every word of every name several times."""
    n = len(word)
    i = 1
    while i < n and word[i] != word[i - 1]:
        i += 1
    if i >= n:
        return word  # no letter doubled: the usual case
    out = [word[:i]]
    prev = word[i - 1]
    for ch in word[i:]:
        if ch != prev or ch == "\n":  # as the pattern's "." , a line break is never folded
            out.append(ch)
            prev = ch
    return "".join(out)


def ocr_reading(word: str) -> str:
    """The word as OCR misreads letter pairs: "rn" as "m", "cl" as "d", "vv" as "w"."""
    return word.replace("rn", "m").replace("cl", "d").replace("vv", "w")


def plural(word: str) -> str:
    """English singular -> plural, for the few endings company names use."""
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


@lru_cache(maxsize=500_000)
def skeleton(token: str) -> str:
    """A sound-alike key: phonetic spellings unified, doubled letters and inner vowels dropped.

    "Hikvision", "Hkvsn" and "Hickvizion" share the skeleton ``hkvsn``.
    """
    key = token
    for a, b in _PHONETIC:
        key = key.replace(a, b)
    key = collapse_doubles(key.translate(_PHONETIC_CHARS))
    return collapse_doubles(key[:1] + _VOWELS.sub("", key[1:]))


def fuzzy_keys(token: str) -> set[str]:
    """Keys shared by tokens one edit apart: every single-character deletion, and the token.

    Two tokens within one insertion, deletion, substitution or adjacent transposition of
    each other have a key in common (symmetric deletion).
    """
    keys = {token}
    if len(token) >= 3:
        keys.update(token[:i] + token[i + 1 :] for i in range(len(token)))
    return keys


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
    return collapse_doubles(key)


@cache
def keyboard_neighbours() -> dict[str, frozenset[str]]:
    """Each letter's neighbours on a QWERTY keyboard: left and right on its row, and the
    keys that touch it on the rows above and below (S: A, D, W, E, Z, X)."""
    where = {
        letter: (row, col + shift)
        for row, (letters, shift) in enumerate(character_tables().keyboard_rows)
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
