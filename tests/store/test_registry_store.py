"""Registry snapshots in the store: round trip, activation, seed bootstrap."""

from __future__ import annotations

from unittest import mock

import pytest
from sqlalchemy import Engine

from clearance.errors import RegistryError
from clearance.registry import Registry
from clearance.store import (
    active_registry,
    ensure_registry,
    list_versions,
    load_version,
    save_registry,
)
from clearance.store.db import table_names


def test_migrations_create_the_tables(engine: Engine) -> None:
    names = table_names(engine)
    assert {"registry_versions", "registry_entities", "alembic_version"} <= set(names)


def test_round_trip_keeps_content(engine: Engine, seed: Registry) -> None:
    version = save_registry(engine, seed, note="test")
    loaded = load_version(engine, version)
    assert loaded.content_hash() == seed.content_hash()
    assert loaded.version == version
    assert len(loaded) == len(seed)


def test_ensure_registry_stores_the_seed_once(engine: Engine, seed: Registry) -> None:
    assert active_registry(engine) is None
    first = ensure_registry(engine)
    second = ensure_registry(engine)
    assert first.content_hash() == second.content_hash() == seed.content_hash()
    assert len(list_versions(engine)) == 1


def test_failed_save_keeps_previous_version_active(engine: Engine, seed: Registry) -> None:
    good = save_registry(engine, seed, note="good")
    with (
        mock.patch(
            "clearance.store.registry_store._write_rows", side_effect=RuntimeError("disk full")
        ),
        pytest.raises(RuntimeError),
    ):
        save_registry(engine, seed, note="broken")
    versions = list_versions(engine)
    assert [v.version for v in versions] == [good]
    assert versions[0].active
    reg = active_registry(engine)
    assert reg is not None
    assert reg.version == good


def test_unknown_version_is_an_error(engine: Engine) -> None:
    with pytest.raises(RegistryError, match="no registry version"):
        load_version(engine, "nope")


def test_unchanged_seed_is_not_parsed_again(engine: Engine) -> None:
    ensure_registry(engine)
    with mock.patch(
        "clearance.store.registry_store.load_seed", side_effect=AssertionError("parsed again")
    ):
        again = ensure_registry(engine)
    assert len(again) > 0


def test_changed_seed_files_replace_a_seed_only_version(engine: Engine) -> None:
    ensure_registry(engine)
    with mock.patch("clearance.store.registry_store.seed_fingerprint", return_value="0" * 64):
        ensure_registry(engine)  # same content: sources updated, no new version
    assert len(list_versions(engine)) == 1
    assert list_versions(engine)[0].sources[0]["sha256"] == "0" * 64
