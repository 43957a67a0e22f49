"""Chinese names written in Hong Kong's romanisation of Cantonese, read as the Han names
they spell.

Hong Kong writes people's, streets' and places' names (and many companies') in the Hong
Kong Government Cantonese Romanisation, syllable by syllable: 長江 is "Cheung Kong", 世紀陽光
"Sai Kei Yeung Kwong". These spellings are not pinyin, so the pinyin readings of a Han name
(:mod:`clearance.matching.romanised`) never meet them. :func:`hk_syllables` tells a name
written so; :func:`reads_as_hk` whether its syllables spell a Han name, character by
character, any romanisation of each (:class:`~clearance.matching.spelt.SpeltNames` finds
such names among those of Hong Kong entities that may lead to a listed party).

The romanisations of each character are the table of the ``cantonese-romanisation`` package
(MIT; ``cantoroman/data/charToRoman.json``), compiled from the Hong Kong Government's
romanisation as used for identity cards, streets and places (see the package's
``dictionary/source.tsv``). The table holds traditional characters; their simplified forms
(OpenCC t2s, the converter normalisation loads anyway) are given the same romanisations.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from clearance.matching.normalise import simplified

__all__ = ["hk_spellings", "hk_syllables", "load_table", "reads_as_hk"]

_WORD = re.compile(r"[a-z]+")
#: Fewest syllables a name in Hong Kong romanisation is read from ("Hang Seng").
MIN_SYLLABLES = 2


@cache
def _romanisations() -> dict[str, tuple[str, ...]]:
    """Traditional Han character -> its Hong Kong Government romanisations (lower case,
    each spelling one string shared by all)."""
    data = resources.files("cantoroman").joinpath("data", "charToRoman.json")
    table: dict[str, list[str]] = json.loads(data.read_text("utf-8"))
    seen: dict[str, str] = {}
    out: dict[str, tuple[str, ...]] = {}
    plains = simplified("\n".join(table)).split("\n")  # one conversion, not 13,000
    if len(plains) != len(table):
        plains = list(table)
    for (char, found), plain in zip(table.items(), plains, strict=True):
        spellings = tuple(dict.fromkeys(seen.setdefault(r.lower(), r.lower()) for r in found))
        out[char] = tuple(dict.fromkeys(out.get(char, ()) + spellings))
        if plain != char and len(plain) == 1:  # 長 and 长 alike
            out[plain] = tuple(dict.fromkeys(out.get(plain, ()) + spellings))
    return out


@cache
def _all_syllables() -> frozenset[str]:
    return frozenset(r for found in _romanisations().values() for r in found)


def load_table() -> None:
    """Read the romanisation table now (before forking workers, so that they share it)."""
    _all_syllables()


def hk_syllables(text: str) -> tuple[str, ...] | None:
    """The syllables of a name written in Hong Kong romanisation, every word of it one
    syllable (hyphens apart: "Tai-man"), a Latin legal form at its end left out ("Co.,
    Ltd."); ``None`` for other names and for fewer than :data:`MIN_SYLLABLES` syllables."""
    from clearance.matching.words import word_lists

    if not text.isascii() or len(text) > 200:
        return None
    words = _WORD.findall(text.casefold())
    known = _all_syllables()
    lists = word_lists()
    while words and words[-1] not in known:
        last = words.pop()
        if last not in lists.legal and lists.abbreviations.get(last) not in lists.legal:
            return None  # a word of another language
    if len(words) < MIN_SYLLABLES or any(w not in known for w in words):
        return None
    return tuple(words)


def reads_as_hk(syllables: tuple[str, ...], han: str) -> bool:
    """Whether syllables of Hong Kong romanisation spell a Han text, one syllable a
    character, any romanisation of each (江: Gong or Kong)."""
    chars = [c for c in han if c.isalnum()]
    if len(chars) != len(syllables):
        return False
    table = _romanisations()
    return all(s in table.get(c, ()) for s, c in zip(syllables, chars, strict=True))


def hk_spellings(char: str) -> tuple[str, ...]:
    """The romanisations of one traditional character (none for others)."""
    return _romanisations().get(char, ())
