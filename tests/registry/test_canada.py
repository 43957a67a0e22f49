"""The Canadian measures of the seed registry (issue 16): the federal Hikvision purchase ban and
the 2022 Huawei/ZTE 4G/5G policy, who every measure binds, French texts, and how a changed seed
reaches an existing store."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from clearance.cli.app import app
from clearance.errors import SchemaError
from clearance.model import ListInfo, Listing
from clearance.profile import BOUND_PARTIES, OrganisationProfile, binding_first, binds
from clearance.registry import Registry
from clearance.registry.codec import list_from_json, listing_from_json
from clearance.registry.seed import load_registry_files, seed_files
from clearance.registry.update import import_list_file
from clearance.store import (
    ensure_registry,
    list_versions,
    load_version,
    open_store,
    save_registry,
)
from clearance.store.registry_store import SEED_NOTE

runner = CliRunner()

CA_BAN = "ca-federal-hikvision-ban"
CA_TELECOM = "ca-telecom-high-risk-vendors"
FEDERAL_DEPARTMENT = OrganisationProfile(
    name="A department", jurisdiction="CA", sector="federal-government"
)
CANADIAN_CARRIER = OrganisationProfile(
    name="A carrier", jurisdiction="CA", sector="telecommunications"
)


def _json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def _listings(doc: dict[str, Any], entity_id: str) -> list[dict[str, Any]]:
    entity = next(e for e in doc["entities"] if e["id"] == entity_id)
    listings: list[dict[str, Any]] = entity["listings"]
    return listings


def test_show_hikvision_holds_the_canadian_federal_purchase_ban() -> None:
    doc = _json("lists", "show", "Hikvision")
    ban = next(x for x in _listings(doc, "hikvision") if x["list"] == CA_BAN)
    assert ban["jurisdiction"] == "CA"
    assert ban["start_date"] == "2025-06-27"
    assert ban["source_url"].startswith("https://")
    assert ban["applies_to"] == ["ca-federal-departments", "ca-crown-corporations"]
    scope = ban["scope"]
    assert "departments, agencies and Crown corporations may not purchase or use" in scope
    assert "legacy Hikvision products" in scope  # the review of existing federal properties
    assert "brands" in scope
    assert "OEM" in scope
    assert "certainty" in scope
    assert "does not extend to Hikvision's affiliate operations outside of Canada" in scope
    # The wind-up order stays on Hikvision Canada Inc. and binds that business only.
    order = next(x for x in _listings(doc, "hikvision-canada") if x["list"] == "ca-ica-order")
    assert order["applies_to"] == ["order-addressee"]
    assert order["source_url_fr"].startswith("https://decisions.fct-cf.gc.ca/fc-cf/decisions/fr/")
    assert "Loi sur Investissement Canada" in order["translations"]["fr"]["scope"]


@pytest.mark.parametrize(("query", "entity_id"), [("Huawei", "huawei"), ("ZTE", "zte")])
def test_show_huawei_and_zte_hold_the_canadian_4g_5g_policy(query: str, entity_id: str) -> None:
    doc = _json("lists", "show", query)
    policy = next(x for x in _listings(doc, entity_id) if x["list"] == CA_TELECOM)
    assert policy["jurisdiction"] == "CA"
    assert policy["start_date"] == "2022-05-19"
    assert policy["applies_to"] == ["ca-telecom-providers"]
    # the removal deadlines of the policy statement
    for deadline in ("2022-09-01", "2024-06-28", "2027-12-31"):
        assert deadline in policy["scope"]
        assert deadline in policy["translations"]["fr"]["scope"]
    assert "4G" in policy["scope"]
    assert "5G" in policy["scope"]
    assert policy["source_url"].endswith("-en.aspx")
    assert policy["source_url_fr"].endswith("-fr.aspx")


def test_status_lists_the_new_canadian_lists_with_who_they_bind() -> None:
    lists = {x["id"]: x for x in _json("lists", "status")["lists"]}
    assert lists[CA_BAN]["jurisdiction"] == "CA"
    assert lists[CA_BAN]["kind"] == "procurement"
    assert lists[CA_BAN]["entity_count"] == 1
    assert lists[CA_TELECOM]["entity_count"] == 2
    assert lists[CA_TELECOM]["applies_to"] == ["ca-telecom-providers"]


def test_every_list_and_listing_names_who_it_binds(seed: Registry) -> None:
    for info in seed.lists.values():
        assert info.applies_to, info.id
        assert set(info.applies_to) <= set(BOUND_PARTIES), info.id
    listings = [(e.id, x) for e in seed for x in e.listings]
    assert len(listings) > 400
    for entity_id, listing in listings:
        assert listing.applies_to, (entity_id, listing.list_id)
        assert set(listing.applies_to) <= set(BOUND_PARTIES), (entity_id, listing.list_id)


def _translated(record: ListInfo | Listing) -> list[tuple[str, str, str]]:
    return [
        (lang, name, text)
        for lang, texts in record.translations.items()
        for name, text in texts.items()
    ]


def test_every_translation_names_a_text_field_of_its_record(seed: Registry) -> None:
    seen = 0
    for record in [*seed.lists.values(), *(x for e in seed for x in e.listings)]:
        fields = {f.name for f in dataclasses.fields(record)}
        for lang, name, text in _translated(record):
            assert lang == "fr"
            assert name in fields, (record, name)
            assert isinstance(getattr(record, name), str), (record, name)
            assert record.text(name, lang) == text
            assert record.text(name, "en") == getattr(record, name)
            seen += 1
    assert seen >= 10


def test_a_translation_of_an_unknown_field_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text(
        "lists:\n"
        "  - id: x\n    title: X\n    authority: A\n    jurisdiction: CA\n    kind: sanctions\n"
        "    source_url: https://example.org/\n    as_of: '2024-01-01'\n"
        "    translations:\n      fr: {titre: X}\n"
    )
    with pytest.raises(SchemaError) as caught:
        load_registry_files([path])
    assert caught.value.line == 10
    assert "lists[0].translations.fr" in str(caught.value)


def test_an_unknown_bound_party_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text(
        "lists:\n"
        "  - id: x\n    title: X\n    authority: A\n    jurisdiction: CA\n    kind: sanctions\n"
        "    source_url: https://example.org/\n    as_of: '2024-01-01'\n"
        "entities:\n"
        "  - id: e\n    kind: company\n    name: E\n    listings:\n"
        "      - {list: x, program: P, start_date: '2024-01-01', source_url: 'https://e.org/',"
        " applies_to: [everyone]}\n"
    )
    with pytest.raises(SchemaError, match="unknown bound party 'everyone'") as caught:
        load_registry_files([path])
    assert "entities[0].listings[0].applies_to" in str(caught.value)


def test_a_listing_takes_its_lists_bound_parties_unless_it_names_its_own() -> None:
    info = list_from_json(
        {
            "id": "x",
            "title": "X",
            "authority": "A",
            "jurisdiction": "US",
            "kind": "procurement",
            "source_url": "https://example.org/",
            "applies_to": ["us-federal-agencies"],
        }
    )
    base = {"list": "x", "program": "P", "source_url": "https://example.org/"}
    assert listing_from_json(base, {"x": info}).applies_to == ("us-federal-agencies",)
    own = listing_from_json({**base, "applies_to": ["us-importers"]}, {"x": info})
    assert own.applies_to == ("us-importers",)
    assert listing_from_json(base).applies_to == ()
    assert info.to_json()["applies_to"] == ["us-federal-agencies"]


def test_the_ban_reaches_hikvision_brands_and_oem_labels_with_their_certainty(
    seed: Registry,
) -> None:
    def ban_paths(entity_id: str) -> list[float]:
        return [
            path.certainty
            for path in seed.restricted_paths(entity_id)
            if any(x.list_id == CA_BAN for x in path.entity.listings)
        ]

    assert ban_paths("hikvision") == [1.0]
    assert ban_paths("ezviz") == [1.0]  # a subsidiary's brand: Hikvision's product
    assert ban_paths("hilook") == [0.9]
    oem = ban_paths("annke")
    assert len(oem) == 1
    assert oem[0] < 1.0  # relabelled for another vendor: as sure as the relation


def test_a_canadian_department_is_bound_by_the_ban_first_and_a_carrier_by_the_policy(
    seed: Registry,
) -> None:
    hikvision = seed.get("hikvision").listings
    ordered = binding_first(hikvision, FEDERAL_DEPARTMENT)
    assert ordered[0].list_id == CA_BAN
    assert [x.list_id for x in ordered if binds(x, FEDERAL_DEPARTMENT)] == [CA_BAN]
    order = seed.get("hikvision-canada").listings[0]
    assert not binds(order, FEDERAL_DEPARTMENT)  # the wind-up order binds Hikvision Canada
    huawei = binding_first(seed.get("huawei").listings, CANADIAN_CARRIER)
    assert huawei[0].list_id == CA_TELECOM
    assert binds(huawei[0], CANADIAN_CARRIER)
    assert not binds(huawei[0], FEDERAL_DEPARTMENT)


def _without_canadian_measures(seed: Registry) -> Registry:
    """The seed as it was before this issue: no ban list, no policy list, no bound parties."""
    new = {CA_BAN, CA_TELECOM}
    lists = [dataclasses.replace(x, applies_to=()) for x in seed.lists.values() if x.id not in new]
    entities = []
    for entity in seed:
        old = dataclasses.replace(entity)
        old.listings = [
            dataclasses.replace(x, applies_to=()) for x in entity.listings if x.list_id not in new
        ]
        entities.append(old)
    return Registry(lists, entities, seed.relations)


def test_a_store_holding_an_older_seed_gets_the_canadian_measures(seed: Registry) -> None:
    engine = open_store(os.environ["CLEARANCE_DB"])
    try:
        old = _without_canadian_measures(seed)
        sources = [{"list": "seed", "url": "package:clearance/data/registry", "sha256": "0" * 64}]
        save_registry(engine, old, note=SEED_NOTE, sources=sources)
        assert CA_BAN not in load_version(engine).lists
        upgraded = ensure_registry(engine)
        versions = list_versions(engine)
    finally:
        engine.dispose()
    assert len(versions) == 2
    assert versions[-1].active
    assert versions[-1].note == SEED_NOTE
    assert upgraded.content_hash() == seed.content_hash()
    # what the CLI reads from that store afterwards
    doc = _json("lists", "show", "Hikvision")
    assert doc["registry_version"] == versions[-1].version
    ban = next(x for x in _listings(doc, "hikvision") if x["list"] == CA_BAN)
    assert ban["applies_to"] == ["ca-federal-departments", "ca-crown-corporations"]
    sema = next(x for x in _listings(_json("lists", "show", "Zhu Hailun"), "zhu-hailun"))
    assert sema["applies_to"] == ["ca-persons"]


def test_stored_listings_keep_who_they_bind(seed: Registry) -> None:
    engine = open_store(os.environ["CLEARANCE_DB"])
    try:
        version = save_registry(engine, seed, note="test")
        loaded = load_version(engine, version)
    finally:
        engine.dispose()
    assert loaded.lists[CA_BAN].applies_to == seed.lists[CA_BAN].applies_to
    for entity in seed:
        assert [x.applies_to for x in loaded.get(entity.id).listings] == [
            x.applies_to for x in entity.listings
        ]


def test_the_canadian_file_cites_its_sources_in_its_opening_comment() -> None:
    canada = next(p for p in seed_files() if p.name == "canada.yml")
    text = canada.read_text(encoding="utf-8")
    assert text.startswith("# Purpose:")
    assert "https://x.com/melaniejoly/status/1938771436988137969" in text
    assert "2022-05-19" in text


@pytest.mark.parametrize(
    ("fixture", "list_id", "bound"),
    [
        ("sema-lmes.xml", "ca-sema", ("ca-persons",)),
        ("uflpa-entity-list.html", "us-uflpa-entity-list", ("us-importers",)),
        ("fcc-covered-list.html", "us-fcc-covered-list", ("us-telecom-providers",)),
    ],
)
def test_imported_lists_name_who_they_bind(
    fixture: str, list_id: str, bound: tuple[str, ...]
) -> None:
    fixtures = Path(__file__).parents[1] / "fixtures" / "importers"
    engine = open_store(os.environ["CLEARANCE_DB"])
    try:
        ensure_registry(engine)
        import_list_file(engine, fixtures / fixture)
        registry = load_version(engine)
    finally:
        engine.dispose()
    assert registry.lists[list_id].applies_to == bound
    listings = [x for e in registry for x in e.listings if x.list_id == list_id]
    assert listings
    assert {x.applies_to for x in listings} == {bound}


def test_the_china_mobile_order_sits_on_its_canadian_subsidiary() -> None:
    doc = _json("lists", "show", "China Mobile International (Canada)")
    order = next(
        x
        for x in _listings(doc, "china-mobile-international-canada")
        if x["list"] == "ca-ica-order"
    )
    assert order["start_date"] == "2021-08-06"
    assert order["applies_to"] == ["order-addressee"]
    assert "2021 FC 1277" in order["citation"]
    entity = next(e for e in doc["entities"] if e["id"] == "china-mobile-international-canada")
    assert entity["restricted_via"][0]["entity_id"] == "china-mobile-communications-group"


def test_kaspersky_applications_are_barred_from_government_mobile_devices(seed: Registry) -> None:
    doc = _json("lists", "show", "Kaspersky")
    ban = next(x for x in _listings(doc, "kaspersky-ao") if x["list"] == "ca-gc-mobile-app-ban")
    assert (ban["jurisdiction"], ban["start_date"]) == ("CA", "2023-10-30")
    assert ban["applies_to"] == ["ca-federal-departments"]
    assert "government-issued mobile devices" in ban["scope"]
    # Kaspersky Lab, Inc. leads to it through its parent
    paths = seed.restricted_paths("kaspersky-inc")
    assert any(p.entity.id == "kaspersky-ao" for p in paths)
