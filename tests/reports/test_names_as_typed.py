"""Supplier names that look like markup (rich's ``[bold]``, HTML's ``<script>``) are data: every
report format shows them exactly as typed, never as markup."""

from __future__ import annotations

import csv
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from clearance.cli.app import app
from clearance.registry import Registry
from clearance.store import open_store
from clearance.store.recording import save_screening
from clearance.store.registry_store import ensure_registry

# Saved through the store (names no screening would flag, given a Hikvision hit).
TYPED = [
    "[china] Test",
    "[bold]x",
    "<script>alert(1)</script>",
    "[/x] [link=https://e.invalid/]y & <b>z</b> 'q' \"r\"",
]
# Saved through `clearance screen --save`: names the engine itself flags.
SCREENED = ["[china] Hikvision", "[/x] Huawei", "[bold]x Dahua Technology"]
NAMES = TYPED + SCREENED


def _result(seed: Registry, query: str) -> dict[str, Any]:
    hik = seed.get("hikvision")
    return {
        "query": query,
        "status": "review",
        "hits": [
            {
                "entity_id": hik.id,
                "entity": hik.name,
                "matched_name": "Hikvision",
                "score": 0.8,
                "listings": [lst.to_json() for lst in hik.listings],
                "explanation": [f"supplier {query} looks like Hikvision"],
            }
        ],
        "algorithm": "test",
        "registry_version": seed.version,
        "record": {"Supplier": query},
    }


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory, seed: Registry) -> dict[str, Path]:
    """Each report format written by `clearance report` from one store holding every name."""
    folder = tmp_path_factory.mktemp("typed")
    db = f"sqlite:///{folder / 'store.sqlite'}"
    engine = open_store(db)
    try:
        ensure_registry(engine)
        save_screening(engine, [_result(seed, n) for n in TYPED], targets=["s.csv"], user="t")
    finally:
        engine.dispose()
    runner = CliRunner()
    args = ["--db", db, "screen", "--save", "-f", "json"]
    for name in SCREENED:
        args += ["--name", name]
    screened = runner.invoke(app, args)
    assert screened.exit_code == 1, screened.output
    assert [r["status"] for r in json.loads(screened.stdout)] != ["clear"] * len(SCREENED)
    out: dict[str, Path] = {}
    for fmt in ("html", "pdf", "xlsx", "csv", "json"):
        path = folder / f"report.{fmt}"
        result = runner.invoke(app, ["--db", db, "report", "--format", fmt, "--out", str(path)])
        assert result.exit_code == 0, result.output
        out[fmt] = path
    return out


def _flagged(reports: dict[str, Path]) -> list[str]:
    """The names the report lists (screened names the engine left clear are not in it)."""
    doc = json.loads(reports["json"].read_text(encoding="utf-8"))
    return [s["supplier"] for s in doc["suppliers"]]


def test_json_keeps_every_name(reports: dict[str, Path]) -> None:
    names = _flagged(reports)
    assert set(TYPED) <= set(names)
    assert set(names) <= set(NAMES)
    assert len(set(names) & set(SCREENED)) >= 2


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.cells.append(data.strip())


def test_html_shows_names_as_text(reports: dict[str, Path]) -> None:
    html = reports["html"].read_text(encoding="utf-8")
    parser = _Text()
    parser.feed(html)
    for name in _flagged(reports):
        assert name in parser.cells, name
    assert "script" not in parser.tags
    assert "b" not in parser.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_pdf_text_shows_names(reports: dict[str, Path]) -> None:
    reader = PdfReader(reports["pdf"])
    flat = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    for name in _flagged(reports):
        assert re.sub(r"\s+", "", name) in flat, name


def test_xlsx_cells_equal_names(reports: dict[str, Path]) -> None:
    sheet = load_workbook(reports["xlsx"])["Suppliers"]
    values = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(values) == sorted(_flagged(reports))  # type: ignore[type-var]


def test_csv_cells_equal_names(reports: dict[str, Path]) -> None:
    with reports["csv"].open(encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["Kind"] == "supplier"]
    assert sorted(r["Subject"] for r in rows) == sorted(_flagged(reports))


def test_report_message_shows_the_path_as_typed(tmp_path: Path) -> None:
    out = tmp_path / "[bold]r [link=https://e.invalid/]x.json"
    result = CliRunner().invoke(app, ["report", "--format", "json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    said = re.sub(r"\s+", "", result.stderr)  # rich wraps long lines at spaces
    assert re.sub(r"\s+", "", f"wrote {out} (json)") in said
    assert json.loads(out.read_text(encoding="utf-8"))["organisation"] == "My organisation"
