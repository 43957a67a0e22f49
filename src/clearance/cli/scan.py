"""``clearance scan``: find devices on the networks you name and identify them."""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from clearance.cli.context import state
from clearance.cli.output import Column, FormatOpt, OutputFormat, emit, resolve_format, to_json_text
from clearance.cli.saving import SaveOpt, save_asset_run
from clearance.discovery.identification import device_identifier
from clearance.discovery.probes.base import Timeouts
from clearance.discovery.scanner import DEFAULT_PORTS, PortPlan, ScanOptions, scan
from clearance.discovery.targets import build_scope

__all__ = ["ASSET_COLUMNS", "scan_command"]

ASSET_COLUMNS: list[Column] = [
    ("ip", lambda r: r["ip"]),
    ("mac", lambda r: r["mac"]),
    ("manufacturer", lambda r: r["manufacturer"]),
    ("brand", lambda r: r["brand"]),
    ("model", lambda r: r["model"]),
    ("firmware", lambda r: r["firmware"]),
    ("serial", lambda r: r["serial"]),
    ("restricted", lambda r: [f"{a['entity']} ({a['relation']})" for a in r["restricted"]]),
    ("evidence", lambda r: [f"{e['kind']}: {e['value']}" for e in r["evidence"]][:4]),
]


async def _run(
    scope: Any, options: ScanOptions, identify: Any, fmt: OutputFormat, found: list[dict[str, Any]]
) -> None:
    total = sum(1 for _ in scope.addresses())
    console = Console(stderr=True, file=sys.stderr)
    progress = Progress(
        TextColumn("scanning"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[found]} found"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    with progress:
        task = progress.add_task("scan", total=total, found=0)
        async for asset in scan(
            scope, options, identify, on_host_done=lambda _ip: progress.advance(task)
        ):
            record = asset.to_json()
            found.append(record)
            progress.update(task, found=len(found))
            if fmt is OutputFormat.JSONL:
                sys.stdout.write(to_json_text(record, indent=None) + "\n")
                sys.stdout.flush()


def scan_command(
    ctx: typer.Context,
    targets: Annotated[
        list[str],
        typer.Argument(help="Addresses, CIDRs, ranges (10.0.0.5-20) or @file.", show_default=False),
    ],
    ports: Annotated[
        str,
        typer.Option(
            "--ports", help="Probes and ports, PROBE:PORT,… (bare ports take their usual probe)."
        ),
    ] = DEFAULT_PORTS,
    rate: Annotated[
        float, typer.Option("--rate", help="Packets (connections and datagrams) per second.")
    ] = 1000.0,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds to wait for each connection or reply.")
    ] = 1.0,
    retries: Annotated[int, typer.Option("--retries", help="Resends of unanswered UDP.")] = 1,
    concurrency: Annotated[
        int, typer.Option("--concurrency", help="Hosts probed at the same time.")
    ] = 256,
    community: Annotated[
        str | None, typer.Option("--community", help="SNMP v2c community (SNMP skipped if unset).")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="Targets to leave alone (repeatable).")
    ] = None,
    allow_public: Annotated[
        bool,
        typer.Option("--allow-public", help="Allow public addresses (only if authorised)."),
    ] = False,
    site: Annotated[
        str | None, typer.Option("--site", help="Site name recorded on assets.")
    ] = None,
    save: SaveOpt = False,
    multicast: Annotated[
        bool,
        typer.Option(
            "--multicast",
            help="Also send one SADP, DHIP and WS-Discovery multicast search on the local link "
            "(answers outside the targets are dropped).",
        ),
    ] = False,
    fmt: FormatOpt = None,
) -> None:
    """Probe TARGETS with the devices' own protocols and identify restricted equipment.

    SADP, DHIP, WS-Discovery/ONVIF, HTTP(S), RTSP, banners and (with --community) SNMP read
    maker, model, firmware and serial. Only named targets are contacted; public addresses
    need --allow-public. Exits 1 when restricted equipment is found. Ctrl-C keeps what was
    found so far. --save records the run, its assets and findings (not after Ctrl-C).

    Example:

        clearance scan 192.168.1.0/24 --exclude 192.168.1.1 --community public --format jsonl
    """
    scope = build_scope(targets, exclude or (), allow_public=allow_public)
    options = ScanOptions(
        ports=PortPlan.parse(ports),
        timeouts=Timeouts(connect=timeout, read=max(timeout, 1.0), udp=timeout),
        retries=max(0, retries),
        rate=rate,
        concurrency=concurrency,
        community=community,
        site=site,
        multicast=multicast,
    )
    app_state = state(ctx)
    identify = device_identifier(app_state.registry, app_state.settings).identify
    chosen = resolve_format(fmt)
    found: list[dict[str, Any]] = []
    interrupted = False
    started = time.monotonic()
    try:
        asyncio.run(_run(scope, options, identify, chosen, found))
    except KeyboardInterrupt:
        interrupted = True
    elapsed = time.monotonic() - started
    if chosen is not OutputFormat.JSONL:
        emit(found, chosen, ASSET_COLUMNS, title=f"{len(found)} devices found")
    if save and not interrupted:  # an interrupted scan would mark unseen devices removed
        covered = [*targets, *(f"exclude {x}" for x in exclude or ())]
        save_asset_run(ctx, found, kind="scan", targets=covered, site=site)
    restricted = sum(1 for record in found if record["restricted"])
    Console(stderr=True, file=sys.stderr).print(
        f"{'interrupted: ' if interrupted else ''}{len(found)} devices found, "
        f"{restricted} restricted; probing took {elapsed:.1f} s",
        highlight=False,
    )
    if restricted:
        raise typer.Exit(1)
