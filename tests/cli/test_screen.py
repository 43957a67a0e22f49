"""``clearance screen``: names and files in, results in input order, exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from clearance.cli.app import app
from clearance.errors import InputError
from clearance.matching import ALGORITHM

runner = CliRunner()
FIXTURES = Path(__file__).parent.parent / "fixtures" / "matching"


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('screen-db') / 'clearance.sqlite'}"


@pytest.fixture(autouse=True)
def _one_store_for_this_module(shared_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Store the seed once for all tests here (each test would otherwise store it anew)."""
    monkeypatch.setenv("CLEARANCE_DB", shared_db)


def test_names_json_and_exit_code() -> None:
    result = runner.invoke(
        app, ["screen", "--name", "海康威视", "--name", "Axis Communications AB", "-f", "json"]
    )
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert [r["status"] for r in doc] == ["match", "clear"]
    assert doc[0]["hits"][0]["entity_id"] == "hikvision"
    assert doc[0]["algorithm"] == ALGORITHM


def test_clear_exits_zero() -> None:
    result = runner.invoke(app, ["screen", "--name", "Axis Communications AB", "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["status"] == "clear"


def test_gbk_file_jsonl_in_input_order_with_records() -> None:
    result = runner.invoke(app, ["screen", str(FIXTURES / "suppliers_gbk.csv"), "-f", "jsonl"])
    assert result.exit_code == 1, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert [x["status"] for x in lines] == ["match", "clear", "clear"]
    assert lines[0]["record"] == {"序号": "1", "供应商名称": lines[0]["query"], "金额": "1200"}
    assert [x["line"] for x in lines] == [2, 3, 4]


def test_csv_output() -> None:
    result = runner.invoke(app, ["screen", str(FIXTURES / "devices.jsonl"), "-f", "csv"])
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["Query"] for r in rows] == ["海康威视", "Axis"]
    assert rows[0]["Status"] == "match"
    assert "海康威视" in rows[0]["Why"]


def test_xlsx_output(tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    result = runner.invoke(
        app, ["screen", str(FIXTURES / "vendors_utf16.tsv"), "-f", "xlsx", "--out", str(out)]
    )
    assert result.exit_code == 1, result.output
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Line", "Query", "Status"]
    assert values[1][1:3] == ["EZVIZ Inc", "match"]
    assert values[2][1:3] == ["Acme Widgets", "clear"]


def test_bad_input_names_file_and_line() -> None:
    result = runner.invoke(app, ["screen", str(FIXTURES / "broken.jsonl")])
    assert isinstance(result.exception, InputError)
    assert result.exception.exit_code == 2
    assert "broken.jsonl, line 2" in str(result.exception)


def test_usage_errors() -> None:
    result = runner.invoke(app, ["screen"])
    assert getattr(result.exception, "exit_code", None) == 2
    result = runner.invoke(app, ["screen", "--name", "x", "-f", "xlsx"])
    assert getattr(result.exception, "exit_code", None) == 2
