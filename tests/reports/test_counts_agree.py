"""Every count in the HTML report equals the matching ``clearance findings list`` count.

The store holds two sites, a device leading to two listed parties (two findings, one work-list
line), a supplier hit, and findings moved by people: one planned past its due date (overdue),
one removed, one a false positive. The report and the findings are both read through the CLI,
and the HTML is parsed: headline figures, the four count tables, the bar charts' bars and the
trend's last point.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from clearance.cli.app import app
from clearance.model import Asset, Attribution
from clearance.registry import Registry
from clearance.store import open_store
from clearance.store.findings import list_findings
from clearance.store.lifecycle import update_finding
from clearance.store.recording import save_assets, save_screening
from clearance.store.registry_store import ensure_registry
from clearance.store.sites import add_site
from tests.reports.test_from_store import _assets, _screening

runner = CliRunner()
SUPPLIERS = "(suppliers)"


class _ReportParser(HTMLParser):
    """The figures of a report: KPIs by id, count tables by dimension, chart bars by chart
    title, and the trend's points."""

    def __init__(self) -> None:
        super().__init__()
        self.kpis: dict[str, int] = {}
        self.tables: dict[str, dict[str, list[int]]] = {}
        self.bars: dict[str, dict[str, dict[str, int]]] = {}
        self.trend: list[tuple[str, int, str]] = []
        self._kpi: str | None = None
        self._dimension: str | None = None
        self._row: str | None = None
        self._num = False
        self._chart: str | None = None
        self._title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "span" and (a.get("id") or "").startswith("kpi-"):
            self._kpi = a["id"]
        elif tag == "table" and a.get("data-dimension"):
            self._dimension = a["data-dimension"]
            self.tables[self._dimension or ""] = {}
        elif tag == "tr" and self._dimension and a.get("data-key") is not None:
            self._row = a["data-key"]
            self.tables[self._dimension][self._row or ""] = []
        elif tag == "td" and self._row is not None and "num" in (a.get("class") or ""):
            self._num = True
        elif tag == "svg":
            self._chart = a.get("aria-label")
        elif tag == "title" and self._chart:
            self._title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._dimension = self._row = None
        elif tag == "td":
            self._num = False
        elif tag == "svg":
            self._chart = None
        elif tag == "title":
            self._title = False
        elif tag == "span":
            self._kpi = None

    def handle_data(self, data: str) -> None:
        if self._kpi:
            self.kpis[self._kpi] = int(data)
        elif self._num and self._dimension and self._row is not None:
            self.tables[self._dimension][self._row].append(int(data))
        elif self._title and self._chart:
            bar = re.fullmatch(r"(.+): (\d+) (device|supplier) findings", data)
            point = re.fullmatch(r"(\d{4}-\d\d-\d\d): (\d+) (open|resolved)", data)
            if bar:
                chart = self.bars.setdefault(self._chart, {})
                chart.setdefault(bar[1], {})[bar[3]] = int(bar[2])
            elif point:
                self.trend.append((point[1], int(point[2]), point[3]))


@pytest.fixture
def db(tmp_path: Path, seed: Registry) -> str:
    url = f"sqlite:///{tmp_path / 'counts.sqlite'}"
    engine = open_store(url)
    ensure_registry(engine)
    add_site(engine, "Ottawa HQ", owner="Facilities — Ottawa", user="lead")
    add_site(engine, "Gatineau", user="lead")
    save_assets(
        engine, _assets(seed), kind="scan", targets=["127.77.1.0/28"], site="Ottawa HQ", user="a"
    )
    dahua = seed.get("dahua")
    gatineau = Asset(
        source="inventory",
        ip="10.20.1.7",
        manufacturer="Dahua",
        model="IPC-HFW2431S",
        restricted=[Attribution(dahua.id, dahua.name, "manufacturer", 1.0, tuple(dahua.listings))],
    )
    save_assets(
        engine, [gatineau], kind="identify", targets=["register.csv"], site="Gatineau", user="a"
    )
    save_screening(engine, [_screening(seed)], targets=["suppliers.csv"], user="a")
    findings = list_findings(engine)
    ottawa_hik = next(f for f in findings if f.site == "Ottawa HQ" and f.entity_id == "hikvision")
    update_finding(
        engine,
        ottawa_hik.id,
        user="analyst",
        status="replacement_planned",
        owner="J. Smith",
        due_date=datetime.now(UTC).date() - timedelta(days=3),
    )
    gat = next(f for f in findings if f.site == "Gatineau")
    update_finding(engine, gat.id, user="reviewer", status="removed", note="Disposed, cert X-1")
    supplier = next(f for f in findings if f.kind == "supplier")
    update_finding(
        engine, supplier.id, user="reviewer", status="false_positive", note="another firm"
    )
    engine.dispose()
    return url


def _findings(db: str, *args: str) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["--db", db, "findings", "list", *args, "-f", "json"])
    assert result.exit_code in (0, 1), result.output  # 1: restricted findings listed
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


def _lists(finding: dict[str, Any]) -> set[str]:
    detail = finding["detail"]
    parts = [detail, detail.get("attribution") or {}, *(detail.get("hits") or [])]
    return {x["list"] for p in parts for x in p.get("listings") or []}


def test_every_count_in_the_html_report_equals_findings_list(db: str, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["--db", db, "report", "--format", "html", "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = _ReportParser()
    page.feed(out.read_text(encoding="utf-8"))

    every = _findings(db)
    active = _findings(db, "--active")
    today = datetime.now(UTC).date().isoformat()
    overdue = [f for f in active if f["due_date"] and f["due_date"] < today]
    assert (len(every), len(active), len(overdue)) == (4, 2, 1)  # the scenario as built
    assert page.kpis == {
        "kpi-findings": len(every),
        "kpi-open": len(active),
        "kpi-overdue": len(overdue),
    }

    def split(rows: list[dict[str, Any]]) -> list[int]:
        devices = sum(1 for f in rows if f["kind"] == "device")
        return [devices, len(rows) - devices, len(rows)]

    statuses = {f["status"] for f in every}
    assert page.tables["status"] == {s: split(_findings(db, "--status", s)) for s in statuses}
    sites = {f["site"] for f in every}
    expected_sites = {
        s or SUPPLIERS: split(
            _findings(db, "--site", s) if s else [f for f in every if not f["site"]]
        )
        for s in sites
    }
    assert page.tables["site"] == expected_sites
    by_entity = {e: [f for f in every if f["entity"] == e] for e in {f["entity"] for f in every}}
    assert page.tables["vendor"] == {e: split(rows) for e, rows in by_entity.items()}
    lists = {x for f in every for x in _lists(f)}
    assert page.tables["list"] == {x: split([f for f in every if x in _lists(f)]) for x in lists}

    # the charts draw the same counts
    for chart, dimension in (("By site", "site"), ("By restricted party", "vendor")):
        drawn = {
            key: [bars.get("device", 0), bars.get("supplier", 0)]
            for key, bars in page.bars[chart].items()
        }
        assert drawn == {k: v[:2] for k, v in page.tables[dimension].items()}
    # the trend ends where the findings are now
    last_day = max(day for day, _, _ in page.trend)
    ends = Counter({what: n for day, n, what in page.trend if day == last_day})
    assert (ends["open"], ends["resolved"]) == (len(active), len(every) - len(active))
