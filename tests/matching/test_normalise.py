from __future__ import annotations

import pytest

from clearance.matching.normalise import normalise
from clearance.matching.spelling import (
    fuzzy_keys,
    keyboard_neighbours,
    keyboard_typo,
    skeleton,
    sound_key,
)
from clearance.matching.words import word_lists


def test_chinese_legal_name_is_cut_and_read_in_pinyin() -> None:
    norm = normalise("杭州海康威視數字技術股份有限公司")
    assert norm.tokens == ("hangzhou", "haikangweishi", "digital", "technology", "jsc")
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
    assert "technology" in words.generic
    assert words.han_words["技术"] == ("G", "technology")  # as the English names write it
    assert words.pinyin_words["jishu"] == ("G", "technology")
    assert words.han_words["股份有限公司"] == ("L", "jsc")


def test_keyboard_neighbours() -> None:
    near = keyboard_neighbours()
    assert near["s"] == set("adewxz")  # row neighbours both ways, and the rows above and below
    assert near["p"] == set("ol")
    assert all(a in near[b] for a in near for b in near[a])  # symmetric
    assert keyboard_typo("avoc", "avic")
    assert not keyboard_typo("avec", "avic")  # e and i are not neighbours
    assert not keyboard_typo("avoo", "avic")  # two letters differ


def test_sound_key() -> None:
    assert sound_key("phenix") == sound_key("fenix")
    assert sound_key("calb") == sound_key("kalb") == sound_key("qalb")
    assert sound_key("byd") == sound_key("bid")
    assert sound_key("zemic") == sound_key("semic")
    assert sound_key("tech") == sound_key("tekh")
    assert sound_key("cisco") != sound_key("cssc")


@pytest.mark.parametrize(
    ("raw", "tokens", "kinds"),
    [
        ("Induztrial Group", ("industry", "group"), "GG"),  # sounds like a listed word
        ("Firzt Machinery", ("1", "machinery"), "DD"),
        ("Industtial Group", ("industry", "group"), "GG"),  # one keyboard-neighbour typo
        ("Nangong Cotton", ("nangong", "cotton"), "DD"),  # a place is not read as another
        ("Farm Foods", ("farm", "foods"), "DD"),  # nor a word with another first letter (pharm)
        ("Haney Trading", ("haney", "trading"), "DG"),  # nor a pinyin reading (chanye)
    ],
)
def test_misspelt_listed_words(raw: str, tokens: tuple[str, ...], kinds: str) -> None:
    norm = normalise(raw)
    assert (norm.tokens, norm.kinds) == (tokens, kinds)
