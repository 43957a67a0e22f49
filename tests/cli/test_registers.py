"""Asset registers through the CLI (issue 15, point 4): a combined Make/Model column, a status
column with a disposed Hikvision camera, footer total rows and asset tags, in English (CSV and
XLSX) and French; --map, and column maps saved per source name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.cli.main_runner import Ran, run_main, seeded_database, use_copy

FIXTURES = Path(__file__).parent.parent / "fixtures" / "discovery"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_database(tmp_path_factory.mktemp("registers"))


@pytest.fixture(autouse=True)
def db(seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_copy(seeded, tmp_path, monkeypatch)


@pytest.fixture
def clearance(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    def run(*args: str, code: int = 0) -> Ran:
        ran = run_main(capsys, monkeypatch, "--user", "analyst", *args)
        assert ran.code == code, ran
        return ran

    return run


def _by_tag(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {a["asset_tag"]: a for a in items}


@pytest.mark.parametrize("name", ["register_hq.csv", "register_hq.xlsx"])
def test_register_acceptance(clearance: Any, name: str) -> None:
    ran = clearance(
        "identify", str(FIXTURES / name), "--save", "--site", "HQ", "-f", "json", code=1
    )
    identified = json.loads(ran.out)
    assert identified["asset_count"] == 4  # the footer total is not an asset
    assert identified["restricted_count"] == 2  # the camera in service, the stored NVR
    assert "2 findings opened" in ran.err
    assert "1 disposed in their register" in ran.err

    findings = json.loads(clearance("findings", "list", "-f", "json", code=1).out)
    flagged = {f["detail"]["asset"]["asset_tag"]: f for f in findings}
    assert set(flagged) == {"HQ-0001", "HQ-0004"}  # not the disposed HQ-0002
    camera = flagged["HQ-0001"]
    assert camera["entity_id"] == "hikvision"
    assert camera["status"] == "open"
    assert camera["site"] == "HQ"
    assert camera["detail"]["asset"]["location"] == "Lobby B-101"
    assert camera["detail"]["asset"]["custodian"] == "Facilities (J. Tremblay)"
    assert camera["detail"]["asset"]["model"] == "DS-2DE4425IW-DE"
    assert flagged["HQ-0004"]["detail"]["asset"]["register_status"] == "In storage"

    assets = _by_tag(json.loads(clearance("assets", "-f", "json", code=1).out))
    assert set(assets) == {"HQ-0001", "HQ-0002", "HQ-0003", "HQ-0004"}
    disposed = assets["HQ-0002"]
    assert disposed["register_state"] == "disposed"
    assert disposed["register_status"] == "Disposed"
    assert disposed["restricted"][0]["entity_id"] == "hikvision"
    assert {"kind": "register_status", "value": "Disposed", "rule": "register-status:disposed"} in (
        disposed["evidence"]
    )
    assert assets["HQ-0001"]["location"] == "Lobby B-101"


def test_french_register(clearance: Any) -> None:
    path = str(FIXTURES / "register_fr.csv")
    clearance("identify", path, "--save", "--site", "Gatineau", "-f", "json", code=1)
    findings = json.loads(clearance("findings", "list", "-f", "json", code=1).out)
    flagged = {f["detail"]["asset"]["asset_tag"]: f["detail"]["asset"] for f in findings}
    assert set(flagged) == {"AC-101", "AC-103"}  # AC-102 is Éliminé; AC-104 is a Bosch
    assert flagged["AC-101"]["location"] == "Salle 1.12"
    assert flagged["AC-103"]["register_status"] == "En entreposage"
    assets = _by_tag(json.loads(clearance("assets", "-f", "json", code=1).out))
    assert set(assets) == {"AC-101", "AC-102", "AC-103", "AC-104"}  # no sous-total, no total
    assert assets["AC-102"]["register_status"] == "Éliminé"


def test_a_register_of_only_disposed_devices_exits_clean(clearance: Any, tmp_path: Path) -> None:
    path = tmp_path / "disposed.csv"
    path.write_text(
        "Asset Tag,Make/Model,Status\nT-1,Hikvision DS-2CD2143G2-I,Decommissioned\nTotal: 1,,\n",
        encoding="utf-8",
    )
    ran = clearance("identify", str(path), "--save", "--site", "HQ", "-f", "json")
    identified = json.loads(ran.out)
    assert identified["asset_count"] == 1
    assert identified["restricted_count"] == 0
    assert identified["assets"][0]["restricted"]  # still known for what it is
    assert "0 findings opened" in ran.err
    assert json.loads(clearance("findings", "list", "-f", "json").out) == []
    stored = json.loads(clearance("assets", "-f", "json").out)
    assert [a["register_state"] for a in stored] == ["disposed"]


def test_reports_carry_tag_location_and_custodian(clearance: Any, tmp_path: Path) -> None:
    clearance("identify", str(FIXTURES / "register_hq.csv"), "--save", "--site", "HQ", code=1)
    out = tmp_path / "report"
    out.mkdir()
    for fmt in ("html", "xlsx", "json"):
        clearance("report", "--format", fmt, "--out", str(out / f"report.{fmt}"))
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "HQ-0001" in html
    assert "Lobby B-101" in html
    assert "HQ-0002" not in html
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    devices = {d["asset_tag"]: d for d in data["devices"]}
    assert set(devices) == {"HQ-0001", "HQ-0004"}
    assert devices["HQ-0001"]["location"] == "Lobby B-101"
    assert devices["HQ-0001"]["custodian"] == "Facilities (J. Tremblay)"
    sheet = load_workbook(out / "report.xlsx")["Devices"]
    headers = [c.value for c in sheet[1]]
    rows = [dict(zip(headers, (c.value for c in row), strict=True)) for row in sheet.iter_rows(2)]
    assert {r["Asset tag"]: r["Location"] for r in rows} == {
        "HQ-0001": "Lobby B-101",
        "HQ-0004": "Storage room S-02",
    }


def test_map_and_saved_map_per_source_name(clearance: Any) -> None:
    path = str(FIXTURES / "register_odd_headings.csv")
    ran = clearance("identify", path, "-f", "json", code=2)
    assert "no recognisable columns" in ran.err
    assert "--map" in ran.err

    mapping = "Item=make_model,Where=location"
    ran = clearance("identify", path, "--map", mapping, "-f", "json", code=1)
    assert json.loads(ran.out)["assets"][0]["location"] == "Lab 3"

    ran = clearance("identify", path, "--map", mapping, "--save-map", "-f", "json", code=2)
    assert "--save-map needs --source-name" in ran.err
    ran = clearance("identify", path, "--map", "Item=thing", "-f", "json", code=2)
    assert "unknown field 'thing'" in ran.err

    name = "Lab register"
    args = ("--source-name", name, "--save-map", "-f", "json")
    ran = clearance("identify", path, "--map", mapping, *args, code=1)
    assert "saved column map of 'Lab register'" in ran.err
    # A later export of the same register: the saved map applies without --map.
    ran = clearance("identify", path, "--source-name", name, "-f", "json", code=1)
    flagged = json.loads(ran.out)["assets"][0]
    assert (flagged["manufacturer"], flagged["asset_tag"]) == ("Hikvision", "X-1")
    # Another source name has no saved map.
    clearance("identify", path, "--source-name", "Other register", "-f", "json", code=2)
    log = json.loads(clearance("audit-log", "-f", "json").out)
    assert any(e["action"] == "column_map.save" and e["object_id"] == name for e in log)


def test_audit_reads_registers_with_map(clearance: Any, tmp_path: Path) -> None:
    out = tmp_path / "audit"
    register = str(FIXTURES / "register_odd_headings.csv")
    args = ("audit", "--inventory", register, "--site", "Lab", "--out", str(out), "-f", "json")
    clearance(*args, "--map", "Item=make_model,Where=location", code=1)
    devices = json.loads((out / "findings.json").read_text(encoding="utf-8"))["devices"]
    assert [(d["asset_tag"], d["location"], d["site"]) for d in devices] == [
        ("X-1", "Lab 3", "Lab")
    ]


def test_rows_without_address_or_serial_are_the_same_assets_by_tag(clearance: Any) -> None:
    path = str(FIXTURES / "register_odd_headings.csv")
    args = ("--map", "Item=make_model,Where=location", "--save", "--site", "Lab", "-f", "json")
    clearance("identify", path, *args, code=1)
    ran = clearance("identify", path, *args, code=1)
    assert "0 findings opened" in ran.err
    stored = json.loads(clearance("assets", "-f", "json", code=1).out)
    assert sorted(a["asset_tag"] for a in stored) == ["X-1", "X-2"]


def test_a_device_the_next_export_marks_disposed_has_its_finding_removed(
    clearance: Any, tmp_path: Path
) -> None:
    november, december = tmp_path / "hq-2026-11.csv", tmp_path / "hq-2026-12.csv"
    heading = "Asset Tag,Make/Model,Local,Status\n"
    november.write_text(heading + "HQ-9,Hikvision DS-2CD2143G2-I,Lobby,In service\n", "utf-8")
    december.write_text(heading + "HQ-9,Hikvision DS-2CD2143G2-I,Lobby,Disposed\n", "utf-8")
    clearance("identify", str(november), "--save", "--site", "HQ", code=1)
    ran = clearance("identify", str(december), "--save", "--site", "HQ")
    assert "1 findings marked removed" in ran.err
    (finding,) = json.loads(clearance("findings", "list", "-f", "json").out)
    assert finding["status"] == "removed"
    log = json.loads(
        clearance("audit-log", "--object", f"finding:{finding['id']}", "-f", "json").out
    )
    assert "asset register status 'Disposed'" in log[-1]["after"]["system_note"]


def test_an_explicit_site_wins_over_the_registers_location_column(
    clearance: Any, tmp_path: Path
) -> None:
    # One "Location" column reads as the site; --site HQ names the site, so it is the location.
    path = tmp_path / "register.csv"
    path.write_text(
        "Asset Tag,Make/Model,Location\nL-1,Hikvision DS-2CD2143G2-I,Room 204\n", "utf-8"
    )
    clearance("identify", str(path), "--save", "--site", "HQ", code=1)
    (stored,) = json.loads(clearance("assets", "-f", "json", code=1).out)
    assert (stored["site"], stored["location"]) == ("HQ", "Room 204")
    (finding,) = json.loads(clearance("findings", "list", "-f", "json", code=1).out)
    assert finding["site"] == "HQ"
    sites = clearance("sites", "list", "-f", "json").out
    assert "Room 204" not in sites
