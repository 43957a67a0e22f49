"""``clearance assets``: stored devices, merged across identify and scan runs."""

from __future__ import annotations

from typing import Annotated

import typer

from clearance.basis import mark_json
from clearance.cli.context import state
from clearance.cli.output import N_, Column, FormatOpt, OutputFormat, emit, resolve_format
from clearance.i18n import ngettext
from clearance.store.asset_search import search_assets

__all__ = ["assets"]

ASSET_COLUMNS = [
    (N_("Id"), lambda r: r["id"]),
    (N_("Site"), lambda r: r["site"]),
    (N_("IP"), lambda r: r["ip"]),
    (N_("MAC"), lambda r: r["mac"]),
    (N_("Manufacturer"), lambda r: r["manufacturer"] or r["brand"]),
    (N_("Model"), lambda r: r["model"]),
    (N_("Serial"), lambda r: r["serial"]),
    (N_("Restricted"), lambda r: [f"{a['entity']} ({a['relation']})" for a in r["restricted"]]),
    (N_("First seen"), lambda r: r["first_seen"][:19]),
    (N_("Last seen"), lambda r: r["last_seen"][:19]),
    (N_("Sources"), lambda r: r["sources"]),
]
# Shown when some listed asset comes from a register that has them.
REGISTER_COLUMNS: list[Column] = [
    (N_("Tag"), lambda r: r.get("asset_tag")),
    (N_("Location"), lambda r: r.get("location")),
    (N_("Register status"), lambda r: r.get("register_status")),
]


def assets(
    ctx: typer.Context,
    site: Annotated[str | None, typer.Option("--site", help="Only this site's assets.")] = None,
    restricted: Annotated[
        bool, typer.Option("--restricted", help="Only assets attributed to a restricted party.")
    ] = False,
    vendor: Annotated[
        str | None,
        typer.Option(
            "--vendor", help="Only this manufacturer's, brand's or restricted party's (any case)."
        ),
    ] = None,
    text: Annotated[
        str | None,
        typer.Option("--q", help="Only assets with this in an address, name, model, serial …"),
    ] = None,
    fmt: FormatOpt = None,
) -> None:
    """List stored assets with where and when they were seen, and why they are restricted.

    Assets come from identify and scan runs saved with --save; observations of one device
    are merged by MAC, then serial, then site and IP. Exits 1 when a listed asset is
    restricted and still held (not one its register marks disposed).

    Example:

        clearance assets --site "Head Office" --restricted --format json

        clearance assets --vendor hikvision --q 10.0.0.
    """
    app_state = state(ctx)
    rows = [
        mark_json(a.to_json(), app_state.profile)  # binding listings first, with a profile
        for a in search_assets(
            app_state.engine,
            site=site,
            restricted=True if restricted else None,
            vendor=vendor,
            q=text,
        )
    ]
    columns = list(ASSET_COLUMNS)
    table = resolve_format(fmt) is OutputFormat.TABLE  # CSV keeps one header whatever the data
    for column in REGISTER_COLUMNS:
        if not table or any(column[1](r) for r in rows):
            columns.insert(columns.index(ASSET_COLUMNS[7]), column)  # before "Restricted"
    emit(
        rows,
        fmt,
        columns,
        title=ngettext("{count} asset", "{count} assets", len(rows)).format(count=len(rows)),
    )
    if any(r["restricted"] and r.get("register_state") != "disposed" for r in rows):
        raise typer.Exit(1)
