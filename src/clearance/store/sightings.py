"""Sightings: which saved run saw an asset or a supplier, when, and how the observation was
merged into it (the asset page's list of where a device was seen)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select

from clearance.store.schema import runs, sightings, sites
from clearance.store.values import utc

__all__ = ["Sighting", "list_sightings"]


@dataclass(slots=True, frozen=True)
class Sighting:
    """One run's sighting of a subject, with the run's kind, site, source and user."""

    run_id: int
    seen_at: datetime
    kind: str  # identify | scan | screen
    site: str | None
    source_name: str | None
    user: str
    merged_by: str  # mac | serial | site_ip | record | new (assets); key | new (suppliers)
    note: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "seen_at": self.seen_at.isoformat(),
            "kind": self.kind,
            "site": self.site,
            "source_name": self.source_name,
            "user": self.user,
            "merged_by": self.merged_by,
            "note": self.note,
        }


def list_sightings(engine: Engine, subject: str) -> list[Sighting]:
    """The sightings of ``subject`` (``asset:<id>`` or ``supplier:<id>``), oldest first."""
    query = (
        select(
            sightings.c.run_id,
            sightings.c.seen_at,
            sightings.c.merged_by,
            sightings.c.note,
            runs.c.kind,
            runs.c.source_name,
            runs.c.user,
            sites.c.name.label("site_name"),
        )
        .join(runs, runs.c.id == sightings.c.run_id)
        .outerjoin(sites, sites.c.id == runs.c.site_id)
        .where(sightings.c.subject == subject)
        .order_by(sightings.c.seen_at, sightings.c.id)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        Sighting(
            run_id=row.run_id,
            seen_at=utc(row.seen_at),
            kind=row.kind,
            site=row.site_name,
            source_name=row.source_name,
            user=row.user,
            merged_by=row.merged_by,
            note=row.note,
        )
        for row in rows
    ]
