"""``clearance sites``: the properties that assets and findings belong to (list, add)."""

from __future__ import annotations

from typing import Annotated

import typer

from clearance.cli.context import state
from clearance.cli.output import N_, FormatOpt, emit
from clearance.i18n import gettext as _
from clearance.i18n import ngettext
from clearance.store.sites import add_site, list_sites

__all__ = ["app"]

app = typer.Typer(
    name="sites",
    help="Sites (buildings, campuses, offices) with their assets and unresolved findings.",
    no_args_is_help=True,
)

SITE_COLUMNS = [
    (N_("Site"), lambda r: r["name"]),
    (N_("Address"), lambda r: r["address"]),
    (N_("Owner"), lambda r: r["owner"]),
    (N_("Assets"), lambda r: r["asset_count"]),
    (N_("Open findings"), lambda r: r["active_findings"]),
]


@app.command("list")
def list_command(ctx: typer.Context, fmt: FormatOpt = None) -> None:
    """List every site with its address, owner, asset count and unresolved findings.

    Example:

        clearance sites list --format json
    """
    rows = [s.to_json() for s in list_sites(state(ctx).engine)]
    emit(
        rows,
        fmt,
        SITE_COLUMNS,
        title=ngettext("{count} site", "{count} sites", len(rows)).format(count=len(rows)),
    )


@app.command("add")
def add_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The site's name, unique.")],
    address: Annotated[str | None, typer.Option("--address", help="Street address.")] = None,
    owner: Annotated[
        str | None, typer.Option("--owner", help="Who answers for the site's equipment.")
    ] = None,
    fmt: FormatOpt = None,
) -> None:
    """Add a site. Runs saved with --site NAME also create sites they name.

    Example:

        clearance sites add "Head Office" --address "1 Main St, Ottawa" --owner Facilities
    """
    app_state = state(ctx)
    site = add_site(
        app_state.lasting_engine, name, address=address, owner=owner, user=app_state.settings.user
    )
    emit([site.to_json()], fmt, SITE_COLUMNS, title=_("Site added"))
