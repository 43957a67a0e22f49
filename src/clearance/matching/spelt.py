"""Registered Han names found by how they are spelt in Latin letters, syllable by syllable.

The index finds a name in pinyin by the pinyin of its characters' first readings
(:meth:`~clearance.matching.index.NameIndex.reading_candidates`); a character read
otherwise (长城: Changcheng, not Zhangcheng) or a romanisation that is not pinyin (Hong Kong's:
Cheung Kong) escapes it. :class:`SpeltNames` holds a few Han names (those of entities that
may lead to a listed party) by every spelling of every two characters side by side, so that
any two syllables of the input find the names they may spell; the caller then checks the
whole name.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from clearance.matching.cantonese import hk_spellings
from clearance.matching.index import NameIndex
from clearance.matching.romanised import pinyin_spellings
from clearance.model import Entity

__all__ = ["SpeltNames", "listed_han_names"]


class SpeltNames:
    """Han names, each with the index key it belongs to, by the spellings of their pairs of
    characters.

    Args:
        names: (key, Han name) pairs.
        spellings: a character's spellings (its pinyin readings, its romanisations).
    """

    def __init__(
        self,
        names: Iterable[tuple[int, str]],
        spellings: Callable[[str], Collection[str]],
    ) -> None:
        self._names: list[tuple[int, str]] = []
        self._pairs: dict[tuple[str, str], set[int]] = {}
        for key, han in names:
            at = len(self._names)
            self._names.append((key, han))
            chars = [c for c in han if c.isalnum()]
            for left, right in pairwise(chars):
                for a in spellings(left):
                    for b in spellings(right):
                        self._pairs.setdefault((a, b), set()).add(at)

    def __len__(self) -> int:
        """How many names the table holds."""
        return len(self._names)

    def find(self, syllables: tuple[str, ...], spells: Callable[[str], bool]) -> list[int]:
        """Keys of the names that two syllables side by side may spell and that ``spells``
        (given the Han name) says the input spells whole."""
        found: set[int] = set()
        for pair in pairwise(syllables):
            found |= self._pairs.get(pair, set())
        keys = [self._names[at][0] for at in sorted(found) if spells(self._names[at][1])]
        return list(dict.fromkeys(keys))


def listed_han_names(
    index: NameIndex, entities: Mapping[str, Entity], restrictable: npt.NDArray[np.bool_]
) -> tuple[SpeltNames, SpeltNames]:
    """The Han names of the entities that may lead to a listed party (``restrictable``, per
    entity of the index) by their pinyin, any reading of each character; and those of the
    Hong Kong entities among them by their Hong Kong romanisation."""
    names: list[tuple[int, str]] = []
    hong_kong: list[tuple[int, str]] = []
    firsts = index.entity_first
    for e_index in np.flatnonzero(restrictable).tolist():
        end = int(firsts[e_index + 1]) if e_index + 1 < len(firsts) else len(index)
        own = [
            (int(index.name_key[name_id]), index.text_of(name_id))
            for name_id in range(int(firsts[e_index]), end)
            if index.key_is_han(int(index.name_key[name_id]))
        ]
        names += own
        countries = entities[index.entity_id(e_index)].countries if own else []
        if "hk" in {c.lower() for c in countries}:
            hong_kong += own
    return (
        SpeltNames(names, pinyin_spellings),
        SpeltNames(hong_kong, hk_spellings),
    )
