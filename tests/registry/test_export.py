"""``clearance lists export``: JSON lines of Clearance's records (read back by the codec), CSV
with one row per entity and listing, ``--list`` filters, ``--out`` written whole, and an
unknown list refused with exit 2."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from clearance.model import Entity, EntityKind, ListInfo, Listing
from clearance.registry import Registry
from clearance.registry.codec import entity_from_json
from clearance.registry.export import CSV_COLUMNS, ExportFormat, write_export
from tests.cli.main_runner import run_main, seeded_database, use_copy


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_database(tmp_path_factory.mktemp("export"))


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_jsonl_round_trips_through_the_codec(seed: Registry) -> None:
    buf = io.StringIO()
    summary = write_export(seed, ExportFormat.JSONL, buf)
    lines = buf.getvalue().splitlines()
    assert summary.entities == summary.records == len(lines) == len(seed)
    back = [entity_from_json(json.loads(line), seed.lists) for line in lines]
    assert [e.id for e in back] == sorted(e.id for e in seed)
    for entity in back:
        assert entity == seed.get(entity.id), entity.id


def test_csv_has_one_row_per_entity_and_listing(seed: Registry) -> None:
    buf = io.StringIO()
    write_export(seed, ExportFormat.CSV, buf)
    header = next(csv.reader(io.StringIO(buf.getvalue())))
    assert tuple(header) == CSV_COLUMNS
    rows = _csv_rows(buf.getvalue())
    assert len(rows) == sum(max(1, len(e.listings)) for e in seed)
    hik = [r for r in rows if r["entity_id"] == "hikvision"]
    assert {r["list"] for r in hik} == {x.list_id for x in seed.get("hikvision").listings}
    bis = next(r for r in hik if r["list"] == "us-bis-entity-list")
    assert bis["start_date"] == "2019-10-09"
    assert bis["citation"] == "84 FR 54002 (FR Doc 2019-22210)"
    assert "isin:CNE100000PM8" in bis["identifiers"].split("; ")
    assert "杭州海康威视数字技术股份有限公司" in bis["other_names"].split("; ")
    assert bis["countries"] == "cn"


def test_csv_cells_are_inert_in_a_spreadsheet() -> None:
    lst = ListInfo("x-list", "X", "X authority", "US", "sanctions", "https://example.invalid/x")
    listing = Listing(
        "x-list", "X authority", "US", "-2 program", "https://example.invalid/x", date(2020, 1, 2)
    )
    entity = Entity(
        "evil", EntityKind.COMPANY, '=HYPERLINK("http://x.invalid")', listings=[listing]
    )
    buf = io.StringIO()
    write_export(Registry([lst], [entity]), ExportFormat.CSV, buf)
    row = _csv_rows(buf.getvalue())[0]
    assert row["name"] == '\'=HYPERLINK("http://x.invalid")'
    assert row["program"] == "'-2 program"


def test_cli_list_filter_and_out_file(
    seeded: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_copy(seeded, tmp_path, monkeypatch)
    out = tmp_path / "sema.csv"
    ran = run_main(
        capsys,
        monkeypatch,
        "lists",
        "export",
        "--format",
        "csv",
        "--list",
        "ca-sema",
        "--out",
        str(out),
    )
    assert ran.code == 0, ran.err
    assert ran.out == ""
    assert "Exported" in ran.err
    assert str(out) in ran.err
    rows = _csv_rows(out.read_text(encoding="utf-8"))
    assert rows
    assert {r["list"] for r in rows} == {"ca-sema"}
    assert {"zhu-hailun", "xpcc-psb"} <= {r["entity_id"] for r in rows}
    assert "hikvision" not in {r["entity_id"] for r in rows}
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []

    ran = run_main(
        capsys,
        monkeypatch,
        "lists",
        "export",
        "--format",
        "jsonl",
        "--list",
        "ca-sema",
        "--list",
        "us-uflpa",
    )
    assert ran.code == 0, ran.err
    entities = [json.loads(line) for line in ran.out.splitlines()]
    lists_of = [{x["list"] for x in e["listings"]} for e in entities]
    assert all(s & {"ca-sema", "us-uflpa"} for s in lists_of)
    assert any("us-uflpa" in s for s in lists_of)
    assert any("ca-sema" in s for s in lists_of)


def test_cli_ftm_to_stdout_notes_the_categories_left_out(
    seeded: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_copy(seeded, tmp_path, monkeypatch)
    ran = run_main(capsys, monkeypatch, "lists", "export", "--list", "us-fcc-covered")
    assert ran.code == 0, ran.err
    schemas = {json.loads(line)["schema"] for line in ran.out.splitlines()}
    assert schemas >= {"Company", "Sanction"}
    assert "fcc-category-uas" in ran.err


def test_cli_unknown_list_exits_2_naming_it_and_writes_nothing(
    seeded: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_copy(seeded, tmp_path, monkeypatch)
    out = tmp_path / "x.ftm.json"
    out.write_text("previous\n", encoding="utf-8")
    ran = run_main(
        capsys,
        monkeypatch,
        "lists",
        "export",
        "--list",
        "ca-sema",
        "--list",
        "no-such-list",
        "--out",
        str(out),
    )
    assert ran.code == 2
    assert "no-such-list" in ran.err
    assert "ca-sema" in ran.err  # among the lists it does hold
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert ran.out == ""
