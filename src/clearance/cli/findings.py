"""``clearance findings``: restricted assets and supplier hits tracked to removal
(list, show, update, attach, dispose)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from clearance.basis import basis_label, in_force, with_profile
from clearance.cli.context import AppState, state
from clearance.cli.findings_bulk import parse_date, read_updates, where_ids
from clearance.cli.output import N_, FormatOpt, OutputFormat, emit, resolve_format
from clearance.errors import UsageError
from clearance.i18n import gettext as _
from clearance.i18n import ngettext
from clearance.store.attachments import attach_file, list_attachments
from clearance.store.dispositions import Decision
from clearance.store.finding_changes import change_findings, dispose_finding, finding_or_404
from clearance.store.finding_notes import list_notes
from clearance.store.finding_search import subject_label
from clearance.store.findings import (
    ACTIVE,
    FindingStatus,
    StoredFinding,
    list_findings,
)
from clearance.store.lifecycle import FindingUpdate
from clearance.store.values import MAX_ID

__all__ = ["app"]

app = typer.Typer(
    name="findings",
    help="Findings: one per restricted asset or supplier hit, tracked until verified gone.",
    no_args_is_help=True,
)

FINDING_COLUMNS = [
    (N_("Id"), lambda r: r["id"]),
    (N_("Kind"), lambda r: r["kind"]),
    (N_("Site"), lambda r: r["site"]),
    (N_("Subject"), subject_label),
    (N_("Entity"), lambda r: r["entity"]),
    (N_("Status"), lambda r: r["status"]),
    (N_("Owner"), lambda r: r["owner"]),
    (N_("Due"), lambda r: r["due_date"] or r["expires"]),
    (N_("Note"), lambda r: r["note"]),
]


def _basis(row: dict[str, object]) -> str:
    """The lists of a finding's party, those binding the organisation first."""
    detail = row.get("detail")
    if not isinstance(detail, dict):
        return ""
    hits = detail.get("hits")
    parts = [detail.get("attribution"), detail, *(hits if isinstance(hits, list) else [])]
    for part in parts:
        if isinstance(part, dict) and isinstance(part.get("listings"), list) and part["listings"]:
            return basis_label(part["listings"])
    return ""


def _shown(app_state: AppState, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings as output: with a profile, their listings binding first and marked, and the
    profile on each; as stored without one."""
    return [with_profile(row, app_state.profile) for row in rows]


def _columns(app_state: AppState) -> list[tuple[str, Any]]:
    """The findings table's columns, with the basis (binding lists first) under a profile."""
    if in_force(app_state.profile) is None:
        return FINDING_COLUMNS
    return [*FINDING_COLUMNS, ("Basis", _basis)]


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
        bool,
        typer.Option(
            "--active", help="Only unresolved ones (open, reopened, planned, exception, not_seen)."
        ),
    ] = False,
    fmt: FormatOpt = None,
) -> None:
    """List findings with their status, owner and due date. Exits 1 when any listed finding
    is unresolved (open, reopened, replacement_planned, exception_granted or not_seen).

    Example:

        clearance findings list --site "Head Office" --status open --format json
    """
    app_state = state(ctx)
    found = list_findings(
        app_state.engine,
        status=str(status) if status is not None else None,
        site=site,
        kind=kind,
        active_only=active,
    )
    rows = _shown(app_state, [f.to_json() for f in found])
    emit(
        rows,
        fmt,
        _columns(app_state),
        title=ngettext("{count} finding", "{count} findings", len(rows)).format(count=len(rows)),
    )
    if any(f.status in ACTIVE for f in found):
        raise typer.Exit(1)


NOTE_COLUMNS = [
    (N_("When"), lambda r: r["at"][:19]),
    (N_("By"), lambda r: r["author"]),
    (N_("Kind"), lambda r: r["kind"]),
    (N_("Status"), lambda r: f"{r['status_from']} → {r['status_to']}" if r["status_to"] else ""),
    (N_("Text"), lambda r: r["text"]),
]
ATTACHMENT_COLUMNS = [
    (N_("Id"), lambda r: r["id"]),
    (N_("File"), lambda r: r["filename"]),
    (N_("Bytes"), lambda r: r["size"]),
    (N_("SHA-256"), lambda r: r["sha256"]),
    (N_("By"), lambda r: r["author"]),
    (N_("When"), lambda r: r["at"][:19]),
]
PLAN_COLUMNS = [
    (N_("Id"), lambda r: r["id"]),
    (N_("Action"), lambda r: r["action"]),
    (N_("Before"), lambda r: ", ".join(f"{k}={v}" for k, v in r["before"].items())),
    (N_("After"), lambda r: ", ".join(f"{k}={v}" for k, v in r["after"].items())),
]


def _finding(ctx: typer.Context, finding_id: int) -> StoredFinding:
    return finding_or_404(state(ctx).engine, finding_id)


@app.command("show")
def show_command(
    ctx: typer.Context,
    finding_id: Annotated[
        int, typer.Argument(help="The finding's id (see findings list).", min=1, max=MAX_ID)
    ],
    fmt: FormatOpt = None,
) -> None:
    """Show one finding with its history (every note, who wrote it and when, and every
    status change, people's and runs') and its attached files with their SHA-256.

    Example:

        clearance findings show 12 --format json
    """
    app_state = state(ctx)
    engine = app_state.engine
    finding = _finding(ctx, finding_id)
    notes = [n.to_json() for n in list_notes(engine, finding_id)]
    files = [a.to_json() for a in list_attachments(engine, finding_id)]
    row = _shown(app_state, [finding.to_json()])[0]
    columns = _columns(app_state)
    if resolve_format(fmt) is not OutputFormat.TABLE:
        emit([{**row, "notes": notes, "attachments": files}], fmt, columns)
        return
    emit([row], fmt, columns, title=_("Finding {id}").format(id=finding_id))
    emit(notes, fmt, NOTE_COLUMNS, title=_("History ({count})").format(count=len(notes)))
    emit(files, fmt, ATTACHMENT_COLUMNS, title=_("Attachments ({count})").format(count=len(files)))


@app.command("attach")
def attach_command(
    ctx: typer.Context,
    finding_id: Annotated[
        int, typer.Argument(help="The finding's id (see findings list).", min=1, max=MAX_ID)
    ],
    path: Annotated[Path, typer.Argument(help="The file: a disposal certificate, a photo …")],
    max_bytes: Annotated[
        int | None,
        typer.Option(
            "--max-bytes",
            min=0,
            help="Refuse larger files (default CLEARANCE_ATTACHMENT_MAX_BYTES or 20 MB; 0: none).",
        ),
    ] = None,
    fmt: FormatOpt = None,
) -> None:
    """Attach a file to a finding. Its content is stored in the database once, by its
    SHA-256, which is shown and recorded in the audit log. Files over the limit are refused
    (exit 2).

    Example:

        clearance findings attach 12 GCS-2026-4471.pdf
    """
    app_state = state(ctx)
    limit = app_state.settings.attachment_max_bytes if max_bytes is None else max_bytes
    made = attach_file(
        app_state.engine, finding_id, path, user=app_state.settings.user, max_bytes=limit
    )
    emit(
        [made.to_json()],
        fmt,
        ATTACHMENT_COLUMNS,
        title=_("Attached to finding {id}").format(id=finding_id),
    )


@app.command("dispose")
def dispose_command(
    ctx: typer.Context,
    finding_id: Annotated[int, typer.Argument(help="A supplier finding's id.", min=1, max=MAX_ID)],
    decision: Annotated[Decision, typer.Option("--decision", help="confirmed or false_positive.")],
    reason: Annotated[str, typer.Option("--reason", help="Why; shown whenever it is reused.")],
    entity: Annotated[
        str | None,
        typer.Option("--entity", help="Only the hit on this entity id (default: all its hits)."),
    ] = None,
    fmt: FormatOpt = None,
) -> None:
    """Record a reviewer's decision on a supplier finding's hits, by finding id (the same
    as ``dispositions mark`` with the finding's supplier and each entity it hit).

    Example:

        clearance findings dispose 7 --decision false_positive --reason "other USCC"
    """
    app_state = state(ctx)
    app_state.require_lasting_store()
    finding = _finding(ctx, finding_id)
    dispose_finding(
        app_state.engine,
        finding,
        decision,
        reason,
        user=app_state.settings.user,
        entity=entity,
        four_eyes_score=app_state.settings.four_eyes_score,
    )
    updated = _finding(ctx, finding_id)
    emit([updated.to_json()], fmt, FINDING_COLUMNS, title=_("Finding {id}").format(id=finding_id))


def _changes(
    ctx: typer.Context,
    ids: list[int],
    where: str | None,
    source: Path | None,
    change: FindingUpdate,
) -> list[tuple[int, FindingUpdate]]:
    """The (finding id, change) pairs the options select."""
    if source is not None:
        if ids or where or change != FindingUpdate():
            raise UsageError(_("--from takes its ids and fields from the file: give nothing else"))
        return read_updates(source)
    chosen = list(ids)
    if where is not None:
        chosen += [i for i in where_ids(state(ctx).engine, where) if i not in chosen]
        if not chosen:
            raise UsageError(_("--where {where} selects no finding").format(where=where))
    if not chosen:
        raise UsageError(_("give finding ids, --where or --from"))
    return [(i, change) for i in chosen]


@app.command("update")
def update_command(
    ctx: typer.Context,
    finding_ids: Annotated[
        list[int] | None, typer.Argument(help="Finding ids (see findings list).", min=1, max=MAX_ID)
    ] = None,
    where: Annotated[
        str | None,
        typer.Option(
            "--where",
            help="Also every finding matching key=value,… (site, status, kind, owner, entity).",
        ),
    ] = None,
    source: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="A CSV with one row per finding: id,status,note,owner,due,justification,"
            "approver,expires (empty cells: unchanged).",
        ),
    ] = None,
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
        typer.Option(
            "--note", help="A note added to the history; the reason when marking a false positive."
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; change nothing.")
    ] = False,
    fmt: FormatOpt = None,
) -> None:
    """Move findings along their lifecycle, set their remediation fields or add a note to
    their history. Audited; all the changes are made, or none.

    replacement_planned needs --owner and --due; exception_granted needs --justification,
    --approver and --expires; a not_seen finding is resolved by removed (the device is
    gone) or by another status with a --note that explains. Marking a supplier hit
    false_positive (with --note as the reason) also records a disposition that later
    screenings of that supplier reuse.

    Example:

        clearance findings update 3 7 9 --status replacement_planned --owner IT --due 2027-03-31

        clearance findings update --where site=HQ,status=open --owner Facilities --dry-run

        clearance findings update --from updates.csv
    """
    app_state = state(ctx)
    engine = app_state.lasting_engine
    change = FindingUpdate(
        status=str(status) if status is not None else None,
        owner=owner,
        due_date=parse_date(due, "--due"),
        justification=justification,
        approver=approver,
        expires=parse_date(expires, "--expires"),
        note=note,
    )
    changes = _changes(ctx, finding_ids or [], where, source, change)
    planned = change_findings(
        engine,
        changes,
        user=app_state.settings.user,
        dry_run=dry_run,
        four_eyes_score=app_state.settings.four_eyes_score,
    )
    if dry_run:
        rows = [p.to_json() for p in planned]
        emit(
            rows,
            fmt,
            PLAN_COLUMNS,
            title=ngettext(
                "Would change {count} finding (dry run)",
                "Would change {count} findings (dry run)",
                len(rows),
            ).format(count=len(rows)),
        )
        return
    ids = list(dict.fromkeys(i for i, _ in changes))
    updated = [f.to_json() for f in list_findings(engine, ids=ids)]
    title = (
        _("Finding {id}").format(id=ids[0])
        if len(ids) == 1
        else ngettext("{count} finding updated", "{count} findings updated", len(ids)).format(
            count=len(ids)
        )
    )
    emit(updated, fmt, FINDING_COLUMNS, title=title)
