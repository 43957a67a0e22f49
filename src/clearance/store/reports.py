"""Reports made on the server (``POST /api/v1/reports``), kept in the store with their file.

In the database rather than under a cache folder for the reasons attachments are
(:mod:`clearance.store.attachments`): replicas sharing one PostgreSQL store behind a proxy each
serve any report's download, whichever replica made it, and one backup holds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, insert, select

from clearance.store.schema import reports
from clearance.store.values import now, utc

__all__ = ["StoredReport", "get_report", "read_report", "save_report"]


@dataclass(slots=True, frozen=True)
class StoredReport:
    """A report made and kept: what was asked, by whom, and its file's name, type and size."""

    id: int
    format: str
    lang: str
    site: str | None
    organisation: str
    status: str
    filename: str
    media_type: str
    size: int
    created_by: str
    created_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "format": self.format,
            "lang": self.lang,
            "site": self.site,
            "organisation": self.organisation,
            "status": self.status,
            "filename": self.filename,
            "media_type": self.media_type,
            "size": self.size,
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat(),
        }


_COLUMNS = [c for c in reports.c if c.name != "content"]


def _report(row: Any) -> StoredReport:
    return StoredReport(
        id=row.id,
        format=row.format,
        lang=row.lang,
        site=row.site,
        organisation=row.organisation,
        status=row.status,
        filename=row.filename,
        media_type=row.media_type,
        size=row.size,
        created_by=row.created_by,
        created_at=utc(row.created_at),
    )


def save_report(
    engine: Engine,
    content: bytes,
    *,
    fmt: str,
    lang: str,
    site: str | None,
    organisation: str,
    filename: str,
    media_type: str,
    user: str,
) -> StoredReport:
    """Keep a report that was made (``status`` ``done``) and return it."""
    values = {
        "format": fmt,
        "lang": lang,
        "site": site,
        "organisation": organisation,
        "status": "done",
        "filename": filename,
        "media_type": media_type,
        "size": len(content),
        "content": content,
        "created_by": user,
        "created_at": now(),
    }
    with engine.begin() as conn:
        key = conn.execute(insert(reports).values(**values)).inserted_primary_key
    assert key is not None
    saved = get_report(engine, int(key[0]))
    assert saved is not None
    return saved


def get_report(engine: Engine, report_id: int) -> StoredReport | None:
    """Report ``report_id`` without its file, or ``None``."""
    with engine.connect() as conn:
        row = conn.execute(select(*_COLUMNS).where(reports.c.id == report_id)).first()
    return _report(row) if row is not None else None


def read_report(engine: Engine, report_id: int) -> tuple[StoredReport, bytes] | None:
    """Report ``report_id`` and its file, or ``None``."""
    with engine.connect() as conn:
        row = conn.execute(select(reports).where(reports.c.id == report_id)).first()
    return (_report(row), bytes(row.content)) if row is not None else None
