"""save_run: an uploaded run is stored once per idempotency key (the same payload again
answers with the same run; another payload or uploader is a conflict), two processes
uploading one key at once store one run, and the key is unique in the table itself."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import IntegrityError

from clearance.errors import ConflictError
from clearance.store import open_store
from clearance.store.run_uploads import AssetRun, Upload, save_run
from clearance.store.runs import RunKind
from clearance.store.schema import assets, run_uploads, runs, sightings
from tests.store.factories import camera

KEY = "0b7f5c6e-1f0e-4c55-9d39-5b8f0a7e2c11"
STARTED = datetime(2026, 12, 3, 4, 0, tzinfo=UTC)


def _run(*macs: str) -> AssetRun:
    return AssetRun(
        kind=RunKind.SCAN,
        targets=("10.0.0.0/24",),
        assets=[camera(mac, f"10.0.0.{i + 1}") for i, mac in enumerate(macs)],
        site="HQ",
    )


def _upload(key: str = KEY, digest: str = "a" * 64) -> Upload:
    return Upload(key, digest, STARTED, STARTED, "0.1.0")


def _count(engine: Engine, table: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_a_key_sent_again_answers_with_its_run_and_stores_nothing(engine: Engine) -> None:
    run = _run("44:19:b6:00:00:01", "44:19:b6:00:00:02")
    first = save_run(engine, run, user="token:hq", upload=_upload())
    again = save_run(engine, run, user="token:hq", upload=_upload())
    assert first.created
    assert not again.created
    assert again.run_id == first.run_id
    assert again.report.counts == first.report.counts
    assert again.report.scope_key == first.report.scope_key
    assert (_count(engine, runs), _count(engine, assets), _count(engine, sightings)) == (1, 2, 2)
    with engine.connect() as conn:
        row = conn.execute(select(run_uploads)).one()
    assert (row.idempotency_key, row.run_id, row.uploaded_by) == (KEY, first.run_id, "token:hq")
    assert row.tool_version == "0.1.0"


def test_a_key_reused_for_another_payload_is_a_conflict(engine: Engine) -> None:
    run = _run("44:19:b6:00:00:01")
    first = save_run(engine, run, user="token:hq", upload=_upload())
    with pytest.raises(ConflictError, match=KEY):
        save_run(engine, run, user="token:hq", upload=_upload(digest="b" * 64))
    # the same run sent again under a token that replaced the sensor's old one
    again = save_run(engine, run, user="token:hq-2027", upload=_upload())
    assert (again.run_id, again.created) == (first.run_id, False)
    assert _count(engine, runs) == 1


def test_save_without_an_upload_stores_each_run(engine: Engine) -> None:
    run = _run("44:19:b6:00:00:01")
    first = save_run(engine, run, user="alice")
    second = save_run(engine, run, user="alice")
    assert (first.created, second.created) == (True, True)
    assert second.run_id != first.run_id
    assert _count(engine, run_uploads) == 0


def test_the_key_is_unique_in_the_table(engine: Engine) -> None:
    saved = save_run(engine, _run("44:19:b6:00:00:01"), user="u", upload=_upload())
    row = {
        "idempotency_key": KEY,
        "payload_sha256": "c" * 64,
        "run_id": saved.run_id,
        "uploaded_by": "u",
        "received_at": STARTED,
    }
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(run_uploads).values(**row))


def _uploader(url: str, barrier: Any, queue: Any) -> None:
    engine = open_store(url, migrate=False)
    barrier.wait(timeout=60)
    saved = save_run(
        engine, _run("44:19:b6:00:00:01", "44:19:b6:00:00:02"), user="token:hq", upload=_upload()
    )
    queue.put((saved.run_id, saved.created))
    engine.dispose()


def test_two_processes_uploading_one_key_at_once_store_one_run(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    ctx = multiprocessing.get_context("fork")
    barrier, queue = ctx.Barrier(4), ctx.Queue()
    procs = [ctx.Process(target=_uploader, args=(url, barrier, queue)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    answers = [queue.get(timeout=5) for _ in procs]
    assert len({run_id for run_id, _ in answers}) == 1
    assert sorted(created for _, created in answers) == [False, False, False, True]
    assert (_count(engine, runs), _count(engine, assets), _count(engine, run_uploads)) == (1, 2, 1)


def test_an_upload_that_misses_the_stored_key_loses_on_the_unique_key(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer that did not see the first upload's key (as one bypassing the write turn
    would not) stores nothing: the key's unique constraint rolls its run back, and the
    stored upload answers."""
    from clearance.store import run_uploads as module

    run = _run("44:19:b6:00:00:01")
    first = save_run(engine, run, user="token:hq", upload=_upload())
    looked_up = module._stored
    calls: list[str] = []

    def blind_once(conn: Any, key: str) -> Any:
        calls.append(key)
        return None if len(calls) == 1 else looked_up(conn, key)

    monkeypatch.setattr(module, "_stored", blind_once)
    again = save_run(engine, run, user="token:hq", upload=_upload())
    assert (again.run_id, again.created) == (first.run_id, False)
    assert len(calls) == 2
    assert (_count(engine, runs), _count(engine, assets), _count(engine, sightings)) == (1, 1, 1)
    with pytest.raises(ConflictError):
        save_run(engine, run, user="token:hq", upload=_upload(digest="d" * 64))
