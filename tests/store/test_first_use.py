"""Several processes starting at once on a database that does not exist yet: one creates the
schema and stores the seed, the others wait and use it (defect 12 of issue 14)."""

from __future__ import annotations

import multiprocessing
from typing import Any

import pytest
from sqlalchemy import func, select

from clearance.store import ensure_registry, open_store
from clearance.store.schema import registry_versions

PROCESSES = 3
ROUNDS = 3


def _first_use(url: str, barrier: Any, results: Any) -> None:
    barrier.wait(timeout=60)
    try:
        engine = open_store(url)
        results.put(ensure_registry(engine).version)
        engine.dispose()
    except Exception as exc:
        results.put(f"error: {type(exc).__name__}: {exc}")


def _round(url: str) -> list[str]:
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(PROCESSES)
    results = ctx.Queue()
    procs = [ctx.Process(target=_first_use, args=(url, barrier, results)) for _ in range(PROCESSES)]
    for p in procs:
        p.start()
    got = [results.get(timeout=180) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    return got


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_processes_starting_on_a_new_database_share_one_seed(db_url: str, round_: int) -> None:
    versions = _round(db_url)
    assert not [v for v in versions if v.startswith("error")], versions
    assert len(set(versions)) == 1  # every process uses the one stored seed
    engine = open_store(db_url)
    with engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(registry_versions)).scalar_one()
    engine.dispose()
    assert stored == 1
