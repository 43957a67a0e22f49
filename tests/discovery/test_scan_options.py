"""Scanner settings are checked before anything is sent: out-of-range, infinite and NaN
values are usage errors (exit 2) naming the option and its bounds (issue 14, defects 9, 14)."""

from __future__ import annotations

import asyncio
import math
from typing import Any

import pytest
from typer.testing import CliRunner

from clearance.cli.app import app
from clearance.cli.scan import communities_of
from clearance.discovery.probes.base import AsyncioTransport, Timeouts
from clearance.discovery.scanner import BOUNDS, ScanOptions, scan
from clearance.discovery.targets import build_scope
from clearance.errors import UsageError
from clearance.model import Asset, Observation

runner = CliRunner()


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--rate", "0"),
        ("--rate", "inf"),
        ("--rate", "nan"),
        ("--rate", "0.01"),
        ("--rate", "1e9"),
        ("--timeout", "0"),
        ("--timeout", "-1"),
        ("--timeout", "nan"),
        ("--timeout", "3600"),
        ("--retries", "-1"),
        ("--retries", "1000000"),
        ("--concurrency", "0"),
    ],
)
def test_out_of_range_option_is_a_usage_error(
    option: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[object] = []
    monkeypatch.setattr(AsyncioTransport, "udp", lambda *a, **k: sent.append(a))
    monkeypatch.setattr(AsyncioTransport, "tcp", lambda *a, **k: sent.append(a))
    result = runner.invoke(app, ["scan", "127.0.0.9", option, value, "--format", "json"])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert option in result.output
    low, high = BOUNDS[option.removeprefix("--")]
    assert f"from {low:g} to {high:g}" in result.output
    assert sent == []


@pytest.mark.parametrize(
    "change",
    [
        {"rate": math.nan},
        {"rate": 0.0},
        {"retries": 11},
        {"timeouts": Timeouts.of(math.nan)},
        {"timeouts": Timeouts.of(0.0)},
        {"concurrency": 0},
    ],
)
def test_scanner_refuses_bad_settings_from_any_caller(change: dict[str, Any]) -> None:
    options = ScanOptions(**change)

    def identify(obs: Observation) -> Asset:
        raise AssertionError("nothing may be scanned")

    async def run() -> None:
        async for _ in scan(build_scope(["127.0.0.9"]), options, identify):
            pass

    with pytest.raises(UsageError, match="must be a number"):
        asyncio.run(run())


def test_communities() -> None:
    assert communities_of(None, no_snmp=False) == ("public",)
    assert communities_of(None, no_snmp=True) == ()
    assert communities_of(["ops, public", "ops", "lab"], no_snmp=False) == ("ops", "public", "lab")
    for bad in ([","], ["x" * 256], ["a\x00b"]):
        with pytest.raises(UsageError, match="--community"):
            communities_of(bad, no_snmp=False)
    with pytest.raises(UsageError, match="--no-snmp"):
        communities_of(["public"], no_snmp=True)


def test_a_failing_identifier_stops_the_scan_instead_of_hanging() -> None:
    """An error while identifying a host reaches the caller (it used to leave the scan
    waiting for a worker that had died)."""
    from clearance.discovery.emulator.fleet import generate_fleet
    from clearance.discovery.emulator.servers import Emulator, EmulatorThread, ServicePorts
    from clearance.discovery.scanner import PortPlan

    ports = ServicePorts.unprivileged(23000)
    fleet = [d for d in generate_fleet(40, "127.85.0.0/26", seed=3) if d.family == "zte"][:1]

    def identify(obs: Observation) -> Asset:
        raise RuntimeError("identifier broke")

    options = ScanOptions(ports=PortPlan.parse(f"snmp:{ports.snmp}"), timeouts=Timeouts.of(2.0))

    async def run() -> None:
        async for _ in scan(build_scope([fleet[0].ip]), options, identify):
            pass

    with EmulatorThread(Emulator(fleet, ports)), pytest.raises(RuntimeError, match="broke"):
        asyncio.run(asyncio.wait_for(run(), 30))
