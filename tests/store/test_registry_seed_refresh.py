"""A newer seed reaches a store whose active registry was built by imports: the seed's own
lists are replaced, its new names join their entities, and every imported list stays as
imported. Before, an imported store never read the seed again, so an upgrade's new measures
(the Canadian ones, say) never reached it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from unittest import mock

from sqlalchemy import Engine

from clearance.model import Name
from clearance.registry import Registry
from clearance.registry.seed import load_seed
from clearance.registry.update import import_list_file
from clearance.store import ensure_registry, list_versions, load_version

FIXTURES = Path(__file__).parents[1] / "fixtures" / "importers"
NEW_LIST = "ca-test-new-measure"


def _newer_seed() -> Registry:
    """The shipped seed with one more list (listing Hikvision) and one more Hikvision name."""
    seed = load_seed()
    hik = seed.entities["hikvision"]
    base = hik.listings[0]
    listing = replace(
        base, list_id=NEW_LIST, program="A measure", source_url="https://example.org/m"
    )
    entities = [
        replace(
            e,
            listings=[*e.listings, listing],
            names=[*e.names, Name.of("海康威视测试名", lang="zh")],
        )
        if e.id == "hikvision"
        else e
        for e in seed.entities.values()
    ]
    some_list = next(iter(seed.lists.values()))
    lists = [
        *seed.lists.values(),
        replace(some_list, id=NEW_LIST, title="New measure", source_url="https://example.org/m"),
    ]
    return Registry(lists, entities, seed.relations)


def _listed(registry: Registry, list_id: str) -> set[str]:
    return {e.id for e in registry if any(x.list_id == list_id for x in e.listings)}


def test_a_newer_seed_is_merged_over_imported_lists(engine: Engine) -> None:
    ensure_registry(engine)
    import_list_file(engine, FIXTURES / "fcc-covered-list.html")
    imported = load_version(engine)
    fcc_before = _listed(imported, "us-fcc-covered-list")
    assert fcc_before
    assert NEW_LIST not in imported.lists
    versions = len(list_versions(engine))

    newer = _newer_seed()
    with (
        mock.patch("clearance.store.registry_store.seed_fingerprint", return_value="1" * 64),
        mock.patch("clearance.store.registry_store.load_seed", return_value=newer),
    ):
        refreshed = ensure_registry(engine)
        assert len(list_versions(engine)) == versions + 1
        again = ensure_registry(engine)  # the same seed: nothing more
        assert len(list_versions(engine)) == versions + 1

    assert NEW_LIST in refreshed.lists
    assert "hikvision" in _listed(refreshed, NEW_LIST)
    assert "海康威视测试名" in {n.value for n in refreshed.entities["hikvision"].names}
    assert _listed(refreshed, "us-fcc-covered-list") == fcc_before  # the import stays
    assert len(refreshed) >= len(imported)
    assert again.version == refreshed.version
    active = list_versions(engine)[-1]
    assert active.active
    assert active.note == "seed refresh"
    assert active.sources == [
        {"list": "seed", "url": "package:clearance/data/registry", "sha256": "1" * 64}
    ]


def test_the_same_seed_leaves_an_imported_store_alone(engine: Engine) -> None:
    ensure_registry(engine)
    import_list_file(engine, FIXTURES / "fcc-covered-list.html")
    versions = len(list_versions(engine))
    with mock.patch(
        "clearance.store.registry_store.load_seed", side_effect=AssertionError("parsed again")
    ):
        ensure_registry(engine)
    assert len(list_versions(engine)) == versions
