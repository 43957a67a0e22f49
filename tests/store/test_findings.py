"""Findings: manual transitions, required fields, exception side path."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, update

from clearance.errors import UsageError
from clearance.store.finding_notes import list_notes
from clearance.store.findings import get_finding, list_findings
from clearance.store.lifecycle import update_finding
from clearance.store.recording import save_assets
from clearance.store.schema import findings
from tests.store.factories import camera


@pytest.fixture
def finding_id(engine: Engine) -> int:
    save_assets(engine, [camera()], kind="identify", targets=["inv.csv"], site="HQ", user="u")
    return list_findings(engine)[0].id


def test_replacement_needs_owner_and_due_date(engine: Engine, finding_id: int) -> None:
    with pytest.raises(UsageError, match="owner, due_date"):
        update_finding(engine, finding_id, user="u", status="replacement_planned")
    with pytest.raises(UsageError, match="due_date"):
        update_finding(engine, finding_id, user="u", status="replacement_planned", owner="IT")
    assert get_finding(engine, finding_id).status == "open"  # type: ignore[union-attr]


def test_exception_side_path(engine: Engine, finding_id: int) -> None:
    with pytest.raises(UsageError, match="justification, approver, expires"):
        update_finding(engine, finding_id, user="u", status="exception_granted")
    granted = update_finding(
        engine,
        finding_id,
        user="ciso",
        status="exception_granted",
        justification="isolated VLAN, no internet, replacement budget FY27",
        approver="CISO",
        expires=date.today() + timedelta(days=180),
    )
    assert granted.status == "exception_granted"
    assert granted.expires == date.today() + timedelta(days=180)
    back = update_finding(engine, finding_id, user="ciso", status="open", note="expired")
    assert back.status == "open"
    assert back.justification == granted.justification


def test_an_exception_cannot_expire_in_the_past(engine: Engine, finding_id: int) -> None:
    yesterday = date.today() - timedelta(days=1)
    with pytest.raises(UsageError, match=f"expiry {yesterday} is in the past"):
        update_finding(
            engine,
            finding_id,
            user="ciso",
            status="exception_granted",
            justification="lab network",
            approver="CISO",
            expires=yesterday,
        )
    found = get_finding(engine, finding_id)
    assert found is not None
    assert (found.status, found.expires) == ("open", None)


def test_verified_cannot_be_set_by_hand(engine: Engine, finding_id: int) -> None:
    with pytest.raises(UsageError, match="set by a later run"):
        update_finding(engine, finding_id, user="u", status="verified")


def test_unknown_finding_and_empty_update(engine: Engine, finding_id: int) -> None:
    with pytest.raises(UsageError, match="no finding 999"):
        update_finding(engine, 999, user="u", note="x")
    with pytest.raises(UsageError, match="nothing to change"):
        update_finding(engine, finding_id, user="u")


def test_filters(engine: Engine, finding_id: int) -> None:
    assert [f.id for f in list_findings(engine, site="HQ")] == [finding_id]
    assert list_findings(engine, site="Elsewhere") == []
    assert [f.id for f in list_findings(engine, status="open", kind="device")] == [finding_id]
    assert [f.id for f in list_findings(engine, active_only=True)] == [finding_id]
    found = get_finding(engine, finding_id)
    assert found is not None
    doc = found.to_json()
    assert doc["detail"]["attribution"]["entity_id"] == "hikvision"
    assert doc["detail"]["asset"]["ip"] == "10.0.0.11"


def test_expired_exception_reopens_when_the_device_is_seen(engine: Engine, finding_id: int) -> None:
    update_finding(
        engine,
        finding_id,
        user="ciso",
        status="exception_granted",
        justification="lab network",
        approver="CISO",
        expires=date.today(),
    )
    with engine.begin() as conn:  # the exception has since run out
        conn.execute(update(findings).values(expires=date(2020, 1, 1)))
    report = save_assets(engine, [camera()], kind="identify", targets=["inv.csv"], site="HQ",
                         user="u")  # fmt: skip
    assert report.counts["findings_reopened"] == 1
    found = get_finding(engine, finding_id)
    assert found is not None
    assert (found.status, found.justification, found.approver) == ("open", "lab network", "CISO")
    assert found.note is None  # automation writes its own entries, not the person's note
    last = list_notes(engine, finding_id)[-1]
    assert (last.kind, last.text, last.status_to) == (
        "system",
        "exception expired on 2020-01-01",
        "open",
    )
