"""``clearance dispositions``: reviewers' decisions on screening hits (list, mark)."""

from __future__ import annotations

from typing import Annotated

import typer

from clearance.cli.context import state
from clearance.cli.output import N_, FormatOpt, emit
from clearance.errors import UsageError
from clearance.i18n import gettext as _
from clearance.i18n import ngettext
from clearance.store.dispositions import Decision, list_dispositions
from clearance.store.suppliers import dispose_hit

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
]


@app.command("list")
def list_command(
    ctx: typer.Context,
    query: Annotated[
        str | None, typer.Option("--query", help="Only decisions on this input.")
    ] = None,
    fmt: FormatOpt = None,
) -> None:
    """List recorded decisions, oldest first.

    Example:

        clearance dispositions list --format json
    """
    rows = [d.to_json() for d in list_dispositions(state(ctx).engine, query=query)]
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
    )
    emit([made.to_json()], fmt, DISPOSITION_COLUMNS, title=_("Disposition recorded"))
