"""Four eyes: clearing a strong screening hit (score at or above the four-eyes score) waits
for a second reviewer; until then the hit stays undecided and its finding open. The person
who recorded it cannot approve it; a rejection decides nothing; confirmations and weak hits
need no second reviewer. Also migration 0009 up and down."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event, select

from clearance.errors import PermissionDenied, UsageError
from clearance.store import open_store
from clearance.store.audit import list_audit
from clearance.store.db import _sqlite_pragmas, alembic_config
from clearance.store.dispositions import apply_dispositions, list_dispositions
from clearance.store.findings import list_findings
from clearance.store.recording import save_screening
from clearance.store.schema import dispositions, metadata
from clearance.store.suppliers import dispose_hit, review_hit
from tests.store.factories import FCC, screening

STRONG = screening("Zhongxing Telecom Equipment (ZTE) Ltd", ("zte", "ZTE Corporation", [FCC]))


def _clear(engine: Engine, user: str = "alice", four_eyes: float | None = 0.85) -> int:
    made = dispose_hit(
        engine,
        STRONG["query"],
        "zte",
        "false_positive",
        "another firm",
        [FCC.to_json()],
        user=user,
        four_eyes_score=four_eyes,
    )
    return made.id


def test_clearing_a_strong_hit_waits_for_another_reviewer(engine: Engine) -> None:
    save_screening(engine, [STRONG], targets=["suppliers.csv"], user="analyst")
    pending_id = _clear(engine)
    (pending,) = list_dispositions(engine, approval="pending")
    assert (pending.id, pending.score, pending.user) == (pending_id, 0.97, "alice")
    assert list_findings(engine)[0].status == "open"
    (shown,) = apply_dispositions(engine, [STRONG])
    assert shown["hits"][0]["disposition"] is None
    assert shown["hits"][0]["pending_disposition"]["id"] == pending_id
    assert shown["reviewed_status"] == "match"

    with pytest.raises(PermissionDenied, match="second reviewer"):
        review_hit(engine, pending_id, approve=True, reason="fine", user="Alice")
    with pytest.raises(UsageError, match="reason"):
        review_hit(engine, pending_id, approve=True, reason="  ", user="bob")
    approved = review_hit(engine, pending_id, approve=True, reason="USCC differs", user="bob")
    assert (approved.approval, approved.approved_by) == ("approved", "bob")
    assert list_findings(engine)[0].status == "false_positive"
    (decided,) = apply_dispositions(engine, [STRONG])
    assert decided["hits"][0]["disposition"]["id"] == pending_id
    assert "pending_disposition" not in decided["hits"][0]
    actions = [e.action for e in list_audit(engine, object_type="disposition")]
    assert actions == ["disposition.record", "disposition.approved"]
    with pytest.raises(UsageError, match="not waiting"):
        review_hit(engine, pending_id, approve=False, reason="again", user="carol")


def test_a_rejected_clearance_decides_nothing(engine: Engine) -> None:
    save_screening(engine, [STRONG], targets=["suppliers.csv"], user="analyst")
    pending_id = _clear(engine)
    rejected = review_hit(engine, pending_id, approve=False, reason="same address", user="bob")
    assert rejected.approval == "rejected"
    assert list_findings(engine)[0].status == "open"
    (shown,) = apply_dispositions(engine, [STRONG])
    assert shown["hits"][0]["disposition"] is None
    assert "pending_disposition" not in shown["hits"][0]


def test_weak_hits_confirmations_and_four_eyes_off_decide_at_once(engine: Engine) -> None:
    save_screening(engine, [STRONG], targets=["suppliers.csv"], user="analyst")
    assert list_dispositions(engine, approval="pending") == []
    _clear(engine, four_eyes=0.98)  # the hit's 0.97 is below this score
    assert list_findings(engine)[0].status == "false_positive"
    confirmed = dispose_hit(
        engine, STRONG["query"], "zte", "confirmed", "same USCC", [FCC.to_json()], user="alice"
    )
    assert confirmed.approval is None
    assert list_findings(engine)[0].status == "open"
    _clear(engine, four_eyes=None)
    assert list_findings(engine)[0].status == "false_positive"
    assert list_dispositions(engine, approval="pending") == []


def test_0009_up_and_down(db_url: str) -> None:
    engine = create_engine(db_url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    command.upgrade(alembic_config(engine), "0008_users_and_tokens")
    engine.dispose()
    upgraded = open_store(db_url)
    with upgraded.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        assert conn.execute(select(dispositions.c.approval)).all() == []
    command.downgrade(alembic_config(upgraded), "0008_users_and_tokens")
    upgraded.dispose()
