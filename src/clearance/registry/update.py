"""Bringing official lists into the registry: one list file (``clearance lists import``),
or several lists downloaded together (``clearance lists update``).

An update is all or nothing: every list is downloaded first (a total deadline, a size limit
and a conditional request each, :mod:`clearance.registry.download`), then every download is
read through once to check it, and only then are all of them swapped in, each as a new
registry version, in one transaction. A failure at any step leaves the active registry as it
was; an error in a downloaded file names the list and its URL, not the temporary file.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine

from clearance import __version__
from clearance.errors import InputError, RegistryError, UsageError
from clearance.i18n import gettext as _
from clearance.registry.download import DEFAULT_DEADLINE, Download, download, file_sha256
from clearance.registry.importers import ImportFormat, Item, Limits, detect_format, get_format
from clearance.registry.importers import read_list as read_list_file
from clearance.store.registry_import import ImportResult, ListBatch, import_lists
from clearance.store.registry_store import list_versions

__all__ = [
    "DEFAULT_UPDATE",
    "FileImport",
    "ListUpdate",
    "import_list_file",
    "list_url",
    "update_lists",
]

# Lists that `clearance lists update` fetches when none are named.
DEFAULT_UPDATE = ("csl-csv", "uflpa-html", "fcc-html", "ca-sema-xml")

# Progress callbacks: a download's (bytes so far, total or None), an import's records so far.
DownloadProgress = Callable[[int, int | None], None]
ImportProgress = Callable[[int], None]


@dataclass(slots=True, frozen=True)
class FileImport:
    """A list file imported: the version made, the format read and the recorded source."""

    result: ImportResult
    format: ImportFormat
    source: dict[str, Any]


def import_list_file(
    engine: Engine,
    path: Path,
    list_format: str = "auto",
    *,
    limits: Limits | None = None,
    on_progress: ImportProgress | None = None,
) -> FileImport:
    """Import one list file (``list_format``: a format name, or ``auto`` to detect it) as
    a new registry version; a malformed file changes nothing."""
    fmt = detect_format(path) if list_format == "auto" else get_format(list_format)
    limits = limits or Limits()
    limits.check_size(path)
    source = {
        "list": fmt.name,
        "list_id": fmt.list_id,
        "path": str(path.resolve()),
        "sha256": file_sha256(path),
    }
    batch = ListBatch(
        read_list_file(path, list_format, limits),
        note=f"{list_format} {path.name}",
        sources=[source],
        on_progress=on_progress,
    )
    (result,) = import_lists(engine, [batch])
    return FileImport(result, fmt, source)


@dataclass(slots=True, frozen=True)
class ListUpdate:
    """What an update did with one list: ``imported`` (with the result and the recorded
    source) or ``not modified`` (the server said so; nothing imported)."""

    name: str
    url: str
    status: str
    result: ImportResult | None = None
    source: dict[str, Any] | None = None


def list_url(name: str, overrides: Mapping[str, str]) -> str:
    """The download address of list format ``name`` (``overrides`` first, e.g. a mirror)."""
    url = overrides.get(name) or get_format(name).url
    if not url:
        raise UsageError(
            _(
                "{name} has no download address; set CLEARANCE_LIST_URL_{variable} or use "
                "`clearance lists import`"
            ).format(name=name, variable=name.upper().replace("-", "_"))
        )
    return url


def _previous(engine: Engine, name: str, url: str) -> dict[str, Any]:
    """The source recorded when ``name`` was last fetched from ``url`` (for ETag etc.)."""
    for info in reversed(list_versions(engine)):
        for src in info.sources:
            if src.get("list") == name and src.get("url") == url:
                return src
    return {}


def _named(name: str, url: str, items: Iterator[Item]) -> Iterator[Item]:
    """``items`` with input errors naming the list and its URL instead of the temp file."""
    try:
        yield from items
    except InputError as exc:
        raise type(exc)(
            exc.reason,
            path=f"{name} list from {url}",
            line=exc.line,
            record=exc.record,
            field=exc.field,
        ) from exc


def _read(name: str, got: Download, limits: Limits) -> Iterator[Item]:
    if got.path is None:  # pragma: no cover - only downloaded files are read
        raise RegistryError(
            _("{name}: nothing was downloaded from {url}").format(name=name, url=got.url)
        )
    return _named(name, got.url, iter(read_list_file(got.path, name, limits)))


def _check(name: str, got: Download, limits: Limits) -> None:
    """Read a downloaded list through once, so a malformed one fails before any swap."""
    for _unused in _read(name, got, limits):
        pass


def update_lists(
    engine: Engine,
    names: Sequence[str],
    *,
    urls: Mapping[str, str] | None = None,
    client: httpx.Client | None = None,
    deadline: float = DEFAULT_DEADLINE,
    max_bytes: int = 0,
    on_download: Callable[[str], DownloadProgress] | None = None,
    on_import: Callable[[str], ImportProgress] | None = None,
) -> list[ListUpdate]:
    """Download the lists ``names`` (format names) and swap them all in, or none.

    ``urls`` overrides download addresses by name; ``deadline`` bounds each whole download
    in seconds; ``max_bytes`` refuses larger ones. ``on_download(name)`` and
    ``on_import(name)`` return progress callbacks.
    """
    sources = {name: list_url(name, urls or {}) for name in names}
    own = client is None
    http = client or httpx.Client(
        follow_redirects=True, headers={"User-Agent": f"clearance/{__version__}"}
    )
    limits = Limits(max_bytes)
    with tempfile.TemporaryDirectory(prefix="clearance-update-") as tmp:
        fetched: list[tuple[str, Download]] = []
        try:
            for name in names:
                url = sources[name]
                prev = _previous(engine, name, url)
                got = download(
                    http,
                    url,
                    Path(tmp) / f"{name}.download",
                    etag=prev.get("etag"),
                    last_modified=prev.get("last_modified"),
                    max_bytes=max_bytes,
                    deadline=deadline,
                    progress=on_download(name) if on_download else None,
                )
                fetched.append((name, got))
        finally:
            if own:
                http.close()
        changed = [(name, got) for name, got in fetched if not got.not_modified]
        for name, got in changed:
            _check(name, got, limits)
        batches = [
            ListBatch(
                _read(name, got, limits),
                note=f"{name} {got.url}",
                sources=[got.source(name, get_format(name).list_id)],
                on_progress=on_import(name) if on_import else None,
            )
            for name, got in changed
        ]
        results = iter(import_lists(engine, batches))
    return [
        ListUpdate(name, got.url, "not modified")
        if got.not_modified
        else ListUpdate(
            name,
            got.url,
            "imported",
            next(results),
            got.source(name, get_format(name).list_id),
        )
        for name, got in fetched
    ]
