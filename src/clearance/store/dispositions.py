"""Screening dispositions: a reviewer's decision that a hit is confirmed or a false positive.

A disposition belongs to one input (normalised query text) and one entity. Later screenings
of the same input against the same entity show and reuse it, as long as the entity's
listings are the ones the reviewer saw: each disposition keeps a hash of them, and a change
of listing (a new list, a new date, a changed scope) makes it stale.
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from clearance.errors import UsageError
from clearance.i18n import gettext as _
from clearance.store.audit import log_change
from clearance.store.lock import write_transaction
from clearance.store.schema import dispositions
from clearance.store.values import canonical_hash, now, utc

__all__ = [
    "Decision",
    "Disposition",
    "apply_dispositions",
    "list_dispositions",
    "listings_hash",
    "query_key",
    "record_disposition",
    "reviewed_status",
]

# The parts of a listing whose change invalidates a reviewer's decision.
_LISTING_KEYS = ("list", "program", "start_date", "end_date", "scope")


class Decision(StrEnum):
    CONFIRMED = "confirmed"
    FALSE_POSITIVE = "false_positive"


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
) -> Disposition:
    """Record a decision (the latest one for an input and entity wins). Audited.

    ``listings`` are the entity's listings as the reviewer saw them (JSON listing shape).
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
    }

    def write(c: Connection) -> int:
        key = c.execute(insert(dispositions).values(**values)).inserted_primary_key
        assert key is not None
        log_change(
            c,
            user=user,
            action="disposition.record",
            object_type="disposition",
            object_id=int(key[0]),
            after={k: values[k] for k in ("query", "entity_id", "decision", "reason")},
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


def list_dispositions(engine: Engine, *, query: str | None = None) -> list[Disposition]:
    """Recorded decisions, oldest first, optionally for one input."""
    stmt = select(dispositions).order_by(dispositions.c.id)
    if query is not None:
        stmt = stmt.where(dispositions.c.query_key == query_key(query))
    with engine.connect() as conn:
        return [_disposition(r) for r in conn.execute(stmt)]


def latest_disposition(conn: Connection, query: str, entity_id: str) -> Disposition | None:
    """The newest decision for ``query`` and ``entity_id``, stale or not."""
    row = conn.execute(
        select(dispositions)
        .where(dispositions.c.query_key == query_key(query), dispositions.c.entity_id == entity_id)
        .order_by(dispositions.c.id.desc())
        .limit(1)
    ).first()
    return _disposition(row) if row is not None else None


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
    out["reviewed_status"] = reviewed_status(out)
    return out


def apply_dispositions(engine: Engine, results: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Screening results (DESIGN.md shape) annotated with reviewers' decisions."""
    with engine.connect() as conn:
        return [annotate(conn, r) for r in results]
