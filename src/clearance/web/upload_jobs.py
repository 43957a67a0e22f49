"""Uploaded files waiting to be mapped, and the work started on them: each upload kept in a
private temporary folder until it is saved or dropped, each piece of work run in a thread
(so the page answers at once and polls for the result), both known by an unguessable id and
visible only to the person who uploaded them. Held in the server process's memory: a
restarted server forgets them (the runs they saved stay in the store)."""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import HTTPException, UploadFile

from clearance.errors import ClearanceError, LimitError
from clearance.store.file_runs import FileRun, UploadedFile
from clearance.web.text import _w

__all__ = ["DEFAULT_MAX_BYTES", "MAX_AGE", "Job", "Pending", "UploadJobs", "jobs_of", "receive"]

#: The size limit of an uploaded file when the settings set none (``max_file_bytes`` = 0).
DEFAULT_MAX_BYTES = 50_000_000
#: Seconds an unsaved upload or a finished piece of work is kept.
MAX_AGE = 3600.0
_CHUNK = 1 << 16


@dataclass(slots=True)
class Pending:
    """Files received and not yet saved (a register waiting for its column map)."""

    owner: str
    kind: str
    files: list[UploadedFile]
    folder: Path
    site: str | None = None
    source_name: str | None = None
    column: str | None = None
    held_at: float = field(default_factory=time.monotonic)


@dataclass(slots=True)
class Job:
    """Work on an upload: running, then done with its run or failed with a message."""

    owner: str
    kind: str
    names: list[str]
    state: str = "running"
    result: FileRun | None = None
    error: str = ""
    done: threading.Event = field(default_factory=threading.Event)
    started_at: float = field(default_factory=time.monotonic)


async def receive(upload: UploadFile, folder: Path, max_bytes: int) -> UploadedFile:
    """Keep ``upload`` in ``folder`` under a safe name; over ``max_bytes`` raises
    :class:`LimitError` naming the file (what is read past the limit is not kept)."""
    name = Path(upload.filename or "upload").name or "upload"
    path = folder / f"{len(list(folder.iterdir()))}-{secrets.token_hex(4)}{Path(name).suffix[:10]}"
    size = 0
    with path.open("wb") as out:
        while chunk := await upload.read(_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise LimitError(
                    _w("the file is over the limit of {max_bytes} bytes").format(
                        max_bytes=max_bytes
                    ),
                    path=name,
                )
            out.write(chunk)
    return UploadedFile(path, name)


class UploadJobs:
    """The uploads and work of one server process."""

    def __init__(self, max_age: float = MAX_AGE) -> None:
        self.max_age = max_age
        self._lock = threading.Lock()
        self._pending: dict[str, Pending] = {}
        self._jobs: dict[str, Job] = {}

    def _prune(self) -> None:
        """Forget uploads left unsaved and finished work older than ``max_age`` seconds
        (their files deleted): a person who walks away leaves nothing behind for long."""
        cutoff = time.monotonic() - self.max_age
        with self._lock:
            stale = [k for k, p in self._pending.items() if p.held_at <= cutoff]
            done = [k for k, j in self._jobs.items() if j.done.is_set() and j.started_at <= cutoff]
            for key in done:
                del self._jobs[key]
        for key in stale:
            self.drop(key)

    def folder(self) -> Path:
        return Path(tempfile.mkdtemp(prefix="clearance-upload-"))

    def hold(self, pending: Pending) -> str:
        self._prune()
        key = secrets.token_urlsafe(16)
        with self._lock:
            self._pending[key] = pending
        return key

    def pending(self, key: str, owner: str) -> Pending:
        """The upload ``key`` of ``owner`` (404 for anyone else's or an unknown one)."""
        with self._lock:
            found = self._pending.get(key)
        if found is None or found.owner != owner:
            raise HTTPException(404, detail="No such upload.")
        return found

    def drop(self, key: str) -> None:
        with self._lock:
            found = self._pending.pop(key, None)
        if found is not None:
            shutil.rmtree(found.folder, ignore_errors=True)

    def start(
        self,
        owner: str,
        kind: str,
        names: list[str],
        work: Callable[[], FileRun],
        *,
        then: Callable[[], None] | None = None,
    ) -> str:
        """Run ``work`` in a thread; its job's id (``then`` runs after it, whatever happens)."""
        key = secrets.token_urlsafe(16)
        job = Job(owner, kind, names)
        with self._lock:
            self._jobs[key] = job

        def run() -> None:
            try:
                job.result = work()
                job.state = "done"
            except ClearanceError as exc:
                job.error, job.state = str(exc), "failed"
            except Exception as exc:  # reported on the page rather than lost in a thread
                job.error, job.state = f"{type(exc).__name__}: {exc}", "failed"
            finally:
                if then is not None:
                    then()
                job.done.set()

        threading.Thread(target=run, name=f"upload-{kind}", daemon=True).start()
        return key

    def job(self, key: str, owner: str) -> Job:
        """The job ``key`` of ``owner`` (404 for anyone else's or an unknown one)."""
        with self._lock:
            found = self._jobs.get(key)
        if found is None or found.owner != owner:
            raise HTTPException(404, detail="No such upload.")
        return found


def jobs_of(app_state: Any) -> UploadJobs:
    """The app's :class:`UploadJobs` (made on first use)."""
    jobs = getattr(app_state, "upload_jobs", None)
    if jobs is None:
        jobs = app_state.upload_jobs = UploadJobs()
    assert isinstance(jobs, UploadJobs)
    return jobs
