"""Suppliers: screened inputs (suppliers, purchase lines) with their latest screening result,
the findings their hits open, and reviewers' decisions applied to both.

Results use the DESIGN.md screening shape: ``{"query", "status", "hits": [{"entity_id",
"entity", "matched_name", "score", "listings", "explanation"}], "algorithm",
"registry_version", "record"}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from clearance.errors import UsageError
from clearance.i18n import gettext as _
from clearance.store.audit import log_change
from clearance.store.dispositions import (
    Decision,
    Disposition,
    annotate,
    latest_disposition,
    query_key,
    record_disposition,
    review_disposition,
)
from clearance.store.finding_notes import NoteKind
from clearance.store.findings import ACTIVE, REOPENABLE, FindingStatus
from clearance.store.lifecycle import clear_findings, ensure_finding, record_change
from clearance.store.lock import write_transaction
from clearance.store.schema import findings, suppliers
from clearance.store.values import jsonable, utc

__all__ = [
    "StoredScreening",
    "StoredSupplier",
    "dispose_hit",
    "get_supplier",
    "list_suppliers",
    "review_hit",
    "store_screening",
]

FLAGGED = ("match", "review")


@dataclass(slots=True, frozen=True)
class StoredSupplier:
    """A screened input and its latest (annotated) result."""

    id: int
    query: str
    record: dict[str, Any] | None
    status: str
    result: dict[str, Any]
    registry_version: str | None
    first_screened: datetime
    last_screened: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "query": self.query,
            "record": self.record,
            "status": self.status,
            "result": self.result,
            "registry_version": self.registry_version,
            "first_screened": self.first_screened.isoformat(),
            "last_screened": self.last_screened.isoformat(),
        }


@dataclass(slots=True, frozen=True)
class StoredScreening:
    """What storing one screening result changed."""

    supplier_id: int
    created: bool
    previous_status: str | None
    status: str  # reviewed status
    result: dict[str, Any]
    opened: int
    reopened: int
    cleared: int


def _supplier(row: Any) -> StoredSupplier:
    return StoredSupplier(
        id=row.id,
        query=row.query,
        record=row.record,
        status=row.status,
        result=dict(row.result),
        registry_version=row.registry_version,
        first_screened=utc(row.first_screened),
        last_screened=utc(row.last_screened),
    )


def list_suppliers(
    engine: Engine, *, status: str | None = None, conn: Connection | None = None
) -> list[StoredSupplier]:
    """Stored suppliers by id, optionally only those with a given (reviewed) status."""
    stmt = select(suppliers).order_by(suppliers.c.id)
    if status is not None:
        stmt = stmt.where(suppliers.c.status == status)
    if conn is not None:
        return [_supplier(r) for r in conn.execute(stmt)]
    with engine.connect() as own:
        return [_supplier(r) for r in own.execute(stmt)]


def store_screening(
    conn: Connection,
    result: dict[str, Any],
    *,
    at: datetime,
    user: str,
    run_id: int | None = None,
    reopen: frozenset[FindingStatus] = REOPENABLE,
) -> StoredScreening:
    """Store one screening result: upsert its supplier, apply dispositions, open a finding per
    flagged hit (false positives excepted) or reopen one whose status is in ``reopen``, and
    clear unresolved findings whose hit is gone."""
    query = str(result.get("query") or "").strip()
    if not query:
        raise UsageError(_("a screening result without a query cannot be saved"))
    annotated = annotate(conn, result)
    status = annotated["reviewed_status"]
    key = query_key(query)
    row = conn.execute(select(suppliers).where(suppliers.c.key == key)).first()
    values = {
        "query": query,
        "record": jsonable(result.get("record")),
        "status": status,
        "result": jsonable(annotated),
        "registry_version": result.get("registry_version"),
        "algorithm": str(result["algorithm"])[:80] if result.get("algorithm") else None,
        "last_screened": at,
    }
    if row is None:
        new_key = conn.execute(
            insert(suppliers).values(key=key, first_screened=at, **values)
        ).inserted_primary_key
        assert new_key is not None
        supplier_id = int(new_key[0])
        previous = None
        log_change(
            conn,
            user=user,
            action="supplier.create",
            object_type="supplier",
            object_id=supplier_id,
            after={"query": query, "status": status},
            run_id=run_id,
            at=at,
        )
    else:
        supplier_id = int(row.id)
        previous = str(row.status)
        conn.execute(update(suppliers).where(suppliers.c.id == supplier_id).values(**values))
        old_hits = sorted(h["entity_id"] for h in row.result.get("hits") or ())
        new_hits = sorted(h["entity_id"] for h in annotated.get("hits") or ())
        if previous != status or old_hits != new_hits:
            log_change(
                conn,
                user=user,
                action="supplier.update",
                object_type="supplier",
                object_id=supplier_id,
                before={"status": previous, "hits": old_hits},
                after={"status": status, "hits": new_hits},
                run_id=run_id,
                at=at,
            )
    subject = f"supplier:{supplier_id}"
    flagged = []
    if annotated.get("status") in FLAGGED:
        flagged = [
            hit
            for hit in annotated.get("hits") or ()
            if (hit.get("disposition") or {}).get("decision") != Decision.FALSE_POSITIVE
        ]
    outcome = "unchanged"
    kept: set[str] = set()
    if flagged:
        # One finding per supplier, holding all its hits; it keeps the entity it was opened for.
        lead = max(flagged, key=lambda h: float(h.get("score") or 0))
        existing = conn.execute(
            select(findings.c.entity_id)
            .where(findings.c.subject == subject)
            .order_by(findings.c.id)
            .limit(1)
        ).scalar_one_or_none()
        entity_id = existing or lead["entity_id"]
        shown = next((h for h in flagged if h["entity_id"] == entity_id), lead)
        # A false positive whose entity's listings changed since is open to review again.
        stale = any(h.get("stale_disposition") is not None for h in flagged)
        outcome = ensure_finding(
            conn,
            kind="supplier",
            subject=subject,
            supplier_id=supplier_id,
            entity_id=entity_id,
            entity=shown.get("entity") or entity_id,
            relation="supplier",
            site_id=None,
            detail={"query": query, **shown, "hits": flagged},
            user=user,
            at=at,
            run_id=run_id,
            reason="listings changed since the disposition"
            if stale
            else "a hit that no reviewer found a false positive",
            reopen=reopen | {FindingStatus.FALSE_POSITIVE},
        )
        kept.add(entity_id)
    active = set(
        conn.execute(
            select(findings.c.entity_id).where(
                findings.c.subject == subject,
                findings.c.status.in_([str(s) for s in ACTIVE]),
            )
        ).scalars()
    )
    cleared = clear_findings(
        conn,
        subject,
        active - kept,
        user=user,
        at=at,
        reason="no longer a hit when screened again"
        if not kept
        else "its hits are now on the supplier's one finding",
    )
    return StoredScreening(
        supplier_id=supplier_id,
        created=row is None,
        previous_status=previous,
        status=status,
        result=annotated,
        opened=int(outcome == "opened"),
        reopened=int(outcome == "reopened"),
        cleared=cleared,
    )


def _hit_score(conn: Connection, query: str, entity_id: str) -> float | None:
    """The score of the stored supplier's hit on ``entity_id`` (None: not stored)."""
    result = conn.execute(
        select(suppliers.c.result).where(suppliers.c.key == query_key(query))
    ).scalar_one_or_none()
    for hit in (result or {}).get("hits") or ():
        if hit.get("entity_id") == entity_id and hit.get("score") is not None:
            return float(hit["score"])
    return None


def dispose_hit(
    engine: Engine,
    query: str,
    entity_id: str,
    decision: Decision | str,
    reason: str,
    listings: Sequence[dict[str, Any]],
    *,
    user: str,
    four_eyes_score: float | None = None,
    score: float | None = None,
) -> Disposition:
    """Record a reviewer's decision and apply it to the stored supplier's finding: a false
    positive closes an unresolved finding; a confirmation reopens a false-positive one.

    Clearing a hit scored at or above ``four_eyes_score`` (its score as stored with the
    supplier, else ``score``) waits for a second reviewer (:func:`review_hit`) and changes
    nothing until approved."""
    decision = Decision(decision)
    with write_transaction(engine) as conn:
        stored = _hit_score(conn, query, entity_id)
        disposition = record_disposition(
            engine,
            query,
            entity_id,
            decision,
            reason,
            listings,
            user=user,
            conn=conn,
            score=stored if stored is not None else score,
            four_eyes_score=four_eyes_score,
        )
        if disposition.decides:
            _apply_decision(conn, disposition, user)
    return disposition


def review_hit(
    engine: Engine, disposition_id: int, *, approve: bool, reason: str, user: str
) -> Disposition:
    """A second reviewer approves (the decision then applies, as :func:`dispose_hit` would
    have) or rejects a disposition waiting for approval."""
    with write_transaction(engine) as conn:
        disposition = review_disposition(
            conn, disposition_id, approve=approve, reason=reason, user=user
        )
        if disposition.decides:
            _apply_decision(conn, disposition, user)
    return disposition


def _apply_decision(conn: Connection, disposition: Disposition, user: str) -> None:
    supplier_id = conn.execute(
        select(suppliers.c.id).where(suppliers.c.key == query_key(disposition.query))
    ).scalar_one_or_none()
    if supplier_id is not None:
        _apply_to_finding(conn, f"supplier:{supplier_id}", disposition.entity_id, disposition, user)


def _apply_to_finding(
    conn: Connection, subject: str, entity_id: str, disposition: Disposition, user: str
) -> None:
    """Apply a decision on one hit to the supplier's finding: it becomes a false positive
    once every hit it holds is one; a confirmation reopens a false-positive finding. The
    reason is kept in the finding's history either way."""
    row = conn.execute(
        select(findings).where(findings.c.subject == subject).order_by(findings.c.id).limit(1)
    ).first()
    if row is None:
        return
    status = FindingStatus(row.status)
    hits = [h["entity_id"] for h in (row.detail or {}).get("hits") or ()] or [row.entity_id]
    target: FindingStatus | None = None
    if disposition.decision is Decision.FALSE_POSITIVE and status in ACTIVE:
        decisions = [latest_disposition(conn, disposition.query, e) for e in hits]
        if all(d is not None and d.decision is Decision.FALSE_POSITIVE for d in decisions):
            target = FindingStatus.FALSE_POSITIVE
    elif disposition.decision is Decision.CONFIRMED and status is FindingStatus.FALSE_POSITIVE:
        target = FindingStatus.OPEN
    values = {"status": str(target), "previous_status": None} if target is not None else {}
    text = disposition.reason if len(hits) == 1 else f"{entity_id}: {disposition.reason}"
    record_change(
        conn,
        row,
        values,
        action=f"finding.{target}" if target is not None else "finding.disposition",
        user=user,
        at=disposition.created_at,
        kind=NoteKind.NOTE,
        text=text,
    )


def get_supplier(engine: Engine, supplier_id: int) -> StoredSupplier | None:
    """One stored supplier by id, its result annotated with the current decisions (``None``:
    no such supplier)."""
    with engine.connect() as conn:
        row = conn.execute(select(suppliers).where(suppliers.c.id == supplier_id)).first()
        if row is None:
            return None
        found = _supplier(row)
        return replace(found, result=annotate(conn, found.result))
