"""End to end: ``clearance audit --demo`` on the bundled organisation, emulated on loopback.

Checks the acceptance of issue 8: four files written; every restricted device of the demo
(emulated and inventoried) listed with its evidence and listing citation; every supplier hit
with its explanation; clean devices and suppliers absent; the inventory's ``=HYPERLINK(...)``
cell inert in the XLSX and in the CSV report; the HTML fetches nothing and shows its charts.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from clearance.audit.organisation import load_demo
from clearance.cli.app import app
from clearance.discovery.emulator.fleet import generate_fleet

pytestmark = pytest.mark.network

# Inventory rows the registry restricts (by serial) and rows it must not flag.
RESTRICTED_SERIALS = {
    "DS-2CD2143G2-I20210315AAWRG12345678",  # Hikvision, Gatineau
    "DS-7608NI-K2/8P0820200101CCRRE11223344",  # make written 海康威视
    "6G04A3BPAZ12345",  # Dahua
    "E12345678",  # EZVIZ (Hikvision subsidiary)
    "DS-2DE4425IW-DE20200512CCWRE98765432",  # Hikvision, Ottawa
    "G12345678",  # HiLook (Hikvision brand)
    "7J01234PAZ99887",  # Dahua NVR
    "2102353174P0KA000123",  # Huawei switch
    "P12345678",  # Prama Hikvision
}
CLEAN_SERIALS = {"ACCC8E123456", "044012345678901234", "PHBBC12345", "ACCC8E654321"}
SUPPLIER_HITS = {
    "杭州海康威视数字技术股份有限公司",
    "浙江大华技术股份有限公司",
    "Hangzhou Haikang Weishi Shuzi Jishu Youxian Gongsi",
    "EZVIZ Inc",
    "Huawei Technologies Co. Ltd",
}
CLEAN_SUPPLIERS = {
    "Axis Communications AB",
    "Bosch Security Systems B.V.",
    "Shanghai Dahua Scale Factory",
    "Hangzhou Digital Technology Co Ltd",
    "Anixter Canada Inc.",
    "Hanwha Vision Co. Ltd",
}


class _Fetches(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[str] = []
        self.svgs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.svgs += tag == "svg"
        if tag in {"img", "script", "link", "iframe", "embed", "object", "source"}:
            self.fetched += [v for k, v in attrs if k in {"src", "href", "data"} and v]


def _has_evidence_and_citation(device: dict[str, Any]) -> bool:
    return bool(device["evidence"]) and all(lst["citation"] for lst in device["listings"])


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    base = tmp_path_factory.mktemp("demo")
    out = base / "demo-report"
    # Module-scoped, so it runs before the per-test isolation: isolate it here.
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CLEARANCE_DATA_DIR", str(base / "data"))
        env.setenv("CLEARANCE_CACHE_DIR", str(base / "cache"))
        env.setenv("CLEARANCE_DB", f"sqlite:///{base / 'unused.sqlite'}")
        result = CliRunner().invoke(app, ["audit", "--demo", "--out", str(out), "--format", "json"])
        assert isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code == 1, result.output  # restricted equipment found
        yield out


def test_writes_the_four_files(demo: Path) -> None:
    for name in ("report.html", "report.pdf", "findings.xlsx", "findings.json"):
        assert (demo / name).stat().st_size > 0, name


def test_every_emulated_restricted_device_is_listed(demo: Path) -> None:
    report = json.loads((demo / "findings.json").read_text(encoding="utf-8"))
    by_ip = {d["ip"]: d for d in report["devices"]}
    # The networks as served (the demo moves them when another demo holds them).
    served = {s["site"]: s["scope"] for s in report["method"]["scans"] if s["kind"] == "scan"}
    for site in load_demo().sites:
        assert site.name in served
        for spec in generate_fleet(site.devices, served[site.name], site.seed):
            truth = spec.manifest()
            if truth["restricted_entity"] is None:
                continue
            device = by_ip.get(truth["ip"])
            assert device is not None, truth
            assert device["site"] == site.name
            assert _has_evidence_and_citation(device), device
            parties = {device["entity_id"], *(a.split(" (")[0] for a in device["also"])}
            assert truth["restricted_entity"] in parties, (truth, device)


def test_every_inventoried_restricted_device_is_listed(demo: Path) -> None:
    report = json.loads((demo / "findings.json").read_text(encoding="utf-8"))
    by_serial = {d["serial"]: d for d in report["devices"] if d["serial"]}
    assert set(by_serial) >= RESTRICTED_SERIALS
    assert not CLEAN_SERIALS & set(by_serial)
    for serial in RESTRICTED_SERIALS:
        assert _has_evidence_and_citation(by_serial[serial]), by_serial[serial]
    assert by_serial["E12345678"]["location"] == "Accueil"


def test_every_supplier_hit_is_explained(demo: Path) -> None:
    report = json.loads((demo / "findings.json").read_text(encoding="utf-8"))
    hits = {s["supplier"]: s for s in report["suppliers"]}
    assert set(hits) == SUPPLIER_HITS
    assert not CLEAN_SUPPLIERS & set(hits)
    for hit in hits.values():
        assert hit["explanation"]
        assert hit["listings"]
    assert report["totals"]["suppliers_screened"] == 12
    html = (demo / "report.html").read_text(encoding="utf-8")
    for name in SUPPLIER_HITS:
        assert name in html


def test_html_is_self_contained_with_charts(demo: Path) -> None:
    parser = _Fetches()
    parser.feed((demo / "report.html").read_text(encoding="utf-8"))
    assert parser.fetched == []
    assert parser.svgs >= 4


def test_hyperlink_cell_is_inert_in_xlsx_and_csv(demo: Path, tmp_path: Path) -> None:
    book = load_workbook(demo / "findings.xlsx")
    sheet = book["Devices"]
    headers = [c.value for c in sheet[1]]
    column = headers.index("Location") + 1
    cells = [sheet.cell(row=r, column=column) for r in range(2, sheet.max_row + 1)]
    link = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert len(link) == 1
    assert link[0].value.startswith("'=HYPERLINK(")
    assert link[0].data_type == "s"
    out = tmp_path / "findings.csv"
    db = f"sqlite:///{demo / 'clearance-demo.sqlite'}"
    result = CliRunner().invoke(app, ["--db", db, "report", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    locations = [r["Location"] for r in rows if "HYPERLINK" in r["Location"]]
    assert locations == ["'" + '=HYPERLINK("http://exemple.invalid/plan","Hall d\'entrée")']


def test_demo_moves_to_free_networks_when_taken() -> None:
    from clearance.audit.demo import emulated_sites, shifted

    org = shifted(load_demo(), 99)  # away from the module's own demo
    notes: list[str] = []
    with emulated_sites(org, notes) as (first, scope):
        assert scope == [s.network for s in first.sites]
        with emulated_sites(org, notes) as (second, other):
            assert not set(scope) & set(other)
            assert second.site_of_address(other[0].replace("0/28", "1")) is not None
    assert len(notes) == 2
