from __future__ import annotations

import pytest

from clearance.matching.normalise import fuzzy_keys, normalise, skeleton, word_lists


def test_chinese_legal_name_is_cut_and_read_in_pinyin() -> None:
    norm = normalise("杭州海康威視數字技術股份有限公司")
    assert norm.tokens == ("hangzhou", "haikangweishi", "shuzi", "jishu", "jsc")
    assert norm.kinds == "PDGGL"
    assert norm.surfaces[1] == "海康威视"  # traditional read as simplified
    assert norm.has_han


@pytest.mark.parametrize(
    ("raw", "tokens"),
    [
        (
            "Hangzou Hikvison Digital Tech Co Ltd",
            ("hangzou", "hikvison", "digital", "technology", "llc"),
        ),
        ("H\u0456kvision", ("hikvision",)),
        ("Ηικvision", ("hikvision",)),  # Greek look-alikes
        ("Hik\u200bvi\u2060sion\ufeff", ("hikvision",)),
        ("H1KV1S10N", ("hikvision",)),
        ("Müller Intl Grp", ("muller", "international", "group")),
        ("ЗАО «Терентьева»", ("jsc", "terenteva")),
        ("O'Brien Comm", ("obrien", "communications")),
    ],
)
def test_latin_forms(raw: str, tokens: tuple[str, ...]) -> None:
    assert normalise(raw).tokens == tokens


def test_kinds() -> None:
    assert normalise("Shanghai Dahua Scale Factory").kinds == "PDDG"
    assert normalise("Axis Communications AB").kinds == "DGL"


def test_skeleton_and_keys() -> None:
    assert skeleton("hikvision") == skeleton("hkvsn") == skeleton("hickvizion")
    assert fuzzy_keys("hikvison") & fuzzy_keys("hikvision")
    assert fuzzy_keys("hikvsiion") & fuzzy_keys("hikvision")  # transposition


def test_word_lists_load() -> None:
    words = word_lists()
    assert "hangzhou" in words.places
    assert "jishu" in words.generic
    assert words.han_words["股份有限公司"] == ("L", "jsc")
