"""``clearance assets``: stored devices, merged across identify and scan runs."""

from __future__ import annotations

from typing import Annotated

import typer

from clearance.cli.context import state
from clearance.cli.output import FormatOpt, emit
from clearance.store.assets import list_assets

__all__ = ["assets"]

ASSET_COLUMNS = [
    ("Id", lambda r: r["id"]),
    ("Site", lambda r: r["site"]),
    ("IP", lambda r: r["ip"]),
    ("MAC", lambda r: r["mac"]),
    ("Manufacturer", lambda r: r["manufacturer"] or r["brand"]),
    ("Model", lambda r: r["model"]),
    ("Serial", lambda r: r["serial"]),
    ("Tag", lambda r: r.get("asset_tag")),
    ("Location", lambda r: r.get("location")),
    ("Status", lambda r: r.get("register_status")),
    ("Restricted", lambda r: [f"{a['entity']} ({a['relation']})" for a in r["restricted"]]),
    ("First seen", lambda r: r["first_seen"][:19]),
    ("Last seen", lambda r: r["last_seen"][:19]),
    ("Sources", lambda r: r["sources"]),
]


def assets(
    ctx: typer.Context,
    site: Annotated[str | None, typer.Option("--site", help="Only this site's assets.")] = None,
    restricted: Annotated[
        bool, typer.Option("--restricted", help="Only assets attributed to a restricted party.")
    ] = False,
    fmt: FormatOpt = None,
) -> None:
    """List stored assets with where and when they were seen, and why they are restricted.

    Assets come from identify and scan runs saved with --save; observations of one device
    are merged by MAC, then serial, then site and IP. Exits 1 when a listed asset is
    restricted and still held (not one its register marks disposed).

    Example:

        clearance assets --site "Head Office" --restricted --format json
    """
    rows = [
        a.to_json()
        for a in list_assets(state(ctx).engine, site=site, restricted=True if restricted else None)
    ]
    emit(rows, fmt, ASSET_COLUMNS, title=f"{len(rows)} assets")
    if any(r["restricted"] and r.get("register_state") != "disposed" for r in rows):
        raise typer.Exit(1)
