from __future__ import annotations

from clearance.matching.features import align, token_similarity
from clearance.matching.normalise import normalise
from clearance.matching.score import FEATURES


def test_every_feature_explains_itself() -> None:
    for feature in FEATURES:
        assert feature.fn.__doc__, f"feature {feature.name} has no docstring"
        assert len(feature.description) > 20
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
