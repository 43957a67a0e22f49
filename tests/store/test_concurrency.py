"""Two processes writing the same database at once lose nothing and duplicate nothing."""

from __future__ import annotations

import multiprocessing
from typing import Any

from sqlalchemy import Engine, func, select

from clearance.store import open_store
from clearance.store.audit import list_audit
from clearance.store.recording import save_assets
from clearance.store.schema import assets, findings, runs, sightings
from tests.store.factories import camera

RUNS = 15
SHARED = "44:19:b6:ff:ff:ff"


def _writer(url: str, proc: int, barrier: Any) -> None:
    engine = open_store(url, migrate=False)
    barrier.wait(timeout=60)
    for i in range(RUNS):
        mine = camera(f"44:19:b6:0{proc}:00:{i:02x}", f"10.{proc}.0.{i + 1}")
        shared = camera(SHARED, f"10.{proc}.1.1")
        save_assets(
            engine,
            [mine, shared],
            kind="scan",
            targets=[f"10.{proc}.0.0/16"],
            user=f"proc{proc}",
        )
    engine.dispose()


def _count(engine: Engine, table: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_two_processes_write_at_once(engine: Engine) -> None:
    db_url = engine.url.render_as_string(hide_password=False)
    # fork: the children build their own engines and never touch the parent's pool.
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_writer, args=(db_url, n, barrier)) for n in (1, 2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0]
    assert _count(engine, runs) == 2 * RUNS
    assert _count(engine, assets) == 2 * RUNS + 1  # the shared camera is one asset
    assert _count(engine, sightings) == 2 * 2 * RUNS
    assert _count(engine, findings) == 2 * RUNS + 1
    audit = list_audit(engine)
    assert sum(e.action == "run.scan" for e in audit) == 2 * RUNS
    assert sum(e.action == "asset.create" for e in audit) == 2 * RUNS + 1
    assert {e.user for e in audit} == {"proc1", "proc2"}
    ids = [e.id for e in audit]
    assert ids == sorted(set(ids))
