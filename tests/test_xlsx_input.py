"""Workbooks read safely: rows outside a wrong ``<dimension>`` are kept, zip bombs refused."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from clearance.discovery.sources import read_observations
from clearance.errors import LimitError
from clearance.matching.records import read_rows
from clearance.xlsx_input import WorkbookLimits, open_workbook, sheet_rows


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _rewrite_sheet(path: Path, change: re.Pattern[str], to: str) -> None:
    """Rewrite ``xl/worksheets/sheet1.xml`` inside the workbook, as another program might."""
    with zipfile.ZipFile(path) as archive:
        members = {info: archive.read(info) for info in archive.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members.items():
            if info.filename == "xl/worksheets/sheet1.xml":
                text, count = change.subn(to, data.decode("utf-8"))
                assert count == 1
                data = text.encode("utf-8")
            archive.writestr(info.filename, data)


_DIMENSION = re.compile(r'<dimension ref="[^"]*"\s*/>')


def test_rows_beyond_a_wrong_dimension_are_screened(tmp_path: Path) -> None:
    """Defect 3: read-only openpyxl trusted ``<dimension ref="A1:B2">`` and dropped the rest."""
    path = _workbook(
        tmp_path / "suppliers.xlsx",
        [
            ["Ref", "Supplier", "Country"],
            [1, "Acme Widgets", "US"],
            [2, "Hangzhou Hikvision Digital Technology", "CN"],
            [3, "Zhejiang Dahua Technology", "CN"],
        ],
    )
    _rewrite_sheet(path, _DIMENSION, '<dimension ref="A1:B2"/>')
    rows = list(read_rows(path))
    assert [(r.line, r.name) for r in rows] == [
        (2, "Acme Widgets"),
        (3, "Hangzhou Hikvision Digital Technology"),
        (4, "Zhejiang Dahua Technology"),
    ]
    assert rows[2].record["Country"] == "CN"


def test_inventory_rows_beyond_a_wrong_dimension_are_identified(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "assets.xlsx",
        [
            ["Manufacturer", "Model", "IP address"],
            ["Axis", "M3106", "192.0.2.1"],
            ["Hikvision", "DS-2CD2143G0-I", "192.0.2.2"],
        ],
    )
    _rewrite_sheet(path, _DIMENSION, '<dimension ref="A1:A1"/>')
    observations = list(read_observations(path))
    assert [o.facts.get("make") for o in observations] == ["Axis", "Hikvision"]
    assert observations[1].ip == "192.0.2.2"


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    """Defect 5: a 310 KB workbook holding a 300 MB cell took 2.5 GB (here: 4 MB in 4 KB)."""
    path = _workbook(tmp_path / "bomb.xlsx", [["Supplier"], ["PLACEHOLDER"]])
    _rewrite_sheet(path, re.compile(r"PLACEHOLDER"), "A" * (4 << 20))
    assert path.stat().st_size < 64 << 10
    with pytest.raises(LimitError, match="a zip bomb") as err:
        list(read_rows(path))
    assert err.value.exit_code == 2
    assert err.value.path == str(path)
    with pytest.raises(LimitError, match="a zip bomb"):
        list(read_observations(path))


def test_unpacked_size_and_cell_length_limits(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "long.xlsx", [["Supplier"], ["PLACEHOLDER"], ["Acme"]])
    _rewrite_sheet(path, re.compile("PLACEHOLDER"), "x" * 40_000)  # openpyxl cuts at 32,767
    with (
        pytest.raises(LimitError, match="expands to"),
        open_workbook(path, limits=WorkbookLimits(max_unpacked_bytes=1000)),
    ):
        pass
    with pytest.raises(LimitError, match="a cell of 40000 characters") as err:
        list(read_rows(path))
    assert (err.value.line, err.value.field) == (2, "column 1")
    with open_workbook(path) as book:
        rows = list(sheet_rows(book.worksheets[0], path, WorkbookLimits(max_cell_chars=50_000)))
    assert [r[0] for _, r in rows] == ["Supplier", "x" * 40_000, "Acme"]
