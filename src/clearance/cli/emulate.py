"""``clearance emulate``: serve a fleet of fake devices on loopback for tests and demos."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from clearance.cli.output import N_, FormatOpt, emit
from clearance.discovery.emulator.servers import Emulator, ServicePorts, write_manifest
from clearance.i18n import gettext as _

__all__ = ["emulate"]


async def _serve(emulator: Emulator, manifest: Path, console: Console) -> None:
    await emulator.start()
    write_manifest(manifest, emulator.manifest())
    console.print(
        _(
            "{count} devices listening; manifest: {manifest}\n"
            "scan them with: clearance scan --ports {ports} TARGET"
        ).format(count=len(emulator.fleet), manifest=manifest, ports=emulator.ports.scan_spec()),
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await emulator.stop()


def emulate(
    count: Annotated[int, typer.Option("--count", "-n", help="How many devices.")] = 20,
    network: Annotated[
        str, typer.Option("--network", help="Loopback CIDR inside 127.0.0.0/8 to serve on.")
    ] = "127.66.0.0/16",
    seed: Annotated[int, typer.Option("--seed", help="Seed for a reproducible fleet.")] = 1,
    manifest: Annotated[
        Path, typer.Option("--manifest", help="Where to write the ground-truth JSON list.")
    ] = Path("emulator-manifest.json"),
    ports: Annotated[
        str | None,
        typer.Option(
            "--ports",
            help="Service port overrides NAME=PORT,… (sadp, dhip, dhip5050, wsd, http, https, "
            "rtsp, sdk, dvrip, ssh, snmp).",
        ),
    ] = None,
    unprivileged: Annotated[
        bool,
        typer.Option("--unprivileged", help="Move ports below 1024 up by 10000 (no root)."),
    ] = False,
    fmt: FormatOpt = None,
) -> None:
    """Serve COUNT fake cameras, recorders, network gear and servers on loopback until stopped.

    Each device binds its own address of NETWORK (127.0.0.0/8 only) and answers SADP, DHIP,
    WS-Discovery/ONVIF, HTTP(S), RTSP, SNMP and banner probes as its real counterpart does.
    The manifest (ground truth) is written once every device listens; --format prints it too.

    Example:

        clearance emulate --count 50 --network 127.66.0.0/24 --seed 7 --manifest fleet.json
    """
    service_ports = ServicePorts.unprivileged() if unprivileged else ServicePorts.parse(ports)
    emulator = Emulator.generate(count, network, seed, service_ports)
    if fmt is not None:
        emit(
            emulator.manifest(),
            fmt,
            [
                (N_("ip"), lambda r: r["ip"]),
                (N_("manufacturer"), lambda r: r["manufacturer"]),
                (N_("brand"), lambda r: r["brand"]),
                (N_("model"), lambda r: r["model"]),
                (N_("firmware"), lambda r: r["firmware"]),
                (N_("restricted"), lambda r: r["restricted_entity"]),
            ],
        )
    asyncio.run(_serve(emulator, manifest, Console(stderr=True, file=sys.stderr)))
