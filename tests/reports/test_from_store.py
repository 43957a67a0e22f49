"""Reports built from the tracking store: one line per device, lifecycle fields, trend."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from typer.testing import CliRunner

from clearance.cli.app import app
from clearance.errors import UsageError
from clearance.model import Asset, Attribution, Evidence
from clearance.registry import Registry
from clearance.reports.from_store import progress_series, report_from_store
from clearance.store.audit import list_audit
from clearance.store.findings import list_findings
from clearance.store.lifecycle import update_finding
from clearance.store.recording import save_assets, save_screening
from clearance.store.registry_store import ensure_registry
from clearance.store.runs import list_runs
from clearance.store.sites import add_site


def _assets(seed: Registry) -> list[Asset]:
    hik, dahua = seed.get("hikvision"), seed.get("dahua")
    return [
        Asset(
            source="scan",
            ip="127.77.1.5",
            mac="44:19:b6:00:00:05",
            manufacturer="Hikvision",
            model="DS-2CD2143G2-I",
            serial="DS-2CD2143G2-I20210315AAWRG1",
            restricted=[
                Attribution(hik.id, hik.name, "manufacturer", 0.98, tuple(hik.listings)),
                Attribution(dahua.id, dahua.name, "oem", 0.4, tuple(dahua.listings)),
            ],
            evidence=[Evidence("sadp", "DS-2CD2143G2-I", "probe:sadp")],
        ),
        Asset(source="scan", ip="127.77.1.6", manufacturer="Axis", model="P3245-LVE"),
    ]


def _screening(seed: Registry) -> dict[str, Any]:
    hik = seed.get("hikvision")
    return {
        "query": "杭州海康威视数字技术股份有限公司",
        "status": "match",
        "hits": [
            {
                "entity_id": hik.id,
                "entity": hik.name,
                "matched_name": "杭州海康威视数字技术股份有限公司",
                "score": 1.0,
                "listings": [lst.to_json() for lst in hik.listings],
                "explanation": ["legal name in Han script equals the registry's"],
            }
        ],
        "algorithm": "test",
        "registry_version": seed.version,
        "record": {"Supplier name": "杭州海康威视数字技术股份有限公司"},
    }


def _fill(engine: Engine, seed: Registry) -> None:
    ensure_registry(engine)
    add_site(engine, "Ottawa HQ", owner="Facilities — Ottawa", user="tester")
    save_assets(
        engine, _assets(seed), kind="scan", targets=["127.77.1.0/28"], site="Ottawa HQ", user="t"
    )
    save_screening(engine, [_screening(seed)], targets=["suppliers.csv"], user="t")


def test_one_line_per_device_with_lifecycle_fields(engine: Engine, seed: Registry) -> None:
    _fill(engine, seed)
    hik_finding = next(
        f for f in list_findings(engine, kind="device") if f.entity_id == "hikvision"
    )
    update_finding(
        engine,
        hik_finding.id,
        user="t",
        status="replacement_planned",
        owner="J. Smith",
        due_date=date(2027, 3, 31),
    )
    data = report_from_store(engine, seed, organisation="Org")
    assert data.assets_seen == 2
    assert len(data.devices) == 1
    row = data.devices[0]
    assert (row.site, row.entity_id, row.status) == ("Ottawa HQ", "dahua", "open")
    # the open finding leads the line; the planned one shows under "also"
    assert len(row.also) == 1
    assert "Hikvision" in row.also[0]
    assert {lst.list_id for lst in row.listings} >= {"us-fcc-covered", "us-ndaa-889"}
    assert row.evidence == ("sadp: DS-2CD2143G2-I (rule probe:sadp)",)
    assert row.owner == "Facilities — Ottawa"
    assert len(data.suppliers) == 1
    sup = data.suppliers[0]
    assert sup.explanation == ("legal name in Han script equals the registry's",)
    assert sup.disposition == "open"
    assert [s.kind for s in data.method.scans] == ["scan", "screen"]
    assert data.method.registry_version
    # counts are of findings: the one device holds two (Hikvision and Dahua)
    by_site = {c.key: c.devices for c in data.counts_by("site")}
    assert by_site["Ottawa HQ"] == 2
    assert data.open_findings == len(list_findings(engine, active_only=True)) == 3


def test_site_filter_leaves_out_suppliers(engine: Engine, seed: Registry) -> None:
    _fill(engine, seed)
    data = report_from_store(engine, seed, site="Ottawa HQ")
    assert data.site_filter == "Ottawa HQ"
    assert len(data.devices) == 1
    assert data.suppliers == []


def test_progress_comes_from_recorded_history_without_an_invented_start(
    engine: Engine, seed: Registry
) -> None:
    """The trend's points are the days of recorded runs and status changes: one day of
    records is one point (it began with an invented zero the day before)."""
    _fill(engine, seed)
    today = datetime.now(UTC).date()
    data = report_from_store(engine, seed)
    assert [(p.day, p.open, p.resolved) for p in data.progress] == [(today, 3, 0)]
    assert progress_series([], [], []) == []


def test_progress_follows_each_findings_status_changes(engine: Engine, seed: Registry) -> None:
    _fill(engine, seed)
    first = list_findings(engine)[0]
    update_finding(engine, first.id, user="analyst", status="removed", note="gone")
    findings = list_findings(engine)
    entries = list_audit(engine, object_type="finding")
    today = datetime.now(UTC).date()
    yesterday = today - timedelta(days=1)
    # the same changes a day apart: opened yesterday, removed today
    moved = [
        replace(e, at=e.at - timedelta(days=1)) if e.action == "finding.open" else e
        for e in entries
    ]
    earlier = [replace(f, opened_at=f.opened_at - timedelta(days=1)) for f in findings]
    points = progress_series(earlier, moved, until=today)
    assert [(p.day, p.open, p.resolved) for p in points] == [(yesterday, 3, 0), (today, 2, 1)]
    data = report_from_store(engine, seed)
    assert (data.progress[-1].open, data.progress[-1].resolved) == (2, 1)
    assert data.open_findings == 2


def test_report_command_writes_each_format(tmp_path: Path, seed: Registry) -> None:
    runner = CliRunner()
    db = f"sqlite:///{tmp_path / 'c.sqlite'}"
    from clearance.store import open_store

    engine = open_store(db)
    _fill(engine, seed)
    engine.dispose()
    for fmt in ("json", "csv", "xlsx", "html"):
        out = tmp_path / f"r.{fmt}"
        result = runner.invoke(app, ["--db", db, "report", "--format", fmt, "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    assert "杭州海康威视数字技术股份有限公司" in (tmp_path / "r.html").read_text(encoding="utf-8")
    bad = runner.invoke(app, ["--db", db, "report", "--out", str(tmp_path / "x"), "--site", "No"])
    assert isinstance(bad.exception, UsageError)  # main() maps it to exit 2


def test_a_run_that_found_nothing_is_a_recorded_zero(engine: Engine, seed: Registry) -> None:
    _fill(engine, seed)
    findings = list_findings(engine)
    entries = list_audit(engine, object_type="finding")
    runs = list_runs(engine)
    today = datetime.now(UTC).date()
    earlier = replace(runs[0], started_at=runs[0].started_at - timedelta(days=2))
    points = progress_series(findings, entries, [earlier, *runs], until=today)
    assert [(p.day, p.open, p.resolved) for p in points] == [
        (today - timedelta(days=2), 0, 0),
        (today, 3, 0),
    ]
