"""Findings: one per restricted asset or supplier hit, tracked until it is gone.

The lifecycle (drawn in docs/lifecycle.md; changes are made by
:mod:`clearance.store.lifecycle`)::

    open ──▶ replacement_planned (owner, due) ──▶ removed ──▶ verified
     │ ╲──▶ exception_granted (justification,      ▲ a person's   a later run of the same
     │      approver, expiry) ─────────────────────┘ claim        scope does not see it
     │
     ├── a run of the scope no longer sees it, nobody claimed a removal ──▶ not_seen
     │       not_seen ──▶ removed (a person confirms) | back to its state (a person
     │       explains, or a run sees it again)
     ├──▶ false_positive   (a reviewer's disposition on a supplier hit)
     └──▶ cleared          (the registry no longer restricts it; see recheck)
    removed | verified ── seen again ──▶ reopened (acts like open)

Nothing a person wrote is overwritten: notes are an append-only history
(:mod:`clearance.store.finding_notes`) and ``note`` is the latest note a person wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, select

from clearance.store.schema import findings, sites
from clearance.store.values import is_row_id, jsonable, utc

__all__ = [
    "ACTIVE",
    "MANUAL_TRANSITIONS",
    "OPEN_STATES",
    "REOPENABLE",
    "FindingStatus",
    "StoredFinding",
    "finding_of",
    "finding_query",
    "get_finding",
    "list_findings",
    "state_of",
]


class FindingStatus(StrEnum):
    OPEN = "open"
    REOPENED = "reopened"
    REPLACEMENT_PLANNED = "replacement_planned"
    EXCEPTION_GRANTED = "exception_granted"
    NOT_SEEN = "not_seen"
    REMOVED = "removed"
    VERIFIED = "verified"
    FALSE_POSITIVE = "false_positive"
    CLEARED = "cleared"


S = FindingStatus
# The states of a finding whose device is there; a run that no longer sees it makes them
# not_seen, and a not_seen device seen again returns to the one it had.
OPEN_STATES = frozenset({S.OPEN, S.REOPENED, S.REPLACEMENT_PLANNED, S.EXCEPTION_GRANTED})
# Statuses that still need a person's action.
ACTIVE = OPEN_STATES | {S.NOT_SEEN}
# Statuses a reappearance (or a renewed restriction) reopens.
REOPENABLE = frozenset({S.REMOVED, S.VERIFIED, S.CLEARED})
_WORK = frozenset({S.REPLACEMENT_PLANNED, S.EXCEPTION_GRANTED, S.REMOVED, S.FALSE_POSITIVE})
# What a person may set by hand (verified comes only from a later run).
MANUAL_TRANSITIONS: dict[FindingStatus, frozenset[FindingStatus]] = {
    S.OPEN: _WORK,
    S.REOPENED: _WORK | {S.OPEN},
    S.REPLACEMENT_PLANNED: frozenset({S.OPEN, S.EXCEPTION_GRANTED, S.REMOVED, S.FALSE_POSITIVE}),
    S.EXCEPTION_GRANTED: frozenset({S.OPEN, S.REPLACEMENT_PLANNED, S.REMOVED}),
    S.NOT_SEEN: _WORK | {S.OPEN},  # confirm removed, or explain (a note is then required)
    S.REMOVED: frozenset({S.OPEN}),
    S.VERIFIED: frozenset({S.OPEN}),
    S.FALSE_POSITIVE: frozenset({S.OPEN}),
    S.CLEARED: frozenset({S.OPEN}),
}
FIELDS = ("status", "owner", "due_date", "justification", "approver", "expires", "note")


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
    previous_status: str | None = None

    @property
    def subject_id(self) -> int:
        return int(self.subject.split(":", 1)[1])

    def overdue(self, today: date) -> bool:
        """Unresolved (:data:`ACTIVE`), and its due date is before ``today``."""
        return self.status in ACTIVE and self.due_date is not None and self.due_date < today

    def listed_in(self) -> tuple[str, ...]:
        """The lists its party is on, as recorded with the finding."""
        detail = self.detail or {}
        parts = [detail, detail.get("attribution") or {}, *(detail.get("hits") or [])]
        listings = [
            x for part in parts if isinstance(part, dict) for x in part.get("listings") or []
        ]
        return tuple(dict.fromkeys(str(x["list"]) for x in listings if x.get("list")))

    def about(self, vendor: str) -> bool:
        """Whether its party is ``vendor``: the entity's id, or a part of its name (any case)."""
        wanted = vendor.strip().casefold()
        return wanted == self.entity_id.casefold() or wanted in self.entity.casefold()

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
            "previous_status": self.previous_status,
        }


def finding_of(row: Any) -> StoredFinding:
    """A row of :func:`finding_query` as a :class:`StoredFinding`."""
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
        previous_status=row.previous_status,
    )


def finding_query() -> Any:
    """Findings with their site's name as ``site_name``."""
    return select(findings, sites.c.name.label("site_name")).outerjoin(
        sites, sites.c.id == findings.c.site_id
    )


def state_of(row: Any) -> dict[str, Any]:
    """The fields of a stored finding row that its audit entries compare."""
    return {name: jsonable(getattr(row, name)) for name in FIELDS}


def get_finding(engine: Engine, finding_id: int) -> StoredFinding | None:
    """One finding by id, or None."""
    if not is_row_id(finding_id):
        return None
    with engine.connect() as conn:
        row = conn.execute(finding_query().where(findings.c.id == finding_id)).first()
    return finding_of(row) if row is not None else None


def list_findings(
    engine: Engine,
    *,
    status: str | None = None,
    site: str | None = None,
    kind: str | None = None,
    subject: str | None = None,
    active_only: bool = False,
    owner: str | None = None,
    entity_id: str | None = None,
    ids: Sequence[int] | None = None,
    overdue_on: date | None = None,
    listed_on: str | None = None,
    vendor: str | None = None,
) -> list[StoredFinding]:
    """Findings by id, filtered by status, site, kind (device|supplier), subject, owner,
    entity or ids; ``overdue_on`` keeps those overdue on that day
    (:meth:`StoredFinding.overdue`), ``listed_on`` those whose party is on that list,
    ``vendor`` those about that party (:meth:`StoredFinding.about`)."""
    query = finding_query()
    if overdue_on is not None:
        query = query.where(
            findings.c.status.in_([str(s) for s in ACTIVE]), findings.c.due_date < overdue_on
        )
    if ids is not None:
        query = query.where(findings.c.id.in_([i for i in ids if is_row_id(i)]))
    if owner is not None:
        query = query.where(findings.c.owner == owner)
    if entity_id is not None:
        query = query.where(findings.c.entity_id == entity_id)
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
        found = [finding_of(r) for r in conn.execute(query.order_by(findings.c.id))]
    if listed_on is not None:
        found = [f for f in found if listed_on in f.listed_in()]
    if vendor is not None:
        found = [f for f in found if f.about(vendor)]
    return found
