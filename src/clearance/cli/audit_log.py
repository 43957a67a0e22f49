"""``clearance audit-log``: the append-only record of every change, who made it and when."""

from __future__ import annotations

from typing import Annotated

import typer

from clearance.cli.context import state
from clearance.cli.output import N_, FormatOpt, emit, to_json_text
from clearance.errors import UsageError
from clearance.i18n import gettext as _
from clearance.i18n import ngettext
from clearance.store.audit import list_audit

__all__ = ["audit_log"]

AUDIT_COLUMNS = [
    (N_("Id"), lambda r: r["id"]),
    (N_("When"), lambda r: r["at"][:19]),
    (N_("Who"), lambda r: r["user"]),
    (N_("Action"), lambda r: r["action"]),
    (N_("Object"), lambda r: f"{r['object_type']} {r['object_id']}"),
    (N_("Before"), lambda r: to_json_text(r["before"], indent=None) if r["before"] else ""),
    (N_("After"), lambda r: to_json_text(r["after"], indent=None) if r["after"] else ""),
]


def audit_log(
    ctx: typer.Context,
    obj: Annotated[
        str | None,
        typer.Option("--object", help="Only changes to TYPE or TYPE:ID, e.g. finding:12."),
    ] = None,
    action: Annotated[
        str | None, typer.Option("--action", help="Only actions starting with this, e.g. finding.")
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="Only changes made by this user.")] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", help="Only the most recent N changes.", min=1)
    ] = None,
    fmt: FormatOpt = None,
) -> None:
    """Show the audit log, oldest first: who changed what, when, with before and after.

    Example:

        clearance audit-log --object finding:12 --format json
    """
    object_type, object_id = None, None
    if obj:
        object_type, _unused, rest = obj.partition(":")
        object_id = rest or None
        if not object_type:
            raise UsageError(_("--object wants TYPE or TYPE:ID, e.g. finding:12"))
    rows = [
        e.to_json()
        for e in list_audit(
            state(ctx).engine,
            object_type=object_type,
            object_id=object_id,
            action=action,
            user=by,
            limit=limit,
        )
    ]
    emit(
        rows,
        fmt,
        AUDIT_COLUMNS,
        title=ngettext("{count} change", "{count} changes", len(rows)).format(count=len(rows)),
    )
