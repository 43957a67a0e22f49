"""Streaming imports into registry versions: merging, replacement, atomicity, hashes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from clearance.errors import FormatError
from clearance.model import Entity, EntityKind, Identifier, ListInfo, Listing, Name, NameKind
from clearance.registry.importers import Item, read_list
from clearance.store import ensure_registry, list_versions, load_version
from clearance.store.registry_diff import diff_counts, diff_position, diff_versions, resolve_span
from clearance.store.registry_import import import_items, merge_decisions

FIXTURES = Path(__file__).parents[1] / "fixtures" / "importers"
LIST = ListInfo("test-list", "Test list", "Tester", "US", "sanctions", "https://example.test/l")


def _listing(entry: str, program: str = "P") -> Listing:
    return Listing("test-list", "Tester", "US", program, LIST.source_url, entry_id=entry)


def _company(eid: str, name: str, *idents: Identifier, entry: str | None = None) -> Entity:
    return Entity(
        eid,
        EntityKind.COMPANY,
        name,
        identifiers=list(idents),
        listings=[_listing(entry or eid)],
    )


def test_imported_version_hash_matches_its_content(engine: Engine) -> None:
    ensure_registry(engine)
    result = import_items(engine, read_list(FIXTURES / "csl" / "consolidated.csv"))
    stored = {v.version: v for v in list_versions(engine)}[result.version]
    assert stored.active
    assert load_version(engine, result.version).content_hash() == stored.content_hash
    assert stored.entity_count == result.entity_count


def test_identifier_merges_before_name_and_is_recorded(engine: Engine) -> None:
    ensure_registry(engine)
    uscc = Identifier("uscc", "91330000733796106P")
    items: list[Item] = [
        LIST,
        _company("test-list-1", "Some Other Name", uscc),
        _company("test-list-2", "Hangzhou Hikvision Digital Technology Co Ltd"),
    ]
    result = import_items(engine, items)
    assert result.merged == 2
    rules = {d["record"]: d["rule"] for d in merge_decisions(engine, result.version)}
    assert rules == {"test-list-1": "identifier", "test-list-2": "name"}
    hik = load_version(engine).get("hikvision")
    assert "Some Other Name" in [n.value for n in hik.names]
    assert [x.entry_id for x in hik.listings if x.list_id == "test-list"] == [
        "test-list-1",
        "test-list-2",
    ]


def test_same_name_with_conflicting_identifiers_stays_two_entities(engine: Engine) -> None:
    ensure_registry(engine)
    items: list[Item] = [
        LIST,
        _company("test-list-1", "VTB Bank", Identifier("ofac_ent_num", "1")),
        _company("test-list-2", "VTB BANK", Identifier("ofac_ent_num", "2")),
        Entity("test-list-3", EntityKind.PERSON, "John Smith", listings=[_listing("3")]),
        Entity("test-list-4", EntityKind.PERSON, "John Smith", listings=[_listing("4")]),
    ]
    result = import_items(engine, items, chunk=2)
    assert (result.created, result.merged) == (4, 0)


def test_merges_across_chunks_and_within_a_chunk(engine: Engine) -> None:
    ensure_registry(engine)
    items: list[Item] = [
        LIST,
        *(_company(f"test-list-{i}", f"Acme Trading {i % 3} Ltd") for i in range(9)),
    ]
    result = import_items(engine, items, chunk=4)
    assert (result.created, result.merged) == (3, 6)


def test_reimport_replaces_the_lists_entries(engine: Engine) -> None:
    ensure_registry(engine)
    first: list[Item] = [
        LIST,
        _company("test-list-a", "Alpha Widgets Ltd"),
        _company("test-list-b", "Hangzhou Hikvision Digital Technology Co., Ltd."),
    ]
    one = import_items(engine, first)
    second: list[Item] = [LIST, _company("test-list-c", "Gamma Widgets Ltd")]
    two = import_items(engine, second)
    registry = load_version(engine)
    assert "test-list-a" not in registry.entities
    assert "test-list-c" in registry.entities
    hik = registry.get("hikvision")
    assert "test-list" not in {x.list_id for x in hik.listings}
    assert (two.added, two.removed) == (1, 1)
    changes = {c["entity_id"]: c for c in diff_versions(engine, resolve_span(engine, None, None))}
    assert changes["test-list-a"]["change"] == "removed"
    assert changes["test-list-c"]["change"] == "added"
    assert changes["hikvision"]["lists_removed"] == ["test-list"]
    assert resolve_span(engine, None, None).old.version == one.version


def test_names_from_the_replaced_list_are_dropped(engine: Engine) -> None:
    ensure_registry(engine)
    merged = _company("test-list-1", "Hangzhou Hikvision Digital Technology Co., Ltd.")
    merged.names.append(Name.of("HIK TEST ALIAS", NameKind.ALIAS, source_url=LIST.source_url))
    import_items(engine, [LIST, merged])
    assert "HIK TEST ALIAS" in load_version(engine).get("hikvision").all_names()
    import_items(engine, [LIST])
    assert "HIK TEST ALIAS" not in load_version(engine).get("hikvision").all_names()


def test_relations_follow_merged_records(engine: Engine) -> None:
    ensure_registry(engine)
    result = import_items(engine, read_list(FIXTURES / "uflpa-entity-list.html"))
    registry = load_version(engine, result.version)
    ninestar = next(e for e in registry if e.name == "Ninestar Corporation")
    pantum = next(e for e in registry if e.name == "Zhuhai Pantum Electronics Co., Ltd.")
    paths = registry.restricted_paths(pantum.id)
    assert paths[0].entity.id == pantum.id
    assert ninestar.id in {p.entity.id for p in paths}


def test_failure_midway_changes_nothing(engine: Engine) -> None:
    ensure_registry(engine)
    before = list_versions(engine)

    def items() -> Iterator[Item]:
        yield LIST
        for i in range(10):
            yield _company(f"test-list-{i}", f"Company {i} Ltd")
        raise FormatError("broken", path="x.csv", line=12, field="name")

    with pytest.raises(FormatError):
        import_items(engine, items(), chunk=3)
    assert list_versions(engine) == before


def test_diff_counts_and_resumes_where_a_page_ended(engine: Engine) -> None:
    ensure_registry(engine)
    first: list[Item] = [
        LIST,
        *(_company(f"test-list-{c}", f"{c.upper()} Widgets") for c in "abcd"),
    ]
    import_items(engine, first)
    second: list[Item] = [
        LIST,
        _company("test-list-a", "A Widgets"),
        _company("test-list-b", "B Widgets Renamed"),
        _company("test-list-e", "E Widgets"),
    ]
    import_items(engine, second)
    span = resolve_span(engine, None, None)
    whole = list(diff_versions(engine, span))
    assert [(c["change"], c["entity_id"]) for c in whole] == [
        ("changed", "test-list-b"),
        ("added", "test-list-e"),
        ("removed", "test-list-c"),
        ("removed", "test-list-d"),
    ]
    assert diff_counts(engine, span) == {"added": 1, "removed": 2, "changed": 1}
    for i, record in enumerate(whole):
        rest = list(diff_versions(engine, span, after=diff_position(record)))
        assert rest == whole[i + 1 :]
