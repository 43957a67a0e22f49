"""What a report states from the store's records: overdue items flagged and open items first,
each run's start, finish, user and algorithm, the statement of scope, and the sign-off from
recorded actions; and the trend chart's dates never overlap."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from clearance.matching import ALGORITHM
from clearance.registry import Registry
from clearance.reports.charts import _DATE_W, _date_labels, progress_chart
from clearance.reports.data import ProgressPoint
from clearance.reports.from_store import report_from_store
from clearance.reports.html import render_html
from clearance.store import open_store
from clearance.store.runs import list_runs
from tests.reports.test_counts_agree import db  # noqa: F401  (the scenario's store)


def _report(url: str, seed: Registry):  # type: ignore[no-untyped-def]
    engine = open_store(url)
    try:
        return report_from_store(engine, seed, organisation="Org"), list_runs(engine)
    finally:
        engine.dispose()


def test_overdue_flagged_and_open_items_first(db: str, seed: Registry) -> None:  # noqa: F811
    data, _ = _report(db, seed)
    assert data.overdue_findings == 1
    statuses = [(d.site, d.active, d.overdue) for d in data.devices]
    # Ottawa's device (one finding planned past its due date) before Gatineau's removed one
    assert statuses == [("Ottawa HQ", True, True), ("Gatineau", False, False)]
    html = render_html(data)
    assert html.count('<span class="tag overdue">overdue</span>') == 1
    assert "1 overdue" in html


def test_method_names_algorithm_and_each_runs_start_and_finish(
    db: str,  # noqa: F811
    seed: Registry,
) -> None:
    data, runs = _report(db, seed)
    assert [s.run_id for s in data.method.scans] == [r.id for r in runs]
    for ref, run in zip(data.method.scans, runs, strict=True):
        assert ref.started_at == run.started_at
        assert ref.finished_at is not None
        assert ref.finished_at >= ref.started_at
        assert ref.user == "a"
    html = render_html(data)
    assert ALGORITHM in html
    assert "not recorded" not in html
    first = data.method.scans[0]
    assert first.finished_at is not None
    assert first.finished_at.strftime("%Y-%m-%d %H:%M:%S") in html


def test_scope_states_what_was_covered_and_what_was_not(db: str, seed: Registry) -> None:  # noqa: F811
    data, _ = _report(db, seed)
    covered = "\n".join(data.scope.covered)
    assert "127.77.1.0/28 for Ottawa HQ: scanned on" in covered
    assert "register.csv for Gatineau: read (asset register)" in covered
    assert "suppliers.csv: screened" in covered
    # 2 of the /28's 14 host addresses answered; Gatineau was only read from its register
    assert data.scope.not_covered == [
        "127.77.1.0/28: 12 of 14 addresses gave no answer at run 1 (unreachable, switched off "
        "or unused); devices there were not examined",
        "site Gatineau: no network scan recorded; only its asset register was read",
    ]
    assert "only its asset register was read" in render_html(data)


def test_sign_off_from_recorded_actions(db: str, seed: Registry) -> None:  # noqa: F811
    data, runs = _report(db, seed)
    prepared = [(s.user, s.did) for s in data.sign_off.prepared_by]
    assert prepared == [("a", "ran 3 runs")]
    assert data.sign_off.prepared_by[0].first == runs[0].started_at
    reviewed = {s.user: s.did for s in data.sign_off.reviewed_by}
    assert set(reviewed) == {"analyst", "reviewer"}
    assert reviewed["reviewer"].startswith("updated findings")
    html = render_html(data)
    section = html[html.index('id="signoff"') :]
    assert "Prepared by" in section
    assert "Reviewed by" in section
    assert "reviewer" in section


def test_sign_off_without_a_review_says_so(tmp_path: Path, seed: Registry) -> None:
    engine = open_store(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    data = report_from_store(engine, seed)
    engine.dispose()
    assert data.sign_off.prepared_by == []
    assert data.sign_off.reviewed_by == []
    assert data.progress == []
    html = render_html(data)
    assert "no review recorded" in html
    assert "no run recorded" in html


def _points(days: list[date]) -> list[ProgressPoint]:
    return [ProgressPoint(d, i, 0) for i, d in enumerate(days)]


def test_trend_dates_never_overlap() -> None:
    """Dates a day or two apart on a long axis drew on top of each other (the middle label
    was placed at the middle point whatever its distance to the ends)."""
    start = date(2026, 1, 1)
    cases = [
        [start, start + timedelta(days=1), start + timedelta(days=200)],
        [start, start + timedelta(days=199), start + timedelta(days=200)],
        [start + timedelta(days=i) for i in range(40)],
        [start, start + timedelta(days=1)],
    ]
    width, left, right = 460, 36, 40
    plot_w = width - left - right
    for days in cases:
        pts = _points(days)
        xs = [left + plot_w * (d - days[0]).days / max(1, (days[-1] - days[0]).days) for d in days]
        labels = _date_labels(pts, xs)
        spans = []
        for x, anchor, _ in labels:
            lo = {"start": x, "middle": x - _DATE_W / 2, "end": x - _DATE_W}[anchor]
            spans.append((lo, lo + _DATE_W))
        spans.sort()
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), (days, labels)
        assert labels[-1][2] == days[-1].isoformat()  # the latest date is always shown
        assert progress_chart(pts).count(days[-1].isoformat()) >= 1


def test_single_day_trend_is_one_point() -> None:
    today = datetime.now(UTC).date()
    svg = progress_chart([ProgressPoint(today, 4, 1)])
    assert svg.count("<circle") == 2  # open and resolved, no invented day before
    assert (today - timedelta(days=1)).isoformat() not in svg
