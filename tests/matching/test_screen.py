"""Acceptance cases of issue 4 against a small registry holding Hikvision, EZVIZ and Dahua."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.matching import ALGORITHM, CLEAR, MATCH, Screener
from clearance.model import Entity, EntityKind, ListInfo, Listing, Name, Relation, RelationKind
from clearance.registry import Registry
from clearance.settings import Settings

REACH_HIKVISION = [
    "杭州海康威视数字技术股份有限公司",
    "海康威视",
    "杭州海康威視數字技術股份有限公司",
    "Hangzhou Haikang Weishi Shuzi Jishu",
    "Technology Digital Hikvision Hangzhou",
    "Hangzou Hikvison Digital Tech Co Ltd",
    "H\u0456kvision",  # Cyrillic і
    "Hik\u200bvision",  # zero-width space
    "H1KV1S10N",
    "EZVIZ Inc",  # a brand of Hikvision
]

NO_ALERT = [
    "Shanghai Dahua Scale Factory",
    "上海大华衡器厂",
    "Hangzhou Digital Technology Co Ltd",
    "Axis Communications AB",
    "Zhejiang Technology Group",
    "Apple Inc",
]


@pytest.mark.parametrize("query", REACH_HIKVISION)
def test_reaches_hikvision(screener: Screener, query: str) -> None:
    result = screener.screen(query)
    assert result.status != CLEAR
    top = result.hits[0]
    assert top.reaches("hikvision"), top
    assert top.explanation, "every hit says why it matched"
    assert top.listings


@pytest.mark.parametrize("query", NO_ALERT)
def test_near_misses_raise_no_alert(screener: Screener, query: str) -> None:
    result = screener.screen(query)
    assert result.status == CLEAR, result.hits
    assert result.hits == []


def test_brand_hit_names_parent_and_relation(screener: Screener) -> None:
    hit = screener.screen("EZVIZ Inc").hits[0]
    assert hit.entity_id == "ezviz"
    assert hit.status == MATCH
    (restriction,) = hit.restricted
    assert restriction.entity_id == "hikvision"
    assert restriction.relation == "brand"
    assert any("brand of Hangzhou Hikvision" in line for line in hit.explanation)
    assert [lst.list_id for lst in hit.listings] == ["us-fcc-covered"]


def test_pinyin_explanation(screener: Screener) -> None:
    hit = screener.screen("Hangzhou Haikang Weishi Shuzi Jishu").hits[0]
    assert any(
        "pinyin of 杭州海康威视数字技术股份有限公司: 海康威视 = haikang weishi" in line
        for line in hit.explanation
    )


def test_typo_explanation_names_the_words(screener: Screener) -> None:
    hit = screener.screen("Hangzou Hikvison Digital Tech Co Ltd").hits[0]
    assert "hikvison ≈ hikvision (1 edit)" in hit.explanation[0]


def test_unlisted_parent_is_review_at_most(screener: Screener) -> None:
    result = screener.screen("Dahua Holding Group")
    parent = next(h for h in result.hits if h.entity_id == "dahua-parent")
    assert parent.status == "review"
    assert any("leads to no listed party" in line for line in parent.explanation)


def test_country_and_identifier(screener: Screener) -> None:
    plain = screener.screen("Dahau").hits[0].score
    other_country = screener.screen("Dahau", countries=["se"]).hits
    assert not other_country or other_country[0].score < plain
    by_id = screener.screen("Hik Vision Company", identifiers=["91330000733796106P"])
    assert by_id.hits[0].score == 1.0
    assert any("same identifier: uscc" in line for line in by_id.hits[0].explanation)


def test_result_json_shape(screener: Screener) -> None:
    data = screener.screen("Hikvision", record={"row": 1}).to_json()
    assert set(data) >= {"query", "status", "hits", "algorithm", "registry_version", "record"}
    assert data["algorithm"] == ALGORITHM
    assert data["record"] == {"row": 1}
    hit = data["hits"][0]
    assert set(hit) >= {"entity_id", "entity", "matched_name", "score", "listings", "explanation"}
    assert hit["listings"][0]["list"] == "us-fcc-covered"


def test_screen_many_keeps_order_and_parallel_agrees(screener: Screener) -> None:
    names = [
        "Axis Communications AB",
        "海康威视",
        {"name": "Dahua", "record": {"n": 3}},
        {"name": "Hikvision", "countries": ["CN"], "record": {"n": 4}},  # scored per entity
    ]
    serial = [r.to_json() for r in screener.screen_many(names)]
    assert [r["status"] for r in serial] == ["clear", "match", "match", "match"]
    assert serial[2]["record"] == {"n": 3}
    assert any("country" in line for line in serial[3]["hits"][0]["explanation"])
    parallel = [r.to_json() for r in screener.screen_many(names, workers=2)]
    assert parallel == serial


def test_screen_many_repeated_names_keep_their_own_rows(screener: Screener) -> None:
    rows = [{"name": name, "record": {"row": i}} for i, name in enumerate(["海康威视", "Axis"] * 3)]
    for workers in (1, 2):
        results = list(screener.screen_many(rows, workers=workers))
        assert [r.record for r in results] == [{"row": i} for i in range(6)]
        assert [r.status for r in results] == ["match", "clear"] * 3
        assert results[0].hits == results[2].hits == results[4].hits
        assert results[0].hits is not results[2].hits  # each row owns its list


def test_same_name_entities_ranked_matches_first(tmp_path: Path) -> None:
    # Six entities of one name: one listed, five not; max_hits 5 keeps the listed one first.
    plain = [Entity(id=f"acme-{i}", kind=EntityKind.COMPANY, name="Acme Widgets") for i in range(5)]
    screener = _screener(tmp_path, [*plain, _listed("zz-acme", "Acme Widgets")])
    result = screener.screen("Acme Widgets")
    assert [h.entity_id for h in result.hits] == ["zz-acme", *(f"acme-{i}" for i in range(4))]
    assert [h.status for h in result.hits] == ["match"] + ["review"] * 4
    assert result.status == "match"


def test_many_same_name_entities_listed_one_found_past_the_first_chunks(tmp_path: Path) -> None:
    # 150 unlisted entities of one name (several chunks of names), then a listed one: the
    # listed one is the match, the first four unlisted ones in registry order are reviews.
    plain = [
        Entity(id=f"acme-{i:03}", kind=EntityKind.COMPANY, name="Acme Widgets") for i in range(150)
    ]
    screener = _screener(tmp_path, [*plain, _listed("zz-acme", "ACME Widgets")])
    result = screener.screen("Acme Widgets")
    assert [h.entity_id for h in result.hits] == ["zz-acme", *(f"acme-{i:03}" for i in range(4))]
    assert [h.status for h in result.hits] == ["match"] + ["review"] * 4
    assert result.hits[0].matched_name == "ACME Widgets"  # the name as the registry writes it


def test_best_entity(screener: Screener) -> None:
    hit = screener.best_entity("海康威视")
    assert hit is not None
    assert hit.entity_id == "hikvision"
    assert screener.best_entity("Axis") is None


def test_index_cached_on_disk(screener: Screener) -> None:
    cached = list((screener.settings.cache_dir / "index").glob(f"{ALGORITHM}-*.npz"))
    assert len(cached) == 1
    again = Screener(screener.registry, screener.settings)
    assert again.index.vocab == screener.index.vocab
    assert again.screen("海康威视").hits[0].entity_id == "hikvision"


def test_seed_resolves_device_makes(seed: object) -> None:
    from clearance.registry import Registry

    assert isinstance(seed, Registry)
    screener = Screener(seed)
    for make, entity in [("海康威视", "hikvision"), ("Dahua Technology", "dahua")]:
        hit = screener.best_entity(make)
        assert hit is not None
        assert hit.reaches(entity), (make, hit)


URL = "https://example.org/list"


def _screener(tmp_path: Path, entities: list[Entity], relations: list[Relation] = ()) -> Screener:
    """A screener over a one-list registry of ``entities``, caching under ``tmp_path``."""
    registry = Registry([ListInfo("l", "L", "A", "US", "sanctions", URL)], entities, relations)
    return Screener(registry, Settings(tmp_path / "d", tmp_path / "c", "sqlite://"))


def _listed(entity_id: str, name: str, *aliases: str) -> Entity:
    listing = Listing("l", "A", "US", "P", URL)
    names = [Name.of(a) for a in aliases]
    return Entity(entity_id, EntityKind.COMPANY, name, names, listings=[listing])


def _acronym_registry(tmp_path: Path) -> Screener:
    return _screener(
        tmp_path,
        [
            _listed("cssc", "China State Shipbuilding Corporation", "CSSC"),
            _listed("cetc", "China Electronics Technology Group", "CETC"),
            _listed("catl", "Contemporary Amperex Technology", "CATL"),
            _listed("avic", "Aviation Industry Corporation of China", "AVIC"),
            _listed("zte", "Zhongxing Telecommunication Equipment", "ZTE"),
            _listed("csgc", "China South Industries Group Corporation"),
        ],
    )


@pytest.mark.parametrize("query", ["Cisco", "CITC", "CSC"])
def test_a_short_word_merely_alike_raises_no_alert(tmp_path: Path, query: str) -> None:
    """Cisco is not CSSC and CITC is not CETC: short words must agree, not sound alike."""
    result = _acronym_registry(tmp_path).screen(query)
    assert result.status == CLEAR, result.hits


@pytest.mark.parametrize(
    ("query", "entity"), [("CALT", "catl"), ("AVlC", "avic"), ("CETC", "cetc")]
)
def test_short_words_transposed_or_misread_still_alert(
    tmp_path: Path, query: str, entity: str
) -> None:
    result = _acronym_registry(tmp_path).screen(query)
    assert result.status != CLEAR
    assert result.hits[0].entity_id == entity


@pytest.mark.parametrize(
    ("query", "entity", "why"),
    [
        ("AVOC", "avic", "avoc ≈ avic (1 keyboard-neighbour typo)"),
        ("CETV", "cetc", "cetv ≈ cetc (1 keyboard-neighbour typo)"),
        ("KATL", "catl", "katl ≈ catl (sound-alike spelling)"),
        ("AVC", "avic", "avc ≈ avic (vowels dropped)"),
    ],
)
def test_short_words_with_a_likely_slip_alert_and_say_why(
    tmp_path: Path, query: str, entity: str, why: str
) -> None:
    """A keyboard-neighbour typo, a sound-alike spelling or dropped vowels is rarely another
    name, unlike an arbitrary letter changed."""
    result = _acronym_registry(tmp_path).screen(query)
    assert result.status != CLEAR
    assert result.hits[0].entity_id == entity
    assert why in result.hits[0].explanation[0]


@pytest.mark.parametrize("query", ["AVEC", "MATL", "Zite", "CATS", "KSK", "STH"])
def test_short_words_one_arbitrary_letter_apart_raise_no_alert(tmp_path: Path, query: str) -> None:
    """E is not next to I (AVEC), M is neither next to nor sounds like C (MATL), vowels added to
    an acronym make another word (Zite), S is not next to L (CATS); KSK changes more than one
    letter of CSSC; STH drops the vowels of only one word of China South Industries."""
    result = _acronym_registry(tmp_path).screen(query)
    assert result.status == CLEAR, result.hits


def test_a_reported_oem_relation_is_a_review_not_a_match(tmp_path: Path) -> None:
    """An exact name that leads to a listed party only through an uncertain OEM claim."""
    label = Entity("label", EntityKind.COMPANY, "Relabel Security Corp")
    oem = Relation("label", RelationKind.OEM_OF, "maker", URL, certainty=0.4)
    screener = _screener(tmp_path, [_listed("maker", "Restricted Maker Co"), label], [oem])
    result = screener.screen("Relabel Security Corp")
    assert result.status == "review"
    assert any("certainty 0.40" in line for line in result.hits[0].explanation)
