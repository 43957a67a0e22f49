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
from clearance.store.audit import list_audit
from clearance.store.db import _sqlite_pragmas, alembic_config, table_names
from clearance.store.finding_notes import list_notes
from clearance.store.findings import list_findings
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


def test_0005_recovers_overwritten_notes_and_undoes_unclaimed_removals(db_url: str) -> None:
    engine = create_engine(db_url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    command.upgrade(alembic_config(engine), "0004_algorithm")
    at = datetime(2026, 12, 1, tzinfo=UTC)
    person = "Disposed via GCSurplus, lot 88, cert GCS-2026-4471"
    cols = ("kind", "subject", "entity_id", "entity", "relation", "status", "note")
    old_findings = sa.table(
        "findings", *map(sa.column, cols), sa.column("detail", sa.JSON),
        sa.column("opened_at"), sa.column("updated_at"), sa.column("removed_at"),
        sa.column("verified_at"),
    )  # fmt: skip
    cols = ("at", "user", "action", "object_type", "object_id", "run_id")
    log = sa.table("audit_log", *map(sa.column, cols), sa.column("before", sa.JSON),
                   sa.column("after", sa.JSON))  # fmt: skip

    def entry(fid: int, action: str, user: str, run: int | None, before: dict, after: dict):  # type: ignore[no-untyped-def,type-arg]
        return {"at": at, "user": user, "action": action, "object_type": "finding",
                "object_id": str(fid), "run_id": run, "before": before, "after": after}  # fmt: skip

    with engine.begin() as conn:
        for subject, note in (
            ("asset:1", "still absent at run 3"),
            ("asset:2", "still absent at run 3"),
        ):
            conn.execute(sa.insert(old_findings).values(
                kind="device", subject=subject, entity_id="hikvision", entity="Hikvision",
                relation="manufacturer", status="verified", note=note, detail={},
                opened_at=at, updated_at=at, removed_at=at, verified_at=at,
            ))  # fmt: skip
        conn.execute(sa.insert(log), [
            entry(1, "finding.open", "scanner", 1, {}, {"status": "open"}),
            entry(1, "finding.removed", "analyst", None,
                  {"status": "open", "note": None}, {"status": "removed", "note": person}),
            entry(1, "finding.verified", "scanner", 3,
                  {"status": "removed", "note": person},
                  {"status": "verified", "note": "still absent at run 3"}),
            entry(2, "finding.open", "scanner", 1, {}, {"status": "open"}),
            entry(2, "finding.removed", "scanner", 2,
                  {"status": "replacement_planned", "note": None},
                  {"status": "removed", "note": "not seen by run 2"}),
            entry(2, "finding.verified", "scanner", 3,
                  {"status": "removed", "note": "not seen by run 2"},
                  {"status": "verified", "note": "still absent at run 3"}),
        ])  # fmt: skip
    engine.dispose()

    upgraded = open_store(db_url)
    claimed, unclaimed = list_findings(upgraded)
    assert (claimed.status, claimed.note) == ("verified", person)
    notes = list_notes(upgraded, claimed.id)
    assert [(n.author, n.kind, n.text) for n in notes] == [
        ("analyst", "note", person),
        ("scanner", "system", "still absent at run 3"),
    ]
    assert (unclaimed.status, unclaimed.previous_status, unclaimed.note) == (
        "not_seen",
        "replacement_planned",
        None,
    )
    assert (unclaimed.removed_at, unclaimed.verified_at) == (None, None)
    assert [n.kind for n in list_notes(upgraded, unclaimed.id)] == ["system"] * 3
    assert list_audit(upgraded, object_id=unclaimed.id)[-1].action == "finding.not_seen"
    command.downgrade(alembic_config(upgraded), "0004_algorithm")
    assert "finding_notes" not in set(table_names(upgraded))
    upgraded.dispose()


def test_0007_organisation_profile_up_and_down(db_url: str) -> None:
    from clearance.profile import OrganisationProfile
    from clearance.store.profile import load_profile, save_profile

    engine = create_engine(db_url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    command.upgrade(alembic_config(engine), "0006_asset_register")
    assert "organisation_profile" not in set(table_names(engine))
    engine.dispose()

    upgraded = open_store(db_url)
    assert load_profile(upgraded) is None
    bound = ("ca-telecom-providers",)
    profile = OrganisationProfile(name="Dept", jurisdiction="CA", also_bound=bound)
    assert save_profile(upgraded, profile, user="alice")
    assert load_profile(upgraded) == profile
    command.downgrade(alembic_config(upgraded), "0006_asset_register")
    assert "organisation_profile" not in set(table_names(upgraded))
    upgraded.dispose()
