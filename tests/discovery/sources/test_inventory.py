"""Asset inventories: CSV in several encodings and delimiters, XLSX, column detection."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from clearance.discovery.identify import DeviceIdentifier
from clearance.discovery.sources.inventory import (
    detect_columns,
    read_inventory_csv,
    read_inventory_xlsx,
)
from clearance.errors import FormatError
from clearance.registry.registry import Registry


def test_detect_columns() -> None:
    assert detect_columns(["Fabricant", "Modèle", "N° de série", "Emplacement"]) == {
        "make": 0,
        "model": 1,
        "serial": 2,
        "site": 3,
    }
    assert detect_columns(["Camera Manufacturer", "Model", "Manufacturer"]) == {
        "make": 2,
        "model": 1,
    }
    assert detect_columns(["厂商", "型号", "序列号", "MAC地址"]) == {
        "make": 0,
        "model": 1,
        "serial": 2,
        "mac": 3,
    }


def test_english_csv_with_title_rows(fixture_path: Path, small_registry: Registry) -> None:
    rows = list(read_inventory_csv(fixture_path / "inventory_en.csv", site="Default"))
    assert len(rows) == 8
    first = rows[0]
    assert first.facts["make"] == "Hikvision"
    assert first.facts["model"] == "DS-2CD2143G0-I"
    assert first.mac == "44:19:b6:2a:10:01"
    assert first.ip == "192.0.2.2"
    assert first.site == "Lobby"
    assert first.record is not None
    assert first.record["Asset Tag"] == "A-1001"
    assert first.record["Notes"] == "front door"
    identifier = DeviceIdentifier(small_registry)
    verdicts = {
        o.record["Asset Tag"]: [
            (a.entity_id, a.relation) for a in identifier.identify(o).restricted
        ]
        for o in rows
        if o.record is not None
    }
    assert verdicts["A-1001"] == [("hikvision", "manufacturer")]
    assert verdicts["A-1002"] == []  # Uniview IPC + digits
    assert verdicts["A-1003"] == []
    assert verdicts["A-1004"] == [("hikvision", "subsidiary")]  # EZVIZ
    assert verdicts["A-1005"] == []  # HiLook-like model under another make: too weak
    assert verdicts["A-1006"] == [("dahua", "manufacturer")]  # Dahua model under another make
    assert verdicts["A-1007"] == [("hikvision", "manufacturer")]  # 海康威视
    assert verdicts["A-1008"] == []


@pytest.mark.parametrize(
    ("name", "make", "count"),
    [
        ("inventory_fr.csv", "Dahua", 3),
        ("inventory_gbk.csv", "海康威视", 4),
        ("inventory_utf16.txt", "Dahua Technology", 2),
    ],
)
def test_encodings_and_delimiters(
    fixture_path: Path, small_registry: Registry, name: str, make: str, count: int
) -> None:
    rows = list(read_inventory_csv(fixture_path / name))
    assert len(rows) == count
    assert rows[0].facts["make"] == make
    assert DeviceIdentifier(small_registry).identify(rows[0]).restricted


def test_french_columns(fixture_path: Path) -> None:
    rows = list(read_inventory_csv(fixture_path / "inventory_fr.csv"))
    assert rows[0].facts["model"] == "DH-IPC-HDW5442TM-AS"
    assert rows[0].site == "Hall d'entrée"
    assert rows[1].site == "Façade"
    assert rows[0].record is not None
    assert rows[0].record["Numéro de série"] == "7J0D5B2PAZ9C1A3"


def test_chinese_columns(fixture_path: Path, small_registry: Registry) -> None:
    rows = list(read_inventory_csv(fixture_path / "inventory_gbk.csv"))
    assert rows[0].site == "一号楼大厅"
    identifier = DeviceIdentifier(small_registry)
    assert [a.entity_id for a in identifier.identify(rows[1]).restricted] == ["dahua"]  # 大华
    assert identifier.identify(rows[2]).restricted == []  # 宇视 (Uniview)
    assert [a.entity_id for a in identifier.identify(rows[3]).restricted] == ["huawei"]  # 华为


def test_no_recognisable_columns(fixture_path: Path) -> None:
    with pytest.raises(FormatError) as err:
        list(read_inventory_csv(fixture_path / "no_columns.csv"))
    assert err.value.line == 1
    assert "no recognisable columns" in str(err.value)
    assert "no_columns.csv" in str(err.value)


def test_xlsx(tmp_path: Path, small_registry: Registry) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Inventaire des caméras"])
    sheet.append([])
    sheet.append(["Marque", "Fabricant", "Modèle", "Adresse IP", "Emplacement", "Coût"])
    sheet.append([None, "Hikvision", "DS-2CD2143G0-I", "192.0.2.2", "Hall", 199.0])
    sheet.append(["EZVIZ", None, "CS-C6N", None, "Accueil", 49.5])
    path = tmp_path / "inventaire.xlsx"
    book.save(path)
    rows = list(read_inventory_xlsx(path))
    assert len(rows) == 2
    assert rows[0].facts == {"make": "Hikvision", "model": "DS-2CD2143G0-I"}
    assert rows[0].record == {
        "Marque": None,
        "Fabricant": "Hikvision",
        "Modèle": "DS-2CD2143G0-I",
        "Adresse IP": "192.0.2.2",
        "Emplacement": "Hall",
        "Coût": 199,
    }
    assert rows[1].facts["brand"] == "EZVIZ"
    identifier = DeviceIdentifier(small_registry)
    assert identifier.identify(rows[1]).restricted[0].relation == "subsidiary"


def test_bad_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(FormatError, match="not a readable XLSX workbook"):
        list(read_inventory_xlsx(path))
