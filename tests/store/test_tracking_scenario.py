"""Acceptance: a restricted camera tracked from discovery to verified removal and back."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from clearance.store.audit import list_audit
from clearance.store.findings import list_findings
from clearance.store.lifecycle import update_finding
from clearance.store.recording import save_assets
from clearance.store.runs import history
from tests.store.factories import camera

AXIS = camera("00:40:8c:00:00:02", "10.0.0.12", restricted=False)
HIK = camera("44:19:b6:00:00:01", "10.0.0.11")


def _scan(engine: Engine, *assets: object, user: str = "scanner") -> dict[str, int]:
    report = save_assets(
        engine,
        list(assets),
        kind="scan",
        targets=["10.0.0.0/24"],
        site="HQ",
        user=user,  # type: ignore[arg-type]
    )
    return report.counts


def test_device_lifecycle_open_planned_not_seen_removed_verified_reopened(engine: Engine) -> None:
    counts = _scan(engine, HIK, AXIS)
    assert counts["findings_opened"] == 1
    (finding,) = list_findings(engine)
    assert (finding.status, finding.site, finding.entity_id) == ("open", "HQ", "hikvision")

    planned = update_finding(
        engine,
        finding.id,
        user="officer",
        status="replacement_planned",
        owner="Facilities",
        due_date=date(2027, 3, 31),
    )
    assert planned.status == "replacement_planned"
    assert planned.owner == "Facilities"

    # The camera is not seen by the next scan of the same scope, and nobody said it was
    # taken down: it may be switched off. not_seen, twice, however long it stays away.
    counts = _scan(engine, AXIS)
    assert counts["findings_not_seen"] == 1
    assert list_findings(engine)[0].status == "not_seen"
    counts = _scan(engine, AXIS)
    assert counts["findings_not_seen"] == counts["findings_verified"] == 0
    assert list_findings(engine)[0].status == "not_seen"

    # A person confirms the removal; the next scan that does not see it verifies it.
    update_finding(engine, finding.id, user="officer", status="removed", note="taken down")
    counts = _scan(engine, AXIS)
    assert counts["findings_verified"] == 1
    gone = list_findings(engine)[0]
    assert gone.status == "verified"
    assert gone.verified_at is not None

    # Someone plugs it back in: the finding reopens, and history shows it reappeared.
    counts = _scan(engine, HIK, AXIS)
    assert counts["findings_reopened"] == 1
    back = list_findings(engine)[0]
    assert back.status == "reopened"
    assert back.removed_at is None
    assert back.note == "taken down"
    changes = history(engine)
    assert [len(c.new) for c in changes] == [2, 0, 0, 0, 0]
    assert [len(c.gone) for c in changes] == [0, 1, 0, 0, 0]
    assert changes[4].reappeared == [finding.subject]

    steps = [
        (e.action, e.user, (e.after or {}).get("status"))
        for e in list_audit(engine, object_type="finding", object_id=finding.id)
    ]
    assert steps == [
        ("finding.open", "scanner", "open"),
        ("finding.replacement_planned", "officer", "replacement_planned"),
        ("finding.not_seen", "scanner", "not_seen"),
        ("finding.removed", "officer", "removed"),
        ("finding.verified", "scanner", "verified"),
        ("finding.reopen", "scanner", "reopened"),
    ]
    planned_entry = list_audit(engine, action="finding.replacement_planned")[0]
    assert planned_entry.before["status"] == "open"
    assert planned_entry.after["owner"] == "Facilities"
    assert planned_entry.after["due_date"] == "2027-03-31"


def test_removed_by_hand_is_verified_by_the_next_scan(engine: Engine) -> None:
    _scan(engine, HIK, AXIS)
    (finding,) = list_findings(engine)
    update_finding(engine, finding.id, user="officer", status="removed", note="taken down")
    _scan(engine, AXIS)
    assert list_findings(engine)[0].status == "verified"


def test_removed_by_hand_but_still_there_reopens(engine: Engine) -> None:
    _scan(engine, HIK)
    (finding,) = list_findings(engine)
    update_finding(engine, finding.id, user="officer", status="removed")
    counts = _scan(engine, HIK)
    assert counts["findings_reopened"] == 1
    assert list_findings(engine)[0].status == "reopened"


def test_another_scope_does_not_remove_anything(engine: Engine) -> None:
    _scan(engine, HIK)
    save_assets(engine, [AXIS], kind="scan", targets=["10.9.0.0/24"], site="HQ", user="u")
    assert list_findings(engine)[0].status == "open"
