"""The scanner against the emulator on loopback, the scope guard and an empty range."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

import pytest
from typer.testing import CliRunner

from clearance.cli.app import app
from clearance.discovery.emulator.servers import Emulator, EmulatorThread, ServicePorts
from clearance.discovery.identify import DeviceIdentifier
from clearance.discovery.probes.base import AsyncioTransport, Timeouts
from clearance.discovery.scanner import PortPlan, ScanOptions, scan
from clearance.discovery.targets import build_scope
from clearance.errors import ScopeError, UsageError
from clearance.model import Asset
from clearance.registry import Registry

from ..loopback import process_network

pytestmark = pytest.mark.network
runner = CliRunner()
PORTS = ServicePorts.unprivileged(20000)


def _norm(value: str | None) -> str:
    return "".join((value or "").lower().split())


async def _collect(network: str, registry: Registry) -> list[Asset]:
    options = ScanOptions(
        ports=PortPlan.parse(PORTS.scan_spec()),
        # generous: the emulator shares this process, and the suite may run on a busy machine
        timeouts=Timeouts(connect=3.0, read=3.0, udp=2.0),
        retries=1,
        rate=5000,
        concurrency=64,
        site="hq",
    )
    identify = DeviceIdentifier(registry).identify
    return [a async for a in scan(build_scope([network]), options, identify)]


def test_scan_reads_the_emulated_fleet(seed: Registry) -> None:
    network = str(process_network(93, 27))
    emulator = Emulator.generate(16, network, seed=11, ports=PORTS)
    with EmulatorThread(emulator):
        assets = asyncio.run(_collect(network, seed))
    truth = {d["ip"]: d for d in emulator.manifest()}
    found = {a.ip: a for a in assets}
    assert set(found) == set(truth)
    for ip, dev in truth.items():
        asset = found[ip]
        assert asset.site == "hq"
        attributed = {a.entity_id for a in asset.restricted}
        if dev["restricted_entity"] in seed.entities:
            assert dev["restricted_entity"] in attributed, (ip, dev, asset)
        if dev["restricted_entity"] is None:
            assert not attributed, (ip, dev, asset)
        for key in dev["exposes"]:
            assert _norm(getattr(asset, key)) == _norm(dev[key]), (key, dev, asset)
    kinds = {e.kind for a in assets for e in a.evidence}
    assert {"sadp", "dhip", "onvif", "http_title", "rtsp_realm", "mac"} & kinds


def test_scope_guard_refuses_public_before_sending(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[Any] = []

    def record(*args: Any, **kwargs: Any) -> Any:
        sent.append(args)
        raise AssertionError("a packet was about to be sent")

    monkeypatch.setattr(AsyncioTransport, "tcp", record)
    monkeypatch.setattr(AsyncioTransport, "udp", record)
    monkeypatch.setattr(socket, "socket", record)
    result = runner.invoke(app, ["scan", "127.0.0.2", "8.8.8.8", "--format", "json"])
    assert isinstance(result.exception, ScopeError)  # main() maps it to exit code 2
    assert result.exception.exit_code == 2
    assert "--allow-public" in str(result.exception)
    assert sent == []


def test_silent_range_reports_nothing_and_exits_zero() -> None:
    result = runner.invoke(
        app,
        ["scan", "127.77.0.0/28", "--timeout", "0.5", "--retries", "0", "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []


def test_cli_scan_and_emulate_manifest(tmp_path: Any) -> None:
    network = process_network(94, 29)
    emulator = Emulator.generate(6, str(network), seed=2, ports=PORTS)
    hosts = f"{network[1]}-{str(network[6]).rsplit('.', 1)[1]}"
    with EmulatorThread(emulator):
        result = runner.invoke(
            app, ["scan", hosts, "--ports", PORTS.scan_spec(), "--format", "jsonl"]
        )
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert {r["ip"] for r in records} == {d["ip"] for d in emulator.manifest()}
    restricted = any(r["restricted"] for r in records)
    assert result.exit_code == (1 if restricted else 0)


def test_emulator_refuses_non_loopback() -> None:
    result = runner.invoke(app, ["emulate", "--network", "10.0.0.0/24", "--count", "2"])
    assert isinstance(result.exception, UsageError)
    assert "127.0.0.0/8" in str(result.exception)
