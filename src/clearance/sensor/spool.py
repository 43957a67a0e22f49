"""A sensor's spool: the runs waiting to be sent, one JSON file each.

A run is written here before it is sent, with a fresh idempotency key, so that nothing is lost
while the server cannot be reached and nothing is stored twice when it is sent again: the key
travels with the file. Files are written whole or not at all (a temporary file in the same
folder, flushed to disk, then renamed into place) and named by the time they were made, so
the oldest is sent first. A run the server refused goes to ``failed/`` with the reason;
``requeue`` puts it back once the cause is fixed.

File shape (``spool`` version 1)::

    {"spool": 1, "idempotency_key": "<uuid4>", "url": "https://clearance.example/",
     "created_at": "2026-12-03T04:01:10.123456+00:00", "payload": {<clearance.run>},
     "failure": {"status": 403, "reason": "…", "at": "…"}}      # in failed/ only

The token is never written: it comes from ``--token`` or ``CLEARANCE_TOKEN`` when sending.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from clearance.errors import InputError
from clearance.i18n import gettext as _

__all__ = ["FAILED", "Spool", "SpooledRun"]

#: The folder of refused runs, inside the spool.
FAILED = "failed"
_SUFFIX = ".json"


@dataclass(slots=True, frozen=True)
class SpooledRun:
    """One spooled run: its file, key, the server it is for, and its payload."""

    path: Path
    key: str
    url: str | None
    created_at: datetime
    payload: dict[str, Any]
    failure: dict[str, Any] | None = None

    def envelope(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "spool": 1,
            "idempotency_key": self.key,
            "url": self.url,
            "created_at": self.created_at.isoformat(),
            "payload": self.payload,
        }
        if self.failure is not None:
            data["failure"] = self.failure
        return data

    def to_json(self) -> dict[str, Any]:
        """What ``sensor status`` lists of it (never the payload itself)."""
        payload = self.payload
        failure = self.failure or {}
        return {
            "file": str(self.path),
            "idempotency_key": self.key,
            "url": self.url,
            "created_at": self.created_at.isoformat(),
            "kind": payload.get("kind"),
            "site": payload.get("site"),
            "targets": payload.get("source_name") or payload.get("targets"),
            "devices": len(payload.get("assets") or ()),
            "failed": self.failure is not None,
            "status": failure.get("status"),
            "reason": failure.get("reason"),
        }


def _write_atomically(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` as JSON to ``path``: whole or not at all, readable by the owner only."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` survive a power cut (where the system allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class Spool:
    """The spool folder ``folder`` (``<data_dir>/spool`` by default)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def failed_folder(self) -> Path:
        return self.folder / FAILED

    def add(
        self, payload: dict[str, Any], *, url: str | None, at: datetime | None = None
    ) -> SpooledRun:
        """Spool ``payload`` for ``url`` under a new idempotency key."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        created = at or datetime.now(UTC)
        key = str(uuid.uuid4())
        path = self.folder / f"{created:%Y%m%dT%H%M%S.%fZ}-{key}{_SUFFIX}"
        run = SpooledRun(path, key, url, created, payload)
        _write_atomically(path, run.envelope())
        return run

    def waiting(self) -> list[SpooledRun]:
        """The runs waiting to be sent, oldest first."""
        return self._read_folder(self.folder)

    def failed(self) -> list[SpooledRun]:
        """The runs the server refused, oldest first."""
        return self._read_folder(self.failed_folder)

    def sent(self, run: SpooledRun) -> None:
        """Forget a run the server stored (another flush may have forgotten it already)."""
        run.path.unlink(missing_ok=True)

    def refuse(self, run: SpooledRun, *, status: int, reason: str) -> SpooledRun | None:
        """Move a refused run to ``failed/`` with the reason; ``None`` when another flush
        has already dealt with it."""
        if not run.path.exists():
            return None
        self.failed_folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        failure = {"status": status, "reason": reason, "at": datetime.now(UTC).isoformat()}
        moved = SpooledRun(
            self.failed_folder / run.path.name,
            run.key,
            run.url,
            run.created_at,
            run.payload,
            failure,
        )
        _write_atomically(moved.path, moved.envelope())
        run.path.unlink(missing_ok=True)
        return moved

    def requeue(self, run: SpooledRun) -> SpooledRun:
        """Put a refused run back in the queue, with its key (so a run the server did store
        is still not stored twice)."""
        back = SpooledRun(
            self.folder / run.path.name, run.key, run.url, run.created_at, run.payload
        )
        _write_atomically(back.path, back.envelope())
        run.path.unlink(missing_ok=True)
        return back

    def _read_folder(self, folder: Path) -> list[SpooledRun]:
        if not folder.is_dir():
            return []
        runs: list[SpooledRun] = []
        for path in sorted(folder.glob(f"*{_SUFFIX}")):
            if path.name.startswith("."):
                continue
            run = read_spooled(path)
            if run is not None:
                runs.append(run)
        return runs


def read_spooled(path: Path) -> SpooledRun | None:
    """The spooled run in ``path``; ``None`` when it has gone (sent by another flush).

    Raises:
        InputError: the file is not a spooled run.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            _("not a spooled run: {reason}").format(reason=exc), path=str(path)
        ) from exc
    try:
        if data.get("spool") != 1:
            raise ValueError(f"spool version {data.get('spool')!r}")
        return SpooledRun(
            path=path,
            key=str(data["idempotency_key"]),
            url=data.get("url"),
            created_at=datetime.fromisoformat(data["created_at"]),
            payload=dict(data["payload"]),
            failure=data.get("failure"),
        )
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise InputError(
            _("not a spooled run: {reason}").format(reason=f"{type(exc).__name__}: {exc}"),
            path=str(path),
        ) from exc
