"""Every report format rendered from a constructed ReportData, and its content checked."""

from __future__ import annotations

import csv
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from clearance.cells import neutralise_cell
from clearance.reports import ReportData, write_report
from clearance.reports.render import render_csv, render_json
from tests.reports.conftest import FORMULA

# Elements whose src/href would be fetched by a browser (as opposed to <a href> links).
_FETCHING = {"img", "script", "link", "iframe", "embed", "object", "source", "video", "audio"}


class _Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[str] = []
        self.svgs = 0
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "svg":
            self.svgs += 1
        for name, value in attrs:
            if tag in _FETCHING and name in {"src", "href", "srcset", "data"} and value:
                self.fetched.append(value)
            if tag == "image" and name in {"href", "xlink:href"} and value:
                self.fetched.append(value)


def test_html_is_self_contained_with_charts(tmp_path: Path, sample: ReportData) -> None:
    path = write_report(sample, "html", tmp_path / "r.html")
    html = path.read_text(encoding="utf-8")
    parser = _Resources()
    parser.feed(html)
    assert parser.fetched == []
    assert parser.svgs >= 4
    assert "<script" not in html
    assert not re.search(r"url\(\s*['\"]?https?:", html)
    assert "@import" not in html
    # content: every device, its evidence and citation; every supplier hit with its explanation
    for text in (
        "DS-2CD2143G2-I",
        "海康威视",
        "47 CFR 1.50002",
        "sadp: DS-2CD2143G2-I (rule sadp.device)",
        "杭州海康威视数字技术股份有限公司",
        "legal form 股份有限公司 ignored",
        "different company, checked registration",
        "127.0.10.0/24",
        "@media print",
    ):
        assert text in html, text
    # inventory text is escaped, not markup
    assert "=HYPERLINK(&#34;http://attacker.invalid/x&#34;,&#34;Hall&#34;)" in html


def test_html_escapes_markup_in_inputs(sample: ReportData) -> None:
    from dataclasses import replace

    from clearance.reports.html import render_html

    sample.devices[0] = replace(sample.devices[0], location="<script>alert(1)</script>")
    html = render_html(sample)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_pdf_text(tmp_path: Path, sample: ReportData) -> None:
    path = write_report(sample, "pdf", tmp_path / "r.pdf")
    reader = PdfReader(path)
    assert len(reader.pages) >= 2
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s+", "", text)
    for needle in ("Restricted-vendor compliance report", "DS-2CD2143G2-I", "47 CFR 1.50002"):
        assert re.sub(r"\s+", "", needle) in flat, needle
    assert "杭州海康威视数字技术股份有限公司" in flat


def test_xlsx_sheets_frozen_filtered_and_inert(tmp_path: Path, sample: ReportData) -> None:
    path = write_report(sample, "xlsx", tmp_path / "r.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["Summary", "Devices", "Suppliers", "Progress", "Method"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref is not None
        assert sheet.auto_filter.ref.startswith("A1:")
    devices = book["Devices"]
    headers = [c.value for c in devices[1]]
    location = devices.cell(row=2, column=headers.index("Location") + 1)
    assert location.value == "'" + FORMULA
    assert location.data_type == "s"
    assert all(
        c.data_type != "f" for sheet in book.worksheets for row in sheet.iter_rows() for c in row
    )
    suppliers = book["Suppliers"]
    values = [c.value for c in suppliers[3]]
    assert values[0] == "'+Zhejiang Dahua Tech"
    assert "杭州海康威视数字技术股份有限公司" in [c.value for c in suppliers[2]]


def test_csv_neutralises_formulas(tmp_path: Path, sample: ReportData) -> None:
    path = write_report(sample, "csv", tmp_path / "r.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["Kind"] for r in rows] == ["device"] * 3 + ["supplier"] * 2
    assert rows[0]["Location"] == "'" + FORMULA
    assert rows[4]["Subject"] == "'+Zhejiang Dahua Tech"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert "47 CFR 1.50002" in rows[0]["Listings and citations"]
    assert render_csv(sample).startswith("Kind,Site")


def test_json_document(sample: ReportData) -> None:
    doc = json.loads(render_json(sample))
    assert doc["totals"]["restricted_devices"] == 3
    assert doc["totals"]["supplier_hits"] == 2
    assert doc["devices"][0]["listings"][0]["citation"] == "47 CFR 1.50002"
    assert doc["suppliers"][0]["explanation"][0] == "exact name in Han script"
    assert doc["method"]["scans"][0]["scope"] == "127.0.10.0/24"
    assert {c["dimension"] for c in doc["counts"]} == {"site", "vendor", "list", "status"}


def test_summary_counts(sample: ReportData) -> None:
    by_site = {c.key: (c.devices, c.suppliers) for c in sample.counts_by("site")}
    assert by_site == {"Gatineau": (2, 0), "Ottawa HQ": (1, 0), "(suppliers)": (0, 2)}
    by_list = {c.key: c.total for c in sample.counts_by("list")}
    assert by_list == {"us-fcc-covered": 5, "us-ndaa-889": 2}
    assert sample.open_findings == 3


def test_empty_report_renders(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    data = ReportData("Empty", "Nobody", datetime(2026, 1, 1, tzinfo=UTC))
    for fmt in ("html", "csv", "json", "xlsx"):
        assert write_report(data, fmt, tmp_path / f"e.{fmt}").stat().st_size > 0
    assert "No restricted device was found." in (tmp_path / "e.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        (3, 3),
    ],
)
def test_neutralise_cell(value: object, expected: object) -> None:
    assert neutralise_cell(value) == expected


class _RendererFailed(Exception):
    pass


def _write_half_then_fail(target: object) -> None:
    """What a renderer does when it fails part-way: some bytes out, then an exception."""
    if isinstance(target, str | Path):
        with open(target, "wb") as handle:  # the renderers' own API takes a name or a file
            handle.write(b"PK\x03\x04 half of it")
    else:
        target.write(b"PK\x03\x04 half of it")  # type: ignore[attr-defined]
    raise _RendererFailed


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_renderer_failing_part_way_keeps_the_previous_report(
    tmp_path: Path, sample: ReportData, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    import openpyxl
    import weasyprint

    path = write_report(sample, fmt, tmp_path / f"r.{fmt}")
    previous = path.read_bytes()
    monkeypatch.setattr(
        weasyprint.HTML, "write_pdf", lambda self, target=None, **kw: _write_half_then_fail(target)
    )
    monkeypatch.setattr(
        openpyxl.Workbook, "save", lambda self, target: _write_half_then_fail(target)
    )
    with pytest.raises(_RendererFailed):
        write_report(sample, fmt, path)
    assert path.read_bytes() == previous
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


@pytest.mark.parametrize("fmt", ["html", "json", "csv", "xlsx"])
def test_disk_full_keeps_the_previous_report(
    tmp_path: Path, sample: ReportData, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    import os

    from clearance.errors import OperationalError

    path = write_report(sample, fmt, tmp_path / f"r.{fmt}")
    previous = path.read_bytes()
    sample.organisation = "Another organisation"

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OperationalError, match=f"r.{fmt}"):
        write_report(sample, fmt, path)
    assert path.read_bytes() == previous
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_control_characters_do_not_stop_the_workbook(tmp_path: Path, sample: ReportData) -> None:
    from dataclasses import replace

    sample.suppliers[0] = replace(sample.suppliers[0], supplier="\x1b[31mred\x1b[0m\x07 [bold]x")
    path = write_report(sample, "xlsx", tmp_path / "r.xlsx")
    values = [c.value for c in load_workbook(path)["Suppliers"][2]]
    assert values[0] == "␛[31mred␛[0m␇ [bold]x"
    for fmt in ("html", "pdf", "csv", "json"):
        write_report(sample, fmt, tmp_path / f"r.{fmt}")
    doc = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert doc["suppliers"][0]["supplier"] == "\x1b[31mred\x1b[0m\x07 [bold]x"
