"""The seed registry's content: the lists, vendors, relations and hints the issue asks for."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from typer.testing import CliRunner

from clearance.cli.app import app
from clearance.model import EntityKind
from clearance.registry import Registry

runner = CliRunner()


def _json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def _lists(seed: Registry, entity_id: str) -> set[str]:
    return {lst.list_id for lst in seed.get(entity_id).listings}


def test_show_hikvision_has_names_relations_and_five_lists() -> None:
    doc = _json("lists", "show", "Hikvision")
    by_id = {e["id"]: e for e in doc["entities"]}
    hik = by_id["hikvision"]
    assert hik["name"] == "Hangzhou Hikvision Digital Technology Co., Ltd."
    han = [n for n in hik["names"] if n["script"] == "han"]
    assert {"杭州海康威视数字技术股份有限公司", "海康威视"} <= {n["value"] for n in han}
    assert all(n["source_url"] for n in han)
    related = {r["entity_id"] for r in hik["relations"]}
    assert {"ezviz", "hikvision-canada"} <= related
    assert {"us-fcc-covered", "us-ndaa-889", "us-bis-entity-list", "us-ofac-ns-cmic"} <= {
        x["list"] for x in hik["listings"]
    }
    cmic = next(x for x in hik["listings"] if x["list"] == "us-ofac-ns-cmic")
    assert (cmic["entry_id"], cmic["start_date"]) == ("30946", "2021-06-03")
    # The Canadian order sits on Hikvision Canada Inc., which the same query returns.
    canada = by_id["hikvision-canada"]
    order = next(x for x in canada["listings"] if x["list"] == "ca-ica-order")
    assert order["start_date"] == "2025-06-27"
    assert order["jurisdiction"] == "CA"
    assert "25.4(1)" in order["citation"]
    assert "2025 FC 1527" in order["scope"]
    assert canada["restricted_via"][0]["entity_id"] == "hikvision"
    every = [x for e in doc["entities"] for x in e["listings"]]
    assert {"us-fcc-covered", "us-ndaa-889", "us-bis-entity-list", "us-ofac-ns-cmic"} | {
        "ca-ica-order"
    } <= {x["list"] for x in every}
    assert all(x["source_url"].startswith("http") and x["start_date"] for x in every)


def test_status_shows_the_lists_and_enough_entities() -> None:
    doc = _json("lists", "status")
    counts = {lst["id"]: lst["entity_count"] for lst in doc["lists"]}
    assert len(counts) >= 10
    assert doc["entity_count"] >= 150
    for list_id in (
        "us-fcc-covered",
        "us-ndaa-889",
        "us-ndaa-5949",
        "us-ndaa-154",
        "us-ndaa-1709",
        "us-bis-entity-list",
        "us-ofac-ns-cmic",
        "us-dod-1260h",
        "ca-ica-order",
        "ca-sema",
    ):
        assert counts[list_id] >= 1, list_id
    assert counts["us-ndaa-889"] == 5
    assert counts["us-ndaa-5949"] == 3
    assert counts["us-ndaa-154"] == 6


def test_the_five_889_vendors(seed: Registry) -> None:
    listed = {e.id for e in seed if "us-ndaa-889" in _lists(seed, e.id)}
    assert listed == {"huawei", "zte", "hytera", "hikvision", "dahua"}
    for eid in listed:
        assert "us-fcc-covered" in _lists(seed, eid)


def test_fcc_covered_list_is_complete_with_categories(seed: Registry) -> None:
    fcc = {e.id: e for e in seed if "us-fcc-covered" in _lists(seed, e.id)}
    categories = {eid for eid, e in fcc.items() if e.kind is EntityKind.CATEGORY}
    assert categories == {
        "fcc-category-uas",
        "fcc-category-routers",
        "fcc-category-power-inverters",
        "fcc-category-robotic-devices",
    }
    dates = {
        eid: next(x.start_date.isoformat() for x in e.listings if x.list_id == "us-fcc-covered")
        for eid, e in fcc.items()
        if e.listings[0].start_date is not None
    }
    assert dates["huawei"] == "2021-03-12"
    assert dates["kaspersky-ao"] == "2022-03-25"
    assert dates["comnet-usa"] == "2022-09-20"
    assert dates["kaspersky-inc"] == "2024-07-23"
    assert dates["dji"] == "2025-12-22"
    assert dates["fcc-category-routers"] == "2026-03-23"
    assert dates["digitalsystem-technology"] == "2026-07-07"
    assert dates["fcc-category-power-inverters"] == "2026-07-28"
    assert len(fcc) >= 19


def test_ndaa_1709_names_dji_and_autel(seed: Registry) -> None:
    listed = {e.id for e in seed if "us-ndaa-1709" in _lists(seed, e.id)}
    assert listed == {"dji", "autel-robotics"}
    dji = seed.get("dji")
    assert dji.name == "Shenzhen Da-Jiang Innovations Sciences and Technologies Co., Ltd."
    assert "深圳市大疆创新科技有限公司" in dji.all_names()


def test_section_154_starts_in_2027(seed: Registry) -> None:
    for entity in seed:
        for listing in entity.listings:
            if listing.list_id == "us-ndaa-154":
                assert listing.start_date is not None
                assert listing.start_date.isoformat() == "2027-10-01"


@pytest.mark.parametrize(
    ("entity_id", "han"),
    [
        ("hikvision", "杭州海康威视数字技术股份有限公司"),
        ("dahua", "浙江大华技术股份有限公司"),
        ("huawei", "华为技术有限公司"),
        ("zte", "中兴通讯股份有限公司"),
        ("hytera", "海能达通信股份有限公司"),
        ("dji", "深圳市大疆创新科技有限公司"),
        ("ezviz", "杭州萤石网络股份有限公司"),
    ],
)
def test_chinese_legal_names_are_sourced(seed: Registry, entity_id: str, han: str) -> None:
    name = next(n for n in seed.get(entity_id).names if n.value == han)
    assert name.script == "han"
    assert name.kind == "legal"
    assert name.source_url is not None
    assert name.source_url.startswith("http")


def test_relations_reach_the_listed_parent(seed: Registry) -> None:
    for eid, parent in [
        ("ezviz", "hikvision"),
        ("hikvision-canada", "hikvision"),
        ("hikvision-usa", "hikvision"),
        ("hikmicro", "hikvision"),
        ("prama-hikvision", "hikvision"),
        ("dahua-usa", "dahua"),
        ("lorex", "dahua"),
    ]:
        paths = seed.restricted_paths(eid)
        assert parent in {p.entity.id for p in paths}, eid
    lorex = next(r for r in seed.relations if r.subject == "lorex")
    assert lorex.certainty < 1.0
    assert lorex.note is not None
    assert "2023" in lorex.note


def test_device_hints_use_exact_registrants_and_anchored_patterns(seed: Registry) -> None:
    hik = seed.get("hikvision").device_hints
    dahua = seed.get("dahua").device_hints
    assert hik is not None
    assert dahua is not None
    assert "Hangzhou Hikvision Digital Technology Co.,Ltd." in hik.mac_registrants
    assert "Zhejiang Dahua Technology Co., Ltd." in dahua.mac_registrants
    assert 39165 in hik.snmp_enterprises
    assert 37496 in dahua.snmp_enterprises
    for entity in seed:
        hints = entity.device_hints
        if hints is None:
            continue
        assert not any("Scale" in r for r in hints.mac_registrants), entity.id
        assert hints.source_urls, entity.id
        for pattern in hints.model_patterns:
            assert pattern.startswith("^")
            assert pattern.endswith("$")
            re.compile(pattern)
    hik_models = [re.compile(p) for p in hik.model_patterns]
    dahua_models = [re.compile(p) for p in dahua.model_patterns]
    for model in ("DS-2CD2143G2-I", "DS-7608NI-K2", "DS-2DE4425IW-DE"):
        assert any(p.match(model) for p in hik_models), model
    for model in ("DH-IPC-HDBW2431E-S-S2", "DHI-NVR4108HS-4KS2", "DH-XVR5108HS-4KL-I3"):
        assert any(p.match(model) for p in dahua_models), model
    for model in ("IPC-B120H", "IPC2122LB-SF28-A", "DS-2CD"):
        assert not any(p.match(model) for p in [*hik_models, *dahua_models]), model


def test_canadian_sema_entries(seed: Registry) -> None:
    listed = {e.id: e for e in seed if "ca-sema" in _lists(seed, e.id)}
    kinds = sorted(str(e.kind) for e in listed.values())
    assert kinds == ["organisation", "person", "person", "person", "person"]
    assert "Xinjiang Production and Construction Corps Public Security Bureau" in {
        e.name for e in listed.values()
    }


def test_ns_cmic_entries_carry_ofac_numbers(seed: Registry) -> None:
    entries = {e.id: x for e in seed for x in e.listings if x.list_id == "us-ofac-ns-cmic"}
    assert entries["huawei"].entry_id == "30947"
    assert entries["smic"].entry_id == "30951"
    assert all(x.entry_id for x in entries.values())
    assert len(entries) >= 60


def test_dod_1260h_editions(seed: Registry) -> None:
    for eid in ("hikvision", "dahua", "huawei", "dji", "smic"):
        listing = next(x for x in seed.get(eid).listings if x.list_id == "us-dod-1260h")
        assert listing.start_date is not None
        assert listing.start_date.isoformat() == "2026-06-08"
        assert listing.source_url.startswith("https://media.defense.gov/2026/")


def test_bis_xinjiang_additions(seed: Registry) -> None:
    by_date: dict[str, set[str]] = {}
    for entity in seed:
        for x in entity.listings:
            if x.list_id == "us-bis-entity-list" and x.start_date is not None:
                by_date.setdefault(x.start_date.isoformat(), set()).add(entity.id)
    assert by_date["2019-05-16"] == {"huawei"}
    assert {
        "hikvision",
        "dahua",
        "iflytek",
        "megvii-technology",
        "sensetime-group",
        "shanghai-yitu-network-technology",
        "sdic-intelligence-xiamen-information",
        "yixin-science-technology",
        "xuar-psb",
        "xinjiang-police-college",
    } <= by_date["2019-10-09"]
    assert by_date["2021-06-24"] == {
        "xpcc",
        "hoshine-shanshan",
        "xinjiang-daqo",
        "xinjiang-east-hope",
        "xinjiang-gcl",
    }


def test_uflpa_entries_keep_aliases_dates_and_subsidiaries(seed: Registry) -> None:
    uflpa = {e.id: e for e in seed if "us-uflpa" in _lists(seed, e.id)}
    assert len(uflpa) >= 80
    assert "Hesheng Silicon Industry (Shanshan) Co." in uflpa["hoshine-shanshan"].all_names()
    daqo = uflpa["xinjiang-daqo"]
    assert {"Xinjiang Great New Energy Co., Ltd.", "Xinjiang Daxin Energy Co., Ltd."} <= set(
        daqo.all_names()
    )
    dates = sorted(x.start_date.isoformat() for x in daqo.listings if x.start_date is not None)
    assert dates == ["2021-06-24", "2022-06-21", "2024-11-25"]
    xpcc = seed.get("xpcc")
    assert "新疆生产建设兵团" in xpcc.all_names()
    assert xpcc.kind is EntityKind.ORGANISATION
    subsidiaries = {r.subject for r in seed.relations if r.object == "xinjiang-nonferrous-group"}
    assert {"western-gold", "western-gold-hami", "western-gold-hatu"} <= subsidiaries
    hongyuan = uflpa["hongyuan-green-energy"]
    formers = {n.value for n in hongyuan.names if n.kind == "former"}
    assert "Wuxi Shangji CNC Co., Ltd." in formers
    for entity in uflpa.values():
        for x in entity.listings:
            if x.list_id == "us-uflpa":
                assert x.source_url == "https://www.dhs.gov/uflpa-entity-list"
                assert x.start_date is not None
                assert x.start_date.year >= 2022
        assert entity.sources, entity.id


def test_uflpa_ninestar_and_zijin_subsidiaries_are_itemized(seed: Registry) -> None:
    uflpa = {e.id: e for e in seed if "us-uflpa" in _lists(seed, e.id)}
    assert len(uflpa) >= 91
    ninestar_subs = {
        r.subject for r in seed.relations if r.object == "ninestar" and r.kind == "subsidiary"
    }
    assert len(ninestar_subs) == 8
    assert ninestar_subs <= set(uflpa)
    assert "Zhuhai Pantum Electronics Co., Ltd." in {uflpa[e].name for e in ninestar_subs}
    for eid in ninestar_subs:
        listing = next(x for x in uflpa[eid].listings if x.list_id == "us-uflpa")
        assert listing.start_date is not None
        assert listing.start_date.isoformat() == "2023-06-12"
        assert listing.citation is not None
        assert "2023-12481" in listing.citation
        relation = next(r for r in seed.relations if r.subject == eid)
        assert relation.certainty == 1.0
        assert "2023-12481" in relation.source_url
        assert {p.entity.id for p in seed.restricted_paths(eid)} >= {eid, "ninestar"}
    zijin_subs = {r.subject for r in seed.relations if r.object == "zijin-mining"}
    assert {
        "xinjiang-zijin-nonferrous",
        "xinjiang-jinbao-mining",
        "xinjiang-zijin-zinc",
        "xinjiang-habahe-ashele",
    } <= zijin_subs
    assert "Xinjiang Jinbao Mining Co., Ltd." in uflpa["xinjiang-jinbao-mining"].all_names()
    for eid, han in [
        ("ninestar", "纳思达股份有限公司"),
        ("zhuhai-apex-microelectronics", "珠海艾派克微电子有限公司"),
        ("huafu-fashion", "华孚时尚股份有限公司"),
    ]:
        name = next(n for n in uflpa[eid].names if n.value == han)
        assert (name.script, name.kind) == ("han", "legal"), eid
        assert name.source_url is not None
        assert name.source_url.startswith("http"), eid


def test_imou_is_a_dahua_brand_with_its_own_registrant(seed: Registry) -> None:
    imou = seed.get("imou")
    assert {"Imou", "杭州华橙网络科技有限公司"} <= set(imou.all_names())
    assert all(n.source_url for n in imou.names if n.script == "han")
    relation = next(r for r in seed.relations if r.subject == "imou")
    assert (relation.kind, relation.object) == ("brand", "dahua")
    assert relation.note is not None
    assert "2025" in relation.note
    paths = seed.restricted_paths("imou")
    assert paths[0].entity.id == "dahua"
    assert paths[0].relation == "brand"
    assert imou.device_hints is not None
    assert "Hangzhou Huacheng Network Technology Co.,Ltd" in imou.device_hints.mac_registrants


def test_oem_claims_are_sourced_partial_and_below_certain(seed: Registry) -> None:
    oem = {(r.subject, r.object): r for r in seed.relations if r.kind == "oem_of"}
    for pair in [
        ("amcrest", "dahua"),
        ("annke", "hikvision"),
        ("aditya-infotech", "dahua"),
        ("honeywell", "hikvision"),
        ("honeywell", "dahua"),
        ("loryta", "dahua"),
        ("intelbras", "dahua"),
        ("indigovision", "dahua"),
    ]:
        relation = oem[pair]
        assert 0.4 <= relation.certainty <= 0.8, pair
        assert relation.source_url.startswith("https://"), pair
        assert relation.note, pair
        paths = seed.restricted_paths(pair[0])
        assert pair[1] in {p.entity.id for p in paths}, pair
        assert all(p.certainty < 1.0 for p in paths if p.entity.id == pair[1]), pair
    assert "CP Plus" in seed.get("aditya-infotech").all_names()
    assert oem[("amcrest", "dahua")].certainty > oem[("honeywell", "dahua")].certainty


def test_device_attribution_stops_at_the_nearest_listed_party(seed: Registry) -> None:
    """A Hikvision device is Hikvision's; EZVIZ leads to Hikvision and no further."""
    assert [p.entity.id for p in seed.restricted_paths("hikvision", beyond_listed=False)] == [
        "hikvision"
    ]
    ezviz = next(e for e in seed.search("EZVIZ") if not e.listings or e.id.startswith("ezviz"))
    nearest = seed.restricted_paths(ezviz.id, beyond_listed=False)
    assert "hikvision" in {p.entity.id for p in nearest}
    assert all(len(p.relations) <= 1 or not p.entity.listings for p in nearest)
    walked = {p.entity.id for p in seed.restricted_paths("hikvision")}
    assert len(walked) > 1  # the full walk still reaches the parent
