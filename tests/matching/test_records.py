from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from clearance.errors import InputError, LimitError
from clearance.matching.records import read_rows

FIXTURES = Path(__file__).parent.parent / "fixtures" / "matching"


def test_gbk_csv_with_chinese_header() -> None:
    rows = list(read_rows(FIXTURES / "suppliers_gbk.csv"))
    assert [r.name for r in rows] == [
        "杭州海康威視數字技術股份有限公司",
        "上海大华衡器厂",
        "Axis Communications AB",
    ]
    assert rows[0].line == 2
    assert rows[0].record["金额"] == "1200"


def test_utf16_tsv() -> None:
    rows = list(read_rows(FIXTURES / "vendors_utf16.tsv"))
    assert [r.name for r in rows] == ["EZVIZ Inc", "Acme Widgets"]
    assert rows[0].record == {"vendor": "EZVIZ Inc", "city": "Hangzhou"}


def test_json_and_jsonl() -> None:
    assert [r.name for r in read_rows(FIXTURES / "devices.jsonl")] == ["海康威视", "Axis"]
    rows = list(read_rows(FIXTURES / "suppliers.json"))
    assert rows[1].record == {"supplier": "Bosch Security Systems"}


def test_xlsx(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Ref", "Company Name"])
    sheet.append([7, "Huawei Technologies Co., Ltd."])
    path = tmp_path / "in.xlsx"
    book.save(path)
    (row,) = read_rows(path)
    assert (row.line, row.name, row.record["Ref"]) == (2, "Huawei Technologies Co., Ltd.", 7)


def test_errors_name_file_line_and_field(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"broken.jsonl, line 2: invalid JSON"):
        list(read_rows(FIXTURES / "broken.jsonl"))
    with pytest.raises(InputError, match=r"field 'nope'"):
        list(read_rows(FIXTURES / "suppliers_gbk.csv", "nope"))
    with pytest.raises(LimitError):
        list(read_rows(FIXTURES / "suppliers_gbk.csv", max_bytes=10))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="XLSX"):
        list(read_rows(bad))
