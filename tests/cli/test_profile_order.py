"""The organisation's profile orders every basis: a Hikvision finding of a Canadian federal
department leads with the Canadian purchase ban (a listing made up for these tests, see
tests/binding_registry.py); US measures follow. JSON keeps all listings and marks each
``binding``; without a profile the output is today's, with no ``binding`` key."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from clearance.cli.app import app
from clearance.registry import Registry
from clearance.store import open_store, save_registry
from tests.binding_registry import CA_LIST, with_canadian_ban
from tests.cli.main_runner import run_main

runner = CliRunner()
INVENTORY = Path(__file__).parent.parent / "fixtures" / "discovery" / "inventory_en.csv"
BASIS = re.compile(r"([^;(),]+(?:, [^;(),]+)*); also restricted by ([^;()]+(?:, [^;()]+)*)")


@pytest.fixture(scope="module")
def registry_order(seed: Registry) -> list[str]:
    """Hikvision's lists in the registry's order (the seed's Canadian listings among them)."""
    return [x.list_id for x in with_canadian_ban(seed).get("hikvision").listings]


def _binding_first(listings: list[dict[str, Any]], registry_order: list[str]) -> None:
    """All of Hikvision's listings, a Canadian binding one first, the binding ones (the test
    listing among them) before the others."""
    assert sorted(x["list"] for x in listings) == sorted(registry_order)
    first = listings[0]
    assert (first["jurisdiction"], first["binding"]) == ("CA", True)
    flags = [x["binding"] for x in listings]
    assert flags == sorted(flags, reverse=True)
    assert False in flags
    assert CA_LIST in [x["list"] for x in listings if x["binding"]]


def _basis_matches(text: str, listings: list[dict[str, Any]]) -> None:
    """``text`` names the binding lists first, then the others as "also restricted by"."""
    found = BASIS.search(text)
    assert found, text
    bound, others = (part.split(", ") for part in found.groups())
    assert bound == list(dict.fromkeys(x["list"] for x in listings if x["binding"]))
    assert set(others) == {x["list"] for x in listings if not x["binding"]}


@pytest.fixture(scope="module")
def ca_store(tmp_path_factory: pytest.TempPathFactory, seed: Registry) -> Path:
    """A database whose active registry has the Canadian test listing."""
    path = tmp_path_factory.mktemp("ca-store") / "store.sqlite"
    engine = open_store(f"sqlite:///{path}")
    save_registry(engine, with_canadian_ban(seed), note="tests")
    engine.dispose()
    return path


@pytest.fixture
def db(ca_store: Path, tmp_path: Path) -> str:
    copy = tmp_path / "store.sqlite"
    shutil.copyfile(ca_store, copy)
    return f"sqlite:///{copy}"


def _cli(db: str, *args: str) -> Any:
    return runner.invoke(app, ["--db", db, *args])


def _org_file(folder: Path, profile: str = "") -> Path:
    shutil.copyfile(INVENTORY, folder / "inventory.csv")
    org = folder / "org.yml"
    org.write_text(
        f"organisation: A federal department\n{profile}registers:\n  - inventory.csv\n",
        encoding="utf-8",
    )
    return org


def _hikvision_devices(out: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    devices = [d for d in doc["devices"] if d["entity_id"] == "hikvision"]
    assert devices
    return doc, devices


def test_audit_org_file_profile_leads_with_the_binding_listing(
    db: str, tmp_path: Path, registry_order: list[str]
) -> None:
    org = _org_file(tmp_path, "jurisdiction: CA\nsector: federal-government\n")
    result = _cli(db, "audit", "--org", str(org), "--out", str(tmp_path / "out"), "-f", "json")
    assert result.exit_code == 1, result.output
    doc, devices = _hikvision_devices(tmp_path / "out")
    assert doc["profile"]["jurisdiction"] == "CA"
    assert "ca-federal-departments" in doc["profile"]["bound_parties"]
    for device in devices:
        _binding_first(device["listings"], registry_order)
    # the profile was the audit's only: nothing stored without --save-profile
    shown = json.loads(_cli(db, "org", "show", "-f", "json").stdout)
    assert shown == {"profile": None}


def test_audit_without_profile_keeps_todays_order_and_keys(
    db: str, tmp_path: Path, registry_order: list[str]
) -> None:
    org = _org_file(tmp_path)
    result = _cli(db, "audit", "--org", str(org), "--out", str(tmp_path / "out"), "-f", "json")
    assert result.exit_code == 1, result.output
    doc, devices = _hikvision_devices(tmp_path / "out")
    assert "profile" not in doc
    assert all([x["list"] for x in d["listings"]] == registry_order for d in devices)
    assert '"binding"' not in (tmp_path / "out" / "findings.json").read_text(encoding="utf-8")


def test_saved_profile_orders_findings_and_screening(
    db: str, tmp_path: Path, registry_order: list[str]
) -> None:
    org = _org_file(tmp_path, "jurisdiction: ca\nsector: federal-government\nlang: fr\n")
    out = str(tmp_path / "out")
    assert _cli(db, "audit", "--org", str(org), "--save-profile", "--out", out).exit_code == 1
    shown = json.loads(_cli(db, "org", "show", "-f", "json").stdout)["profile"]
    assert (shown["name"], shown["jurisdiction"], shown["lang"]) == (
        "A federal department",
        "CA",
        "fr",
    )

    listed = _cli(db, "findings", "list", "-f", "json")
    assert listed.exit_code == 1, listed.output
    hikvision = [f for f in json.loads(listed.stdout) if f["entity_id"] == "hikvision"]
    assert hikvision
    assert all(f["profile"]["sector"] == "federal-government" for f in hikvision)
    for finding in hikvision:
        _binding_first(finding["detail"]["attribution"]["listings"], registry_order)
    shown_csv = _cli(db, "findings", "show", str(hikvision[0]["id"]), "-f", "csv").stdout
    assert shown_csv.splitlines()[0].endswith(",Basis")
    [row] = csv.DictReader(io.StringIO(shown_csv))
    _basis_matches(row["Basis"], hikvision[0]["detail"]["attribution"]["listings"])

    report = tmp_path / "report.json"
    assert _cli(db, "report", "--format", "json", "--out", str(report)).exit_code == 0
    doc = json.loads(report.read_text(encoding="utf-8"))
    assert doc["profile"]["jurisdiction"] == "CA"
    devices = [d for d in doc["devices"] if d["entity_id"] == "hikvision"]
    assert devices
    for device in devices:
        _binding_first(device["listings"], registry_order)

    screened = _cli(db, "screen", "--name", "Hikvision", "-f", "json")
    assert screened.exit_code == 1, screened.output
    [record] = json.loads(screened.stdout)
    assert record["profile"]["jurisdiction"] == "CA"
    hit = record["hits"][0]
    _binding_first(hit["listings"], registry_order)
    statement = hit["restricted"][0]["statement"]
    _basis_matches(statement, hit["listings"])
    assert statement in hit["explanation"]


def test_screen_without_profile_is_unchanged(db: str, registry_order: list[str]) -> None:
    screened = _cli(db, "screen", "--name", "Hikvision", "-f", "json")
    [record] = json.loads(screened.stdout)
    assert "profile" not in record
    assert '"binding"' not in screened.stdout
    assert [x["list"] for x in record["hits"][0]["listings"]] == registry_order
    table = _cli(db, "screen", "--name", "Hikvision", "-f", "csv")
    assert "also restricted by" not in table.stdout


@pytest.mark.parametrize(
    ("option", "value", "named"),
    [
        ("--jurisdiction", "XX", "'XX' is not an ISO 3166-1 alpha-2 country code"),
        ("--jurisdiction", "CAN", "'CAN' is not an ISO 3166-1 alpha-2 country code"),
        ("--sector", "federal", "'federal' is not a known sector"),
        ("--also-bound", "everyone", "'everyone' is not a known bound party"),
        ("--lang", "de", "'de' is not a language Clearance has"),
    ],
)
def test_bad_profile_values_exit_2_naming_them(
    db: str,
    option: str,
    value: str,
    named: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ran = run_main(capsys, monkeypatch, "--db", db, "org", "set", option, value)
    assert ran.code == 2
    assert len(ran.error_lines) == 1
    assert ran.error_lines[0].startswith(f"error: {option} {named}")
    assert json.loads(_cli(db, "org", "show", "-f", "json").stdout) == {"profile": None}


def test_org_set_show_round_trip_and_audit_log(db: str) -> None:
    made = _cli(
        db,
        "--user",
        "ana",
        "org",
        "set",
        "--name",
        "Shared Services Canada",
        "--jurisdiction",
        "ca",
        "--sector",
        "federal-government",
        "-f",
        "json",
    )
    assert made.exit_code == 0, made.output
    assert _cli(db, "org", "set", "--also-bound", "us-federal-contractors").exit_code == 0
    profile = json.loads(_cli(db, "org", "show", "-f", "json").stdout)["profile"]
    assert profile == {
        "name": "Shared Services Canada",
        "jurisdiction": "CA",
        "sector": "federal-government",
        "lang": None,
        "also_bound": ["us-federal-contractors"],
        "bound_parties": ["ca-federal-departments", "ca-persons", "us-federal-contractors"],
    }
    log = json.loads(_cli(db, "audit-log", "--action", "profile", "-f", "json").stdout)
    assert [(e["user"], e["before"] is None) for e in log] == [("ana", True), ("tester", False)]
    assert log[1]["after"]["also_bound"] == ["us-federal-contractors"]


def test_org_set_clear_removes_fields_and_refuses_nonsense(db: str) -> None:
    made = _cli(db, "org", "set", "--name", "Dept", "--jurisdiction", "CA", "--lang", "fr")
    assert made.exit_code == 0, made.output
    assert _cli(db, "org", "set", "--also-bound", "us-federal-contractors").exit_code == 0
    cleared = _cli(db, "org", "set", "--clear", "lang", "--clear", "also-bound", "-f", "json")
    assert cleared.exit_code == 0, cleared.output
    profile = json.loads(_cli(db, "org", "show", "-f", "json").stdout)["profile"]
    assert (profile["name"], profile["jurisdiction"]) == ("Dept", "CA")
    assert (profile["lang"], profile["also_bound"]) == (None, [])
    unknown = _cli(db, "org", "set", "--clear", "colour")
    assert getattr(unknown.exception, "exit_code", None) == 2
    assert "'colour'" in str(unknown.exception)
    both = _cli(db, "org", "set", "--clear", "lang", "--lang", "en")
    assert getattr(both.exception, "exit_code", None) == 2
    assert "--clear lang" in str(both.exception)


def test_org_file_bad_sector_names_the_key(db: str, tmp_path: Path) -> None:
    org = _org_file(tmp_path, "jurisdiction: CA\nsector: ministry\n")
    result = _cli(db, "audit", "--org", str(org), "--out", str(tmp_path / "out"))
    assert getattr(result.exception, "exit_code", None) == 2, result.output
    assert "sector 'ministry' is not a known sector" in str(result.exception)
    assert "sector" in str(result.exception).split("sector 'ministry'")[0]


def test_identify_and_lists_show_lead_with_the_binding_listing(
    db: str, registry_order: list[str]
) -> None:
    def identified() -> dict[str, Any]:
        result = _cli(db, "identify", str(INVENTORY), "-f", "json")
        assert result.exit_code == 1, result.output
        doc: dict[str, Any] = json.loads(result.stdout)
        return doc

    plain = identified()
    assert "profile" not in plain
    assert "binding" not in json.dumps(plain)
    made = _cli(db, "org", "set", "--jurisdiction", "CA", "--sector", "federal-government")
    assert made.exit_code == 0, made.output
    doc = identified()
    assert doc["profile"]["jurisdiction"] == "CA"
    attributions = [
        a for asset in doc["assets"] for a in asset["restricted"] if a["entity_id"] == "hikvision"
    ]
    assert attributions
    for attribution in attributions:
        _binding_first(attribution["listings"], registry_order)

    shown = json.loads(_cli(db, "lists", "show", "Hikvision Digital", "-f", "json").stdout)
    hikvision = next(e for e in shown["entities"] if e["id"] == "hikvision")
    _binding_first(hikvision["listings"], registry_order)
    assert shown["profile"]["sector"] == "federal-government"
