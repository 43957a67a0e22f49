"""Acronyms of the English names of listed parties, for inputs that are an acronym alone.

"CETC" is China Electronics Technology Group Corporation's acronym, though not a word of its
name: an input that is one short word (legal forms and generic words aside) or letters
written apart ("C E T C", "C.E.T.C.") is looked up among the acronyms of the names of the
entities that may lead to a listed party (most of a large registry leads to none). Acronyms
are written in several ways, so each name gives the initials of its words with and without
its legal forms (or all but Corporation and Company), its group words (Group, Holdings) and
a leading place, stop words always left out. A hit on an acronym is a review: a short word
may stand for many things.
"""

from __future__ import annotations

import re
from itertools import product

import numpy as np
import numpy.typing as npt

from clearance.matching.index import NameIndex
from clearance.matching.normalise import NormName, normalise
from clearance.matching.words import DISTINCT, GENERIC, LEGAL, PLACE

__all__ = ["Acronyms", "query_acronym"]

#: Acronyms this long are looked up (shorter ones stand for too many names).
SHORTEST, LONGEST = 3, 8
_WRITTEN_SPLIT = re.compile(r"[\s\-/,()]+")
_STOP = frozenset({"and", "of", "the", "for", "de", "la", "et", "und", "y", "e"})
_GROUP = frozenset({"group", "holdings", "groups", "holding"})
#: Legal forms an acronym keeps when it drops the others (the C of CETC, not Co., Ltd.).
_CORPORATE = frozenset({"corporation", "company"})


def query_acronym(norm: NormName) -> str | None:
    """The acronym an input may be: its letters written apart, or its one word beside legal
    forms and generic words; ``None`` otherwise."""
    words = [t for t, k in zip(norm.tokens, norm.kinds, strict=True) if k != LEGAL]
    if len(words) >= SHORTEST and all(len(w) == 1 and w.isalpha() for w in words):
        joined = "".join(words)
        return joined if len(joined) <= LONGEST else None
    own = [t for t, k in zip(norm.tokens, norm.kinds, strict=True) if k not in (LEGAL, GENERIC)]
    if len(own) == 1 and SHORTEST <= len(own[0]) <= LONGEST and own[0].isalpha():
        return own[0]
    alone = norm.text.strip(" .").casefold()
    if not own and SHORTEST <= len(alone) <= LONGEST and alone.isalpha() and alone.isascii():
        return alone  # one word read as a legal form (ASA)
    return None


def name_acronyms(norm: NormName) -> set[str]:
    """The acronyms a name in Latin letters may be written as (see the module docstring),
    from its normalised words and from its words as written ("M&S" one word, "Three" T)."""
    if norm.has_han:
        return set()
    written = []
    for raw in _WRITTEN_SPLIT.split(norm.text):
        word = raw.strip(".").casefold()
        if word and word[0].isalpha() and word not in _STOP:
            kinds = normalise(word).kinds
            written.append((word, kinds[0] if len(kinds) == 1 else DISTINCT))
    return _acronyms(
        [(t, k) for t, k in zip(norm.tokens, norm.kinds, strict=True) if t not in _STOP]
    ) | _acronyms(written)


def _acronyms(words: list[tuple[str, str]]) -> set[str]:
    found: set[str] = set()
    for legal, keep_group, keep_place in product(
        ("all", "none", "corp"), (True, False), (True, False)
    ):
        letters = [
            t[0]
            for pos, (t, k) in enumerate(words)
            if (k != LEGAL or legal == "all" or (legal == "corp" and t in _CORPORATE))
            and (keep_group or t not in _GROUP)
            and (keep_place or pos > 0 or k != PLACE)
        ]
        acronym = "".join(letters)
        if SHORTEST <= len(acronym) <= LONGEST and acronym.isalpha():
            found.add(acronym)
    return found


class Acronyms:
    """The acronyms of the names of the entities that may lead to a listed party.

    Args:
        index: the registry's name index.
        restrictable: per entity of the index, whether it may lead to a listed party.
    """

    def __init__(self, index: NameIndex, restrictable: npt.NDArray[np.bool_]) -> None:
        self.by_acronym: dict[str, list[tuple[int, int]]] = {}
        owned: dict[int, set[str]] = {}
        ends = [*index.entity_first.tolist()[1:], len(index)]
        for e_index in np.flatnonzero(restrictable).tolist():
            names = range(int(index.entity_first[e_index]), ends[e_index])
            norms = [(n, normalise(index.text_of(n))) for n in names]
            held = {t for _, norm in norms for t in norm.tokens}
            mine = owned.setdefault(e_index, set())
            for name_id, norm in norms:
                if len(norm.tokens) < 2:
                    continue
                for acronym in sorted(name_acronyms(norm) - held - mine):
                    mine.add(acronym)
                    self.by_acronym.setdefault(acronym, []).append((e_index, name_id))

    def find(self, acronym: str) -> list[tuple[int, int]]:
        """(entity, name id) of each listed name ``acronym`` (see :func:`query_acronym`) is
        an acronym of."""
        return self.by_acronym.get(acronym, [])
