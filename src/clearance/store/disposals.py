"""Devices an asset register marks disposed: their unresolved findings become ``removed``.

A register's "Disposed" (or "Éliminé", "Decommissioned" …) is the department's own record
that the device left its hands: a removal claim, written in the register rather than typed
into ``clearance findings update``. The findings of such a device that still need action
(open, reopened, planned, excepted or not seen) are marked removed, with the register's words
in the finding's history (a system entry: a person's note is never replaced) and the audit
log. Verifying the removal is left to a later run of a scope that no longer sees the device,
as for any removal claim; the register's later exports that keep listing it as disposed
neither verify nor reopen it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from clearance.store.finding_notes import NoteKind
from clearance.store.findings import ACTIVE, FindingStatus
from clearance.store.lifecycle import record_change
from clearance.store.schema import findings

__all__ = ["remove_disposed"]


def remove_disposed(
    conn: Connection,
    subject: str,
    *,
    register_status: str,
    user: str,
    at: datetime,
    run_id: int,
) -> int:
    """Mark the unresolved findings of ``subject`` removed because its register says
    ``register_status``; return how many changed."""
    rows = conn.execute(
        select(findings)
        .where(findings.c.subject == subject, findings.c.status.in_([str(s) for s in ACTIVE]))
        .order_by(findings.c.id)
    ).all()
    for row in rows:
        record_change(
            conn,
            row,
            {"status": str(FindingStatus.REMOVED), "removed_at": at},
            action="finding.removed",
            user=user,
            at=at,
            kind=NoteKind.SYSTEM,
            text=f"asset register status {register_status!r} at run {run_id}: disposed",
            run_id=run_id,
        )
    return len(rows)
