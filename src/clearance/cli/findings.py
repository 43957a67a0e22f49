"""``clearance findings``: restricted assets and supplier hits tracked to removal
(list, update)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from clearance.cli.context import state
from clearance.cli.output import FormatOpt, emit
from clearance.errors import UsageError
from clearance.store.dispositions import Decision
from clearance.store.findings import (
    FindingStatus,
    StoredFinding,
    get_finding,
    list_findings,
    update_finding,
)
from clearance.store.suppliers import dispose_hit
from clearance.store.values import MAX_ID

__all__ = ["app"]

app = typer.Typer(
    name="findings",
    help="Findings: one per restricted asset or supplier hit, tracked until verified gone.",
    no_args_is_help=True,
)

FINDING_COLUMNS = [
    ("Id", lambda r: r["id"]),
    ("Kind", lambda r: r["kind"]),
    ("Site", lambda r: r["site"]),
    ("Subject", lambda r: _subject(r)),
    ("Entity", lambda r: r["entity"]),
    ("Status", lambda r: r["status"]),
    ("Owner", lambda r: r["owner"]),
    ("Due", lambda r: r["due_date"] or r["expires"]),
    ("Note", lambda r: r["note"]),
]


def _subject(row: dict[str, object]) -> str:
    detail = row.get("detail")
    if isinstance(detail, dict):
        if "query" in detail:
            return str(detail["query"])
        asset = detail.get("asset")
        if isinstance(asset, dict):
            parts = [asset.get("manufacturer") or asset.get("brand"), asset.get("model")]
            where = asset.get("ip") or asset.get("mac")
            return " ".join(str(p) for p in [*parts, where] if p)
    return str(row.get("subject"))


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(f"{option} wants a date as YYYY-MM-DD, not {value!r}") from exc


@app.command("list")
def list_command(
    ctx: typer.Context,
    status: Annotated[
        FindingStatus | None, typer.Option("--status", help="Only findings with this status.")
    ] = None,
    site: Annotated[str | None, typer.Option("--site", help="Only this site's findings.")] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="Only device or supplier findings.")
    ] = None,
    active: Annotated[
        bool, typer.Option("--active", help="Only unresolved ones (open, planned, exception).")
    ] = False,
    fmt: FormatOpt = None,
) -> None:
    """List findings with their status, owner and due date. Exits 1 when any listed finding
    is unresolved (open, replacement_planned or exception_granted).

    Example:

        clearance findings list --site "Head Office" --status open --format json
    """
    found = list_findings(
        state(ctx).engine,
        status=str(status) if status is not None else None,
        site=site,
        kind=kind,
        active_only=active,
    )
    rows = [f.to_json() for f in found]
    emit(rows, fmt, FINDING_COLUMNS, title=f"{len(rows)} findings")
    if any(f.status in ("open", "replacement_planned", "exception_granted") for f in found):
        raise typer.Exit(1)


def _dispose(ctx: typer.Context, finding: StoredFinding, decision: Decision, reason: str) -> None:
    app_state = state(ctx)
    dispose_hit(
        app_state.engine,
        str(finding.detail.get("query") or ""),
        finding.entity_id,
        decision,
        reason,
        list(finding.detail.get("listings") or []),
        user=app_state.settings.user,
    )


@app.command("update")
def update_command(
    ctx: typer.Context,
    finding_id: Annotated[
        int,
        typer.Argument(help="The finding's id (see findings list).", min=1, max=MAX_ID),
    ],
    status: Annotated[
        FindingStatus | None,
        typer.Option(
            "--status",
            help="New status: replacement_planned, exception_granted, removed, false_positive "
            "or open (verified is set by a later run of the same scope).",
        ),
    ] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Who replaces it.")] = None,
    due: Annotated[str | None, typer.Option("--due", help="Replacement due date.")] = None,
    justification: Annotated[
        str | None, typer.Option("--justification", help="Why an exception is granted.")
    ] = None,
    approver: Annotated[
        str | None, typer.Option("--approver", help="Who approved the exception.")
    ] = None,
    expires: Annotated[
        str | None, typer.Option("--expires", help="When the exception ends (YYYY-MM-DD).")
    ] = None,
    note: Annotated[
        str | None,
        typer.Option("--note", help="A note; the reason when marking a false positive."),
    ] = None,
    fmt: FormatOpt = None,
) -> None:
    """Move a finding along its lifecycle or set its remediation fields. Audited.

    replacement_planned needs --owner and --due; exception_granted needs --justification,
    --approver and --expires. Marking a supplier hit false_positive (with --note as the
    reason) also records a disposition that later screenings of that supplier reuse.

    Example:

        clearance findings update 12 --status replacement_planned --owner IT --due 2027-03-31
    """
    app_state = state(ctx)
    engine = app_state.lasting_engine
    finding = get_finding(engine, finding_id)
    if finding is None:
        raise UsageError(f"no finding {finding_id}")
    if status is FindingStatus.FALSE_POSITIVE and finding.kind == "supplier":
        if not note:
            raise UsageError("a false positive needs --note with the reason")
        _dispose(ctx, finding, Decision.FALSE_POSITIVE, note)
        updated = get_finding(engine, finding_id)
        assert updated is not None
    else:
        updated = update_finding(
            engine,
            finding_id,
            user=app_state.settings.user,
            status=str(status) if status is not None else None,
            owner=owner,
            due_date=_date(due, "--due"),
            justification=justification,
            approver=approver,
            expires=_date(expires, "--expires"),
            note=note,
        )
    emit([updated.to_json()], fmt, FINDING_COLUMNS, title=f"Finding {finding_id}")
