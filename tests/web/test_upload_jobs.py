"""Uploads held between the pages, in the store: private to their uploader, their files
written back byte for byte to a private folder for each step, taken once by a saving, a
saving left running by a stopped server read as failed, and what is left unsaved deleted
once past its age."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import HTTPException
from sqlalchemy import Engine, func, select, update

from clearance.i18n import use_lang
from clearance.store.db import open_store
from clearance.store.file_runs import FileRun, UploadedFile
from clearance.store.recording import RunReport
from clearance.store.schema import web_upload_files, web_upload_jobs, web_uploads
from clearance.store.values import now
from clearance.store.web_uploads import start_job
from clearance.web.upload_jobs import Job, Pending, UploadJobs, new_folder

# Not UTF-8, a NUL byte and an XLSX's zip signature: what is kept is bytes, not text.
CONTENT = b"PK\x03\x04\x00\xff\xfe" + bytes(range(256)) * 40


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    yield eng
    eng.dispose()


def _received(owner: str = "ed", name: str = "lab.xlsx") -> Pending:
    folder = new_folder()
    path = folder / "0-received.xlsx"
    path.write_bytes(CONTENT)
    return Pending(owner, "register", [UploadedFile(path, name)], folder, "Gatineau", "Lab")


def _hold(jobs: UploadJobs) -> str:
    """A received file held as the register route holds it (its folder deleted after)."""
    received = _received()
    try:
        return jobs.hold(received)
    finally:
        received.discard()


def _count(engine: Engine, table: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def _wait(jobs: UploadJobs, key: str, owner: str) -> Job:
    """The job ``key`` once it is no longer running."""
    while (job := jobs.job(key, owner)).state == "running":
        time.sleep(0.02)
    return job


def _saved(run_id: int) -> FileRun:
    return FileRun(RunReport(run_id, "identify", "scope"), 0)


def test_a_held_upload_comes_back_byte_for_byte_in_a_new_private_folder(engine: Engine) -> None:
    jobs = UploadJobs(engine)
    received = _received()
    key = jobs.hold(received)
    received.discard()  # the process that received it keeps nothing
    fetched = jobs.fetch(key, "ed")
    try:
        assert fetched.folder != received.folder
        assert fetched.folder.stat().st_mode & 0o077 == 0  # this user's only
        assert [f.name for f in fetched.files] == ["lab.xlsx"]
        assert fetched.files[0].path.suffix == ".xlsx"  # readers detect formats by it
        assert fetched.files[0].path.read_bytes() == CONTENT
        assert (fetched.kind, fetched.site, fetched.source_name) == ("register", "Gatineau", "Lab")
    finally:
        fetched.discard()
    assert not fetched.folder.exists()


def test_an_upload_is_its_uploaders_only(engine: Engine) -> None:
    jobs = UploadJobs(engine)
    key = _hold(jobs)
    with pytest.raises(HTTPException) as refused:
        jobs.fetch(key, "someone else")
    assert refused.value.status_code == 404
    jobs.drop(key, "someone else")  # not theirs to drop either
    jobs.fetch(key, "ed").discard()
    jobs.drop(key, "ed")
    with pytest.raises(HTTPException):
        jobs.fetch(key, "ed")
    assert _count(engine, web_upload_files) == 0


def test_a_saving_takes_its_upload_once(engine: Engine) -> None:
    jobs = UploadJobs(engine)
    key = _hold(jobs)
    ran: list[str] = []

    def work() -> FileRun:
        ran.append("saved")
        return FileRun(RunReport(7, "identify", "scope", {"findings_opened": 1}), 2, [{"a": 1}])

    job = jobs.start("ed", "register", ["lab.xlsx"], work, taking=key)
    discarded: list[bool] = []
    with pytest.raises(HTTPException) as again:  # a second save, from any process
        jobs.start(
            "ed", "register", ["lab.xlsx"], work, taking=key, then=lambda: discarded.append(True)
        )
    assert again.value.status_code == 404
    assert discarded == [True]  # its files are deleted all the same
    finished = _wait(jobs, job, "ed")
    assert ran == ["saved"]
    assert finished.state == "done"
    assert finished.result is not None
    assert finished.result.report.run_id == 7
    assert finished.result.report.counts == {"findings_opened": 1}
    assert (finished.result.total, finished.result.restricted) == (2, [{"a": 1}])
    assert _count(engine, web_uploads) == 0
    with pytest.raises(HTTPException):
        jobs.job(job, "someone else")


def test_a_failed_saving_keeps_its_message(engine: Engine) -> None:
    jobs = UploadJobs(engine)

    def work() -> FileRun:
        raise RuntimeError("disk full")

    job = _wait(jobs, jobs.start("ed", "scan", ["lan.xml"], work), "ed")
    assert (job.state, job.error, job.result) == ("failed", "RuntimeError: disk full", None)


def test_a_saving_left_running_by_a_stopped_server_reads_as_failed(engine: Engine) -> None:
    jobs = UploadJobs(engine)
    # The row a process writes as it starts saving, and never finished: the process died.
    key = start_job(engine, "ed", "scan", ["lan.xml"])
    assert key is not None
    assert jobs.job(key, "ed").state == "running"
    with engine.begin() as conn:
        conn.execute(
            update(web_upload_jobs)
            .where(web_upload_jobs.c.key == key)
            .values(started_at=now() - timedelta(seconds=jobs.max_age + 1))
        )
    job = jobs.job(key, "ed")
    assert (job.state, job.result) == ("failed", None)
    assert job.error == "The server stopped while saving this upload. Upload the file again."
    with use_lang("fr"):
        assert jobs.job(key, "ed").error.startswith("Le serveur s’est arrêté")


def test_what_is_left_behind_is_deleted_once_too_old(engine: Engine) -> None:
    jobs = UploadJobs(engine)
    old_upload = _hold(jobs)
    assert _wait(jobs, jobs.start("ed", "scan", ["a.xml"], lambda: _saved(1)), "ed").state == "done"
    orphan = start_job(engine, "ed", "scan", ["b.xml"])  # left running by a stopped server
    hour = timedelta(seconds=jobs.max_age)
    with engine.begin() as conn:
        conn.execute(update(web_uploads).values(created_at=now() - hour))
        conn.execute(update(web_upload_jobs).values(finished_at=now() - hour))
        conn.execute(
            update(web_upload_jobs)
            .where(web_upload_jobs.c.key == orphan)
            .values(finished_at=None, started_at=now() - 2 * hour)
        )
    young = _hold(jobs)  # the next upload prunes
    with pytest.raises(HTTPException):
        jobs.fetch(old_upload, "ed")
    jobs.fetch(young, "ed").discard()
    assert _count(engine, web_uploads) == 1
    assert _count(engine, web_upload_files) == 1
    assert _count(engine, web_upload_jobs) == 0
