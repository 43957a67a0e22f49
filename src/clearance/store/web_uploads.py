"""Uploads of the web pages kept in the store between their steps, and the saving of each.

A register uploaded through the pages waits, with its files' bytes, for its columns to be
mapped; saving it (or a scan file or supplier list, saved as soon as it arrives) runs in a
thread of the process that was asked, which records here how it went. Every step reads the
store, so any worker of ``clearance serve --workers N`` and any replica sharing the database
takes the next one. Each upload and job is known by an unguessable key and found only with
its owner's name; :func:`prune_uploads` deletes what was left behind.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update

from clearance.store.schema import web_upload_files, web_upload_jobs, web_uploads
from clearance.store.values import jsonable, now, utc

__all__ = [
    "DONE",
    "FAILED",
    "RUNNING",
    "HeldUpload",
    "StoredJob",
    "drop_upload",
    "find_job",
    "find_upload",
    "finish_job",
    "hold_upload",
    "prune_uploads",
    "start_job",
    "upload_files",
]

RUNNING, DONE, FAILED = "running", "done", "failed"


@dataclass(slots=True, frozen=True)
class HeldUpload:
    """An upload waiting to be saved: whose, of what kind, its files' names in order, and
    what was asked with it."""

    key: str
    owner: str
    kind: str
    names: list[str]
    site: str | None
    source_name: str | None
    column: str | None
    created_at: datetime


@dataclass(slots=True, frozen=True)
class StoredJob:
    """The saving of an upload as recorded: ``state`` running, done (with its run's id and
    ``result``, what the page shows of it) or failed (with ``error``)."""

    key: str
    owner: str
    kind: str
    names: list[str]
    state: str
    started_at: datetime
    run_id: int | None = None
    result: dict[str, Any] | None = None
    error: str = ""
    finished_at: datetime | None = None


def _key() -> str:
    return secrets.token_urlsafe(16)


def hold_upload(
    engine: Engine,
    owner: str,
    kind: str,
    files: Sequence[tuple[str, bytes]],
    *,
    site: str | None = None,
    source_name: str | None = None,
    column: str | None = None,
) -> str:
    """Keep ``files`` (name sent with, bytes) until they are saved; the upload's new key."""
    key = _key()
    with engine.begin() as conn:
        conn.execute(
            insert(web_uploads).values(
                key=key,
                owner=owner,
                kind=kind,
                site=site,
                source_name=source_name,
                column_name=column,
                created_at=now(),
            )
        )
        for position, (name, content) in enumerate(files):
            conn.execute(
                insert(web_upload_files).values(
                    upload_key=key, position=position, name=name, size=len(content), content=content
                )
            )
    return key


def find_upload(engine: Engine, key: str, owner: str) -> HeldUpload | None:
    """The upload ``key`` of ``owner`` (None for an unknown key or someone else's)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(web_uploads).where(web_uploads.c.key == key, web_uploads.c.owner == owner)
        ).first()
        if row is None:
            return None
        names = conn.execute(
            select(web_upload_files.c.name)
            .where(web_upload_files.c.upload_key == key)
            .order_by(web_upload_files.c.position)
        ).scalars()
        return HeldUpload(
            key=row.key,
            owner=row.owner,
            kind=row.kind,
            names=list(names),
            site=row.site,
            source_name=row.source_name,
            column=row.column_name,
            created_at=utc(row.created_at),
        )


def upload_files(engine: Engine, key: str) -> list[tuple[str, bytes]]:
    """The files of upload ``key`` (name sent with, bytes), in the order they were sent."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(web_upload_files.c.name, web_upload_files.c.content)
            .where(web_upload_files.c.upload_key == key)
            .order_by(web_upload_files.c.position)
        ).all()
    return [(row.name, bytes(row.content)) for row in rows]


def _delete_upload(conn: Any, key: str, owner: str) -> bool:
    owned = select(web_uploads.c.key).where(web_uploads.c.key == key, web_uploads.c.owner == owner)
    conn.execute(delete(web_upload_files).where(web_upload_files.c.upload_key.in_(owned)))
    gone = conn.execute(
        delete(web_uploads).where(web_uploads.c.key == key, web_uploads.c.owner == owner)
    ).rowcount
    return bool(gone)


def drop_upload(engine: Engine, key: str, owner: str) -> bool:
    """Delete the upload ``key`` of ``owner`` and its files; whether it was there."""
    with engine.begin() as conn:
        return _delete_upload(conn, key, owner)


def start_job(
    engine: Engine, owner: str, kind: str, names: Sequence[str], *, taking: str | None = None
) -> str | None:
    """Record the saving of an upload as running; its new key. With ``taking``, the held
    upload of that key is deleted in the same transaction, and None is answered when it is
    no longer there (already taken by another request, or not ``owner``'s): two requests
    saving one upload, whichever processes answer them, start one saving."""
    key = _key()
    with engine.begin() as conn:
        # The delete comes first: on SQLite it takes the write lock before anything is read.
        if taking is not None and not _delete_upload(conn, taking, owner):
            return None
        conn.execute(
            insert(web_upload_jobs).values(
                key=key, owner=owner, kind=kind, names=list(names), state=RUNNING, started_at=now()
            )
        )
    return key


def finish_job(
    engine: Engine,
    key: str,
    *,
    run_id: int | None = None,
    result: dict[str, Any] | None = None,
    error: str | None = None,
) -> None:
    """Record how the saving ``key`` ended: done with ``run_id`` and ``result``, or failed
    with ``error``."""
    values: dict[str, Any] = {"finished_at": now()}
    if error is None:
        values |= {"state": DONE, "run_id": run_id, "result": jsonable(result)}
    else:
        values |= {"state": FAILED, "error": error}
    with engine.begin() as conn:
        conn.execute(update(web_upload_jobs).where(web_upload_jobs.c.key == key).values(**values))


def find_job(engine: Engine, key: str, owner: str) -> StoredJob | None:
    """The saving ``key`` of ``owner`` as recorded (None for an unknown key or someone
    else's)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(web_upload_jobs).where(
                web_upload_jobs.c.key == key, web_upload_jobs.c.owner == owner
            )
        ).first()
    if row is None:
        return None
    return StoredJob(
        key=row.key,
        owner=row.owner,
        kind=row.kind,
        names=list(row.names),
        state=row.state,
        started_at=utc(row.started_at),
        run_id=row.run_id,
        result=row.result,
        error=row.error or "",
        finished_at=utc(row.finished_at) if row.finished_at is not None else None,
    )


def prune_uploads(engine: Engine, before: datetime, *, running_before: datetime) -> None:
    """Delete the uploads held since before ``before`` (with their files), the savings that
    finished before it, and those still marked running since before ``running_before`` (a
    process that stopped while saving left them so)."""
    with engine.begin() as conn:
        old = select(web_uploads.c.key).where(web_uploads.c.created_at <= before)
        conn.execute(delete(web_upload_files).where(web_upload_files.c.upload_key.in_(old)))
        conn.execute(delete(web_uploads).where(web_uploads.c.created_at <= before))
        conn.execute(
            delete(web_upload_jobs).where(
                (web_upload_jobs.c.finished_at <= before)
                | (
                    (web_upload_jobs.c.state == RUNNING)
                    & (web_upload_jobs.c.started_at <= running_before)
                )
            )
        )
