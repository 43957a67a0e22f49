"""The spelling helpers written as loops for speed give what their regular expressions gave.

``collapse_doubles`` was ``re.sub(r"(.)\\1+", r"\\1", word)`` and the pinyin cut
(``romanised._split_in``) a recursive longest-first search; the index build runs both on every
word of every name, so they are loops now, checked here against the definitions they replace.
"""

from __future__ import annotations

import re
from functools import cache

from hypothesis import given
from hypothesis import strategies as st

from clearance.matching.romanised import _pinyin_first, _split_in, _syllable_set
from clearance.matching.spelling import collapse_doubles

_DOUBLES = re.compile(r"(.)\1+")


@given(st.text(alphabet="aabbcl\n\u00e9z ", max_size=30))
def test_collapse_doubles_is_the_regular_expression(word: str) -> None:
    assert collapse_doubles(word) == _DOUBLES.sub(r"\1", word)


def test_collapse_doubles_examples() -> None:
    assert collapse_doubles("hikkvission") == "hikvision"
    assert collapse_doubles("aaa") == "a"
    assert collapse_doubles("ab") == "ab"
    assert collapse_doubles("") == ""


def _recursive(word: str, known: frozenset[str]) -> tuple[str, ...] | None:
    """The search ``_split_in`` replaced: syllables from the start, longest first."""

    @cache
    def rest(start: int) -> tuple[str, ...] | None:
        if start == len(word):
            return ()
        for size in range(min(6, len(word) - start), 0, -1):
            if word[start : start + size] in known:
                tail = rest(start + size)
                if tail is not None:
                    return (word[start : start + size], *tail)
        return None

    return rest(0)


_SYLLABLES = sorted(_syllable_set())


@given(
    st.lists(st.sampled_from(_SYLLABLES), min_size=1, max_size=5).map("".join),
    st.integers(min_value=0, max_value=30),
    st.sampled_from("aeghinoruxz"),
)
def test_syllable_cut_is_the_longest_first_search(joined: str, at: int, letter: str) -> None:
    for word in (joined, joined[:at] + letter + joined[at + 1 :]):
        for known in (_pinyin_first(), _syllable_set()):
            assert _split_in(word, known) == _recursive(word, known)
