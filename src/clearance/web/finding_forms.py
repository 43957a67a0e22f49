"""The findings' forms as the library's values: a status, an owner (one of the users), dates
and a note, as a person filled them in, turned into a :class:`FindingUpdate` (blank fields
leave the finding's field as it is), and the changes applied through
:func:`clearance.store.finding_changes.change_findings`, all or none, as the CLI's
``findings update`` and ``POST /api/v1/findings/bulk`` apply them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine

from clearance.auth.roles import Principal
from clearance.auth.users import list_users
from clearance.errors import UsageError
from clearance.server.auth import actor
from clearance.server.limits import has_nul
from clearance.store.finding_changes import authorise_change, change_findings
from clearance.store.findings import FindingStatus
from clearance.store.lifecycle import FindingUpdate, PlannedUpdate
from clearance.web.text import _w

__all__ = ["FindingForm", "apply_form", "owner_names"]


def owner_names(engine: Engine) -> list[str]:
    """Who may own a finding's work: the users who may sign in, by name."""
    return [u.name for u in list_users(engine) if not u.disabled]


def _date(value: str, label: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as error:
        raise UsageError(
            _w("%(field)s wants a date as YYYY-MM-DD, not %(value)s")
            % {"field": label, "value": value}
        ) from error


def _text(value: str) -> str | None:
    return value.strip() or None


@dataclass(slots=True, frozen=True)
class FindingForm:
    """A change to findings as a form sends it: every field a string, blank for unchanged."""

    status: str = ""
    owner: str = ""
    due_date: str = ""
    justification: str = ""
    approver: str = ""
    expires: str = ""
    note: str = ""

    def update(self, owners: Sequence[str]) -> FindingUpdate:
        """The change as the library takes it.

        Raises:
            UsageError: an unknown status, an owner who is not a user, a malformed date, or
                a form with nothing to change.
        """
        if has_nul(*(getattr(self, name) for name in self.__slots__)):
            raise UsageError(_w("A field holds a NUL character, which cannot be stored."))
        status = self.status.strip()
        if status and status not in {str(s) for s in FindingStatus}:
            raise UsageError(_w("Choose one of the statuses offered."))
        owner = _text(self.owner)
        if owner is not None and owner not in owners:
            raise UsageError(_w("The owner must be one of the users."))
        change = FindingUpdate(
            status=status or None,
            owner=owner,
            due_date=_date(self.due_date, _w("Due date")),
            justification=_text(self.justification),
            approver=_text(self.approver),
            expires=_date(self.expires, _w("Exception expires")),
            note=_text(self.note),
        )
        if change == FindingUpdate():
            raise UsageError(_w("Nothing to change: choose a status or fill in a field."))
        return change


def apply_form(
    engine: Engine,
    who: Principal,
    ids: Sequence[int],
    form: FindingForm,
    *,
    four_eyes_score: float | None,
) -> list[PlannedUpdate]:
    """Apply ``form`` to the findings ``ids`` for ``who``: all of them or, when the lifecycle
    refuses one, none.

    Raises:
        UsageError: no finding chosen, a form :meth:`FindingForm.update` refuses, or a
            change the lifecycle refuses (its message names the finding and why).
        NotFound: a finding that does not exist.
        PermissionDenied: a false positive on a supplier finding without
            ``findings.clear_hit``.
    """
    chosen = list(dict.fromkeys(ids))
    if not chosen:
        raise UsageError(_w("Select at least one finding."))
    change = form.update(owner_names(engine))
    authorise_change(engine, who, chosen, change)
    return change_findings(
        engine,
        [(i, change) for i in chosen],
        user=actor(who),
        four_eyes_score=four_eyes_score,
    )
