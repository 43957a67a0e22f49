"""The review queue: every screening hit of a stored supplier that waits for a person.

A hit waits when no current decision covers it (none recorded, or one made against other
listings: stale), or when a decision clearing it waits for a second reviewer (four eyes).
Hits with a current decision leave the queue; they come back by themselves when the entity's
listings change, since the decision then no longer applies (see
:mod:`clearance.store.dispositions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select

from clearance.store.dispositions import annotate
from clearance.store.schema import suppliers

__all__ = ["QueueItem", "review_queue"]


@dataclass(slots=True, frozen=True)
class QueueItem:
    """One hit waiting for a person: ``waiting`` is ``decision`` (nobody decided, or the
    decision is stale) or ``approval`` (a clearance waits for a second reviewer)."""

    supplier_id: int
    query: str
    status: str
    hit: dict[str, Any]
    waiting: str

    @property
    def score(self) -> float:
        return float(self.hit.get("score") or 0.0)

    def to_json(self) -> dict[str, Any]:
        return {
            "supplier_id": self.supplier_id,
            "query": self.query,
            "status": self.status,
            "waiting": self.waiting,
            "entity_id": self.hit.get("entity_id"),
            "entity": self.hit.get("entity"),
            "matched_name": self.hit.get("matched_name"),
            "score": self.score,
            "listings": self.hit.get("listings") or [],
            "explanation": self.hit.get("explanation") or [],
            "stale_disposition": self.hit.get("stale_disposition"),
            "pending_disposition": self.hit.get("pending_disposition"),
        }


def review_queue(engine: Engine, *, waiting: str | None = None) -> list[QueueItem]:
    """Hits waiting for a person, strongest first (then by supplier); ``waiting`` keeps only
    ``decision`` or ``approval`` items."""
    items: list[QueueItem] = []
    with engine.connect() as conn:
        rows = conn.execute(
            select(suppliers.c.id, suppliers.c.query, suppliers.c.result).order_by(suppliers.c.id)
        ).all()
        for row in rows:
            result = annotate(conn, dict(row.result))
            for hit in result.get("hits") or ():
                if hit.get("disposition") is not None:
                    continue
                kind = "approval" if hit.get("pending_disposition") else "decision"
                if waiting is None or waiting == kind:
                    status = str(result.get("reviewed_status") or result.get("status"))
                    items.append(QueueItem(row.id, row.query, status, hit, kind))
    items.sort(key=lambda item: (-item.score, item.supplier_id))
    return items
