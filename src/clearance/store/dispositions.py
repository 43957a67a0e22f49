"""Screening dispositions: a reviewer's decision that a hit is confirmed or a false positive.

A disposition belongs to one input (normalised query text) and one entity. Later screenings
of the same input against the same entity show and reuse it, as long as the entity's
listings are the ones the reviewer saw: each disposition keeps a hash of them, and a change
of listing (a new list, a new date, a changed scope) makes it stale.

Four eyes: clearing a hit whose score is at or above ``Settings.four_eyes_score`` (a false
positive on a strong hit) waits for a second reviewer. Such a disposition is recorded with
``approval = "pending"`` and decides nothing until another person approves it
(:func:`review_disposition`); a rejected one never decides anything. A confirmation never
needs a second reviewer.
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Engine, insert, or_, select, update

from clearance.errors import NotFound, PermissionDenied, UsageError
from clearance.i18n import gettext as _
from clearance.store.audit import log_change
from clearance.store.lock import write_transaction
from clearance.store.schema import dispositions
from clearance.store.values import canonical_hash, now, utc

__all__ = [
    "Approval",
    "Decision",
    "Disposition",
    "apply_dispositions",
    "list_dispositions",
    "listings_hash",
    "query_key",
    "record_disposition",
    "review_disposition",
    "reviewed_status",
]

# The parts of a listing whose change invalidates a reviewer's decision.
_LISTING_KEYS = ("list", "program", "start_date", "end_date", "scope")


class Decision(StrEnum):
    CONFIRMED = "confirmed"
    FALSE_POSITIVE = "false_positive"


class Approval(StrEnum):
    """A four-eyes disposition's state (``None`` on a disposition that needs none)."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


#: Dispositions that decide: those that need no approval, and approved ones.
_DECIDING = or_(dispositions.c.approval.is_(None), dispositions.c.approval == "approved")


def query_key(query: str) -> str:
    """The screening input as a key: NFKC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", query).casefold().split())[:500]


def listings_hash(listings: Iterable[dict[str, Any]]) -> str:
    """A hash of an entity's listings (JSON listing shape), independent of their order."""
    parts = sorted(
        canonical_hash({k: listing.get(k) for k in _LISTING_KEYS}) for listing in listings
    )
    return canonical_hash(parts)


@dataclass(slots=True, frozen=True)
class Disposition:
    """A reviewer's decision on one input against one entity."""

    id: int
    query: str
    entity_id: str
    decision: Decision
    reason: str
    listings_hash: str
    user: str
    created_at: datetime
    score: float | None = None
    approval: Approval | None = None
    approved_by: str | None = None
    approved_at: datetime | None = None
    approval_reason: str | None = None

    @property
    def decides(self) -> bool:
        """Whether it decides the hit: it needs no approval, or has it."""
        return self.approval in (None, Approval.APPROVED)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "query": self.query,
            "entity_id": self.entity_id,
            "decision": str(self.decision),
            "reason": self.reason,
            "user": self.user,
            "created_at": self.created_at.isoformat(),
            "listings_hash": self.listings_hash,
            "score": self.score,
            "approval": str(self.approval) if self.approval is not None else None,
            "approved_by": self.approved_by,
            "approved_at": self.approved_at.isoformat() if self.approved_at else None,
            "approval_reason": self.approval_reason,
        }


def _disposition(row: Any) -> Disposition:
    return Disposition(
        id=row.id,
        query=row.query,
        entity_id=row.entity_id,
        decision=Decision(row.decision),
        reason=row.reason,
        listings_hash=row.listings_hash,
        user=row.user,
        created_at=utc(row.created_at),
        score=row.score,
        approval=Approval(row.approval) if row.approval else None,
        approved_by=row.approved_by,
        approved_at=utc(row.approved_at) if row.approved_at is not None else None,
        approval_reason=row.approval_reason,
    )


def record_disposition(
    engine: Engine,
    query: str,
    entity_id: str,
    decision: Decision | str,
    reason: str,
    listings: Sequence[dict[str, Any]],
    *,
    user: str,
    conn: Connection | None = None,
    score: float | None = None,
    four_eyes_score: float | None = None,
) -> Disposition:
    """Record a decision (the latest deciding one for an input and entity wins). Audited.

    ``listings`` are the entity's listings as the reviewer saw them (JSON listing shape);
    ``score`` the hit's score. Clearing a hit scored at or above ``four_eyes_score`` is
    recorded as pending a second reviewer's approval (:func:`review_disposition`).
    """
    if not reason.strip():
        raise UsageError(_("a disposition needs a reason"))
    if not query_key(query):
        raise UsageError(_("a disposition needs the screened input's text"))
    created = now()
    values: dict[str, Any] = {
        "query_key": query_key(query),
        "query": query,
        "entity_id": entity_id,
        "decision": str(Decision(decision)),
        "reason": reason.strip(),
        "listings_hash": listings_hash(listings),
        "user": user,
        "created_at": created,
        "score": score,
        "approval": None,
    }
    if (
        Decision(decision) is Decision.FALSE_POSITIVE
        and score is not None
        and four_eyes_score is not None
        and score >= four_eyes_score
    ):
        values["approval"] = str(Approval.PENDING)

    def write(c: Connection) -> int:
        key = c.execute(insert(dispositions).values(**values)).inserted_primary_key
        assert key is not None
        log_change(
            c,
            user=user,
            action="disposition.record",
            object_type="disposition",
            object_id=int(key[0]),
            after={
                k: values[k]
                for k in ("query", "entity_id", "decision", "reason", "score", "approval")
            },
            at=created,
        )
        return int(key[0])

    if conn is not None:
        new_id = write(conn)
        row = conn.execute(select(dispositions).where(dispositions.c.id == new_id)).one()
        return _disposition(row)
    with write_transaction(engine) as own:
        new_id = write(own)
        row = own.execute(select(dispositions).where(dispositions.c.id == new_id)).one()
    return _disposition(row)


def list_dispositions(
    engine: Engine, *, query: str | None = None, approval: Approval | str | None = None
) -> list[Disposition]:
    """Recorded decisions, oldest first, optionally for one input or in one approval state
    (``pending``: the ones waiting for a second reviewer)."""
    stmt = select(dispositions).order_by(dispositions.c.id)
    if query is not None:
        stmt = stmt.where(dispositions.c.query_key == query_key(query))
    if approval is not None:
        stmt = stmt.where(dispositions.c.approval == str(Approval(approval)))
    with engine.connect() as conn:
        return [_disposition(r) for r in conn.execute(stmt)]


def latest_disposition(conn: Connection, query: str, entity_id: str) -> Disposition | None:
    """The newest deciding decision for ``query`` and ``entity_id`` (stale or not): one
    that needs no approval, or was approved."""
    row = conn.execute(
        select(dispositions)
        .where(
            dispositions.c.query_key == query_key(query),
            dispositions.c.entity_id == entity_id,
            _DECIDING,
        )
        .order_by(dispositions.c.id.desc())
        .limit(1)
    ).first()
    return _disposition(row) if row is not None else None


def pending_disposition(conn: Connection, query: str, entity_id: str) -> Disposition | None:
    """The newest disposition for ``query`` and ``entity_id`` that waits for approval."""
    row = conn.execute(
        select(dispositions)
        .where(
            dispositions.c.query_key == query_key(query),
            dispositions.c.entity_id == entity_id,
            dispositions.c.approval == str(Approval.PENDING),
        )
        .order_by(dispositions.c.id.desc())
        .limit(1)
    ).first()
    return _disposition(row) if row is not None else None


def review_disposition(
    conn: Connection, disposition_id: int, *, approve: bool, reason: str, user: str
) -> Disposition:
    """A second reviewer approves or rejects a pending disposition (on ``conn``, inside a
    write transaction). The reviewer must be someone other than who recorded it. Audited."""
    row = conn.execute(select(dispositions).where(dispositions.c.id == disposition_id)).first()
    if row is None:
        raise NotFound(_("no disposition {id}").format(id=disposition_id))
    found = _disposition(row)
    if found.approval is not Approval.PENDING:
        raise UsageError(
            _("disposition {id} is not waiting for approval").format(id=disposition_id)
        )
    if " ".join(user.split()).casefold() == " ".join(found.user.split()).casefold():
        raise PermissionDenied(
            _("{user!r} recorded disposition {id}: a second reviewer must approve it").format(
                user=user, id=disposition_id
            ),
            role="reviewer",
            action="findings.clear_hit",
        )
    if not reason.strip():
        raise UsageError(_("an approval or a rejection needs a reason"))
    at = now()
    state = Approval.APPROVED if approve else Approval.REJECTED
    values = {
        "approval": str(state),
        "approved_by": user,
        "approved_at": at,
        "approval_reason": reason.strip(),
    }
    conn.execute(update(dispositions).where(dispositions.c.id == disposition_id).values(values))
    log_change(
        conn,
        user=user,
        action=f"disposition.{state}",
        object_type="disposition",
        object_id=disposition_id,
        before={"approval": str(Approval.PENDING)},
        after={"approval": str(state), "reason": reason.strip()},
        at=at,
    )
    return _disposition(
        conn.execute(select(dispositions).where(dispositions.c.id == disposition_id)).one()
    )


def reviewed_status(result: dict[str, Any]) -> str:
    """The status after reviewers' decisions: ``match`` if any hit is confirmed, ``clear``
    if every hit is a false positive, else the screener's own status."""
    hits = result.get("hits") or []
    decisions = [(h.get("disposition") or {}).get("decision") for h in hits]
    if any(d == Decision.CONFIRMED for d in decisions):
        return "match"
    if hits and all(d == Decision.FALSE_POSITIVE for d in decisions):
        return "clear"
    return str(result.get("status", "clear"))


def annotate(conn: Connection, result: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``result`` whose hits carry ``disposition`` (a current decision or None)
    and ``stale_disposition`` (a decision made against other listings), plus
    ``reviewed_status``."""
    out = copy.deepcopy(result)
    query = str(out.get("query") or "")
    for hit in out.get("hits") or []:
        found = latest_disposition(conn, query, hit["entity_id"]) if query else None
        current = found is not None and found.listings_hash == listings_hash(
            hit.get("listings") or []
        )
        hit["disposition"] = found.to_json() if found is not None and current else None
        if found is not None and not current:
            hit["stale_disposition"] = found.to_json()
        pending = pending_disposition(conn, query, hit["entity_id"]) if query else None
        if pending is not None and (found is None or pending.id > found.id):
            hit["pending_disposition"] = pending.to_json()
    out["reviewed_status"] = reviewed_status(out)
    return out


def apply_dispositions(engine: Engine, results: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Screening results (DESIGN.md shape) annotated with reviewers' decisions."""
    with engine.connect() as conn:
        return [annotate(conn, r) for r in results]
