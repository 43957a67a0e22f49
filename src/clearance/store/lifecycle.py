"""How findings move through their lifecycle (see :mod:`clearance.store.findings` and
docs/lifecycle.md): opened and reopened by runs that see a restricted subject, made
``not_seen`` or ``verified`` by runs that no longer see it, cleared by rechecks, and
changed by people. Every change is audited and written to the finding's history; automation
writes system entries and never replaces a person's note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from clearance.errors import NotFound, UsageError
from clearance.i18n import gettext as _
from clearance.store.audit import log_change
from clearance.store.finding_notes import NoteKind, add_entry
from clearance.store.findings import (
    ACTIVE,
    FIELDS,
    MANUAL_TRANSITIONS,
    OPEN_STATES,
    REOPENABLE,
    FindingStatus,
    StoredFinding,
    get_finding,
    state_of,
)
from clearance.store.lock import write_transaction
from clearance.store.schema import findings
from clearance.store.values import is_row_id, jsonable, now, utc

__all__ = [
    "FindingUpdate",
    "PlannedUpdate",
    "clear_findings",
    "ensure_finding",
    "record_change",
    "sweep_missing",
    "update_finding",
    "update_findings",
]

S = FindingStatus


def record_change(
    conn: Connection,
    row: Any,
    values: dict[str, Any],
    *,
    action: str,
    user: str,
    at: datetime,
    kind: NoteKind,
    text: str | None = None,
    run_id: int | None = None,
) -> None:
    """Change a finding row, append the history entry and audit it. ``text`` is a person's
    words (kind ``note``, also kept as the finding's latest note) or automation's
    explanation (kind ``system``, which never touches the finding's note)."""
    if kind is NoteKind.NOTE and text is not None:
        values = {**values, "note": text}
    conn.execute(update(findings).where(findings.c.id == row.id).values(**values, updated_at=at))
    before = state_of(row)
    after = {**before, **{k: jsonable(v) for k, v in values.items() if k in FIELDS}}
    if kind is NoteKind.SYSTEM and text:
        after["system_note"] = text
    status_to = values.get("status")
    if text is not None or (status_to is not None and status_to != row.status):
        add_entry(
            conn,
            int(row.id),
            author=user,
            kind=kind if text is not None else NoteKind.STATUS,
            at=at,
            text=text,
            status_from=str(row.status),
            status_to=str(status_to) if status_to is not None else None,
            run_id=run_id,
        )
    log_change(
        conn,
        user=user,
        action=action,
        object_type="finding",
        object_id=row.id,
        before=before,
        after=after,
        run_id=run_id,
        at=at,
    )


def ensure_finding(
    conn: Connection,
    *,
    kind: str,
    subject: str,
    asset_id: int | None = None,
    supplier_id: int | None = None,
    entity_id: str,
    entity: str,
    relation: str,
    site_id: int | None,
    detail: dict[str, Any],
    user: str,
    at: datetime,
    run_id: int | None = None,
    reason: str = "seen again",
    reopen: frozenset[FindingStatus] = REOPENABLE,
) -> str:
    """Open a finding for ``subject`` and ``entity_id``, or bring back an existing one: a
    removed or verified one is ``reopened`` (the removal did not hold), a cleared one (or
    another status in ``reopen``) is ``open`` again, a ``not_seen`` one returns to the state
    it had, and one whose exception expired is ``open``.
    Returns what happened: opened, reopened, returned or unchanged."""
    row = conn.execute(
        select(findings).where(findings.c.subject == subject, findings.c.entity_id == entity_id)
    ).first()
    if row is None:
        values = {
            "kind": kind,
            "subject": subject,
            "asset_id": asset_id,
            "supplier_id": supplier_id,
            "entity_id": entity_id,
            "entity": entity,
            "relation": relation,
            "status": str(S.OPEN),
            "site_id": site_id,
            "detail": jsonable(detail),
            "opened_at": at,
            "updated_at": at,
        }
        key = conn.execute(insert(findings).values(**values)).inserted_primary_key
        assert key is not None
        log_change(
            conn,
            user=user,
            action="finding.open",
            object_type="finding",
            object_id=int(key[0]),
            after={k: values[k] for k in ("kind", "subject", "entity_id", "status", "relation")},
            run_id=run_id,
            at=at,
        )
        return "opened"
    refresh: dict[str, Any] = {"detail": jsonable(detail), "relation": relation}
    if site_id is not None:
        refresh["site_id"] = site_id
    status = FindingStatus(row.status)
    where = f" by run {run_id}" if run_id is not None else ""
    target: FindingStatus | None = None
    if status is S.NOT_SEEN:
        target, outcome = S(row.previous_status or S.OPEN), "returned"
        text, action = f"seen again{where}; back to {target}", "finding.seen_again"
    elif status in reopen:
        target = S.REOPENED if status in (S.REMOVED, S.VERIFIED) else S.OPEN
        outcome, text, action = "reopened", f"reopened: {reason}{where}", "finding.reopen"
    if (target or status) is S.EXCEPTION_GRANTED and row.expires and row.expires < at.date():
        target, outcome = S.OPEN, "reopened"
        text, action = f"exception expired on {row.expires}", "finding.exception_expired"
    if target is None:
        conn.execute(update(findings).where(findings.c.id == row.id).values(**refresh))
        return "unchanged"
    values = {**refresh, "status": str(target), "previous_status": None}
    if target in OPEN_STATES:
        values.update(removed_at=None, verified_at=None)
    record_change(
        conn,
        row,
        values,
        action=action,
        user=user,
        at=at,
        kind=NoteKind.SYSTEM,
        text=text,
        run_id=run_id,
    )
    return outcome


def sweep_missing(
    conn: Connection,
    subjects: set[str],
    *,
    run_id: int,
    run_started: datetime,
    user: str,
) -> dict[str, int]:
    """Findings of ``subjects`` (seen before in a scope, not by run ``run_id``): ones still
    in an open state become ``not_seen`` (nobody claimed a removal: the device may be
    switched off); ones a person marked removed before this run become ``verified``."""
    counts = {"not_seen": 0, "verified": 0}
    if not subjects:
        return counts
    wanted = [str(S.REMOVED), *(str(s) for s in OPEN_STATES)]
    rows = conn.execute(
        select(findings)
        .where(findings.c.subject.in_(sorted(subjects)), findings.c.status.in_(wanted))
        .order_by(findings.c.id)
    ).all()
    for row in rows:
        values: dict[str, Any]
        if FindingStatus(row.status) in OPEN_STATES:
            target = S.NOT_SEEN
            values = {"previous_status": row.status}
            text = f"not seen by run {run_id}; nobody has claimed its removal"
        elif row.removed_at is not None and utc(row.removed_at) < run_started:
            target, values = S.VERIFIED, {"verified_at": run_started}
            text = f"absent at run {run_id}, after the removal claim"
        else:
            continue
        record_change(
            conn,
            row,
            {**values, "status": str(target)},
            action=f"finding.{target}",
            user=user,
            at=run_started,
            kind=NoteKind.SYSTEM,
            text=text,
            run_id=run_id,
        )
        counts[str(target)] += 1
    return counts


def clear_findings(
    conn: Connection,
    subject: str,
    entity_ids: set[str],
    *,
    user: str,
    at: datetime,
    reason: str,
) -> int:
    """Mark the subject's unresolved findings for ``entity_ids`` cleared; return how many."""
    if not entity_ids:
        return 0
    rows = conn.execute(
        select(findings).where(
            findings.c.subject == subject,
            findings.c.entity_id.in_(sorted(entity_ids)),
            findings.c.status.in_([str(s) for s in ACTIVE]),
        )
    ).all()
    for row in rows:
        record_change(
            conn,
            row,
            {"status": str(S.CLEARED), "previous_status": None},
            action="finding.cleared",
            user=user,
            at=at,
            kind=NoteKind.SYSTEM,
            text=reason,
        )
    return len(rows)


@dataclass(slots=True, frozen=True)
class FindingUpdate:
    """A person's change to one finding: a status and remediation fields (None: unchanged)."""

    status: str | None = None
    owner: str | None = None
    due_date: date | None = None
    justification: str | None = None
    approver: str | None = None
    expires: date | None = None
    note: str | None = None


@dataclass(slots=True, frozen=True)
class PlannedUpdate:
    """What an update changes on one finding: the fields before and after."""

    finding_id: int
    action: str
    before: dict[str, Any]
    after: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        changed = {k: v for k, v in self.after.items() if self.before.get(k) != v}
        return {
            "id": self.finding_id,
            "action": self.action,
            "before": {k: self.before.get(k) for k in changed},
            "after": changed,
        }


def _plan(row: Any, change: FindingUpdate, at: datetime) -> tuple[dict[str, Any], str]:
    """The column values and audit action of ``change`` on ``row``.

    Raises:
        UsageError: a transition that is not allowed, missing fields, or an exception
            expiry in the past.
    """
    fid = row.id
    if change.expires is not None and change.expires < at.date():
        raise UsageError(
            _("finding {fid}: the exception's expiry {expires} is in the past").format(
                fid=fid, expires=change.expires
            )
        )
    values: dict[str, Any] = {
        name: getattr(change, name)
        for name in ("owner", "due_date", "justification", "approver", "expires")
        if getattr(change, name) is not None
    }
    current = FindingStatus(row.status)
    action = "finding.update" if change.note is None else "finding.note"
    if change.status is not None and FindingStatus(change.status) != current:
        target = FindingStatus(change.status)
        if target not in MANUAL_TRANSITIONS[current]:
            allowed = ", ".join(sorted(MANUAL_TRANSITIONS[current])) or _("none")
            hint = " " + _("(verified is set by a later run of the same scope)")
            raise UsageError(
                _("finding {fid} is {current}; it can move to: {allowed}").format(
                    fid=fid, current=current, allowed=allowed
                )
                + (hint if target is S.VERIFIED else "")
            )
        merged = {name: values.get(name, getattr(row, name)) for name in FIELDS[1:-1]}
        required = {
            S.REPLACEMENT_PLANNED: ("owner", "due_date"),
            S.EXCEPTION_GRANTED: ("justification", "approver", "expires"),
        }.get(target, ())
        missing = [name for name in required if not merged[name]]
        if missing:
            raise UsageError(
                _("finding {fid}: {target} needs {missing}").format(
                    fid=fid, target=target, missing=", ".join(missing)
                )
            )
        if current is S.NOT_SEEN and target is not S.REMOVED and not change.note:
            raise UsageError(
                _("finding {fid} is not_seen: confirm it removed, or explain with a note").format(
                    fid=fid
                )
            )
        values.update(status=str(target), previous_status=None)
        if target is S.REMOVED:
            values["removed_at"] = at
        if target in OPEN_STATES:
            values.update(removed_at=None, verified_at=None)
        action = f"finding.{target}"
    if not values and change.note is None:
        raise UsageError(_("nothing to change: give a status or a field to set"))
    return values, action


def _apply(
    conn: Connection, row: Any, change: FindingUpdate, user: str, at: datetime
) -> PlannedUpdate:
    values, action = _plan(row, change, at)
    if change.justification is not None and change.justification != row.justification:
        add_entry(
            conn,
            int(row.id),
            author=user,
            kind=NoteKind.NOTE,
            at=at,
            text=f"justification: {change.justification}",
        )
    record_change(
        conn, row, values, action=action, user=user, at=at, kind=NoteKind.NOTE, text=change.note
    )
    before = state_of(row)
    after = {**before, **{k: jsonable(v) for k, v in values.items() if k in FIELDS}}
    if change.note is not None:
        after["note"] = change.note
    return PlannedUpdate(int(row.id), action, before, after)


def update_findings(
    engine: Engine,
    changes: list[tuple[int, FindingUpdate]],
    *,
    user: str,
    dry_run: bool = False,
) -> list[PlannedUpdate]:
    """Apply people's changes to several findings in one transaction: all or none. With
    ``dry_run``, check them and return what would change, writing nothing.

    Raises:
        UsageError: a finding that does not exist, or a change :func:`_plan` refuses.
    """
    at = now()
    ids = sorted({fid for fid, _ in changes})
    invalid = [str(i) for i in ids if not is_row_id(i)]
    if invalid:
        raise NotFound(_("no finding {invalid}").format(invalid=", ".join(invalid)))
    with engine.connect() if dry_run else write_transaction(engine) as conn:
        rows = {r.id: r for r in conn.execute(select(findings).where(findings.c.id.in_(ids)))}
        missing = [str(i) for i in ids if i not in rows]
        if missing:
            raise NotFound(_("no finding {missing}").format(missing=", ".join(missing)))
        planned = []
        for fid, change in changes:
            if dry_run:
                values, action = _plan(rows[fid], change, at)
                before = state_of(rows[fid])
                after = {**before, **{k: jsonable(v) for k, v in values.items() if k in FIELDS}}
                if change.note is not None:
                    after["note"] = change.note
                planned.append(PlannedUpdate(fid, action, before, after))
            else:
                planned.append(_apply(conn, rows[fid], change, user, at))
                rows[fid] = conn.execute(select(findings).where(findings.c.id == fid)).one()
    return planned


def update_finding(
    engine: Engine,
    finding_id: int,
    *,
    user: str,
    status: str | None = None,
    owner: str | None = None,
    due_date: date | None = None,
    justification: str | None = None,
    approver: str | None = None,
    expires: date | None = None,
    note: str | None = None,
) -> StoredFinding:
    """Change one finding by hand: its status (see MANUAL_TRANSITIONS), its remediation
    fields, or add a note to its history.

    ``replacement_planned`` needs an owner and a due date; ``exception_granted`` needs a
    justification, an approver and an expiry (given now or already on the finding); leaving
    ``not_seen`` for anything but ``removed`` needs a note that explains.

    Raises:
        UsageError: no such finding, a transition that is not allowed, or missing fields.
    """
    change = FindingUpdate(status, owner, due_date, justification, approver, expires, note)
    update_findings(engine, [(finding_id, change)], user=user)
    found = get_finding(engine, finding_id)
    assert found is not None
    return found
