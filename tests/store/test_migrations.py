"""Migrations: an empty database and one at the previous revision both reach head, and the
migrated schema is the one schema.py declares."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, func, select

from clearance.registry import Registry
from clearance.store import load_version, open_store, save_registry
from clearance.store.db import _sqlite_pragmas, alembic_config, table_names
from clearance.store.schema import metadata, registry_versions, runs, store_locks, suppliers

BEFORE_TRACKING = "0002_registry_import"
TRACKING_TABLES = {
    "sites",
    "runs",
    "assets",
    "sightings",
    "suppliers",
    "findings",
    "dispositions",
    "audit_log",
    "store_locks",
}


def _head_and_previous() -> tuple[str, str]:
    script = ScriptDirectory.from_config(alembic_config(create_engine("sqlite://")))
    head = script.get_revision("head")
    assert head is not None
    assert isinstance(head.down_revision, str)
    return head.revision, head.down_revision


def _current(url: str) -> str | None:
    engine = create_engine(url)
    with engine.connect() as conn:
        rev = MigrationContext.configure(conn).get_current_revision()
    engine.dispose()
    return rev


def test_empty_database_reaches_head(db_url: str) -> None:
    head, _ = _head_and_previous()
    engine = open_store(db_url)
    assert set(table_names(engine)) >= TRACKING_TABLES
    assert _current(db_url) == head
    with engine.connect() as conn:
        assert conn.execute(select(store_locks.c.name)).scalars().all() == ["tracking"]
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
    engine.dispose()


def test_a_registry_stored_before_tracking_reaches_head(db_url: str, seed: Registry) -> None:
    head, _ = _head_and_previous()
    engine = create_engine(db_url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    command.upgrade(alembic_config(engine), BEFORE_TRACKING)
    assert not TRACKING_TABLES & set(table_names(engine))
    version = save_registry(engine, seed, note="before the upgrade")
    engine.dispose()

    upgraded = open_store(db_url)
    assert _current(db_url) == head
    assert set(table_names(upgraded)) >= TRACKING_TABLES
    assert load_version(upgraded, version).content_hash() == seed.content_hash()
    with upgraded.connect() as conn:
        assert conn.execute(select(func.count()).select_from(registry_versions)).scalar() == 1

    command.downgrade(alembic_config(upgraded), BEFORE_TRACKING)
    assert not TRACKING_TABLES & set(table_names(upgraded))
    assert load_version(upgraded, version).content_hash() == seed.content_hash()
    upgraded.dispose()


def test_results_stored_before_0004_get_their_algorithm_version(db_url: str) -> None:
    engine = create_engine(db_url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    command.upgrade(alembic_config(engine), "0003_tracking")
    at = datetime(2026, 12, 1, tzinfo=UTC)
    plain = ("key", "query", "status", "first_screened", "last_screened")
    old_suppliers = sa.table("suppliers", *map(sa.column, plain), sa.column("result", sa.JSON))
    plain = ("kind", "scope_key", "started_at", "user")
    json_columns = (sa.column("scope", sa.JSON), sa.column("summary", sa.JSON))
    old_runs = sa.table("runs", *map(sa.column, plain), *json_columns)
    with engine.begin() as conn:
        for key, result in (
            ("acme", {"query": "Acme", "algorithm": "clearance-v1", "hits": []}),
            ("globex", {"query": "Globex", "hits": []}),
        ):
            row = {"key": key, "query": key, "status": "clear", "result": result}
            conn.execute(
                sa.insert(old_suppliers).values(**row, first_screened=at, last_screened=at)
            )
        conn.execute(
            sa.insert(old_runs).values(
                kind="screen", scope_key="k", scope={}, started_at=at, user="u", summary={}
            )
        )
    engine.dispose()

    upgraded = open_store(db_url)
    with upgraded.connect() as conn:
        stored = conn.execute(select(suppliers.c.key, suppliers.c.algorithm)).all()
        assert sorted(map(tuple, stored)) == [("acme", "clearance-v1"), ("globex", None)]
        assert conn.execute(select(runs.c.algorithm)).scalars().all() == [None]
    command.downgrade(alembic_config(upgraded), "0003_tracking")
    with upgraded.connect() as conn:
        assert conn.execute(select(func.count()).select_from(old_suppliers)).scalar() == 2
    assert "algorithm" not in {c["name"] for c in sa.inspect(upgraded).get_columns("suppliers")}
    upgraded.dispose()
