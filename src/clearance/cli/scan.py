"""``clearance scan``: find devices on the networks you name and identify them."""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from clearance.basis import mark_json
from clearance.cli.context import state
from clearance.cli.output import (
    N_,
    Column,
    FormatOpt,
    OutputFormat,
    emit,
    markup_safe,
    resolve_format,
    to_json_text,
)
from clearance.cli.saving import SaveOpt, SourceNameOpt, save_asset_run
from clearance.cli.sending import SendOpt, TokenOpt, send_asset_run, sender_of
from clearance.discovery.identification import device_identifier
from clearance.discovery.probes.base import Timeouts
from clearance.discovery.scanner import (
    BOUNDS,
    DEFAULT_COMMUNITIES,
    DEFAULT_PORTS,
    PortPlan,
    ScanOptions,
    bound_problem,
    scan,
)
from clearance.discovery.targets import build_scope
from clearance.errors import UsageError
from clearance.explanations import decimal
from clearance.i18n import gettext as _
from clearance.i18n import ngettext
from clearance.profile import OrganisationProfile

__all__ = ["ASSET_COLUMNS", "scan_command"]

ASSET_COLUMNS: list[Column] = [
    (N_("ip"), lambda r: r["ip"]),
    (N_("mac"), lambda r: r["mac"]),
    (N_("manufacturer"), lambda r: r["manufacturer"]),
    (N_("brand"), lambda r: r["brand"]),
    (N_("model"), lambda r: r["model"]),
    (N_("firmware"), lambda r: r["firmware"]),
    (N_("serial"), lambda r: r["serial"]),
    (N_("restricted"), lambda r: [f"{a['entity']} ({a['relation']})" for a in r["restricted"]]),
    (N_("evidence"), lambda r: [f"{e['kind']}: {e['value']}" for e in r["evidence"]][:4]),
]


def _bounded(name: str) -> Any:
    """A typer callback refusing values outside ``BOUNDS[name]`` (NaN and infinity too)."""

    def check(value: float) -> float:
        problem = bound_problem(name, value)
        if problem is not None:
            raise typer.BadParameter(problem)
        return value

    return check


def _range(name: str, unit: str = "") -> str:
    low, high = BOUNDS[name]
    return f"{low:g}-{high:g}{unit}"


def communities_of(values: list[str] | None, no_snmp: bool) -> tuple[str, ...]:
    """The SNMP read communities to ask: "public" by default, the named ones (repeatable,
    comma-separated) otherwise, none with --no-snmp.

    Raises:
        UsageError: --no-snmp with --community, or an empty or over-long community.
    """
    if no_snmp:
        if values:
            raise UsageError(_("--no-snmp and --community cannot be used together"))
        return ()
    if not values:
        return DEFAULT_COMMUNITIES
    found: list[str] = []
    for value in values:
        for part in value.split(","):
            name = part.strip()
            if not name or len(name.encode()) > 255 or not name.isprintable():
                raise UsageError(
                    _(
                        "--community: not a community name: {part!r} (1-255 printable characters)"
                    ).format(part=part)
                )
            if name not in found:
                found.append(name)
    return tuple(found)


async def _run(
    scope: Any,
    options: ScanOptions,
    identify: Any,
    fmt: OutputFormat,
    found: list[dict[str, Any]],
    profile: OrganisationProfile | None = None,
) -> None:
    total = sum(1 for _ in scope.addresses())
    console = Console(stderr=True, file=sys.stderr)
    progress = Progress(
        TextColumn(markup_safe(_("scanning"))),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(markup_safe(_("{count} found")).replace("{count}", "{task.fields[found]}")),
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
                shown = mark_json(record, profile)  # binding listings first, with a profile
                sys.stdout.write(to_json_text(shown, indent=None) + "\n")
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
        float,
        typer.Option(
            "--rate",
            help=f"Packets (connections and datagrams) per second, {_range('rate')}.",
            callback=_bounded("rate"),
        ),
    ] = 1000.0,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            help=f"Seconds to wait for each connection or reply, {_range('timeout')}.",
            callback=_bounded("timeout"),
        ),
    ] = 1.0,
    retries: Annotated[
        int,
        typer.Option(
            "--retries",
            help=f"Resends of unanswered UDP, {_range('retries')}.",
            callback=_bounded("retries"),
        ),
    ] = 1,
    concurrency: Annotated[
        int,
        typer.Option(
            "--concurrency",
            help=f"Hosts probed at the same time, {_range('concurrency')}.",
            callback=_bounded("concurrency"),
        ),
    ] = 256,
    community: Annotated[
        list[str] | None,
        typer.Option(
            "--community",
            help="SNMP v1/v2c read community (repeatable or comma-separated; default: public).",
        ),
    ] = None,
    no_snmp: Annotated[
        bool, typer.Option("--no-snmp", help="Send no SNMP requests at all.")
    ] = False,
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
    source_name: SourceNameOpt = None,
    multicast: Annotated[
        bool,
        typer.Option(
            "--multicast",
            help="Also send one SADP, DHIP and WS-Discovery multicast search on the local link "
            "(answers outside the targets are dropped).",
        ),
    ] = False,
    send: SendOpt = None,
    token: TokenOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Probe TARGETS with the devices' own protocols and identify restricted equipment.

    SADP, DHIP, WS-Discovery/ONVIF, HTTP(S), RTSP, banners and SNMP v1/v2c read maker,
    model, firmware and serial. SNMP asks the read-only community "public" unless
    --community names others (--no-snmp: none); switches, routers and ONTs state their model
    in sysDescr. Only named targets are contacted; public addresses need --allow-public.
    Exits 1 when restricted equipment is found, 2 on a bad option. Ctrl-C keeps what was
    found so far. --save records the run, its assets and findings (not after Ctrl-C);
    --send uploads it to a Clearance server, which records it the same way (a run that
    cannot be sent waits in the local spool: clearance sensor flush; not after Ctrl-C).

    Example:

        clearance scan 192.168.1.0/24 --exclude 192.168.1.1 --community ops,public --format jsonl
        CLEARANCE_TOKEN=… clearance scan 10.1.0.0/22 --site Ottawa --send https://clearance.example.org
    """
    sender = sender_of(send, token)
    communities = communities_of(community, no_snmp)
    scope = build_scope(targets, exclude or (), allow_public=allow_public)
    options = ScanOptions(
        ports=PortPlan.parse(ports),
        timeouts=Timeouts(connect=timeout, read=max(timeout, 1.0), udp=timeout),
        retries=retries,
        rate=rate,
        concurrency=concurrency,
        communities=communities,
        site=site,
        multicast=multicast,
    )
    app_state = state(ctx)
    identify = device_identifier(app_state.registry, app_state.settings).identify
    chosen = resolve_format(fmt)
    found: list[dict[str, Any]] = []
    interrupted = False
    started = time.monotonic()
    began = datetime.now(UTC)
    profile = app_state.profile
    try:
        asyncio.run(_run(scope, options, identify, chosen, found, profile))
    except KeyboardInterrupt:
        interrupted = True
    elapsed = time.monotonic() - started
    ended = datetime.now(UTC)
    if chosen is not OutputFormat.JSONL:
        shown = [mark_json(record, profile) for record in found]
        emit(
            shown,
            chosen,
            ASSET_COLUMNS,
            title=ngettext("{count} device found", "{count} devices found", len(found)).format(
                count=len(found)
            ),
        )
    covered = [*targets, *(f"exclude {x}" for x in exclude or ())]
    if save and not interrupted:  # an interrupted scan would mark unseen devices removed
        save_asset_run(ctx, found, kind="scan", targets=covered, site=site, source_name=source_name)
    restricted = sum(1 for record in found if record["restricted"])
    Console(stderr=True, file=sys.stderr).print(
        (
            _(
                "interrupted: {count} devices found, {restricted} restricted; probing took "
                "{seconds} s"
            )
            if interrupted
            else _("{count} devices found, {restricted} restricted; probing took {seconds} s")
        ).format(count=len(found), restricted=restricted, seconds=decimal(elapsed, 1)),
        highlight=False,
    )
    if sender is not None and not interrupted:  # sent after the summary: a refusal exits 3
        send_asset_run(
            ctx,
            sender,
            found,
            kind="scan",
            targets=covered,
            site=site,
            source_name=source_name,
            started_at=began,
            finished_at=ended,
        )
    if restricted:
        raise typer.Exit(1)
