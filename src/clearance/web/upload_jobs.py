"""Uploaded files waiting to be mapped, and the saving of them, kept in the store
(:mod:`clearance.store.web_uploads`) so that whichever worker or replica of the server a
request reaches takes the upload's next step. A step that reads the files writes them to a
private temporary folder and deletes it after use; the saving runs in a thread of the process
asked to save (so the page answers at once and polls for the result), which records how it
ended. Both are known by an unguessable key and visible only to the person who uploaded them.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from fastapi import HTTPException, Request, UploadFile
from sqlalchemy import Engine

from clearance.errors import ClearanceError, LimitError
from clearance.server.store import store
from clearance.store.file_runs import FileRun, UploadedFile
from clearance.store.recording import RunReport
from clearance.store.values import now
from clearance.store.web_uploads import (
    FAILED,
    RUNNING,
    StoredJob,
    drop_upload,
    find_job,
    find_upload,
    finish_job,
    hold_upload,
    prune_uploads,
    start_job,
    upload_files,
)
from clearance.web.text import _w

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_AGE",
    "Job",
    "Pending",
    "UploadJobs",
    "jobs_of",
    "new_folder",
    "receive",
]

#: The size limit of an uploaded file when the settings set none (``max_file_bytes`` = 0).
DEFAULT_MAX_BYTES = 50_000_000
#: Seconds an unsaved upload or a finished saving is kept, and after which a saving still
#: marked running is taken for one its process never finished (the server stopped).
MAX_AGE = 3600.0
_CHUNK = 1 << 16
_log = logging.getLogger(__name__)


@dataclass(slots=True)
class Pending:
    """Files at hand in a private temporary folder (just received, or a held upload read back
    from the store for one step), and what was asked with them; ``key`` is the held upload's."""

    owner: str
    kind: str
    files: list[UploadedFile]
    folder: Path
    site: str | None = None
    source_name: str | None = None
    column: str | None = None
    key: str | None = None

    def discard(self) -> None:
        """Delete the folder and the files in it."""
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass(slots=True)
class Job:
    """The saving of an upload: running, then done with its run or failed with a message."""

    owner: str
    kind: str
    names: list[str]
    state: str = RUNNING
    result: FileRun | None = None
    error: str = ""


def new_folder() -> Path:
    """A new private temporary folder (readable by this user only) for an upload's files."""
    return Path(tempfile.mkdtemp(prefix="clearance-upload-"))


def _path_for(folder: Path, name: str) -> Path:
    """Where a file sent as ``name`` is kept in ``folder``: a safe name, its suffix kept (the
    readers detect some formats by it)."""
    count = len(list(folder.iterdir()))
    return folder / f"{count}-{secrets.token_hex(4)}{Path(name).suffix[:10]}"


async def receive(upload: UploadFile, folder: Path, max_bytes: int) -> UploadedFile:
    """Keep ``upload`` in ``folder`` under a safe name; over ``max_bytes`` raises
    :class:`LimitError` naming the file (what is read past the limit is not kept)."""
    name = Path(upload.filename or "upload").name or "upload"
    path = _path_for(folder, name)
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


def _job(stored: StoredJob, max_age: float) -> Job:
    job = Job(stored.owner, stored.kind, stored.names, stored.state, error=stored.error)
    if stored.state == RUNNING and stored.started_at <= now() - timedelta(seconds=max_age):
        job.state = FAILED
        job.error = _w("The server stopped while saving this upload. Upload the file again.")
    elif stored.result is not None:
        result = stored.result
        job.result = FileRun(
            RunReport(**result["report"]), result["total"], list(result["restricted"])
        )
    return job


class UploadJobs:
    """The uploads held and the savings started through the pages, in the store ``engine``
    that every process of the server shares."""

    def __init__(self, engine: Engine, max_age: float = MAX_AGE) -> None:
        self.engine = engine
        self.max_age = max_age

    def _prune(self) -> None:
        """Delete uploads left unsaved and savings finished more than ``max_age`` seconds ago
        (and, after twice that, one left running by a server that stopped): a person who walks
        away leaves nothing behind for long."""
        at = now()
        cutoff = at - timedelta(seconds=self.max_age)
        prune_uploads(self.engine, cutoff, running_before=at - 2 * timedelta(seconds=self.max_age))

    def hold(self, pending: Pending) -> str:
        """Keep ``pending``'s files and what was asked with them in the store until they are
        saved or dropped; their key (also set on ``pending``)."""
        self._prune()
        files = [(f.name, f.path.read_bytes()) for f in pending.files]
        pending.key = hold_upload(
            self.engine,
            pending.owner,
            pending.kind,
            files,
            site=pending.site,
            source_name=pending.source_name,
            column=pending.column,
        )
        return pending.key

    def fetch(self, key: str, owner: str) -> Pending:
        """The upload ``key`` of ``owner`` with its files written to a new private folder,
        which the caller discards (404 for anyone else's or an unknown one)."""
        held = find_upload(self.engine, key, owner)
        if held is None:
            raise HTTPException(404, detail="No such upload.")
        folder = new_folder()
        pending = Pending(
            held.owner, held.kind, [], folder, held.site, held.source_name, held.column, key
        )
        try:
            for name, content in upload_files(self.engine, key):
                path = _path_for(folder, name)
                path.write_bytes(content)
                pending.files.append(UploadedFile(path, name))
        except BaseException:
            pending.discard()
            raise
        return pending

    def drop(self, key: str, owner: str) -> None:
        drop_upload(self.engine, key, owner)

    def start(
        self,
        owner: str,
        kind: str,
        names: list[str],
        work: Callable[[], FileRun],
        *,
        taking: str | None = None,
        then: Callable[[], None] | None = None,
    ) -> str:
        """Run ``work`` in a thread of this process, its outcome recorded in the store; its
        job's key. With ``taking``, the held upload of that key is deleted as the job starts
        (404 when another request already took it). ``then`` runs after the work, whatever
        happens, or at once when the job does not start."""
        self._prune()
        try:
            key = start_job(self.engine, owner, kind, names, taking=taking)
        except BaseException:
            if then is not None:
                then()
            raise
        if key is None:
            if then is not None:
                then()
            raise HTTPException(404, detail="No such upload.")

        def run() -> None:
            error: str | None = None
            result: FileRun | None = None
            try:
                result = work()
            except ClearanceError as exc:
                error = str(exc)
            except Exception as exc:  # reported on the page rather than lost in a thread
                error = f"{type(exc).__name__}: {exc}"
            finally:
                if then is not None:
                    then()
            self._finish(key, result, error)

        threading.Thread(target=run, name=f"upload-{kind}", daemon=True).start()
        return key

    def _finish(self, key: str, result: FileRun | None, error: str | None) -> None:
        try:
            if result is None:
                finish_job(self.engine, key, error=error or "")
            else:
                shown = {
                    "report": result.report.to_json(),
                    "total": result.total,
                    "restricted": result.restricted,
                }
                finish_job(self.engine, key, run_id=result.report.run_id, result=shown)
        except Exception as exc:  # the store refused: say so, or the page shows it stale later
            _log.exception("could not record the end of upload job %s", key)
            try:
                finish_job(self.engine, key, error=f"{type(exc).__name__}: {exc}")
            except Exception:
                _log.exception("could not record the failure of upload job %s", key)

    def job(self, key: str, owner: str) -> Job:
        """The job ``key`` of ``owner`` (404 for anyone else's or an unknown one); one still
        running after ``max_age`` seconds reads as failed, since its server stopped."""
        found = find_job(self.engine, key, owner)
        if found is None:
            raise HTTPException(404, detail="No such upload.")
        return _job(found, self.max_age)


def jobs_of(request: Request) -> UploadJobs:
    """The uploads and savings in ``request``'s server's store."""
    return UploadJobs(store(request))
