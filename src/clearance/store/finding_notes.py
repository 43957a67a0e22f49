"""A finding's history: the notes people wrote and the status changes people and runs made.

Entries are only ever inserted (database triggers of migration 0005 refuse UPDATE and
DELETE). Kinds:

- ``note``: text a person wrote (a note, an exception's justification, a disposition's
  reason), with the status change it came with, if any;
- ``status``: a person's status change without text;
- ``system``: what automation did and why ("not seen by run 13"), never a person's words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from clearance.store.schema import finding_notes
from clearance.store.values import utc

__all__ = ["NoteEntry", "NoteKind", "add_entry", "latest_note", "list_notes"]


class NoteKind(StrEnum):
    NOTE = "note"
    STATUS = "status"
    SYSTEM = "system"


@dataclass(slots=True, frozen=True)
class NoteEntry:
    """One entry of a finding's history."""

    id: int
    finding_id: int
    at: datetime
    author: str
    kind: NoteKind
    text: str | None
    status_from: str | None
    status_to: str | None
    run_id: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "finding_id": self.finding_id,
            "at": self.at.isoformat(),
            "author": self.author,
            "kind": str(self.kind),
            "text": self.text,
            "status_from": self.status_from,
            "status_to": self.status_to,
            "run_id": self.run_id,
        }


def add_entry(
    conn: Connection,
    finding_id: int,
    *,
    author: str,
    kind: NoteKind,
    at: datetime,
    text: str | None = None,
    status_from: str | None = None,
    status_to: str | None = None,
    run_id: int | None = None,
) -> None:
    """Append one entry, inside the caller's transaction."""
    conn.execute(
        insert(finding_notes).values(
            finding_id=finding_id,
            at=at,
            author=author,
            kind=str(kind),
            text=text,
            status_from=status_from,
            status_to=status_to if status_to != status_from else None,
            run_id=run_id,
        )
    )


def _entry(row: Any) -> NoteEntry:
    return NoteEntry(
        id=row.id,
        finding_id=row.finding_id,
        at=utc(row.at),
        author=row.author,
        kind=NoteKind(row.kind),
        text=row.text,
        status_from=row.status_from,
        status_to=row.status_to,
        run_id=row.run_id,
    )


def list_notes(engine: Engine | Connection, finding_id: int) -> list[NoteEntry]:
    """A finding's history, oldest first."""
    query = (
        select(finding_notes)
        .where(finding_notes.c.finding_id == finding_id)
        .order_by(finding_notes.c.id)
    )
    if isinstance(engine, Connection):
        return [_entry(r) for r in engine.execute(query)]
    with engine.connect() as conn:
        return [_entry(r) for r in conn.execute(query)]


def latest_note(conn: Connection, finding_id: int) -> str | None:
    """The text of the latest note a person wrote on the finding."""
    return conn.execute(
        select(finding_notes.c.text)
        .where(finding_notes.c.finding_id == finding_id, finding_notes.c.kind == "note")
        .order_by(finding_notes.c.id.desc())
        .limit(1)
    ).scalar_one_or_none()
