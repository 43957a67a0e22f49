"""The audit log is append-only and records who did what."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, delete, text, update
from sqlalchemy.exc import DBAPIError

from clearance.store.audit import list_audit
from clearance.store.schema import audit_log
from clearance.store.sites import add_site


def test_update_and_delete_are_refused(engine: Engine) -> None:
    add_site(engine, "HQ", address="1 Main St", owner="Facilities", user="alice")
    (entry,) = list_audit(engine)
    assert (entry.user, entry.action, entry.object_type) == ("alice", "site.create", "site")
    assert entry.after == {"name": "HQ", "address": "1 Main St", "owner": "Facilities"}
    assert entry.before is None
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(update(audit_log).values(user="mallory"))
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(delete(audit_log))
    assert list_audit(engine)[0].user == "alice"


def test_truncate_is_refused_on_postgresql(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE exists only on PostgreSQL")
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_log"))


def test_filters_and_limit(engine: Engine) -> None:
    for name in ("A", "B", "C"):
        add_site(engine, name, user="bob" if name == "B" else "alice")
    assert [e.after["name"] for e in list_audit(engine, user="alice")] == ["A", "C"]
    assert [e.after["name"] for e in list_audit(engine, limit=2)] == ["B", "C"]
    assert len(list_audit(engine, action="site")) == 3
    assert list_audit(engine, action="finding") == []
    first = list_audit(engine)[0]
    assert list_audit(engine, object_type="site", object_id=first.object_id) == [first]
    assert list_audit(engine, since=first.at)[0] == first
