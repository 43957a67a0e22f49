"""Runs and history: scopes, new, gone and reappeared between runs of one scope."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from clearance.errors import UsageError
from clearance.store.recording import save_assets, save_screening
from clearance.store.runs import (
    RunKind,
    Scope,
    get_run,
    history,
    list_runs,
    run_changes,
    subject_labels,
)
from clearance.store.schema import suppliers
from tests.store.factories import camera, screening

A = camera("44:19:b6:00:00:01", "10.0.0.1")
B = camera("44:19:b6:00:00:02", "10.0.0.2")
C = camera("44:19:b6:00:00:03", "10.0.0.3", restricted=False)


def test_scope_is_canonical(tmp_path: Path) -> None:
    inv = tmp_path / "inv.csv"
    inv.write_text("x\n")
    one = Scope.of("scan", ["10.0.0.7/24", "192.168.1.1"], "HQ")
    two = Scope.of(RunKind.IDENTIFY, ["192.168.1.1", "10.0.0.0/24"], "HQ")
    assert one.key == two.key
    assert one.targets == ("10.0.0.0/24", "192.168.1.1")
    assert Scope.of("scan", ["10.0.0.0/24"], "Depot").key != one.key
    assert Scope.of("screen", ["10.0.0.0/24"], "HQ").key != one.key
    assert Scope.of("identify", [str(inv)]).targets == (str(inv.resolve()),)
    assert Scope.of("scan", [], label="hq-cameras").targets == ("label:hq-cameras",)
    with pytest.raises(UsageError):
        Scope.of("scan", [])


def test_history_new_gone_reappeared(engine: Engine) -> None:
    def run(*assets: object) -> None:
        save_assets(engine, list(assets), kind="scan", targets=["10.0.0.0/24"], user="u")  # type: ignore[arg-type]

    run(A, B)
    run(A, C)
    run(A, B, C)
    save_assets(engine, [C], kind="scan", targets=["10.0.9.0/24"], user="u")
    changes = history(engine)
    assert len(changes) == 4
    first, second, third, other = changes
    assert (first.seen, len(first.new), first.previous_run) == (2, 2, None)
    assert second.new == ["asset:3"]
    assert second.gone == ["asset:2"]
    assert third.reappeared == ["asset:2"]
    assert third.new == third.gone == []
    assert other.new == ["asset:3"]
    assert other.previous_run is None
    runs = list_runs(engine)
    assert [r.kind for r in runs] == ["scan"] * 4
    scoped = history(engine, scope_key=runs[0].scope_key[:12])
    assert [c.run.id for c in scoped] == [1, 2, 3]
    assert scoped[1].to_json()["gone"] == ["asset:2"]
    assert runs[1].summary["assets_missing"] == 1
    labels = subject_labels(engine, ["asset:2", "asset:3", "supplier:9", "bogus"])
    assert labels == {
        "asset:2": "Hikvision DS-2CD2143G0-I 10.0.0.2",
        "asset:3": "Axis DS-2CD2143G0-I 10.0.0.3",
    }


def test_runs_and_suppliers_record_the_algorithm_version(engine: Engine) -> None:
    save_screening(engine, [screening("Acme")], targets=["a.csv"], user="u")
    save_assets(engine, [A], kind="scan", targets=["10.0.0.0/24"], user="u")
    newer = [screening("Acme") | {"algorithm": "test-v2"}]
    save_screening(engine, newer, targets=["a.csv"], user="u")
    assert [(r.kind, r.algorithm) for r in list_runs(engine)] == [
        ("screen", "test-v1"),
        ("scan", None),  # no screening results
        ("screen", "test-v2"),
    ]
    assert list_runs(engine)[0].to_json()["algorithm"] == "test-v1"
    with engine.connect() as conn:
        assert conn.execute(select(suppliers.c.algorithm)).scalars().all() == ["test-v2"]


def test_runs_by_kind_and_start_a_page_at_a_time_and_one_runs_changes(engine: Engine) -> None:
    save_assets(engine, [A, B], kind="scan", targets=["10.0.0.0/24"], user="u", site="HQ")
    save_screening(engine, [screening("Acme")], targets=["a.csv"], user="u")
    save_assets(engine, [A], kind="scan", targets=["10.0.0.0/24"], user="u", site="HQ")
    save_assets(engine, [A, B], kind="scan", targets=["10.0.0.0/24"], user="u", site="HQ")
    assert [r.id for r in list_runs(engine, kind="scan")] == [1, 3, 4]
    assert [r.id for r in list_runs(engine, kind=RunKind.SCREEN)] == [2]
    assert [r.id for r in list_runs(engine, after=1, limit=2)] == [2, 3]
    third = list_runs(engine)[2]
    assert [r.id for r in list_runs(engine, since=third.started_at)] == [3, 4]
    later = third.started_at.astimezone(timezone(timedelta(hours=-5)))  # same instant
    assert [r.id for r in list_runs(engine, since=later)] == [3, 4]
    assert list_runs(engine, since=datetime.now(UTC) + timedelta(days=1)) == []
    assert get_run(engine, 99) is None
    assert run_changes(engine, 99) is None
    changes = run_changes(engine, 4)
    assert changes is not None
    assert changes.to_json() == next(c for c in history(engine) if c.run.id == 4).to_json()
    assert (changes.previous_run, changes.reappeared) == (3, ["asset:2"])
