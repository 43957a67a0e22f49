"""``lists export --format ftm``: every record of the seed registry loads with the
``followthemoney`` package, every value is valid for its property's type, every reference
points at a record of the export, and parties, listings and relations land in the FtM
properties yente and Aleph read."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import pytest
from followthemoney import model

from clearance.model import Entity, EntityKind, Identifier, ListInfo, Listing, Name, NameKind
from clearance.registry import Registry
from clearance.registry.export import ExportFormat, write_export
from clearance.registry.export_ftm import entity_ftm_id

PARTIES = {"Company", "Organization", "Person", "LegalEntity"}


def _export(registry: Registry, lists: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    buf = io.StringIO()
    write_export(registry, ExportFormat.FTM, buf, lists)
    return [json.loads(line) for line in buf.getvalue().splitlines()]


@pytest.fixture(scope="module")
def records(seed: Registry) -> list[dict[str, Any]]:
    return _export(seed)


def _by_id(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in records}


def _check_valid(records: list[dict[str, Any]]) -> None:
    """Every record loads with followthemoney, names only its schema's properties, and holds
    values that are valid for their type and that FtM's cleaning leaves as they are."""
    for data in records:
        proxy = model.get_proxy(data, cleaned=False)
        assert not proxy.schema.abstract, data["id"]
        assert set(data["properties"]) == set(proxy.properties), data["id"]
        for name, values in data["properties"].items():
            prop = proxy.schema.get(name)
            assert prop is not None, (data["id"], name)
            assert values, (data["id"], name)
            for value in values:
                assert prop.type.validate(value), (data["id"], name, value)
                assert prop.type.clean(value, proxy=proxy) == value, (data["id"], name, value)


def test_every_record_loads_and_every_value_is_valid(records: list[dict[str, Any]]) -> None:
    assert len(records) > 800
    _check_valid(records)


def test_untidy_values_are_written_as_ftm_keeps_them() -> None:
    lst = ListInfo("x-list", "X", "X authority", "INT", "sanctions", "https://example.invalid/x")
    listing = Listing("x-list", "X authority", "INT", "P", "not a url", date(2020, 1, 2))
    entity = Entity(
        "acme_co",
        EntityKind.COMPANY,
        "Acme  Technology\nCo",
        names=[Name.of(" ACME  TECHNOLOGY CO "), Name.of("Acme Old\tCo", NameKind.FORMER)],
        countries=["CN", "int"],
        identifiers=[Identifier("uscc", " 91330000733796106P "), Identifier("weird", "1")],
        listings=[listing],
    )
    records = _export(Registry([lst], [entity]))
    _check_valid(records)
    party = records[0]["properties"]
    assert party["name"] == ["Acme Technology Co"]
    assert party["alias"] == ["ACME TECHNOLOGY CO"]
    assert party["previousName"] == ["Acme Old Co"]
    assert party["country"] == ["cn"]
    assert party["uscCode"] == ["91330000733796106P"]
    assert party["notes"] == ["Identifiers: weird: 1"]
    sanction = records[1]["properties"]
    assert "country" not in sanction  # INT is no country
    assert "sourceUrl" not in sanction


def test_ids_are_unique_prefixed_and_every_reference_exists(
    records: list[dict[str, Any]],
) -> None:
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("clearance-") for i in ids)
    known = set(ids)
    references = 0
    for data in records:
        proxy = model.get_proxy(data, cleaned=False)
        for prop, value in proxy.itervalues():
            if prop.type.name == "entity":
                references += 1
                assert value in known, (data["id"], prop.name, value)
    links = sum(r["schema"] in {"Ownership", "UnknownLink"} for r in records)
    assert references == sum(r["schema"] == "Sanction" for r in records) + 2 * links


def test_the_export_is_stable(seed: Registry, records: list[dict[str, Any]]) -> None:
    assert _export(seed) == records


def test_parties_carry_names_identifiers_topics_and_notes(
    seed: Registry, records: list[dict[str, Any]]
) -> None:
    by_id = _by_id(records)
    hik = by_id[entity_ftm_id("hikvision")]
    assert hik["schema"] == "Company"
    assert hik["target"] is True
    props = hik["properties"]
    assert props["name"][:2] == [
        "Hangzhou Hikvision Digital Technology Co., Ltd.",
        "杭州海康威视数字技术股份有限公司",
    ]
    assert "Hikvision" in props["alias"]
    assert props["uscCode"] == ["91330000733796106P"]
    assert props["isinCode"] == ["CNE100000PM8"]
    assert props["ticker"] == ["002415 CN"]
    assert props["country"] == ["cn"]
    assert {"debarment", "export.control", "invest.ban", "mil"} <= set(props["topics"])
    assert "ofac_ent_num: 30946" in props["notes"][-1]
    persons = [r for r in records if r["schema"] == "Person"]
    assert {p["properties"]["name"][0] for p in persons} >= {"Zhu Hailun", "Chen Mingguo"}
    assert all("sanction" in p["properties"]["topics"] for p in persons)
    organisations = {r["id"] for r in records if r["schema"] == "Organization"}
    assert entity_ftm_id("xpcc") in organisations
    assert {r["schema"] for r in records} == PARTIES - {"LegalEntity"} | {
        "Sanction",
        "Ownership",
        "UnknownLink",
    }
    formers = [r for r in records if r["properties"].get("previousName")]
    assert formers


def test_each_listing_is_a_sanction_on_its_party(
    seed: Registry, records: list[dict[str, Any]]
) -> None:
    sanctions = [r for r in records if r["schema"] == "Sanction"]
    parties = [e for e in seed if e.kind is not EntityKind.CATEGORY]
    assert len(sanctions) == sum(len(e.listings) for e in parties)
    hik_id = entity_ftm_id("hikvision")
    on_hik = {
        s["properties"]["programId"][0]: s["properties"]
        for s in sanctions
        if s["properties"]["entity"] == [hik_id]
    }
    assert set(on_hik) == {x.list_id for x in seed.get("hikvision").listings}
    bis = on_hik["us-bis-entity-list"]
    assert bis["startDate"] == ["2019-10-09"]
    assert bis["authority"] == ["US Department of Commerce, Bureau of Industry and Security"]
    assert bis["country"] == ["us"]
    assert bis["summary"] == ["84 FR 54002 (FR Doc 2019-22210)"]
    assert bis["sourceUrl"] == ["https://www.federalregister.gov/d/2019-22210"]
    assert bis["provisions"][0].startswith("License required for all items subject to the EAR")


def test_relations_become_ownership_and_links(
    seed: Registry, records: list[dict[str, Any]]
) -> None:
    links = [r["properties"] for r in records if r["schema"] in {"Ownership", "UnknownLink"}]
    assert len(links) == len(seed.relations)
    owned = [p for p in links if p.get("asset") == [entity_ftm_id("avicopter")]]
    assert owned[0]["owner"] == [entity_ftm_id("aviation-industry-of-china")]
    assert owned[0]["role"] == ["subsidiary"]
    brand = next(p for p in links if p.get("subject") == [entity_ftm_id("hilook")])
    assert (brand["object"], brand["role"]) == ([entity_ftm_id("hikvision")], ["brand of"])
    oem = next(p for p in links if p.get("subject") == [entity_ftm_id("amcrest")])
    assert oem["role"] == ["OEM label of"]


def test_categories_of_equipment_are_left_out(
    seed: Registry, records: list[dict[str, Any]]
) -> None:
    categories = [e.id for e in seed if e.kind is EntityKind.CATEGORY]
    assert categories
    ids = {r["id"] for r in records}
    assert not {entity_ftm_id(c) for c in categories} & ids
    buf = io.StringIO()
    summary = write_export(seed, ExportFormat.FTM, buf)
    assert sorted(summary.left_out) == sorted(categories)
    assert summary.records == len(records)


def test_list_filter_keeps_whole_parties_and_only_links_between_them(seed: Registry) -> None:
    records = _export(seed, ("ca-sema",))
    parties = {r["id"] for r in records if r["schema"] in PARTIES}
    expected = {
        entity_ftm_id(e.id) for e in seed if any(x.list_id == "ca-sema" for x in e.listings)
    }
    assert parties == expected
    known = {r["id"] for r in records}
    for data in records:
        proxy = model.get_proxy(data, cleaned=False)
        assert all(v in known for p, v in proxy.itervalues() if p.type.name == "entity")


def test_ids_with_characters_ftm_does_not_allow_stay_distinct() -> None:
    a, b = entity_ftm_id("acme_co"), entity_ftm_id("acme co")
    assert a != b
    assert all(model.get("Sanction").get("entity").type.validate(x) for x in (a, b))
    assert entity_ftm_id("hikvision") == "clearance-hikvision"
