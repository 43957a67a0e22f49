"""``clearance identify``: which devices in scan files, leases, ARP tables and inventories
come from restricted manufacturers, with the evidence."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from clearance.basis import basis_label, mark_json, profile_key
from clearance.cli.column_map import MapOpt, SaveMapOpt, column_map
from clearance.cli.context import state
from clearance.cli.output import N_, FormatOpt, emit
from clearance.cli.saving import SaveOpt, SourceNameOpt, save_asset_run
from clearance.cli.sending import SendOpt, TokenOpt, send_asset_run, sender_of
from clearance.discovery.identification import device_identifier
from clearance.discovery.identify import DeviceIdentifier
from clearance.discovery.sources import FORMATS, read_observations
from clearance.errors import UsageError
from clearance.i18n import gettext as _

__all__ = ["identify"]


def _restricted(asset: dict[str, Any]) -> str:
    """Each party the device leads to; with a profile, its lists, binding ones first."""
    parts = []
    for a in asset["restricted"]:
        part = f"{a['entity']} ({a['relation']}, {a['certainty']:.2f})"
        if any("binding" in x for x in a["listings"]):
            part += f": {basis_label(a['listings'])}"
        parts.append(part)
    return "; ".join(parts)


def _rules(asset: dict[str, Any]) -> str:
    return "; ".join(sorted({e["rule"] for e in asset["evidence"] if e["rule"]}))


_COLUMNS = [
    (N_("source"), lambda a: a["source"]),
    (N_("ip"), lambda a: a["ip"]),
    (N_("mac"), lambda a: a["mac"]),
    (N_("hostname"), lambda a: a["hostname"]),
    (N_("manufacturer"), lambda a: a["manufacturer"]),
    (N_("brand"), lambda a: a["brand"]),
    (N_("model"), lambda a: a["model"]),
    (N_("firmware"), lambda a: a["firmware"]),
    (N_("serial"), lambda a: a["serial"]),
    (N_("site"), lambda a: a["site"]),
    (N_("asset tag"), lambda a: a["asset_tag"]),
    (N_("location"), lambda a: a["location"]),
    (N_("register status"), lambda a: a["register_status"]),
    (N_("restricted"), _restricted),
    (N_("rules"), _rules),
]


def identify(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(help="nmap/masscan output, DHCP leases, ARP/MAC tables or inventories."),
    ],
    input_format: Annotated[
        str | None,
        typer.Option(
            "--input-format",
            help=f"Input format (detected when omitted): {', '.join(FORMATS)}.",
        ),
    ] = None,
    site: Annotated[
        str | None,
        typer.Option("--site", help="Site for devices whose input names none."),
    ] = None,
    save: SaveOpt = False,
    source_name: SourceNameOpt = None,
    map_text: MapOpt = None,
    save_map: SaveMapOpt = False,
    send: SendOpt = None,
    token: TokenOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Identify restricted equipment (Hikvision, Dahua, Huawei, ZTE, their brands and OEMs)
    in scan files, DHCP leases, ARP/neighbour/MAC tables and asset inventories.

    Exits 1 when any device is attributed to a restricted party, 2 on bad input (the message
    names the file and line). --save records the run, merges its devices into the stored
    assets and opens findings (the same files identified again later are the same scope);
    --send uploads the run to a Clearance server, which records it the same way (a run
    that cannot be sent waits in the local spool: clearance sensor flush).

    Asset registers: a combined make-and-model column is split; a status column is read, and
    a device the register marks disposed (Disposed, Decommissioned, Éliminé …) is listed with
    its status but neither opens a finding nor counts for the exit code, while one in storage
    or out of service is still held and does. Summary rows ("Total: 12") are skipped.
    --map names the field of headings Clearance does not recognise; with --source-name and
    --save-map the map is kept for the next export of the same register.

    Example:

        clearance identify scan.xml dhcpd.leases assets.xlsx --site "HQ" --format json
        clearance identify hq-2026-11.xlsx --map "Make/Model=make_model,Local=location"
            --source-name "HQ asset register" --save-map --save --site HQ
        CLEARANCE_TOKEN=… clearance identify scan.xml --site HQ --send https://clearance.example.org
    """
    if input_format is not None and input_format not in FORMATS:
        raise UsageError(
            _("unknown --input-format {input_format!r}; one of: {FORMATS}").format(
                input_format=input_format, FORMATS=", ".join(FORMATS)
            )
        )
    sender = sender_of(send, token)
    began = datetime.now(UTC)
    app_state = state(ctx)
    max_bytes = app_state.settings.max_file_bytes
    columns = column_map(app_state, map_text, source_name, save_map)
    # Every file's format is settled before anything is printed or the registry is opened.
    sources = [
        read_observations(p, input_format, site, max_bytes=max_bytes, column_map=columns.mapping)
        for p in files
    ]
    counts = {"assets": 0, "restricted": 0}
    kept: list[dict[str, Any]] = []

    def assets() -> Iterator[dict[str, Any]]:
        identifier: DeviceIdentifier | None = None
        for observations in sources:
            for obs in observations:
                if identifier is None:
                    identifier = device_identifier(app_state.registry, app_state.settings)
                asset = identifier.identify(obs)
                counts["assets"] += 1
                counts["restricted"] += bool(asset.restricted) and not asset.disposed
                record = asset.to_json()
                if save or sender is not None:
                    kept.append(record)
                yield mark_json(record, app_state.profile)

    emit(
        assets(),
        fmt,
        _COLUMNS,
        title=_("Identified devices"),
        document=lambda items: {
            "registry_version": app_state.registry.version if items else None,
            "asset_count": len(items),
            "restricted_count": sum(
                1 for a in items if a["restricted"] and a["register_state"] != "disposed"
            ),
            "assets": items,
            **profile_key(app_state.profile),
        },
    )
    columns.remember(app_state)
    ended = datetime.now(UTC)
    if save:
        save_asset_run(
            ctx,
            kept,
            kind="identify",
            targets=[str(p) for p in files],
            site=site,
            source_name=source_name,
        )
    if sender is not None:
        send_asset_run(
            ctx,
            sender,
            kept,
            kind="identify",
            targets=[str(p) for p in files],
            site=site,
            source_name=source_name,
            started_at=began,
            finished_at=ended,
        )
    if counts["restricted"]:
        raise typer.Exit(1)
