"""Word likeness: how alike two normalised words are, and how (typo, sound-alike spelling,
dropped vowels, initial, plural, OCR confusion …).

Likenesses found are remembered per word (:func:`likenesses_of`): alignment compares each
query word with the words of many registry names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from clearance.matching.memo import remember
from clearance.matching.spelling import (
    collapse_doubles,
    keyboard_typo,
    ocr_reading,
    singular,
    skeleton,
    sound_key,
    vowels_dropped,
)

__all__ = [
    "KEYBOARD_TYPO",
    "SOUND_ALIKE",
    "SOUND_ALIKE_SCORE",
    "TYPO_COST",
    "VOWELS_DROPPED",
    "VOWELS_DROPPED_SCORE",
    "likeness",
    "likenesses_of",
    "token_similarity",
]

_INNER_VOWEL = re.compile(r"[aeiou]")

#: How much one edit costs, as a share of the word's length (one typo in 8 letters: 0.925).
TYPO_COST = 0.6
#: How alike words spelt differently but sounding the same are ("Fenix", "Phenix"); in words
#: of five letters or fewer, as with one edit, 0.75.
SOUND_ALIKE_SCORE = 0.9
#: How alike a word and the same word without its inner vowels are ("AVC", "AVIC").
VOWELS_DROPPED_SCORE = 0.85
# How the likenesses that are no accident are explained (short_word_only lets them alert).
KEYBOARD_TYPO, SOUND_ALIKE, VOWELS_DROPPED = (
    "1 keyboard-neighbour typo",
    "sound-alike spelling",
    "vowels dropped",
)


@dataclass(slots=True)  # not frozen: see alignment.Pair
class _Spellings:
    """The forms of one word that the likenesses of :func:`token_similarity` compare."""

    sound: str  # sound-alike spellings unified
    collapsed: str  # doubled letters once
    doubled: bool  # has doubled letters
    singular: str
    ocr: str  # as OCR misreads it
    skeleton: str
    inner_vowel: bool  # a vowel between its first and last letters
    dropped: str  # without its inner vowels


_SPELLINGS: dict[str, _Spellings] = {}


def _spellings(word: str) -> _Spellings:
    """The forms of ``word`` (remembered: each word meets many others)."""
    found = _SPELLINGS.get(word)
    if found is None:
        collapsed = collapse_doubles(word)
        found = _Spellings(
            sound=sound_key(word),
            collapsed=collapsed,
            doubled=collapsed != word,
            singular=singular(word),
            ocr=ocr_reading(word),
            skeleton=skeleton(word),
            inner_vowel=_INNER_VOWEL.search(word[1:-1]) is not None,
            dropped=vowels_dropped(word),
        )
        remember(_SPELLINGS, word, found, 1 << 18)
    return found


#: Word likenesses already found: per word (and whether it ends the input), per word it was
#: compared with, the :func:`token_similarity` result. Plain dicts, not LRU caches: a hit reads
#: the entry without reordering a shared list, so forked workers do not copy the pages of
#: entries they reuse. Alignment looks a query word's pairs up in its own dict directly.
_ENDING: dict[str, dict[str, tuple[float, str]]] = {}
_INNER: dict[str, dict[str, tuple[float, str]]] = {}
_REMEMBERED = 1 << 20  # words and pairs; then both memos start over
_stored = [0]  # words and pairs remembered
_UNLIKE = (0.0, "")  # most pairs: one shared result


def _make_room() -> None:
    if _stored[0] >= _REMEMBERED:
        _ENDING.clear()
        _INNER.clear()
        _stored[0] = 0
    _stored[0] += 1


def likenesses_of(word: str, last: bool) -> dict[str, tuple[float, str]]:
    """The likenesses found so far of ``word`` (ending the input or not) to other words."""
    memo = _ENDING if last else _INNER
    known = memo.get(word)
    if known is None:
        _make_room()
        known = memo[word] = {}
    return known


def likeness(
    known: dict[str, tuple[float, str]], a: str, b: str, a_is_last: bool
) -> tuple[float, str]:
    """:func:`token_similarity` of ``a`` and ``b``, ``known`` being ``a``'s likenesses."""
    found = known.get(b)
    if found is None:
        found = _similarity(a, b, a_is_last)
        if found[0] == 0.0:
            found = _UNLIKE
        _make_room()  # (if the memos start over, this pair is kept by the caller's dict only)
        known[b] = found
    return found


def token_similarity(a: str, b: str, a_is_last: bool = False) -> tuple[float, str]:
    """How alike two normalised words are (0 when not alike enough to count), and how.

    Equal words score 1; an initial standing for a word 0.8; a query word cut short at the
    end of the name (truncation) 0.9; the same sounds spelt differently (c, k and q; s and z;
    i and y; ph and f; kh and h: "Fenix" for "Phenix") 0.9, in a word of five letters or
    fewer 0.75 and with only one letter changed ("KALB" for "CALB", not "KSK" for "CSSC");
    doubled letters collapsed 0.9; one edit (two from 9 letters, three from 13)
    1 - 0.6 x edits/length, in a short word 0.75, called a keyboard-neighbour typo when one
    letter was replaced by a key next to it ("AVOC" for "AVIC", also in two-letter words); an
    input word written without the inner vowels of the name's 0.85 ("AVC" for "AVIC", not
    "Zite" for "ZTE"); a word without vowels whose consonants sound like the other's 0.85
    ("Hkvzn" for "Hikvision").
    """
    return likeness(likenesses_of(a, a_is_last), a, b, a_is_last)


def _similarity(a: str, b: str, a_is_last: bool) -> tuple[float, str]:
    if a == b:
        return 1.0, "same"
    la, lb = len(a), len(b)
    if la == 1 or lb == 1:
        short, long_ = (a, b) if la == 1 else (b, a)
        if len(long_) > 1 and long_.startswith(short):
            return 0.8, "initial"
        return 0.0, ""
    if a_is_last and la >= 5 and lb > la and b.startswith(a):
        return 0.9, "cut short"
    longest = max(la, lb)
    edit = (0.0, "")
    if longest >= 3 and abs(la - lb) <= 2:
        allowed = 1 if longest <= 8 else (2 if longest <= 12 else 3)
        dist = OSA.distance(a, b, score_cutoff=allowed)
        if dist <= allowed:
            # one letter of a short word matters more
            value = 1.0 - TYPO_COST * dist / longest if longest >= 6 else 0.75
            edit = (value, f"{dist} edit{'s' if dist > 1 else ''}")
    if (edit[0] > 0.0 or longest == 2) and keyboard_typo(a, b):
        edit = (edit[0] or 0.75, KEYBOARD_TYPO)
    sa, sb = _spellings(a), _spellings(b)
    if sa.sound == sb.sound and sa.collapsed != sb.collapsed:
        if longest >= 6:
            return max(SOUND_ALIKE_SCORE, edit[0]), SOUND_ALIKE
        if OSA.distance(a, b, score_cutoff=1) <= 1:  # in a short word, one letter only
            return 0.75, SOUND_ALIKE
    if edit[0] >= VOWELS_DROPPED_SCORE:
        return edit
    # the input is the word without its vowels (an acronym spelt with vowels is another word)
    if 2 <= la < lb and lb >= 4 and not sa.inner_vowel and sb.dropped == a:
        return VOWELS_DROPPED_SCORE, VOWELS_DROPPED
    if edit[0] > 0.0:
        return edit
    if a[0] != b[0] and not (a[0] in "ckq" and b[0] in "ckq") and a[0] not in "rc":
        return 0.0, ""  # every other likeness below keeps the first letter
    if sa.singular == sb.singular:
        return 0.97, "plural"
    if sa.ocr == sb.ocr:
        return 0.9, "OCR confusion"
    if (sa.doubled or sb.doubled) and sa.collapsed == sb.collapsed:
        return 0.9, "doubled letters"
    # the same consonants, the shorter word written without inner vowels
    same_skeleton = min(la, lb) >= 4 and len(sa.skeleton) >= 3 and sa.skeleton == sb.skeleton
    if same_skeleton and not (sa if la <= lb else sb).inner_vowel:
        return VOWELS_DROPPED_SCORE, "consonants alike"
    return 0.0, ""
