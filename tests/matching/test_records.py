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


def test_apostrophes_keep_every_row(tmp_path: Path) -> None:
    """Defect 1: names with apostrophes once made the sniffer pick ' as the quote character,
    merging rows so that Hikvision and Dahua were never screened."""
    path = tmp_path / "suppliers.csv"
    path.write_text(
        "supplier,country,notes\n"
        "Toys 'R' Us,US,toys\n"
        "'t Hooft BV,NL,'s-Hertogenbosch\n"
        "Bob's Shop,GB,it's ok\n"
        "Hangzhou Hikvision Digital Technology,CN,cameras\n"
        "Zhejiang Dahua Technology,CN,'recorders'\n",
        encoding="utf-8",
    )
    rows = list(read_rows(path))
    assert [r.name for r in rows] == [
        "Toys 'R' Us",
        "'t Hooft BV",
        "Bob's Shop",
        "Hangzhou Hikvision Digital Technology",
        "Zhejiang Dahua Technology",
    ]
    assert [r.line for r in rows] == [2, 3, 4, 5, 6]
    assert rows[4].record["notes"] == "'recorders'"


def test_semicolons_and_quoted_delimiters(tmp_path: Path) -> None:
    path = tmp_path / "fournisseurs.csv"
    path.write_text(
        'fournisseur;name;ville\n1;"Dupont; Fils & Cie";Lyon\n2;L\'Oréal;Paris\n', "utf-8"
    )
    assert [r.name for r in read_rows(path)] == ["Dupont; Fils & Cie", "L'Oréal"]


def test_an_open_quote_never_merges_rows(tmp_path: Path) -> None:
    path = tmp_path / "suppliers.csv"
    path.write_text(
        'name,country\n"Acme Widgets,US\nHangzhou Hikvision,CN\nDahua,CN\n', encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"line 2: a quoted cell runs from line 2 to line 4"):
        list(read_rows(path))
    multi = tmp_path / "multi.csv"
    multi.write_text('name,address\nAcme,"1 Main St\nSpringfield"\nDahua,CN\n', "utf-8")
    assert [(r.line, r.name) for r in read_rows(multi)] == [(2, "Acme"), (4, "Dahua")]


@pytest.mark.parametrize(
    "content", ["", "\n\n", "supplier,country\n", "supplier,country\n,\n", "[]", '{"records": []}']
)
def test_no_suppliers_is_an_input_error(tmp_path: Path, content: str) -> None:
    """Defect 15: an empty supplier file exited 0 as if every supplier were clear."""
    suffix = ".json" if content.startswith(("[", "{")) else ".csv"
    path = tmp_path / f"suppliers{suffix}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match="no suppliers in the file") as err:
        list(read_rows(path))
    assert err.value.exit_code == 2
    assert err.value.path == str(path)


def test_id_columns_are_not_names(tmp_path: Path) -> None:
    """Defect 15: ``vendor_id,city`` had the ids screened as names."""
    path = tmp_path / "vendors.csv"
    path.write_text("vendor_id,city\n1001,Hangzhou\n1002,Lyon\n", encoding="utf-8")
    with pytest.raises(InputError, match="columns found: vendor_id, city; expected") as err:
        list(read_rows(path))
    assert err.value.line == 1
    path.write_text("vendor_id,vendor name\n1001,Dahua\n", encoding="utf-8")
    assert [r.name for r in read_rows(path)] == ["Dahua"]
    assert [r.name for r in read_rows(path, "vendor_id")] == ["1001"]


def test_endless_device_is_refused() -> None:
    """Defect 17: ``screen /dev/zero`` read until memory ran out."""
    with pytest.raises(InputError, match="binary data"):
        list(read_rows(Path("/dev/zero")))
