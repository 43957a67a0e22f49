"""Telecom equipment identified by default: a plain ``clearance scan`` asks SNMP v1/v2c with
the read community "public" and reads the model of Huawei and ZTE switches, routers and ONTs
from sysDescr (acceptance test of issue 14, point 12)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from typer.testing import CliRunner

from clearance.cli.app import app
from clearance.discovery.emulator.fleet import DeviceSpec, generate_fleet
from clearance.discovery.emulator.servers import Emulator, EmulatorThread, ServicePorts
from clearance.discovery.emulator.snmp_replies import snmp_reply
from clearance.discovery.probes import snmp
from clearance.discovery.probes.base import ProbeContext, Timeouts

pytestmark = pytest.mark.network
runner = CliRunner()
PORTS = ServicePorts.unprivileged(22000)
TELECOM = {"huawei", "zte"}
KINDS = {"huawei-switch", "huawei-router", "huawei-ont", "zte-switch", "zte-router", "zte-ont"}


def _norm(value: str | None) -> str:
    return "".join((value or "").casefold().split())


def _fleet() -> list[DeviceSpec]:
    """Every Huawei and ZTE device of a mixed fleet, and two others answering SNMP or not."""
    fleet = generate_fleet(160, "127.87.0.0/24", seed=7)
    telecom = [d for d in fleet if d.restricted_entity in TELECOM]
    others = [next(d for d in fleet if d.family == f) for f in ("linux", "hikvision")]
    assert {d.template for d in telecom} == KINDS
    assert any("entity_mib" not in d.services for d in telecom)  # sysDescr alone must do
    return telecom + others


def _scan(devices: list[DeviceSpec], *options: str) -> tuple[int, list[dict[str, Any]]]:
    targets = [d.ip for d in devices]
    with EmulatorThread(Emulator(devices, PORTS)):
        result = runner.invoke(
            app, ["scan", *targets, "--ports", PORTS.scan_spec(), *options, "--format", "json"]
        )
    assert result.exit_code in {0, 1}, result.output
    return result.exit_code, json.loads(result.stdout)


def test_default_scan_reads_every_huawei_and_zte_model() -> None:
    devices = _fleet()
    code, records = _scan(devices)
    assert code == 1
    found = {r["ip"]: r for r in records}
    telecom = [d for d in devices if d.restricted_entity in TELECOM]
    for dev in telecom:
        record = found[dev.ip]
        assert _norm(record["model"]) == _norm(dev.model), (dev.template, dev.sysdescr, record)
        for key in dev.exposes():  # firmware too where the sysDescr or ENTITY-MIB states it
            assert _norm(record[key]) == _norm(getattr(dev, key)), (key, dev, record)
        assert dev.restricted_entity in {a["entity_id"] for a in record["restricted"]}
        kinds = {e["kind"] for e in record["evidence"]}
        assert {"snmp_sysdescr", "snmp_object_id"} <= kinds
    print(f"models read: {len(telecom)}/{len(telecom)} Huawei and ZTE devices")


def test_no_snmp_and_another_community_send_nothing_the_device_answers() -> None:
    devices = [d for d in _fleet() if d.template in {"huawei-switch", "zte-switch"}]
    for options in (["--no-snmp"], ["--community", "private,ops"]):
        _code, records = _scan(devices, *options)
        for record in records:
            assert not {e["kind"] for e in record["evidence"]} & {"snmp_sysdescr"}, options
    _code, records = _scan(devices, "--community", "private", "--community", "public")
    assert {r["ip"] for r in records} == {d.ip for d in devices}


class _V1Only:
    """A transport in front of an emulated device that ignores SNMP v2c (as many old
    switches and ONTs do) and counts the datagrams it saw."""

    def __init__(self, dev: DeviceSpec) -> None:
        self.dev = dev
        self.versions: list[int] = []

    def tcp(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("SNMP sends no TCP")

    async def udp(self, host: str, port: int, payload: bytes, timeout: float) -> bytes | None:
        version = snmp.parse_message(payload).version
        self.versions.append(version)
        if version != snmp.V1:
            await asyncio.sleep(timeout)
            return None
        return snmp_reply(self.dev, payload)


def test_snmp_v1_only_device_is_read() -> None:
    dev = next(d for d in _fleet() if d.template == "zte-router")
    transport = _V1Only(dev)
    ctx = ProbeContext(
        transport=transport, timeouts=Timeouts.of(0.2), retries=0, communities=("public",)
    )
    result = asyncio.run(snmp.probe(dev.ip, ctx))
    assert result is not None
    assert ("snmp_sysdescr", dev.sysdescr) in {(e.kind, e.value) for e in result.evidence}
    assert snmp.V1 in transport.versions
    assert asyncio.run(snmp.probe(dev.ip, ProbeContext(transport=transport))) is None
