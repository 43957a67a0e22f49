"""Issue 17: a name in pinyin that spells a registered Chinese name as a whole reaches it,
however its words were cut (Shang Ji Shu Kong holds "jishu", 技术, where 上机数控 holds none),
whatever reading a character took (长城: Changcheng), joined, with tone numbers or
apostrophes; against the seed registry's own names."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.matching import CLEAR, Screener
from clearance.matching.cantonese import hk_syllables, reads_as_hk
from clearance.matching.romanised import latin_reading, reads_as
from clearance.matching.score import compare_names
from clearance.registry import Registry
from clearance.settings import Settings


@pytest.fixture(scope="module")
def seed_screener(seed: Registry, tmp_path_factory: pytest.TempPathFactory) -> Screener:
    root: Path = tmp_path_factory.mktemp("reading")
    return Screener(seed, Settings(data_dir=root, cache_dir=root / "cache", db_url="sqlite://"))


#: Written forms of the seed's Chinese names that the word-by-word comparison missed.
SPELT = [
    # 上机数控: the syllables hold 技术 (jishu), 控股 (konggu) where the characters hold none
    ("Wu Xi Shang Ji Shu Kong Gu Fen You Xian Gong Si", "hongyuan-green-energy", "无锡上机数控"),
    ("shangjishukong", "hongyuan-green-energy", "上机数控"),
    # 华大智造: zhizao is 制造 (manufacturing) to the word lists, 智造 to the company
    ("shenzhenhuadazhizaokejigufenyouxiangongsi", "mgi-tech", "深圳华大智造科技"),
    ("hua2da4 zhi4zao4", "mgi-tech", "华大智造"),
    # ü written v (lv: 绿)
    ("hongyuanlvsenengyuangufenyouxiangongsi", "hongyuan-green-energy", "弘元绿色能源"),
    # 西安 joined as one syllable (xian), and with its apostrophe
    (
        "zhonghangxianfeijigongyejituangufenyouxiangongsi",
        "avic-xian-aircraft-industry-group",
        "中航西安飞机工业集团",
    ),
    (
        "Zhonghangxi'anfeijigongyejituangufenyouxiangongsi",
        "avic-xian-aircraft-industry-group",
        "中航西安飞机工业集团",
    ),
    # tone numbers of a name cut otherwise than its characters; a person's name
    (
        "xin1jiang1 wei2wu2 er3 zi4zhi4qu1 ren2min2 zheng4fu3 gong1an1 ting1",
        "xuar-psb",
        "新疆维吾尔自治区人民政府公安厅",
    ),
    ("zhu1hai3 lun2", "zhu-hailun", "朱海仑"),
    # 长 read chang (its first reading is zhang, as the index spells it)
    ("Changcheng Jungong", "anhui-greatwall-military-industry", "长城军工"),
    ("chang2cheng2 jun1gong1", "anhui-greatwall-military-industry", "长城军工"),
    ("wang2jun1 zheng4", "wang-junzheng", "王君正"),
]


@pytest.mark.parametrize(("query", "entity_id", "han"), SPELT)
def test_a_name_spelt_in_pinyin_reaches_it(
    seed_screener: Screener, query: str, entity_id: str, han: str
) -> None:
    result = seed_screener.screen(query)
    assert result.status != CLEAR, f"{query!r} raised no alert"
    hit = next((h for h in result.hits if h.reaches(entity_id)), None)
    assert hit is not None, f"{query!r} did not reach {entity_id}: {result.hits}"
    assert f"{query!r} is the pinyin of {han}" in hit.explanation


def test_a_reading_that_spells_no_listed_name_stays_clear(seed_screener: Screener) -> None:
    # 上机数控 without 上机; 无锡 and generic words alone
    for query in ("Wu Xi Shu Kong Gu Fen You Xian Gong Si", "Wuxi Shuzi Jishu Youxian Gongsi"):
        assert seed_screener.screen(query).status == CLEAR, query


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("Wu Xi Shang Ji Shu Kong Gu Fen You Xian Gong Si", "wuxishangjishukong"),
        ("Huáwéi Jìshù Yǒuxiàn Gōngsī", "huaweijishu"),
        ("hua2wei2 ji4shu4 you3xian4 gong1si1", "huaweijishu"),
        ("Xi'an Feiji Co., Ltd.", "xianfeiji"),
        ("Hsin-hua Tung-hsin", "xinhuadongxin"),  # Wade-Giles syllables not pinyin
        ("Hongyuan Lvse", "hongyuanluse"),
        ("Acme Trading Co", None),  # not pinyin
        ("Sun Gang Trading", None),
        ("Hua", None),  # one syllable
    ],
)
def test_latin_reading(text: str, reading: str | None) -> None:
    assert latin_reading(text) == reading


def test_reads_as_tries_every_reading_of_a_character() -> None:
    assert reads_as("changchengjungong", "长城军工")  # 长: zhang first, chang here
    assert reads_as("zhangchengjungong", "长城军工")
    assert reads_as("xian", "西安")  # two characters, one syllable as written
    assert not reads_as("changchengjun", "长城军工")
    assert not reads_as("huawei", "华为技术")


def test_compare_names_reads_the_whole_name() -> None:
    scored = compare_names("Chang2cheng2 Jun1gong1", "长城军工")
    assert scored.score == 1.0
    assert "'Chang2cheng2 Jun1gong1' is the pinyin of 长城军工" in scored.explanation()


# -- Hong Kong's romanisation of Cantonese ------------------------------------------------

HONG_KONG = [
    # 世紀陽光集團控股有限公司, each character's first romanisation in the table
    ("Sai Gei Yeung Gwong Jaap Tuen Hung Goo Yau Haan Gung Si", "century-sunshine"),
    # other romanisations of the same characters (Ki, Kwong, Jarp, Ku), a Latin legal form
    ("Sai Ki Yeung Kwong Jarp Tuen Hung Ku Ltd", "century-sunshine"),
    ("Yat Daat Jaap Tuen", "esquel-group"),  # 溢達集團
    ("Hei Mei Fo Gei", "rare-earth-magnesium"),  # 稀鎂科技
]


@pytest.mark.parametrize(("query", "entity_id"), HONG_KONG)
def test_a_name_in_hong_kong_romanisation_reaches_it(
    seed_screener: Screener, query: str, entity_id: str
) -> None:
    result = seed_screener.screen(query)
    hit = next((h for h in result.hits if h.reaches(entity_id)), None)
    assert hit is not None, f"{query!r} did not reach {entity_id}: {result.hits}"
    assert any("is the Hong Kong romanisation of" in line for line in hit.explanation)


def test_part_of_a_name_in_hong_kong_romanisation_stays_clear(seed_screener: Screener) -> None:
    for query in ("Sai Gei Yeung Gwong Limited", "Yat Daat", "Wing Hang Trading"):
        assert seed_screener.screen(query).status == CLEAR, query


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Cheung Kong", ("cheung", "kong")),
        ("Tai-man Chan Co., Ltd.", ("tai", "man", "chan")),
        ("Cheung", None),  # one syllable
        ("Wing Hang Trading", None),  # not every word a syllable
        ("長江", None),
    ],
)
def test_hk_syllables(text: str, found: tuple[str, ...] | None) -> None:
    assert hk_syllables(text) == found


def test_reads_as_hk_any_romanisation_simplified_or_traditional() -> None:
    assert reads_as_hk(("cheung", "kong"), "长江")
    assert reads_as_hk(("cheung", "gong"), "長江")
    assert not reads_as_hk(("cheung",), "長江")
    assert not reads_as_hk(("wah", "kong"), "長江")
