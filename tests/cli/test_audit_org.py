"""``clearance audit`` for a whole organisation (issue 15, point 7): ``--site`` files scanned
devices too; ``--org FILE`` audits every site of an organisation file in one run; a device
both scanned and in a register is one asset with the evidence of both.

Devices are emulated on loopback (a /29 of 127.95.0.0/16) on the demo's unprivileged ports.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from clearance.audit.demo import DEMO_PORTS
from clearance.cli.app import app
from clearance.discovery.emulator.fleet import DeviceSpec, generate_fleet
from clearance.discovery.emulator.servers import Emulator, EmulatorThread
from clearance.store import open_store
from clearance.store.assets import list_assets
from clearance.store.runs import list_runs

from ..loopback import process_network

pytestmark = pytest.mark.network

NETWORK = str(process_network(95, 29))  # loopback addresses of this test process's own
PORTS = DEMO_PORTS.scan_spec()
runner = CliRunner()


@pytest.fixture(scope="module")
def fleet() -> Iterator[list[DeviceSpec]]:
    devices = generate_fleet(3, NETWORK, 5)
    thread = EmulatorThread(Emulator(devices, DEMO_PORTS))
    thread.start()
    try:
        yield devices
    finally:
        thread.stop()


def _audit(tmp_path: Path, *args: str) -> tuple[Any, str]:
    db = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    out = tmp_path / "report"
    result = runner.invoke(app, ["--db", db, "audit", *args, "--out", str(out), "-f", "json"])
    return result, db


def _devices(tmp_path: Path) -> list[dict[str, Any]]:
    data = json.loads((tmp_path / "report" / "findings.json").read_text(encoding="utf-8"))
    devices: list[dict[str, Any]] = data["devices"]
    return devices


def test_site_applies_to_the_scan(tmp_path: Path, fleet: list[DeviceSpec]) -> None:
    result, db = _audit(tmp_path, "--scope", NETWORK, "--ports", PORTS, "--site", "HQ")
    assert result.exit_code == 1, result.output
    devices = _devices(tmp_path)
    assert {d["ip"] for d in devices} == {d.ip for d in fleet if d.restricted_entity}
    assert {d["site"] for d in devices} == {"HQ"}
    engine = open_store(db)
    try:
        assert {a.site for a in list_assets(engine)} == {"HQ"}
        assert [r.site for r in list_runs(engine)] == ["HQ"]
    finally:
        engine.dispose()


def _org_file(tmp_path: Path, fleet: list[DeviceSpec]) -> Path:
    scanned = fleet[1]  # a Hikvision camera: the HQ register holds it too, by MAC
    (tmp_path / "hq.csv").write_text(
        "Asset Tag,Item,MAC Address,Where\n"
        f"HQ-1,{scanned.manufacturer} {scanned.model},{scanned.mac.upper()},Lobby\n"
        "HQ-2,Axis P3245-LV,,Car park\n",
        encoding="utf-8",
    )
    (tmp_path / "depot.csv").write_text(
        "Asset Tag,Manufacturer,Model,Serial Number\nD-1,Dahua,DH-IPC-HFW1230S,6G04A3BPAZ12345\n",
        encoding="utf-8",
    )
    (tmp_path / "suppliers.csv").write_text(
        "Supplier name\nAxis Communications AB\n", encoding="utf-8"
    )
    (tmp_path / "depot-suppliers.csv").write_text(
        "Supplier name\nHuawei Technologies Co. Ltd\n", encoding="utf-8"
    )
    path = tmp_path / "org.yml"
    path.write_text(
        f"""organisation: Test Works
suppliers: suppliers.csv
sites:
  - name: HQ
    address: 1 Main St
    networks:
      - cidr: {NETWORK}
        ports: "{PORTS}"
        timeout: 1
    registers:
      - file: hq.csv
        map: "Item=make_model,Where=location"
        source_name: HQ asset register
  - name: Depot
    registers: [depot.csv]
    suppliers: [depot-suppliers.csv]
""",
        encoding="utf-8",
    )
    return path


def test_org_file_audits_every_site_in_one_run(tmp_path: Path, fleet: list[DeviceSpec]) -> None:
    result, db = _audit(tmp_path, "--org", str(_org_file(tmp_path, fleet)))
    assert result.exit_code == 1, result.output
    summary = json.loads(result.stdout)
    assert summary["organisation"] == "Test Works"
    assert summary["suppliers_screened"] == 2
    assert summary["supplier_hits"] == 1  # Huawei, on the depot's list
    devices = _devices(tmp_path)
    scanned = {d.ip: d for d in fleet if d.restricted_entity}
    assert {d["ip"]: d["site"] for d in devices if d["ip"]} == dict.fromkeys(scanned, "HQ")
    depot = [d for d in devices if d["site"] == "Depot"]
    assert [(d["asset_tag"], d["entity_id"]) for d in depot] == [("D-1", "dahua")]
    engine = open_store(db)
    try:
        runs = {(r.kind, r.site): r for r in list_runs(engine)}
        assert set(runs) == {
            ("identify", "HQ"),
            ("identify", "Depot"),
            ("scan", "HQ"),
            ("screen", None),
            ("screen", "Depot"),
        }
        assert runs[("identify", "HQ")].source_name == "HQ asset register"
    finally:
        engine.dispose()


def test_a_device_in_the_register_and_the_scan_is_one_asset(
    tmp_path: Path, fleet: list[DeviceSpec]
) -> None:
    result, db = _audit(tmp_path, "--org", str(_org_file(tmp_path, fleet)))
    assert result.exit_code == 1, result.output
    camera = fleet[1]
    engine = open_store(db)
    try:
        stored = [a for a in list_assets(engine) if a.data.get("mac") == camera.mac]
    finally:
        engine.dispose()
    assert len(stored) == 1, stored
    (asset,) = stored
    assert asset.site == "HQ"
    assert asset.data["asset_tag"] == "HQ-1"  # from the register
    assert asset.data["location"] == "Lobby"
    assert asset.data["ip"] == camera.ip  # from the scan
    assert asset.data["serial"] == camera.serial
    assert any(s.startswith("inventory") for s in asset.sources)
    assert "scan" in asset.sources
    kinds = {e["kind"] for e in asset.data["evidence"]}
    assert "make" in kinds  # the register's make and model
    assert kinds - {"make", "model", "make_model", "register_status"}  # and the probes'
    devices = [d for d in _devices(tmp_path) if d["asset_tag"] == "HQ-1"]
    assert len(devices) == 1
    assert devices[0]["ip"] == camera.ip


def test_org_file_errors_name_the_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "org.yml"
    path.write_text(
        "organisation: X\nsites:\n  - name: A\n    networks: [{cidr: 127.0.0.1, port: 80}]\n"
    )
    result, _ = _audit(tmp_path, "--org", str(path))
    assert getattr(result.exception, "exit_code", None) == 2, result.output
    assert str(path) in str(result.exception)
    assert "field 'sites[0].networks[0]'" in str(result.exception)


def test_org_file_networks_are_scope_guarded(tmp_path: Path) -> None:
    path = tmp_path / "org.yml"
    path.write_text("organisation: X\nsites:\n  - name: A\n    networks: [8.8.8.0/30]\n")
    result, db = _audit(tmp_path, "--org", str(path))
    assert getattr(result.exception, "exit_code", None) == 2, result.output
    assert "site 'A'" in str(result.exception)
    assert "audit and organisation files never do" in str(result.exception)
    engine = open_store(db)
    try:
        assert list_runs(engine) == []
    finally:
        engine.dispose()


def test_a_register_row_known_by_its_ip_is_the_scanned_device_at_the_same_site(
    tmp_path: Path, fleet: list[DeviceSpec]
) -> None:
    # The row has no MAC or serial: only the site and IP tie it to the scanned device, so the
    # scan must be filed under --site (it was not: the device became a second asset).
    camera = fleet[1]
    register = tmp_path / "hq.csv"
    register.write_text(
        f"Asset Tag,Make/Model,IP Address\nHQ-7,{camera.manufacturer} {camera.model},{camera.ip}\n",
        encoding="utf-8",
    )
    args = ("--inventory", str(register), "--scope", NETWORK, "--ports", PORTS, "--site", "HQ")
    result, db = _audit(tmp_path, *args)
    assert result.exit_code == 1, result.output
    engine = open_store(db)
    try:
        stored = [a for a in list_assets(engine) if a.data.get("ip") == camera.ip]
    finally:
        engine.dispose()
    assert len(stored) == 1, stored
    (asset,) = stored
    assert (asset.site, asset.data["asset_tag"], asset.data["mac"]) == ("HQ", "HQ-7", camera.mac)
    assert "scan" in asset.sources
    assert any(s.startswith("inventory") for s in asset.sources)


def test_org_register_reads_the_map_saved_under_its_source_name(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    register = tmp_path / "lab.csv"
    register.write_text("Tag,Item,Where\nX-1,Hikvision DS-2CD2143G2-I,Lab 3\n", encoding="utf-8")
    args = ["--db", db, "identify", str(register), "--map", "Item=make_model,Where=location"]
    saved = runner.invoke(app, [*args, "--source-name", "Lab register", "--save-map"])
    assert saved.exit_code == 1, saved.output
    org = tmp_path / "org.yml"
    org.write_text(
        "organisation: X\nsites:\n  - name: Lab\n    registers:\n"
        "      - {file: lab.csv, source_name: Lab register}\n",
        encoding="utf-8",
    )
    result, _ = _audit(tmp_path, "--org", str(org))
    assert result.exit_code == 1, result.output
    assert [(d["asset_tag"], d["location"], d["site"]) for d in _devices(tmp_path)] == [
        ("X-1", "Lab 3", "Lab")
    ]
