"""Each transition of the finding lifecycle (docs/lifecycle.md), and the history that keeps
every person's words: runs write system entries, never over a person's note."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, text, update
from sqlalchemy.exc import SQLAlchemyError

from clearance.errors import StoreError, UsageError
from clearance.store.finding_notes import list_notes
from clearance.store.findings import get_finding, list_findings
from clearance.store.lifecycle import FindingUpdate, update_finding, update_findings
from clearance.store.recording import save_assets
from clearance.store.schema import finding_notes
from tests.store.factories import camera

HIK = camera("44:19:b6:00:00:01", "10.0.0.11")
DAHUA = camera("3c:ef:8c:00:00:02", "10.0.0.12")
AXIS = camera("00:40:8c:00:00:03", "10.0.0.13", restricted=False)
GCS = "Disposed via GCSurplus, lot 88 — cert GCS-2026-4471 (signed: J. Tremblay)"


def _scan(engine: Engine, *assets: object, scope: str = "10.0.0.0/24") -> dict[str, int]:
    found = list(assets)
    report = save_assets(engine, found, kind="scan", targets=[scope], site="HQ", user="scanner")  # type: ignore[arg-type]
    return report.counts


def _one(engine: Engine) -> int:
    (finding,) = list_findings(engine)
    return finding.id


def _status(engine: Engine, finding_id: int) -> str:
    found = get_finding(engine, finding_id)
    assert found is not None
    return str(found.status)


def test_unseen_without_a_claim_is_not_seen_never_removed_or_verified(engine: Engine) -> None:
    _scan(engine, HIK, AXIS)
    fid = _one(engine)
    for _ in range(3):
        _scan(engine, AXIS)
        assert _status(engine, fid) == "not_seen"
    found = get_finding(engine, fid)
    assert found is not None
    assert (found.previous_status, found.removed_at, found.verified_at) == ("open", None, None)
    entries = [(n.author, n.kind, n.status_to) for n in list_notes(engine, fid)]
    assert entries == [("scanner", "system", "not_seen")]


def test_not_seen_returns_to_its_previous_state_when_seen_again(engine: Engine) -> None:
    _scan(engine, HIK, AXIS)
    fid = _one(engine)
    due = date(2027, 1, 31)
    update_finding(
        engine, fid, user="officer", status="replacement_planned", owner="IT", due_date=due
    )
    _scan(engine, AXIS)
    assert _status(engine, fid) == "not_seen"
    counts = _scan(engine, HIK, AXIS)
    assert counts["findings_returned"] == 1
    found = get_finding(engine, fid)
    assert found is not None
    assert (found.status, found.owner, found.previous_status) == ("replacement_planned", "IT", None)


def test_not_seen_confirmed_removed_then_verified_by_a_later_absence(engine: Engine) -> None:
    _scan(engine, HIK, AXIS)
    fid = _one(engine)
    _scan(engine, AXIS)
    update_finding(engine, fid, user="officer", status="removed", note=GCS)
    assert _status(engine, fid) == "removed"
    counts = _scan(engine, AXIS)
    assert counts["findings_verified"] == 1
    found = get_finding(engine, fid)
    assert found is not None
    assert (found.status, found.note) == ("verified", GCS)


def test_not_seen_explained_needs_a_note(engine: Engine) -> None:
    _scan(engine, HIK, AXIS)
    fid = _one(engine)
    _scan(engine, AXIS)
    with pytest.raises(UsageError, match="explain"):
        update_finding(engine, fid, user="officer", status="open")
    assert _status(engine, fid) == "not_seen"
    update_finding(engine, fid, user="officer", status="open", note="switched off for winter")
    assert _status(engine, fid) == "open"


def test_removal_claim_contradicted_by_a_scan_is_reopened(engine: Engine) -> None:
    _scan(engine, HIK)
    fid = _one(engine)
    update_finding(engine, fid, user="officer", status="removed", note=GCS)
    counts = _scan(engine, HIK)
    assert counts["findings_reopened"] == 1
    found = get_finding(engine, fid)
    assert found is not None
    assert (found.status, found.removed_at, found.note) == ("reopened", None, GCS)
    # reopened acts like open: a person can plan the replacement.
    due = date(2027, 1, 1)
    update_finding(
        engine, fid, user="officer", status="replacement_planned", owner="IT", due_date=due
    )
    assert _status(engine, fid) == "replacement_planned"


def test_verified_device_seen_again_is_reopened(engine: Engine) -> None:
    _scan(engine, HIK, AXIS)
    fid = _one(engine)
    update_finding(engine, fid, user="officer", status="removed")
    _scan(engine, AXIS)
    assert _status(engine, fid) == "verified"
    _scan(engine, HIK, AXIS)
    assert _status(engine, fid) == "reopened"


def test_a_claim_is_verified_only_by_the_same_scope(engine: Engine) -> None:
    _scan(engine, HIK, AXIS)
    fid = _one(engine)
    update_finding(engine, fid, user="officer", status="removed")
    _scan(engine, AXIS, scope="10.9.0.0/24")
    assert _status(engine, fid) == "removed"


def test_exception_survives_not_seen_with_its_justification(engine: Engine) -> None:
    _scan(engine, HIK, AXIS)
    fid = _one(engine)
    update_finding(
        engine, fid, user="ciso", status="exception_granted", justification="lab network",
        approver="CISO", expires=date(2099, 1, 1),
    )  # fmt: skip
    _scan(engine, AXIS)
    _scan(engine, HIK, AXIS)
    found = get_finding(engine, fid)
    assert found is not None
    assert (found.status, found.justification, found.approver, found.expires) == (
        "exception_granted",
        "lab network",
        "CISO",
        date(2099, 1, 1),
    )
    assert "justification: lab network" in [n.text for n in list_notes(engine, fid)]


def test_notes_are_a_history_that_runs_never_overwrite(engine: Engine) -> None:
    _scan(engine, HIK, AXIS)
    fid = _one(engine)
    update_finding(engine, fid, user="analyst", note="camera in the loading dock")
    update_finding(engine, fid, user="officer", status="removed", note=GCS)
    _scan(engine, AXIS)
    _scan(engine, AXIS)
    found = get_finding(engine, fid)
    assert found is not None
    assert (found.status, found.note) == ("verified", GCS)
    history = [(n.author, n.kind, n.text, n.status_to) for n in list_notes(engine, fid)]
    assert history[:2] == [
        ("analyst", "note", "camera in the loading dock", None),
        ("officer", "note", GCS, "removed"),
    ]
    assert history[2][:2] == ("scanner", "system")
    assert history[2][3] == "verified"


def test_the_history_is_append_only(engine: Engine) -> None:
    _scan(engine, HIK)
    fid = _one(engine)
    update_finding(engine, fid, user="analyst", note="original words")
    with pytest.raises((SQLAlchemyError, StoreError)), engine.begin() as conn:
        conn.execute(update(finding_notes).values(text="rewritten"))
    with pytest.raises((SQLAlchemyError, StoreError)), engine.begin() as conn:
        conn.execute(text("DELETE FROM finding_notes"))
    assert [n.text for n in list_notes(engine, fid)] == ["original words"]


def test_bulk_update_dry_run_changes_nothing_and_a_bad_change_changes_none(engine: Engine) -> None:
    _scan(engine, HIK, DAHUA, AXIS)
    first, second = (f.id for f in list_findings(engine))
    plan = update_findings(
        engine, [(first, FindingUpdate(owner="IT")), (second, FindingUpdate(owner="IT"))],
        user="officer", dry_run=True,
    )  # fmt: skip
    assert [p.to_json()["after"] for p in plan] == [{"owner": "IT"}, {"owner": "IT"}]
    assert [f.owner for f in list_findings(engine)] == [None, None]
    with pytest.raises(UsageError, match=f"finding {second}"):
        update_findings(
            engine,
            [(first, FindingUpdate(owner="IT")), (second, FindingUpdate(status="verified"))],
            user="officer",
        )
    assert [f.owner for f in list_findings(engine)] == [None, None]
    update_findings(
        engine, [(first, FindingUpdate(owner="IT")), (second, FindingUpdate(owner="OT"))],
        user="officer",
    )  # fmt: skip
    assert [f.owner for f in list_findings(engine)] == ["IT", "OT"]
