"""One device identifier for every command: ``identify``, ``scan``, ``recheck`` and ``audit``
attribute the same device the same way, the name engine included."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from clearance.audit.recheck import IdentifierAttributor
from clearance.audit.wiring import default_engines
from clearance.cli.app import app
from clearance.discovery.emulator.fleet import generate_fleet
from clearance.discovery.emulator.servers import Emulator, EmulatorThread, ServicePorts
from clearance.discovery.identification import device_identifier
from clearance.discovery.identify import DeviceIdentifier
from clearance.model import Evidence, Observation
from clearance.registry import Registry
from clearance.settings import Settings

runner = CliRunner()
PORTS = ServicePorts.unprivileged(21000)
# A maker written as no rule and no registry name has it: only the name engine reads it.
TYPO = "Hikvison Digital Technology"


def _restricted(records: list[dict[str, Any]]) -> list[tuple[str, str, float]]:
    return sorted(
        (a["entity_id"], a["relation"], a["certainty"]) for r in records for a in r["restricted"]
    )


def _inventory(tmp_path: Path) -> Path:
    path = tmp_path / "assets.csv"
    path.write_text(f"Manufacturer,Model Number,IP Address\n{TYPO},X-100,10.0.0.5\n", "utf-8")
    return path


def test_every_command_path_identifies_the_same_observation_alike(seed: Registry) -> None:
    """The same observations through the identifier of each command give the same assets."""
    shared = device_identifier(seed)
    observations = [
        Observation("t", facts={"make": TYPO}),
        Observation("t", mac="44:19:b6:2a:10:05"),
        Observation("t", facts={"model": "DS-2CD2143G2-I"}),
        Observation("t", facts={"make": "HUAWEI", "model": "S5735-L24T4S-A1"}),
        Observation("t", evidence=[Evidence("snmp_object_id", "1.3.6.1.4.1.3902.1082.10")]),
        Observation("t", mac="e0:06:30:00:00:01", hostname="ipc-front"),
    ]
    attributor = IdentifierAttributor(device_identifier(seed).identify)
    for obs in observations:
        asset = shared.identify(obs)
        assert asset.restricted, obs
        # recheck: the stored asset attributed again comes out exactly as it went in
        assert attributor.attribute(asset) == asset.restricted, obs
    typo = shared.identify(observations[0])
    assert typo.restricted[0].entity_id == "hikvision"
    assert any(e.rule == "name-screening:hikvision" for e in typo.evidence)


def test_recheck_does_not_read_its_own_conclusion_as_a_stated_make(seed: Registry) -> None:
    """A MAC-only device's derived manufacturer is not evidence: certainty stays 0.9, not
    raised by a make claim the device never stated."""
    asset = DeviceIdentifier(seed).identify(Observation("t", mac="44:19:b6:2a:10:05"))
    assert asset.manufacturer  # the identifier's conclusion, not the device's word
    again = IdentifierAttributor(device_identifier(seed).identify).attribute(asset)
    assert [(a.entity_id, a.certainty) for a in again] == [
        (a.entity_id, a.certainty) for a in asset.restricted
    ]


@pytest.mark.network
def test_identify_scan_audit_and_recheck_agree_on_a_make_only_device(
    tmp_path: Path, seed: Registry
) -> None:
    """A device whose only restricted evidence is a misspelt maker (ONVIF Manufacturer on the
    wire, a Manufacturer column in a register) is attributed alike by all four commands."""
    spec = generate_fleet(1, "127.86.0.0/30", seed=1)[0]
    device = dataclasses.replace(
        spec,
        family="bosch",
        manufacturer=TYPO,
        brand=None,
        model="X-100",
        restricted_entity="hikvision",
        services=frozenset({"wsd", "onvif_open"}),
    )
    inventory = _inventory(tmp_path)
    ports = f"wsd:{PORTS.wsd}"
    with EmulatorThread(Emulator([device], PORTS)):
        scanned = runner.invoke(
            app, ["scan", device.ip, "--ports", ports, "--timeout", "3", "--format", "json"]
        )
        engines = default_engines(Settings.from_env(), seed, None, scan_ports=ports)
        assert engines.scan is not None
        audit_scan = [a.to_json() for a in engines.scan([device.ip], None)]
    assert scanned.exit_code == 1, scanned.output
    identified = runner.invoke(app, ["identify", str(inventory), "--save", "--format", "json"])
    assert identified.exit_code == 1, identified.output
    assert engines.identify is not None
    audit_identify = [a.to_json() for a in engines.identify(inventory, None)]

    expected = _restricted(json.loads(scanned.stdout))
    assert expected
    assert expected[0][0] == "hikvision"
    assert _restricted(json.loads(identified.stdout)["assets"]) == expected
    assert _restricted(audit_scan) == expected
    assert _restricted(audit_identify) == expected

    rechecked = runner.invoke(app, ["recheck", "--format", "json"])
    assert rechecked.exit_code == 0, rechecked.output
    doc = json.loads(rechecked.stdout)
    assert doc["assets_checked"] == 1
    assert doc["changes"] == []  # recheck keeps the name engine's attribution
    assets = runner.invoke(app, ["assets", "--format", "json"])
    stored = json.loads(assets.stdout)
    rows = stored if isinstance(stored, list) else stored.get("assets", [])
    assert _restricted(rows) == expected


def test_only_the_factory_builds_identifiers() -> None:
    """Commands get their identifier from ``device_identifier``; none builds its own."""
    src = Path(__file__).parents[2] / "src" / "clearance"
    builders = sorted(
        str(path.relative_to(src))
        for path in src.rglob("*.py")
        if "DeviceIdentifier(" in path.read_text(encoding="utf-8")
    )
    assert builders == ["discovery/identification.py"]
