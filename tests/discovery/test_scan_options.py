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
