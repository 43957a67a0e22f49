"""The web pages' uploads in the store, on SQLite and PostgreSQL: a held upload's files come
back byte for byte and only to their owner, four processes saving one upload at once start one
saving, a saving's outcome reads back as recorded, and what is left behind is pruned."""

from __future__ import annotations

import multiprocessing
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, func, select

from clearance.store import open_store
from clearance.store.schema import web_upload_files, web_upload_jobs, web_uploads
from clearance.store.values import now
from clearance.store.web_uploads import (
    drop_upload,
    find_job,
    find_upload,
    finish_job,
    hold_upload,
    prune_uploads,
    start_job,
    upload_files,
)

# Every byte value, a NUL among them, and over a megabyte: the files are kept as bytes.
XLSX = b"PK\x03\x04" + bytes(range(256)) * 4200
CSV = "Tag,Marque\nX-1,Hikvision\n".encode("cp1252")


def _count(engine: Engine, table: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_a_held_upload_comes_back_byte_for_byte_to_its_owner_only(engine: Engine) -> None:
    key = hold_upload(
        engine,
        "ed",
        "register",
        [("lab.xlsx", XLSX), ("more.csv", CSV)],
        site="Gatineau",
        source_name="Lab register",
    )
    assert len(key) >= 22  # 128 random bits
    held = find_upload(engine, key, "ed")
    assert held is not None
    assert (held.kind, held.names, held.site, held.source_name, held.column) == (
        "register",
        ["lab.xlsx", "more.csv"],
        "Gatineau",
        "Lab register",
        None,
    )
    assert upload_files(engine, key) == [("lab.xlsx", XLSX), ("more.csv", CSV)]
    assert find_upload(engine, key, "ed2") is None
    assert find_upload(engine, "no-such-key", "ed") is None
    assert not drop_upload(engine, key, "ed2")
    assert drop_upload(engine, key, "ed")
    assert (_count(engine, web_uploads), _count(engine, web_upload_files)) == (0, 0)


def _saver(url: str, key: str, barrier: Any, queue: Any) -> None:
    engine = open_store(url, migrate=False)
    barrier.wait(timeout=60)
    queue.put(start_job(engine, "ed", "register", ["lab.xlsx"], taking=key))
    engine.dispose()


def test_four_processes_saving_one_upload_at_once_start_one_saving(engine: Engine) -> None:
    key = hold_upload(engine, "ed", "register", [("lab.xlsx", XLSX)])
    url = engine.url.render_as_string(hide_password=False)
    ctx = multiprocessing.get_context("fork")
    barrier, queue = ctx.Barrier(4), ctx.Queue()
    procs = [ctx.Process(target=_saver, args=(url, key, barrier, queue)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    started = [queue.get(timeout=5) for _ in procs]
    assert sum(job is not None for job in started) == 1
    assert (_count(engine, web_uploads), _count(engine, web_upload_files)) == (0, 0)
    assert _count(engine, web_upload_jobs) == 1


def test_someone_elses_upload_is_not_taken(engine: Engine) -> None:
    key = hold_upload(engine, "ed", "register", [("lab.csv", CSV)])
    assert start_job(engine, "ed2", "register", ["lab.csv"], taking=key) is None
    assert find_upload(engine, key, "ed") is not None
    assert _count(engine, web_upload_jobs) == 0


def test_a_savings_outcome_reads_back_as_recorded(engine: Engine) -> None:
    done, failed = (start_job(engine, "ed", "suppliers", ["v.csv"]) for _ in range(2))
    assert done is not None
    assert failed is not None
    running = find_job(engine, done, "ed")
    assert running is not None
    assert (running.state, running.names, running.finished_at) == ("running", ["v.csv"], None)
    result = {
        "report": {"run_id": 3, "kind": "screen", "scope_key": "s", "counts": {"hits": 1}},
        "total": 2,
        "restricted": [{"query": "Hikvision", "line": 2, "hits": [{"score": 0.97}]}],
    }
    finish_job(engine, done, run_id=3, result=result)
    finish_job(engine, failed, error="v.csv, line 3: not a CSV file")
    saved, refused = find_job(engine, done, "ed"), find_job(engine, failed, "ed")
    assert saved is not None
    assert refused is not None
    assert (saved.state, saved.run_id, saved.result, saved.error) == ("done", 3, result, "")
    assert saved.finished_at is not None
    assert saved.finished_at >= saved.started_at
    assert (refused.state, refused.error) == ("failed", "v.csv, line 3: not a CSV file")
    assert find_job(engine, done, "ed2") is None


def test_pruning_deletes_old_uploads_finished_savings_and_abandoned_ones(engine: Engine) -> None:
    old = hold_upload(engine, "ed", "register", [("old.csv", CSV)])
    finished = start_job(engine, "ed", "scan", ["a.xml"])
    running = start_job(engine, "ed", "scan", ["b.xml"])
    assert finished is not None
    assert running is not None
    finish_job(engine, finished, run_id=None, result=None, error="x")
    later = now() + timedelta(minutes=1)
    # Nothing is old yet but the abandoned cutoff is not reached: only finished ones go.
    prune_uploads(engine, later, running_before=now() - timedelta(hours=1))
    assert find_upload(engine, old, "ed") is None
    assert _count(engine, web_upload_files) == 0
    assert find_job(engine, finished, "ed") is None
    assert find_job(engine, running, "ed") is not None  # may still be saving
    young = hold_upload(engine, "ed", "register", [("young.csv", CSV)])
    prune_uploads(engine, now() - timedelta(hours=1), running_before=later)
    assert find_job(engine, running, "ed") is None
    assert find_upload(engine, young, "ed") is not None
    assert _count(engine, web_upload_files) == 1
