from __future__ import annotations

import itertools

import pytest

from clearance.matching.alignment import align
from clearance.matching.likeness import token_similarity
from clearance.matching.normalise import normalise
from clearance.matching.score import FEATURES


def test_every_feature_explains_itself() -> None:
    for feature in FEATURES:
        assert len(feature.description) > 20, f"feature {feature.name} has no docstring"
        assert feature.role in {"name", "cap", "adjust", "floor"}


def test_token_similarity() -> None:
    assert token_similarity("hikvision", "hikvision") == (1.0, "same")
    assert token_similarity("hikvison", "hikvision")[1] == "1 edit"
    assert token_similarity("hkvsn", "hikvision") == (0.85, "vowels dropped")
    assert token_similarity("haln", "hailun") == (0.0, "")
    assert token_similarity("cc", "cccc") == (0.9, "doubled letters")
    assert token_similarity("hikvi", "hikvision", True)[1] == "cut short"
    assert token_similarity("dahe", "dahua")[0] == 0.0


def test_alignment_is_order_free_and_joins_words() -> None:
    q = normalise("Vision Hik")
    c = normalise("Hikvision")
    assert align(q, c, [1.0, 1.0], [1.0]).score < 0.7  # "vision hik" is not "hikvision"
    q = normalise("Hik Vision")
    al = align(q, c, [1.0, 0.15], [1.0])
    assert al.score == 1.0
    assert al.pairs[0].how == "joined"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("avoc", "avic", (0.75, "1 keyboard-neighbour typo")),  # o is next to i
        ("hu", "hi", (0.75, "1 keyboard-neighbour typo")),  # two-letter words too
        ("kalb", "calb", (0.75, "sound-alike spelling")),
        ("fenix", "phenix", (0.9, "sound-alike spelling")),
        ("bi", "by", (0.75, "sound-alike spelling")),
        ("avc", "avic", (0.85, "vowels dropped")),
        ("crgo", "cargo", (0.85, "vowels dropped")),  # better than one edit
    ],
)
def test_likenesses_that_are_no_accident(a: str, b: str, expected: tuple[float, str]) -> None:
    assert token_similarity(a, b) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("avec", "avic", (0.75, "1 edit")),  # e is not next to i
        ("ha", "hi", (0.0, "")),  # a two-letter word needs a neighbouring key
        ("zite", "zte", (0.75, "1 edit")),  # an acronym spelt with vowels is another word
        ("cisco", "cssc", (0.85, "consonants alike")),
        ("ksk", "cssc", (0.0, "")),  # sounds alike, but a short word may change one letter only
        ("cc", "cccc", (0.9, "doubled letters")),
    ],
)
def test_near_misses_stay_merely_alike(a: str, b: str, expected: tuple[float, str]) -> None:
    assert token_similarity(a, b) == expected


def test_a_word_written_joined_meets_the_words_in_full() -> None:
    q = normalise("AVIC Aviation HighTechnology Company Limited")
    c = normalise("AVIC Aviation High-Technology Company Limited")
    al = align(q, c, [1.0] * len(q.tokens), [1.0] * len(c.tokens))
    assert al.score == 1.0
    assert any(p.how == "split" and len(p.c) == 2 for p in al.pairs)


def test_word_likenesses_remembered_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from clearance.matching import likeness

    monkeypatch.setattr(likeness, "_REMEMBERED", 50)
    words = [f"word{chr(97 + i)}{chr(97 + j)}" for i in range(20) for j in range(10)]
    first = [token_similarity(a, b) for a, b in itertools.pairwise(words)]
    remembered = sum(1 + len(d) for d in (*likeness._ENDING.values(), *likeness._INNER.values()))
    assert remembered <= 50
    # forgetting changes nothing but speed
    assert [token_similarity(a, b) for a, b in itertools.pairwise(words)] == first
    assert token_similarity("hikvison", "hikvision")[0] > 0.9
