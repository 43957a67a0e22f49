"""Issue 17: the ways a listed Chinese company's name is written (pinyin in all its forms,
acronyms, short and traditional Chinese names) reach it, against the seed registry; and
names sharing only generic words with a listed name raise no alert."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.matching import CLEAR, REVIEW, Screener, normalise
from clearance.matching.acronyms import name_acronyms, query_acronym
from clearance.matching.romanised import all_syllables, syllables, tone_numbers
from clearance.registry import Registry
from clearance.settings import Settings


@pytest.fixture(scope="module")
def seed_screener(seed: Registry, tmp_path_factory: pytest.TempPathFactory) -> Screener:
    root: Path = tmp_path_factory.mktemp("chinese")
    return Screener(seed, Settings(data_dir=root, cache_dir=root / "cache", db_url="sqlite://"))


def _reaches(screener: Screener, query: str, entity_id: str) -> list[str]:
    result = screener.screen(query)
    assert result.status != CLEAR, f"{query!r} raised no alert"
    hit = next((h for h in result.hits if h.reaches(entity_id)), None)
    assert hit is not None, f"{query!r} did not reach {entity_id}: {result.hits}"
    return list(hit.explanation)


# -- pinyin ------------------------------------------------------------------------------

PINYIN = [
    # full, word by word, legal form and generic words too
    ("Huawei Jishu Youxian Gongsi", "huawei"),
    ("Hangzhou Haikang Weishi Shuzi Jishu Gufen Youxian Gongsi", "hikvision"),
    ("Zhongxing Tongxun Gufen Youxian Gongsi", "zte"),
    ("Shenzhen Shi Dajiang Chuangxin Keji Youxian Gongsi", "dji"),
    ("Xinjiang Shengchan Jianshe Bingtuan", "xpcc"),
    # syllable by syllable
    ("Hua Wei Ji Shu You Xian Gong Si", "huawei"),
    ("Na Si Da Gu Fen You Xian Gong Si", "ninestar"),
    ("Zhong Xing Tong Xun", "zte"),
    # joined
    ("huaweijishuyouxiangongsi", "huawei"),
    ("hangzhouhaikangweishishuzijishugufenyouxiangongsi", "hikvision"),
    # tone marks, tone numbers
    ("Huáwéi Jìshù Yǒuxiàn Gōngsī", "huawei"),
    ("hua2wei2 ji4shu4 you3xian4 gong1si1", "huawei"),
    ("xin1jiang1 sheng1chan3 jian4she4 bing1tuan2", "xpcc"),
    # apostrophes, a legal form's letters as syllables (Zao), a Wade-Giles look-alike (jih)
    ("Jing'ao Keji", "ja-solar-technology"),
    ("Shang Hai Fei Ji Zhi Zao You Xian Gong Si", "shanghai-aircraft-manufacturing"),
    ("Ning De Shi Dai", "catl"),
]


@pytest.mark.parametrize(("query", "entity_id"), PINYIN)
def test_pinyin_of_a_chinese_name_reaches_it(
    seed_screener: Screener, query: str, entity_id: str
) -> None:
    _reaches(seed_screener, query, entity_id)


def test_pinyin_hit_says_which_chinese_name_it_reads() -> None:
    from clearance.matching.score import compare_names

    why = compare_names("Hua Wei Ji Shu You Xian Gong Si", "华为技术有限公司").explanation()
    assert any(line.startswith("pinyin of 华为技术有限公司: 华为 = hua wei") for line in why), why


def test_pinyin_generic_words_mean_their_english_forms() -> None:
    english = normalise("Huawei Technology Co., Ltd.")
    assert normalise("Huawei Jishu Youxian Gongsi").tokens == english.tokens
    assert normalise("华为技术有限公司").tokens == english.tokens
    assert normalise("Zhejiang Dahua Jishu Gufen Youxian Gongsi").tokens == (
        "zhejiang",
        "dahua",
        "technology",
        "jsc",
    )
    assert (
        normalise("深圳市大疆创新科技有限公司").tokens
        == normalise("Shenzhen Dajiang Innovation Technology Co., Ltd.").tokens
    )


def test_apostrophes_and_syllables() -> None:
    assert normalise("Xi'an").tokens == normalise("Xian").tokens == normalise("西安").tokens
    assert syllables("haikangweishi") == ("hai", "kang", "wei", "shi")
    assert syllables("hikvision") is None
    assert (
        normalise("Dongguanshi Lvzhou Xieye").tokens == normalise("东莞市绿洲鞋业").tokens
    )  # ü as v
    assert normalise("Zhonghang Xian Feiji").tokens == normalise("中航西安飞机").tokens
    assert tone_numbers("hua2wei2") == "huawei"
    assert tone_numbers("h2o") is None
    assert syllables("zhongguoguoji") == ("zhong", "guo", "guo", "ji")  # not jih (Wade-Giles)
    assert all_syllables("na si da gu fen")
    assert not all_syllables("sun gang trading")


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Sun Gang Trading", ("sun", "gang", "trading")),  # two syllable words: as written
        ("Zhu Hailun", ("zhu", "hailun")),  # no Zhuhai cut across two written words
        ("Long Bang", ("long", "bang")),
    ],
)
def test_latin_names_that_are_not_chinese_stay_as_written(
    text: str, tokens: tuple[str, ...]
) -> None:
    assert normalise(text).tokens == tokens


# -- acronyms ----------------------------------------------------------------------------

ACRONYMS = [
    ("Z.T.E.", "zte"),
    ("Z T E", "zte"),
    ("C E T C", "china-electronics-technology-group"),
    ("C.E.T.C.", "china-electronics-technology-group"),
    ("D.J.I.", "dji"),
]


@pytest.mark.parametrize(("query", "entity_id"), ACRONYMS)
def test_acronyms_written_with_dots_or_spaces(
    seed_screener: Screener, query: str, entity_id: str
) -> None:
    _reaches(seed_screener, query, entity_id)


def test_acronym_of_an_english_name_is_a_review_that_says_so(seed_screener: Screener) -> None:
    result = seed_screener.screen("HHDT")  # Hangzhou Hikvision Digital Technology
    hit = next(h for h in result.hits if h.entity_id == "hikvision")
    assert hit.status == REVIEW
    assert "HHDT is an acronym of 'Hangzhou Hikvision Digital Technology" in hit.explanation[0]


def test_acronym_conventions() -> None:
    found = name_acronyms(normalise("China Electronics Technology Group Corporation"))
    assert {"cetc", "cetgc", "cet"} <= found
    assert "aicc" in name_acronyms(normalise("Aviation Industry Corporation of China Ltd."))
    assert query_acronym(normalise("C.E.T.C.")) == "cetc"
    assert query_acronym(normalise("CETC Co., Ltd.")) == "cetc"
    assert query_acronym(normalise("Hikvision Dahua")) is None


# -- Chinese short names and traditional script ------------------------------------------

CHINESE = [
    ("华为技术", "huawei"),
    ("海康威视数字技术", "hikvision"),
    ("中兴通讯", "zte"),
    ("大疆创新科技", "dji"),
    ("纳思达", "ninestar"),
    ("華為技術有限公司", "huawei"),  # s2t
    ("中興通訊股份有限公司", "zte"),
    ("深圳市大疆創新科技有限公司", "dji"),
    ("納思達股份有限公司", "ninestar"),
]


@pytest.mark.parametrize(("query", "entity_id"), CHINESE)
def test_chinese_short_and_traditional_names(
    seed_screener: Screener, query: str, entity_id: str
) -> None:
    _reaches(seed_screener, query, entity_id)


# -- generic words only ------------------------------------------------------------------

GENERIC_ONLY = [
    "Shenzhen Technology Innovation Co Ltd",
    "Hangzhou Digital Technology Co., Ltd.",
    "China Electronics Technology Co",
    "China Electronics Technology Innovation Group",
    "Shenzhen Keji Youxian Gongsi",
    "深圳市科技创新有限公司",
    "杭州数字技术股份有限公司",
    "Zhejiang Technology Group",
]


@pytest.mark.parametrize("query", GENERIC_ONLY)
def test_generic_words_alone_raise_no_alert(seed_screener: Screener, query: str) -> None:
    result = seed_screener.screen(query)
    assert result.status == CLEAR, result.hits


def test_a_listed_name_of_generic_words_written_whole_still_alerts(
    seed_screener: Screener,
) -> None:
    _reaches(
        seed_screener,
        "China Electronics Technology Group Corporation",
        "china-electronics-technology-group",
    )


# -- a listed name beside another word ----------------------------------------------------

BESIDE = [
    "Hikvision Dahua",
    "Acme Hikvision Reseller",
    "Bold Hikvision",
    "[bold]Hikvision",
    "Hikvision[1]",
]


@pytest.mark.parametrize("query", BESIDE)
def test_a_listed_name_beside_another_word_is_at_least_a_review(
    seed_screener: Screener, query: str
) -> None:
    why = _reaches(seed_screener, query, "hikvision")
    assert any("holds every distinctive word" in line or "words agree" in line for line in why)


def test_a_company_of_its_own_with_a_listed_trade_name_is_clear(seed_screener: Screener) -> None:
    assert seed_screener.screen("Shanghai Dahua Scale Factory").status == CLEAR


def test_only_names_of_listed_parties_alert_beside_other_words(tmp_path: Path) -> None:
    from clearance.model import Entity, EntityKind, ListInfo, Listing

    fcc = ListInfo("us-fcc-covered", "FCC Covered List", "FCC", "us", "procurement", "https://x")
    listing = Listing("us-fcc-covered", "FCC", "us", "Covered equipment", "https://x")
    registry = Registry(
        [fcc],
        [
            Entity("hikvision", EntityKind.COMPANY, "Hikvision", listings=[listing]),
            Entity("smithson", EntityKind.COMPANY, "Smithson Ltd"),
        ],
        [],
        version="beside-1",
    )
    settings = Settings(data_dir=tmp_path, cache_dir=tmp_path / "cache", db_url="sqlite://")
    screener = Screener(registry, settings)
    assert screener.screen("Acme Hikvision Reseller").status == REVIEW
    assert screener.screen("Acme Smithson Reseller").status == CLEAR  # leads to no listed party
