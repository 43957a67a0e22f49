"""The word lists of the screening engine and the kinds of words they give.

Every normalised word has a kind: distinctive (``D``), generic business word (``G``), place
(``P``), legal form (``L``) or initial (``I``). The lists live in
``clearance/data/matching/words.yml`` (abbreviations, places, generic words, numbers) and
``clearance/data/matching/legal_forms.yml`` (legal forms, shared with identification and
merging), each checked against its schema in ``clearance/data/schemas`` when loaded.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from clearance.legal_forms import legal_forms
from clearance.matching.spelling import (
    keyboard_neighbours,
    plural,
    singular,
    sound_key,
    vowels_dropped,
)

__all__ = [
    "DISTINCT",
    "GENERIC",
    "INITIAL",
    "KIND_WEIGHTS",
    "LEGAL",
    "PLACE",
    "HanWord",
    "WordLists",
    "classify",
    "listed_alike",
    "pinyin",
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

_HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_VOWELS = re.compile(r"[aeiou]")


class HanWord(NamedTuple):
    """A listed word in Han characters: its kind and the token it is read as."""

    kind: str
    token: str


#: Suffixes of Chinese place names (city, province, district, county): 深圳市 is 深圳.
PLACE_SUFFIXES = ("市", "省", "区", "县")


@dataclass(slots=True, frozen=True)
class WordLists:
    """The loaded word lists (see ``data/matching/words.yml`` and ``legal_forms.yml``)."""

    abbreviations: dict[str, str]
    places: frozenset[str]
    generic: frozenset[str]
    legal: frozenset[str]
    han_words: dict[str, HanWord]
    han_max: int
    pinyin_words: dict[str, HanWord]  # listed Han words of two characters or more, by reading
    numbers: dict[str, int]
    known: frozenset[str]  # every listed Latin word and abbreviation


def _load_words(path: Path) -> dict[str, Any]:
    """Read and check the word-list file (:class:`SchemaError` names the file and field)."""
    from clearance.registry.seed import validate_file

    text = resources.files("clearance.data.schemas").joinpath("words.schema.json")
    schema: dict[str, Any] = json.loads(text.read_text("utf-8"))
    return validate_file(path, schema)


@cache
def word_lists() -> WordLists:
    """Load the word lists once per process.

    Legal forms are the Latin variants of the legal-form table but those the abbreviations
    expand ("co" and "corp" are read as "company" and "corporation").
    """
    data = _load_words(Path(str(resources.files("clearance.data"))) / "matching" / "words.yml")
    abbreviations = {str(k): str(v) for k, v in data["abbreviations"].items()}
    places: set[str] = set()
    generic: set[str] = set()
    han_words: dict[str, HanWord] = {}
    for kind, words, target in (
        (PLACE, data["places"], places),
        (GENERIC, data["generic"], generic),
    ):
        for word in words:
            word = str(word)
            if _HAN_CHAR.search(word):
                reading = pinyin(word)
                han_words[word] = HanWord(kind, reading)
                target.add(reading)
                if kind == PLACE and len(word) >= 2:
                    for suffix in PLACE_SUFFIXES:
                        han_words.setdefault(word + suffix, HanWord(kind, reading))
            else:
                target.add(word)
    generic.update(str(w) for w in data["titles"])
    generic.update([plural(w) for w in generic] + [singular(w) for w in generic])
    forms = legal_forms()
    legal = {w for w in forms.words() if w not in abbreviations}
    for word in sorted(generic | places | legal | set(abbreviations) | set(data["numbers"])):
        dropped = vowels_dropped(word)
        if len(word) >= 4 and len(dropped) >= 3 and dropped != word:
            word = abbreviations.get(word, str(data["numbers"].get(word, word)))
            known = dropped in generic or dropped in places or dropped in legal
            if not known and dropped not in abbreviations:
                abbreviations[dropped] = word
    for han, form in forms.han_generic().items():
        han_words[han] = HanWord(LEGAL, form)
    han_generic = {str(k): str(v) for k, v in data["han_generic"].items()}
    for han, token in han_generic.items():
        han_words[han] = HanWord(GENERIC, token)
    generic.update(han_generic.values())
    by_reading: dict[str, HanWord] = {}
    for han in sorted(han_words, key=len, reverse=True):  # longest first: 有限公司 over 公司
        if len(han) >= 2 and _HAN_CHAR.search(han) and han.isalpha():
            if han[-1] in PLACE_SUFFIXES[1:] and han[:-1] in han_words:
                continue  # in pinyin, Xinjiang Sheng(chan) is rarely 新疆省: only Shi (市)
            by_reading.setdefault(pinyin(han), han_words[han])
    return WordLists(
        abbreviations=abbreviations,
        places=frozenset(places),
        generic=frozenset(generic - legal),
        legal=frozenset(legal),
        han_words=han_words,
        han_max=max(len(w) for w in han_words),
        pinyin_words={k: v for k, v in by_reading.items() if k.isascii() and k.isalpha()},
        numbers={str(k): int(v) for k, v in data["numbers"].items()},
        known=frozenset(
            w
            for w in (*generic, *places, *legal, *abbreviations, *data["numbers"])
            if str(w).isascii() and len(str(w)) > 3
        ),
    )


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


def pinyin(text: str) -> str:
    """Han characters read in pinyin without tone marks (others left as they are)."""
    table = _pinyin_table()
    return "".join(table.get(char, char) for char in text)


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
    readings = {han.token for han in words.han_words.values()}
    for word in listed:
        if len(word) < _SOUND_ALIKE_MIN or not word.isalpha() or not _VOWELS.search(word[1:-1]):
            continue
        if word in readings:
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


def listed_alike(token: str) -> str | None:
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
