"""Asset registers as departments export them: combined make-and-model columns, status
columns, footer rows, asset tags, locations and custodians, and column maps (--map)."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.discovery.identify import DeviceIdentifier
from clearance.discovery.sources import read_observations
from clearance.discovery.sources.inventory import detect_columns, read_inventory_csv
from clearance.discovery.sources.register import (
    is_summary_row,
    parse_column_map,
    register_state,
)
from clearance.errors import FormatError, UsageError
from clearance.registry.registry import Registry


@pytest.mark.parametrize(
    "heading", ["Make/Model", "Marque/Modèle", "Manufacturer & Model", "Device", "MAKE - MODEL"]
)
def test_combined_make_and_model_headings(heading: str) -> None:
    assert detect_columns(["Asset Tag", heading, "Serial"]) == {
        "asset_tag": 0,
        "make_model": 1,
        "serial": 2,
    }


def test_register_headings_in_english_and_french() -> None:
    english = ["Tag", "Manufacturer", "Model", "Room", "Custodian", "Status", "Device IP"]
    assert detect_columns(english) == {
        "asset_tag": 0,
        "make": 1,
        "model": 2,
        "location": 3,
        "custodian": 4,
        "status": 5,
        "ip": 6,  # "Device" alone is make_model; "Device IP" is not
    }
    french = ["Étiquette", "Marque/Modèle", "Local", "Détenteur", "Statut"]
    assert detect_columns(french) == {
        "asset_tag": 0,
        "make_model": 1,
        "location": 2,
        "custodian": 3,
        "status": 4,
    }


def test_a_second_site_column_is_the_location() -> None:
    assert detect_columns(["Make", "Site", "Location"]) == {"make": 0, "site": 1, "location": 2}


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("Disposed", "disposed"),
        ("DECOMMISSIONED", "disposed"),
        ("Retired", "disposed"),
        ("Surplus", "disposed"),
        ("Disposed 2026-03-01, GCSurplus cert GCS-2026-4471", "disposed"),
        ("Éliminé", "disposed"),
        ("Mis au rebut", "disposed"),
        ("In storage", "held"),
        ("En entreposage", "held"),
        ("Hors service", "held"),
        ("Out of service", "held"),
        ("In service", "in_service"),
        ("En service", "in_service"),
        ("Pending review", None),
        ("", None),
        (None, None),
    ],
)
def test_register_states(status: str | None, state: str | None) -> None:
    assert register_state(status) == state


@pytest.mark.parametrize(
    ("row", "summary"),
    [
        (["Total: 4", None, "", None], True),
        (["Grand total", None, None, 4], True),
        (["Sous-total", "", "", "4"], True),
        (["Total général", "", "12 345"], True),
        (["合计", "17"], True),
        (["", "", "TOTAL", "3"], True),
        (["Totalizer T-100", "Hikvision DS-2CD2143G2-I"], False),
        (["Total Security Ltd", "DS-2CD2143G2-I"], False),
        (["HQ-0001", "Hikvision DS-2DE4425IW-DE"], False),
        ([None, ""], False),
    ],
)
def test_summary_rows(row: list[object], summary: bool) -> None:
    assert is_summary_row(row) is summary


def test_parse_column_map() -> None:
    assert parse_column_map("Make/Model=make_model, Local=location,Notes=ignore") == {
        "make model": "make_model",
        "local": "location",
        "notes": "ignore",
    }
    assert parse_column_map("Tag=asset-tag") == {"tag": "asset_tag"}
    assert parse_column_map(None) == {}
    with pytest.raises(UsageError, match="unknown field 'makemodel'"):
        parse_column_map("Item=makemodel")
    with pytest.raises(UsageError, match="is not HEADING=FIELD"):
        parse_column_map("Item")


@pytest.mark.parametrize("name", ["register_hq.csv", "register_hq.xlsx"])
def test_register_rows_are_assets_and_footers_are_not(fixture_path: Path, name: str) -> None:
    rows = list(read_observations(fixture_path / name))
    assert [o.facts["asset_tag"] for o in rows] == ["HQ-0001", "HQ-0002", "HQ-0003", "HQ-0004"]
    camera = rows[0]
    assert camera.facts["make_model"] == "Hikvision DS-2DE4425IW-DE"
    assert camera.facts["location"] == "Lobby B-101"
    assert camera.facts["custodian"] == "Facilities (J. Tremblay)"
    assert [o.facts["register_state"] for o in rows] == [
        "in_service",
        "disposed",
        "in_service",
        "held",
    ]


def test_french_register(fixture_path: Path) -> None:
    rows = list(read_inventory_csv(fixture_path / "register_fr.csv"))
    assert [o.facts["asset_tag"] for o in rows] == ["AC-101", "AC-102", "AC-103", "AC-104"]
    assert rows[1].facts["status"] == "Éliminé"
    assert rows[1].facts["register_state"] == "disposed"
    assert rows[2].facts["register_state"] == "held"
    assert rows[1].facts["location"] == "Entrepôt"


def test_a_row_with_nothing_that_identifies_a_device_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(
        "Make,Model,Site\nHikvision,DS-2CD2143G2-I,HQ\n,,HQ\nPrepared by: J. Smith,,\n",
        encoding="utf-8",
    )
    rows = list(read_inventory_csv(path))
    # The signature line has text in the make column: it is read (not a total), like any make.
    assert [o.facts.get("make") for o in rows] == ["Hikvision", "Prepared by: J. Smith"]


def test_column_map_names_unknown_headings(fixture_path: Path) -> None:
    path = fixture_path / "register_odd_headings.csv"
    with pytest.raises(FormatError, match=r"no recognisable columns.*--map"):
        list(read_observations(path))
    mapping = parse_column_map("Item=make_model,Where=location")
    rows = list(read_observations(path, column_map=mapping))
    assert [(o.facts["make_model"], o.facts["location"]) for o in rows] == [
        ("Hikvision DS-2CD2143G2-I", "Lab 3"),
        ("Axis P3245-LVE", "Lab 4"),
    ]
    assert rows[0].facts["asset_tag"] == "X-1"


def test_column_map_overrides_and_ignores(fixture_path: Path) -> None:
    mapping = parse_column_map("Serial Number=ignore,Local=site")
    rows = list(read_observations(fixture_path / "register_hq.csv", column_map=mapping))
    assert rows[0].site == "Lobby B-101"
    assert "serial" not in rows[0].facts


def test_a_mapped_heading_missing_from_the_file_is_an_error(fixture_path: Path) -> None:
    mapping = parse_column_map("Make/Model=make_model,Romm=location")
    with pytest.raises(FormatError, match="--map names 'romm', not a heading") as err:
        list(read_observations(fixture_path / "register_hq.csv", column_map=mapping))
    assert err.value.line == 3


@pytest.mark.parametrize(
    ("cell", "make", "model"),
    [
        ("Hikvision DS-2DE4425IW-DE", "Hikvision", "DS-2DE4425IW-DE"),
        ("HIKVISION / DS-2CD2143G2-I", "HIKVISION", "DS-2CD2143G2-I"),
        ("Hikvision/DS-2CD2143G2-I", "Hikvision", "DS-2CD2143G2-I"),
        ("Dahua Technology IPC-HFW2431S", "Dahua Technology", "IPC-HFW2431S"),
        ("EZVIZ C6N", "EZVIZ", "C6N"),
        ("DS-2CD2143G2-I", None, "DS-2CD2143G2-I"),
        ("Axis P3245-LVE", "Axis", "P3245-LVE"),
        ("Hikvision", "Hikvision", None),
        ("Camera", None, None),
    ],
)
def test_split_make_model(
    small_registry: Registry, cell: str, make: str | None, model: str | None
) -> None:
    assert DeviceIdentifier(small_registry).split_make_model(cell) == (make, model)


def test_combined_column_is_identified_with_tag_location_and_status(
    fixture_path: Path, small_registry: Registry
) -> None:
    identifier = DeviceIdentifier(small_registry)
    assets = [identifier.identify(o) for o in read_observations(fixture_path / "register_hq.csv")]
    camera, disposed, axis, stored = assets
    assert (camera.manufacturer, camera.model) == ("Hikvision", "DS-2DE4425IW-DE")
    assert camera.restricted[0].entity_id == "hikvision"
    assert (camera.asset_tag, camera.location) == ("HQ-0001", "Lobby B-101")
    assert not camera.disposed
    assert disposed.disposed
    assert disposed.restricted
    assert ("register_status", "Disposed", "register-status:disposed") in {
        (e.kind, e.value, e.rule) for e in disposed.evidence
    }
    assert not axis.restricted
    assert axis.manufacturer == "Axis"
    assert stored.register_state == "held"
    assert stored.restricted
