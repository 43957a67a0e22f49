"""Download official lists: a total deadline, conditional requests (ETag / Last-Modified),
a size limit, and a check that the whole body arrived; the caller imports the file
atomically (see :mod:`clearance.registry.update`).

All I/O goes through an ``httpx.Client`` that the caller passes, so tests swap in a mock
transport or point the URLs at a loopback server.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from clearance.errors import DownloadError
from clearance.i18n import gettext as _
from clearance.textio import open_binary

__all__ = ["Download", "download", "file_sha256"]

DEFAULT_DEADLINE = 60.0  # seconds for a whole download


@dataclass(slots=True, frozen=True)
class Download:
    """One downloaded list file (``path`` is None when the server said "not modified")."""

    url: str
    path: Path | None
    sha256: str | None
    size: int
    retrieved_at: datetime
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.path is None

    def source(self, name: str, list_id: str) -> dict[str, Any]:
        """The entry recorded in the new version's ``sources``."""
        return {
            "list": name,
            "list_id": list_id,
            "url": self.url,
            "sha256": self.sha256,
            "bytes": self.size,
            "retrieved_at": self.retrieved_at.isoformat(),
            "etag": self.etag,
            "last_modified": self.last_modified,
        }


def file_sha256(path: Path) -> str:
    """sha256 of a file, or of a directory's files in name order."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    for file in files:
        with open_binary(file) as fh:  # a pipe or device is cut off, not read without end
            while block := fh.read(1 << 20):
                digest.update(block)
    return digest.hexdigest()


def download(
    client: httpx.Client,
    url: str,
    dest: Path,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = 0,
    deadline: float = DEFAULT_DEADLINE,
    progress: Callable[[int, int | None], None] | None = None,
) -> Download:
    """GET ``url`` into ``dest``; raise :class:`DownloadError` on any failure (network,
    HTTP status, size limit, body shorter than its Content-Length, or the whole download
    taking longer than ``deadline`` seconds).

    The deadline is total, not per read: a server that sends a byte every few seconds is
    given up on once it has passed (each network wait is also bounded by it).
    """
    end = time.monotonic() + deadline
    timeout = httpx.Timeout(deadline)
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    now = datetime.now(UTC)
    digest = hashlib.sha256()
    size = 0
    try:
        with client.stream("GET", url, headers=headers, timeout=timeout) as resp:
            if resp.status_code == 304:
                return Download(url, None, None, 0, now, etag, last_modified)
            if resp.status_code >= 400:
                raise DownloadError(
                    _("{url}: HTTP {status_code} {reason_phrase}").format(
                        url=url, status_code=resp.status_code, reason_phrase=resp.reason_phrase
                    )
                )
            declared = resp.headers.get("Content-Length")
            total = int(declared) if declared and declared.isdigit() else None
            if max_bytes and total is not None and total > max_bytes:
                raise DownloadError(
                    _("{url}: {total} bytes is above the limit of {max_bytes}").format(
                        url=url, total=total, max_bytes=max_bytes
                    )
                )
            with dest.open("wb") as out:
                for block in resp.iter_bytes():
                    if time.monotonic() > end:
                        raise DownloadError(
                            _(
                                "{url}: not complete after {deadline:g} s ({size} bytes "
                                "received); gave up"
                            ).format(url=url, deadline=deadline, size=size)
                        )
                    size += len(block)
                    if max_bytes and size > max_bytes:
                        raise DownloadError(
                            _("{url}: more than the limit of {max_bytes} bytes").format(
                                url=url, max_bytes=max_bytes
                            )
                        )
                    digest.update(block)
                    out.write(block)
                    if progress is not None:
                        progress(size, total)
            received = resp.num_bytes_downloaded or size  # on the wire, before decompression
            if total is not None and received != total:
                raise DownloadError(
                    _("{url}: truncated body, {received} of {total} bytes").format(
                        url=url, received=received, total=total
                    )
                )
            return Download(
                url,
                dest,
                digest.hexdigest(),
                size,
                now,
                resp.headers.get("ETag"),
                resp.headers.get("Last-Modified"),
            )
    except httpx.HTTPError as exc:
        dest.unlink(missing_ok=True)
        raise DownloadError(
            _(
                "cannot download {url} ({name}: {exc}); offline or unreachable? Nothing "
                "was changed. On an air-gapped machine use `clearance lists import`."
            ).format(url=url, name=type(exc).__name__, exc=exc)
        ) from exc
    except DownloadError:
        dest.unlink(missing_ok=True)
        raise
