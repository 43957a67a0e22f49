"""Findings: one per restricted asset or supplier hit, tracked until it is gone.

Lifecycle::

    open ──▶ replacement_planned (owner, due date) ──▶ removed ──▶ verified
      │  ╲                                              ▲   a later run of the same scope
      │   ╲──▶ exception_granted (justification,        │   no longer sees it
      │        approver, expiry) ───────────────────────┘
      ├──▶ false_positive   (a reviewer's disposition on a supplier hit)
      └──▶ cleared          (the registry no longer restricts it; see recheck)

A run of a scope that no longer sees an asset marks its unresolved findings ``removed``;
the next run of that scope that still does not see it marks them ``verified``. A removed or
verified device that is seen again reopens its finding, and so does a device still seen
after its exception expired. Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from clearance.errors import UsageError
from clearance.store.audit import log_change
from clearance.store.lock import write_transaction
from clearance.store.schema import findings, sites
from clearance.store.values import is_row_id, jsonable, now, utc

__all__ = [
    "ACTIVE",
    "REOPENABLE",
    "FindingStatus",
    "StoredFinding",
    "get_finding",
    "list_findings",
    "update_finding",
]


class FindingStatus(StrEnum):
    OPEN = "open"
    REPLACEMENT_PLANNED = "replacement_planned"
    EXCEPTION_GRANTED = "exception_granted"
    REMOVED = "removed"
    VERIFIED = "verified"
    FALSE_POSITIVE = "false_positive"
    CLEARED = "cleared"


S = FindingStatus
# Statuses that still need action; a run that no longer sees the subject marks them removed.
ACTIVE = frozenset({S.OPEN, S.REPLACEMENT_PLANNED, S.EXCEPTION_GRANTED})
# Statuses a reappearance (or a renewed restriction) reopens.
REOPENABLE = frozenset({S.REMOVED, S.VERIFIED, S.CLEARED})
# What a user may set by hand (verified comes only from a later run).
MANUAL_TRANSITIONS: dict[FindingStatus, frozenset[FindingStatus]] = {
    S.OPEN: frozenset({S.REPLACEMENT_PLANNED, S.EXCEPTION_GRANTED, S.REMOVED, S.FALSE_POSITIVE}),
    S.REPLACEMENT_PLANNED: frozenset({S.OPEN, S.EXCEPTION_GRANTED, S.REMOVED, S.FALSE_POSITIVE}),
    S.EXCEPTION_GRANTED: frozenset({S.OPEN, S.REPLACEMENT_PLANNED, S.REMOVED}),
    S.REMOVED: frozenset({S.OPEN}),
    S.VERIFIED: frozenset({S.OPEN}),
    S.FALSE_POSITIVE: frozenset({S.OPEN}),
    S.CLEARED: frozenset({S.OPEN}),
}
_FIELDS = ("status", "owner", "due_date", "justification", "approver", "expires", "note")


@dataclass(slots=True, frozen=True)
class StoredFinding:
    """A finding as stored, with its remediation fields."""

    id: int
    kind: str  # device | supplier
    subject: str  # asset:<id> | supplier:<id>
    entity_id: str
    entity: str
    relation: str
    status: FindingStatus
    site: str | None
    owner: str | None
    due_date: date | None
    justification: str | None
    approver: str | None
    expires: date | None
    note: str | None
    detail: dict[str, Any]
    opened_at: datetime
    updated_at: datetime
    removed_at: datetime | None
    verified_at: datetime | None

    @property
    def subject_id(self) -> int:
        return int(self.subject.split(":", 1)[1])

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "subject": self.subject,
            "entity_id": self.entity_id,
            "entity": self.entity,
            "relation": self.relation,
            "status": str(self.status),
            "site": self.site,
            "owner": self.owner,
            "due_date": jsonable(self.due_date),
            "justification": self.justification,
            "approver": self.approver,
            "expires": jsonable(self.expires),
            "note": self.note,
            "detail": self.detail,
            "opened_at": self.opened_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "removed_at": jsonable(self.removed_at),
            "verified_at": jsonable(self.verified_at),
        }


def _finding(row: Any) -> StoredFinding:
    return StoredFinding(
        id=row.id,
        kind=row.kind,
        subject=row.subject,
        entity_id=row.entity_id,
        entity=row.entity,
        relation=row.relation,
        status=FindingStatus(row.status),
        site=row.site_name,
        owner=row.owner,
        due_date=row.due_date,
        justification=row.justification,
        approver=row.approver,
        expires=row.expires,
        note=row.note,
        detail=dict(row.detail or {}),
        opened_at=utc(row.opened_at),
        updated_at=utc(row.updated_at),
        removed_at=utc(row.removed_at) if row.removed_at is not None else None,
        verified_at=utc(row.verified_at) if row.verified_at is not None else None,
    )


def _query() -> Any:
    return select(findings, sites.c.name.label("site_name")).outerjoin(
        sites, sites.c.id == findings.c.site_id
    )


def _state(row: Any) -> dict[str, Any]:
    return {name: jsonable(getattr(row, name)) for name in _FIELDS}


def get_finding(engine: Engine, finding_id: int) -> StoredFinding | None:
    """One finding by id, or None."""
    if not is_row_id(finding_id):
        return None
    with engine.connect() as conn:
        row = conn.execute(_query().where(findings.c.id == finding_id)).first()
    return _finding(row) if row is not None else None


def list_findings(
    engine: Engine,
    *,
    status: str | None = None,
    site: str | None = None,
    kind: str | None = None,
    subject: str | None = None,
    active_only: bool = False,
) -> list[StoredFinding]:
    """Findings by id, filtered by status, site, kind (device|supplier) or subject."""
    query = _query()
    if status is not None:
        query = query.where(findings.c.status == str(FindingStatus(status)))
    if active_only:
        query = query.where(findings.c.status.in_([str(s) for s in ACTIVE]))
    if site is not None:
        query = query.where(sites.c.name == site)
    if kind is not None:
        query = query.where(findings.c.kind == kind)
    if subject is not None:
        query = query.where(findings.c.subject == subject)
    with engine.connect() as conn:
        return [_finding(r) for r in conn.execute(query.order_by(findings.c.id))]


def _set(
    conn: Connection,
    row: Any,
    values: dict[str, Any],
    *,
    action: str,
    user: str,
    at: datetime,
    run_id: int | None = None,
) -> None:
    conn.execute(update(findings).where(findings.c.id == row.id).values(**values, updated_at=at))
    before = _state(row)
    after = {**before, **{k: jsonable(v) for k, v in values.items() if k in _FIELDS}}
    log_change(
        conn,
        user=user,
        action=action,
        object_type="finding",
        object_id=row.id,
        before=before,
        after=after,
        run_id=run_id,
        at=at,
    )


def ensure_finding(
    conn: Connection,
    *,
    kind: str,
    subject: str,
    asset_id: int | None = None,
    supplier_id: int | None = None,
    entity_id: str,
    entity: str,
    relation: str,
    site_id: int | None,
    detail: dict[str, Any],
    user: str,
    at: datetime,
    run_id: int | None = None,
    reason: str = "seen again",
    reopen: frozenset[FindingStatus] = REOPENABLE,
) -> str:
    """Open a finding for ``subject`` and ``entity_id``, or reopen one whose status is in
    ``reopen`` (by default removed, verified or cleared) or whose exception has expired.
    Returns what happened: opened, reopened or unchanged."""
    row = conn.execute(
        select(findings).where(findings.c.subject == subject, findings.c.entity_id == entity_id)
    ).first()
    if row is None:
        values = {
            "kind": kind,
            "subject": subject,
            "asset_id": asset_id,
            "supplier_id": supplier_id,
            "entity_id": entity_id,
            "entity": entity,
            "relation": relation,
            "status": str(S.OPEN),
            "site_id": site_id,
            "detail": jsonable(detail),
            "opened_at": at,
            "updated_at": at,
        }
        key = conn.execute(insert(findings).values(**values)).inserted_primary_key
        assert key is not None
        log_change(
            conn,
            user=user,
            action="finding.open",
            object_type="finding",
            object_id=int(key[0]),
            after={k: values[k] for k in ("kind", "subject", "entity_id", "status", "relation")},
            run_id=run_id,
            at=at,
        )
        return "opened"
    refresh: dict[str, Any] = {"detail": jsonable(detail), "relation": relation}
    if site_id is not None:
        refresh["site_id"] = site_id
    status = FindingStatus(row.status)
    if status is S.EXCEPTION_GRANTED and row.expires is not None and row.expires < at.date():
        _set(
            conn,
            row,
            {**refresh, "status": str(S.OPEN), "note": f"exception expired on {row.expires}"},
            action="finding.exception_expired",
            user=user,
            at=at,
            run_id=run_id,
        )
        return "reopened"
    if status in reopen:
        _set(
            conn,
            row,
            {
                **refresh,
                "status": str(S.OPEN),
                "note": f"reopened: {reason}",
                "removed_at": None,
                "verified_at": None,
            },
            action="finding.reopen",
            user=user,
            at=at,
            run_id=run_id,
        )
        return "reopened"
    conn.execute(update(findings).where(findings.c.id == row.id).values(**refresh))
    return "unchanged"


def sweep_missing(
    conn: Connection,
    subjects: set[str],
    *,
    run_id: int,
    run_started: datetime,
    user: str,
) -> dict[str, int]:
    """Findings of ``subjects`` (seen before in a scope, not by run ``run_id``): unresolved
    ones become removed; ones removed before this run become verified."""
    counts = {"removed": 0, "verified": 0}
    if not subjects:
        return counts
    wanted = [str(S.REMOVED), *(str(s) for s in ACTIVE)]
    rows = conn.execute(
        select(findings)
        .where(findings.c.subject.in_(sorted(subjects)), findings.c.status.in_(wanted))
        .order_by(findings.c.id)
    ).all()
    for row in rows:
        if FindingStatus(row.status) in ACTIVE:
            target, stamp, note = S.REMOVED, "removed_at", f"not seen by run {run_id}"
        elif row.removed_at is None or utc(row.removed_at) < run_started:
            target, stamp, note = S.VERIFIED, "verified_at", f"still absent at run {run_id}"
        else:
            continue
        _set(
            conn,
            row,
            {"status": str(target), stamp: run_started, "note": note},
            action=f"finding.{target}",
            user=user,
            at=run_started,
            run_id=run_id,
        )
        counts[str(target)] += 1
    return counts


def clear_findings(
    conn: Connection,
    subject: str,
    entity_ids: set[str],
    *,
    user: str,
    at: datetime,
    reason: str,
) -> int:
    """Mark the subject's unresolved findings for ``entity_ids`` cleared; return how many."""
    if not entity_ids:
        return 0
    rows = conn.execute(
        select(findings).where(
            findings.c.subject == subject,
            findings.c.entity_id.in_(sorted(entity_ids)),
            findings.c.status.in_([str(s) for s in ACTIVE]),
        )
    ).all()
    for row in rows:
        _set(
            conn,
            row,
            {"status": str(S.CLEARED), "note": reason},
            action="finding.cleared",
            user=user,
            at=at,
        )
    return len(rows)


def update_finding(
    engine: Engine,
    finding_id: int,
    *,
    user: str,
    status: str | None = None,
    owner: str | None = None,
    due_date: date | None = None,
    justification: str | None = None,
    approver: str | None = None,
    expires: date | None = None,
    note: str | None = None,
) -> StoredFinding:
    """Change a finding by hand: its status (see MANUAL_TRANSITIONS) and remediation fields.

    ``replacement_planned`` needs an owner and a due date; ``exception_granted`` needs a
    justification, an approver and an expiry (given now or already on the finding).

    Raises:
        UsageError: no such finding, a transition that is not allowed, missing fields, or an
            exception expiry in the past.
    """
    if not is_row_id(finding_id):
        raise UsageError(f"no finding {finding_id}")
    at = now()
    if expires is not None and expires < at.date():
        raise UsageError(f"the exception's expiry {expires} is in the past")
    with write_transaction(engine) as conn:
        row = conn.execute(select(findings).where(findings.c.id == finding_id)).first()
        if row is None:
            raise UsageError(f"no finding {finding_id}")
        values: dict[str, Any] = {}
        for name, value in (
            ("owner", owner),
            ("due_date", due_date),
            ("justification", justification),
            ("approver", approver),
            ("expires", expires),
            ("note", note),
        ):
            if value is not None:
                values[name] = value
        current = FindingStatus(row.status)
        action = "finding.update"
        if status is not None and FindingStatus(status) != current:
            target = FindingStatus(status)
            if target not in MANUAL_TRANSITIONS[current]:
                allowed = ", ".join(sorted(MANUAL_TRANSITIONS[current])) or "none"
                raise UsageError(
                    f"finding {finding_id} is {current}; it can move to: {allowed}"
                    + (
                        " (verified is set by a later run of the same scope)"
                        if target is S.VERIFIED
                        else ""
                    )
                )
            merged = {name: values.get(name, getattr(row, name)) for name in _FIELDS[1:]}
            required = {
                S.REPLACEMENT_PLANNED: ("owner", "due_date"),
                S.EXCEPTION_GRANTED: ("justification", "approver", "expires"),
            }.get(target, ())
            missing = [name for name in required if not merged[name]]
            if missing:
                raise UsageError(f"{target} needs {', '.join(missing)}")
            values["status"] = str(target)
            if target is S.REMOVED:
                values["removed_at"] = at
            if target is S.OPEN:
                values["removed_at"] = None
                values["verified_at"] = None
            action = f"finding.{target}"
        if not values:
            raise UsageError("nothing to change: give --status or a field to set")
        _set(conn, row, values, action=action, user=user, at=at)
    found = get_finding(engine, finding_id)
    assert found is not None
    return found
