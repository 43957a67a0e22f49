"""The overview's figures on the demo organisation's store: per site and status, the trend,
overdue work, the lists' freshness."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from clearance.store.db import open_store
from clearance.store.findings import list_findings
from clearance.store.lifecycle import update_finding
from clearance.store.values import now
from clearance.web.overview_data import overview


def test_overview_of_the_demo_organisation(demo_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "store.sqlite"
    copy.write_bytes(demo_db.read_bytes())
    engine = open_store(f"sqlite:///{copy}")
    devices = list_findings(engine, kind="device", active_only=True)
    suppliers = list_findings(engine, kind="supplier", active_only=True)
    at = now()
    seen = overview(engine, today=at.date(), at=at)
    assert seen.devices == len(devices) > 0
    assert seen.suppliers == len(suppliers) > 0
    ottawa = next(s for s in seen.sites if s.site == "Ottawa HQ")
    assert ottawa.devices.total() == sum(f.site == "Ottawa HQ" for f in devices)
    # the demo's runs, seconds apart, are one point; then now
    assert [(p.devices, p.suppliers) for p in seen.trend][-1] == (len(devices), len(suppliers))
    assert len(seen.trend) == 2
    assert seen.overdue == []
    assert seen.version is not None
    assert "us-fcc-covered" in {x.id for x in seen.lists}
    assert seen.previous_version is None  # one registry version: nothing changed yet

    late = devices[0]
    yesterday = date.today() - timedelta(days=1)
    update_finding(engine, late.id, due_date=yesterday, user="lead")
    again = overview(engine, today=date.today(), at=now())
    assert [f.id for f in again.overdue] == [late.id]
