"""``clearance dispositions``: reviewers' decisions on screening hits (list, mark)."""

from __future__ import annotations

from typing import Annotated

import typer

from clearance.cli.context import state
from clearance.cli.output import N_, FormatOpt, OutputFormat, emit
from clearance.errors import UsageError
from clearance.i18n import gettext as _
from clearance.i18n import ngettext
from clearance.store.dispositions import Approval, Decision, list_dispositions
from clearance.store.suppliers import dispose_hit, review_hit

__all__ = ["app"]

app = typer.Typer(
    name="dispositions",
    help="Reviewers' decisions on screening hits, reused until the entity's listings change.",
    no_args_is_help=True,
)

DISPOSITION_COLUMNS = [
    (N_("Id"), lambda r: r["id"]),
    (N_("Input"), lambda r: r["query"]),
    (N_("Entity"), lambda r: r["entity_id"]),
    (N_("Decision"), lambda r: r["decision"]),
    (N_("Reason"), lambda r: r["reason"]),
    (N_("By"), lambda r: r["user"]),
    (N_("When"), lambda r: r["created_at"][:19]),
    (N_("Approval"), lambda r: r["approval"] or ""),
]


@app.command("list")
def list_command(
    ctx: typer.Context,
    query: Annotated[
        str | None, typer.Option("--query", help="Only decisions on this input.")
    ] = None,
    pending: Annotated[
        bool, typer.Option("--pending", help="Only decisions waiting for a second reviewer.")
    ] = False,
    fmt: FormatOpt = None,
) -> None:
    """List recorded decisions, oldest first.

    Example:

        clearance dispositions list --format json
    """
    approval = Approval.PENDING if pending else None
    rows = [
        d.to_json() for d in list_dispositions(state(ctx).engine, query=query, approval=approval)
    ]
    emit(
        rows,
        fmt,
        DISPOSITION_COLUMNS,
        title=ngettext("{count} disposition", "{count} dispositions", len(rows)).format(
            count=len(rows)
        ),
    )


@app.command("mark")
def mark_command(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="The screened input (supplier name) as given.")],
    entity_id: Annotated[str, typer.Argument(help="The hit's entity id.")],
    decision: Annotated[Decision, typer.Option("--decision", help="confirmed or false_positive.")],
    reason: Annotated[str, typer.Option("--reason", help="Why; shown whenever it is reused.")],
    fmt: FormatOpt = None,
) -> None:
    """Record that INPUT's hit on ENTITY_ID is confirmed or a false positive. Later
    screenings of the same input show and reuse it until the entity's listings change.

    Example:

        clearance dispositions mark "ZTE Kangxun" zte --decision confirmed --reason "same USCC"
    """
    app_state = state(ctx)
    entity = app_state.registry.entities.get(entity_id)
    if entity is None:
        raise UsageError(
            _("no entity {entity_id!r} in registry {version}").format(
                entity_id=entity_id, version=app_state.registry.version
            )
        )
    made = dispose_hit(
        app_state.lasting_engine,
        query,
        entity_id,
        decision,
        reason,
        [listing.to_json() for listing in entity.listings],
        user=app_state.settings.user,
        four_eyes_score=app_state.settings.four_eyes_score,
    )
    title = (
        _("Disposition recorded; it waits for a second reviewer's approval")
        if made.approval is Approval.PENDING
        else _("Disposition recorded")
    )
    emit([made.to_json()], fmt, DISPOSITION_COLUMNS, title=title)


def _review(
    ctx: typer.Context,
    disposition_id: int,
    reason: str,
    fmt: OutputFormat | None,
    *,
    approve: bool,
) -> None:
    app_state = state(ctx)
    made = review_hit(
        app_state.lasting_engine,
        disposition_id,
        approve=approve,
        reason=reason,
        user=app_state.settings.user,
    )
    title = _("Disposition approved") if approve else _("Disposition rejected")
    emit([made.to_json()], fmt, DISPOSITION_COLUMNS, title=title)


@app.command("approve")
def approve_command(
    ctx: typer.Context,
    disposition_id: Annotated[int, typer.Argument(help="The pending disposition's id.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the decision stands.")],
    fmt: FormatOpt = None,
) -> None:
    """Approve, as a second reviewer, a disposition that clears a strong hit (one scored at
    or above CLEARANCE_FOUR_EYES_SCORE, 0.85 by default); it then applies. The approver must
    be someone other than who recorded it.

    Example:

        clearance --user bea dispositions approve 12 --reason "checked the USCC: another firm"
    """
    _review(ctx, disposition_id, reason, fmt, approve=True)


@app.command("reject")
def reject_command(
    ctx: typer.Context,
    disposition_id: Annotated[int, typer.Argument(help="The pending disposition's id.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the hit may not be cleared.")],
    fmt: FormatOpt = None,
) -> None:
    """Reject, as a second reviewer, a disposition waiting for approval: the hit stays
    undecided.

    Example:

        clearance --user bea dispositions reject 12 --reason "same address as the listed firm"
    """
    _review(ctx, disposition_id, reason, fmt, approve=False)
