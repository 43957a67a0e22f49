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


def _runs(db: str) -> int:
    from clearance.store import open_store
    from clearance.store.runs import list_runs

    engine = open_store(db)
    try:
        return len(list_runs(engine))
    finally:
        engine.dispose()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_out_in_a_missing_folder_fails_before_saving(
    tmp_path: Path, shared_db: str, fmt: str
) -> None:
    out = tmp_path / "missing" / "dir" / f"x.{fmt}"
    before = _runs(shared_db)
    result = runner.invoke(
        app, ["screen", "--save", "--name", "Hikvision", "-f", fmt, "-o", str(out)]
    )
    assert getattr(result.exception, "exit_code", None) == 2, result.output
    assert str(out) in str(result.exception)
    assert "does not exist" in str(result.exception)
    assert _runs(shared_db) == before
    assert not out.parent.exists()


def test_out_replaces_the_previous_file_whole(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "x.csv"
    out.write_text("an older result that is much longer than the new one\n" * 200)
    result = runner.invoke(
        app, ["screen", "--name", "Axis Communications AB", "-f", "csv", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["Query"] for r in rows] == ["Axis Communications AB"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["x.csv"]


def test_out_without_format_is_json_and_table_goes_to_the_file(tmp_path: Path) -> None:
    out = tmp_path / "x.json"
    result = runner.invoke(app, ["screen", "--name", "[china] Test", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))[0]["query"] == "[china] Test"
    table = tmp_path / "x.txt"
    result = runner.invoke(
        app, ["screen", "--name", "Axis Communications AB", "-f", "table", "-o", str(table)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    text = table.read_text(encoding="utf-8")
    assert "Query" in text
    assert "clear" in text


def test_xlsx_cells_are_the_names_as_typed_and_inert(tmp_path: Path) -> None:
    out = tmp_path / "names.xlsx"
    names = ["[china] Test", "<script>alert(1)</script>", "=HYPERLINK(1)", "海康威视"]
    args = ["screen", "-f", "xlsx", "-o", str(out)]
    for name in names:
        args += ["--name", name]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    sheet = openpyxl.load_workbook(out)["screening"]
    assert sheet.freeze_panes == "A2"  # the report's writer: frozen bold headers
    queries = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in queries] == [*names[:2], "'=HYPERLINK(1)", "海康威视"]
    assert all(c.data_type == "s" for c in queries)


def test_a_name_cut_short_is_reviewed_and_says_so() -> None:
    long_name = " ".join(f"w{i:05d}x" for i in range(800))  # 6,399 characters
    result = runner.invoke(app, ["screen", "--name", long_name, "-f", "csv"])
    assert result.exit_code == 1, result.output  # a review, not a silent clear
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert row["Status"] == "review"
    assert row["Why"] == (
        "name cut to its first 1,000 of 6,399 characters: the rest was not screened"
    )


def test_supplier_named_as_a_known_oem_label_is_a_review_with_its_relation() -> None:
    """LTS is recorded as a Hikvision OEM label (certainty 0.4); "LT Security Inc. (LTS)"
    scored below review on its words ("LT" and "LTS" read as legal forms) and screened clear."""
    result = runner.invoke(app, ["screen", "--name", "LT Security Inc. (LTS)", "-f", "json"])
    assert result.exit_code == 1, result.output
    (doc,) = json.loads(result.stdout)
    assert doc["status"] == "review"
    (hit,) = doc["hits"]
    assert (hit["entity_id"], hit["status"], hit["matched_name"]) == (
        "lts",
        "review",
        "LT Security Inc.",
    )
    oem = hit["restricted"][0]
    assert (oem["entity_id"], oem["relation"], oem["certainty"]) == ("hikvision", "oem", 0.4)
    assert any(
        "LT Security Inc. is an OEM label of Hangzhou Hikvision" in line
        and "relation certainty 0.40" in line
        for line in hit["explanation"]
    )


@pytest.mark.parametrize("name", ["LTS", "(LTS) Distribution", "lt-security inc"])
def test_oem_label_compared_as_written_whole_or_in_parentheses(name: str) -> None:
    result = runner.invoke(app, ["screen", "--name", name, "-f", "jsonl"])
    doc = json.loads(result.stdout)
    assert [h["entity_id"] for h in doc["hits"]] == ["lts"], doc
    assert doc["status"] == "review"


@pytest.mark.parametrize("name", ["LT Security Systems", "Ultimate Security Inc.", "Salts Ltd"])
def test_names_that_only_resemble_an_oem_label_stay_clear(name: str) -> None:
    result = runner.invoke(app, ["screen", "--name", name, "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["status"] == "clear"
