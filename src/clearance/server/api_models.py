"""The bodies the REST API takes (pydantic, at the API edge only): what a change to a
finding, a bulk change, a note and a disposition hold. Each turns into the library's own
value (:class:`clearance.store.lifecycle.FindingUpdate` …); the rules stay in the library."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from clearance.server.limits import NO_NUL
from clearance.store.dispositions import Decision
from clearance.store.findings import FindingStatus
from clearance.store.lifecycle import FindingUpdate
from clearance.store.values import MAX_ID

__all__ = ["BulkChange", "DispositionIn", "FindingChange", "FindingFilter", "NoteIn", "ReviewIn"]

# No NUL character: PostgreSQL's text cannot hold one (a 503 otherwise, not a 422).
Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000, pattern=NO_NUL),
]
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500, pattern=NO_NUL)
]


class FindingChange(BaseModel):
    """A change to a finding, as ``clearance findings update`` takes it: a status and any
    remediation fields (absent: unchanged), with a note for its history.

    ``replacement_planned`` needs an owner and a due date; ``exception_granted`` a
    justification, an approver and an expiry; leaving ``not_seen`` for anything but
    ``removed`` needs a note; a supplier finding marked ``false_positive`` needs a note (the
    reason) and is recorded as a disposition on its hits."""

    model_config = ConfigDict(extra="forbid")

    status: FindingStatus | None = None
    owner: Name | None = None
    due_date: date | None = None
    justification: Text | None = None
    approver: Name | None = None
    expires: date | None = None
    note: Text | None = None

    def update(self) -> FindingUpdate:
        """The library's value for this change."""
        return FindingUpdate(
            status=str(self.status) if self.status is not None else None,
            owner=self.owner,
            due_date=self.due_date,
            justification=self.justification,
            approver=self.approver,
            expires=self.expires,
            note=self.note,
        )


class FindingFilter(BaseModel):
    """Which findings: the filters of ``GET /findings`` (and of ``--where``)."""

    model_config = ConfigDict(extra="forbid")

    status: FindingStatus | None = None
    site: Name | None = None
    kind: Literal["device", "supplier"] | None = None
    owner: Name | None = None
    entity: Name | None = None
    vendor: Name | None = None
    list: Name | None = None
    active: bool = False
    overdue: bool = False


class BulkChange(BaseModel):
    """One change to many findings, chosen by id, by filter or both; all are changed or
    none. ``dry_run``: answer what would change, changing nothing."""

    model_config = ConfigDict(extra="forbid")

    ids: Annotated[list[Annotated[int, Field(ge=1, le=MAX_ID)]], Field(max_length=10_000)] = []
    filter: FindingFilter | None = None
    change: FindingChange
    dry_run: bool = False


class NoteIn(BaseModel):
    """A note for a finding's history."""

    model_config = ConfigDict(extra="forbid")

    text: Text


class DispositionIn(BaseModel):
    """A reviewer's decision on a screening hit: the screened input as given, the entity it
    hit, confirmed or false_positive, and why (shown whenever it is reused)."""

    model_config = ConfigDict(extra="forbid")

    query: Text
    entity_id: Name
    decision: Decision
    reason: Text


class ReviewIn(BaseModel):
    """A second reviewer's reason to approve or reject a decision waiting for approval."""

    model_config = ConfigDict(extra="forbid")

    reason: Text
