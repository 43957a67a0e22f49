"""What a report's accounting rests on: each finding it counts, the statement of scope and the
sign-off, as recorded (in the store, or by the audit run that made the report).

Every count a report shows (headline, charts, tables) is computed from one list of
:class:`FindingRef`, the same findings ``clearance findings list`` prints; the work-list rows
group them per device or supplier, but are not counted in their place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

__all__ = ["FindingRef", "ScopeStatement", "SignOff", "Signature"]


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(slots=True, frozen=True)
class FindingRef:
    """One finding as counted: its kind, status, site, party, lists and due date.

    ``active`` is the store's notion (``findings list --active``); ``overdue`` is an active
    finding whose due date is before the report's date.
    """

    id: str | None
    kind: str  # device | supplier
    status: str
    active: bool
    site: str | None
    entity: str
    lists: tuple[str, ...] = ()
    due_date: date | None = None
    overdue: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "active": self.active,
            "overdue": self.overdue,
            "site": self.site,
            "entity": self.entity,
            "lists": list(self.lists),
            "due_date": _iso(self.due_date),
        }


@dataclass(slots=True)
class ScopeStatement:
    """What was scanned or read and when, and what was not."""

    covered: list[str] = field(default_factory=list)
    not_covered: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"covered": list(self.covered), "not_covered": list(self.not_covered)}


@dataclass(slots=True, frozen=True)
class Signature:
    """One person in the sign-off, with what they did and when (first and last time)."""

    user: str
    did: str
    first: datetime
    last: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "user": self.user,
            "did": self.did,
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
        }


@dataclass(slots=True)
class SignOff:
    """Who prepared the results (ran the runs) and who reviewed them (updated findings or
    recorded dispositions), from recorded actions only."""

    prepared_by: list[Signature] = field(default_factory=list)
    reviewed_by: list[Signature] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "prepared_by": [s.to_json() for s in self.prepared_by],
            "reviewed_by": [s.to_json() for s in self.reviewed_by],
        }
