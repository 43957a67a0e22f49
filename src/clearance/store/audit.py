"""The append-only audit log: who changed what, when, with the state before and after.

Rows are only ever inserted; database triggers (migration 0003_tracking) refuse UPDATE and
DELETE on ``audit_log``. Every tracking write records its change here in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from clearance.store.schema import audit_log
from clearance.store.values import jsonable, now, utc

__all__ = ["AuditEntry", "list_audit", "log_change"]


@dataclass(slots=True, frozen=True)
class AuditEntry:
    """One recorded change."""

    id: int
    at: datetime
    user: str
    action: str
    object_type: str
    object_id: str
    run_id: int | None
    before: Any
    after: Any

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "user": self.user,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "run_id": self.run_id,
            "before": self.before,
            "after": self.after,
        }


def log_change(
    conn: Connection,
    *,
    user: str,
    action: str,
    object_type: str,
    object_id: str | int,
    before: Any = None,
    after: Any = None,
    run_id: int | None = None,
    at: datetime | None = None,
) -> None:
    """Append one change, inside the caller's transaction."""
    conn.execute(
        insert(audit_log).values(
            at=at or now(),
            user=user,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            run_id=run_id,
            before=jsonable(before),
            after=jsonable(after),
        )
    )


def list_audit(
    engine: Engine,
    *,
    object_type: str | None = None,
    object_id: str | int | None = None,
    action: str | None = None,
    user: str | None = None,
    since: datetime | None = None,
    limit: int | None = None,
    until: datetime | None = None,
    offset: int = 0,
) -> list[AuditEntry]:
    """Recorded changes, oldest first, filtered by any of the arguments.

    ``action`` matches a prefix (``finding`` matches ``finding.open`` and ``finding.update``);
    ``since`` and ``until`` bound the time (``until`` excluded). ``limit`` keeps the most
    recent ``limit`` entries, after skipping the ``offset`` most recent (a page of them).
    """
    query = select(audit_log)
    if object_type is not None:
        query = query.where(audit_log.c.object_type == object_type)
    if object_id is not None:
        query = query.where(audit_log.c.object_id == str(object_id))
    if action is not None:
        query = query.where(audit_log.c.action.startswith(action, autoescape=True))
    if user is not None:
        query = query.where(audit_log.c.user == user)
    if since is not None:
        query = query.where(audit_log.c.at >= since)
    if until is not None:
        query = query.where(audit_log.c.at < until)
    query = query.order_by(audit_log.c.id.desc())
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        AuditEntry(
            id=row.id,
            at=utc(row.at),
            user=row.user,
            action=row.action,
            object_type=row.object_type,
            object_id=row.object_id,
            run_id=row.run_id,
            before=row.before,
            after=row.after,
        )
        for row in reversed(rows)
    ]
