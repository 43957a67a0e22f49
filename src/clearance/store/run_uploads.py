"""Saving an identify or scan run, whether ``--save`` records it on the spot or a site sensor
uploads it to the server: :func:`save_run` is the one function both call.

An upload carries an idempotency key. The run and its key are stored in one write
transaction, which first looks the key up: a key already stored with the same payload (a
sensor sending again after a lost answer) answers with the run it stored and stores nothing;
the same key with another payload is a :class:`ConflictError`. Who sends it again does not
matter (a sensor's token may have been replaced meanwhile): the key and payload decide. Write
transactions run one at a time (:mod:`clearance.store.lock`), and the key is unique in the
table as well, so two uploads with one key arriving together store one run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from clearance.errors import ConflictError, StoreError
from clearance.i18n import gettext as _
from clearance.model import Asset
from clearance.store.lock import write_transaction
from clearance.store.recording import RunReport, record_assets
from clearance.store.runs import RunKind
from clearance.store.schema import run_uploads, runs
from clearance.store.values import now

__all__ = ["AssetRun", "SavedRun", "Upload", "save_run"]


@dataclass(slots=True, frozen=True)
class AssetRun:
    """An identify or scan run to save: what it saw and what it covered.

    ``targets`` are the networks or files the run covered (a scan's exclusions as
    ``exclude <target>``); ``source_name`` names the scope instead of them; ``site`` applies
    to assets that name no site; ``registry_version`` is the registry that identified them.
    """

    kind: RunKind
    targets: tuple[str, ...]
    assets: Sequence[Asset] = field(default_factory=tuple)
    site: str | None = None
    source_name: str | None = None
    registry_version: str | None = None


@dataclass(slots=True, frozen=True)
class Upload:
    """What came with an uploaded run: its idempotency key, the SHA-256 of its payload, and
    the sensor's own account of when the run started and finished and what version made it."""

    key: str
    digest: str
    started_at: datetime | None = None
    finished_at: datetime | None = None
    tool_version: str | None = None


@dataclass(slots=True, frozen=True)
class SavedRun:
    """A saved run: its report, and whether this call stored it (``False``: an upload seen
    before, whose run was stored by the first)."""

    report: RunReport
    created: bool = True

    @property
    def run_id(self) -> int:
        return self.report.run_id


def _stored(conn: Connection, key: str) -> Any:
    """The upload row of ``key`` with its run's kind, scope and counts, or ``None``."""
    return conn.execute(
        select(run_uploads, runs.c.kind, runs.c.scope_key, runs.c.summary)
        .join(runs, runs.c.id == run_uploads.c.run_id)
        .where(run_uploads.c.idempotency_key == key)
    ).first()


def _replayed(row: Any, upload: Upload) -> SavedRun:
    """The answer to an upload whose key is stored already: its run, if it is the same."""
    if row.payload_sha256 != upload.digest:
        raise ConflictError(
            _(
                "idempotency key {key!r} was used for another upload (run {run}); "
                "send a new run with a new key"
            ).format(key=upload.key, run=row.run_id)
        )
    report = RunReport(row.run_id, row.kind, row.scope_key, dict(row.summary or {}))
    return SavedRun(report, created=False)


def save_run(engine: Engine, run: AssetRun, *, user: str, upload: Upload | None = None) -> SavedRun:
    """Save ``run`` (as :func:`~clearance.store.recording.record_assets` records it) in one
    write transaction; with ``upload``, only if its key is new, storing the key with it.

    Raises:
        ConflictError: the key is stored for another payload.
        StoreError: the store cannot be written.
    """
    try:
        with write_transaction(engine) as conn:
            if upload is not None:
                row = _stored(conn, upload.key)
                if row is not None:
                    return _replayed(row, upload)
            report = record_assets(
                conn,
                run.assets,
                kind=run.kind,
                targets=run.targets,
                user=user,
                site=run.site,
                label=run.source_name,
                registry_version=run.registry_version,
            )
            if upload is not None:
                conn.execute(
                    insert(run_uploads).values(
                        idempotency_key=upload.key,
                        payload_sha256=upload.digest,
                        run_id=report.run_id,
                        uploaded_by=user,
                        received_at=now(),
                        started_at=upload.started_at,
                        finished_at=upload.finished_at,
                        tool_version=upload.tool_version,
                    )
                )
            return SavedRun(report)
    except StoreError:
        # Write transactions take turns, so a second upload of a key finds the first one's
        # row above; a writer that bypassed the turn loses on the key's unique constraint,
        # its run is rolled back, and the stored upload answers instead.
        if upload is None:
            raise
        with engine.connect() as conn:
            row = _stored(conn, upload.key)
        if row is None:
            raise
        return _replayed(row, upload)
