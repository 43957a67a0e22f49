"""A finding's subject in words and the text search over findings
(clearance.store.finding_search)."""

from __future__ import annotations

from datetime import UTC, datetime

from clearance.store.finding_search import mentions, search_findings, subject_label
from clearance.store.findings import FindingStatus, StoredFinding

AT = datetime(2026, 1, 1, tzinfo=UTC)


def _finding(fid: int, detail: dict[str, object], **fields: object) -> StoredFinding:
    values: dict[str, object] = {
        "id": fid,
        "kind": "device",
        "subject": f"asset:{fid}",
        "entity_id": "hikvision",
        "entity": "Hangzhou Hikvision Digital Technology Co., Ltd.",
        "relation": "manufacturer",
        "status": FindingStatus.OPEN,
        "site": "Ottawa HQ",
        "owner": None,
        "due_date": None,
        "justification": None,
        "approver": None,
        "expires": None,
        "note": None,
        "detail": detail,
        "opened_at": AT,
        "updated_at": AT,
        "removed_at": None,
        "verified_at": None,
        **fields,
    }
    return StoredFinding(**values)  # type: ignore[arg-type]


CAMERA = {
    "asset": {"manufacturer": "Hikvision", "model": "DS-2CD", "ip": "10.0.0.5", "location": "Lobby"}
}


def test_subject_label_of_a_device_a_supplier_and_neither() -> None:
    assert subject_label(_finding(1, CAMERA).to_json()) == "Hikvision DS-2CD 10.0.0.5 (Lobby)"
    assert subject_label({"detail": {"query": "海康威视"}, "subject": "supplier:1"}) == "海康威视"
    assert subject_label({"detail": {}, "subject": "asset:9"}) == "asset:9"


def test_search_looks_in_the_subject_party_owner_note_and_id() -> None:
    camera = _finding(12, CAMERA, owner="Facilities", note="PTZ in the lobby")
    assert mentions(camera, "lobby")
    assert mentions(camera, "10.0.0.5")
    assert mentions(camera, "HIKVISION")
    assert mentions(camera, "facilities")
    assert mentions(camera, "#12")
    assert not mentions(camera, "#1")
    assert not mentions(camera, "dahua")
    other = _finding(13, {"asset": {"manufacturer": "Dahua"}}, entity="Dahua", entity_id="dahua")
    assert search_findings([camera, other], "dahua") == [other]
    assert search_findings([camera, other], " ") == [camera, other]
