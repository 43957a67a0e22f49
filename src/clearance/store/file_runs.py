"""Saving a run of uploaded files, as ``clearance identify … --save`` and ``clearance screen
… --save`` save theirs: the same readers (format detected, column map applied, size
limited), the same identifier and screener, the same store functions. The web upload pages
call these; an input error names the file as it was uploaded."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clearance.discovery.identification import device_identifier
from clearance.discovery.sources import read_observations
from clearance.discovery.sources.register_preview import renamed
from clearance.errors import InputError
from clearance.matching.records import read_rows
from clearance.model import Asset
from clearance.store.column_maps import save_column_map
from clearance.store.dispositions import apply_dispositions
from clearance.store.recording import RunReport, save_screening
from clearance.store.run_uploads import AssetRun, save_run
from clearance.store.runs import RunKind

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from clearance.matching.screen import Screener
    from clearance.registry.registry import Registry
    from clearance.settings import Settings

__all__ = ["FileRun", "UploadedFile", "identify_files", "screen_file"]


@dataclass(slots=True, frozen=True)
class UploadedFile:
    """A file received: where it is kept, and the name it was sent with."""

    path: Path
    name: str


@dataclass(slots=True)
class FileRun:
    """A saved run: its report, how many items were read, and the restricted ones (devices
    as :meth:`Asset.to_json` shapes them, or screening results with hits)."""

    report: RunReport
    total: int
    restricted: list[dict[str, Any]] = field(default_factory=list)


def _read(files: Sequence[UploadedFile], run: Any) -> Any:
    """``run()``'s answer, with an input error naming the uploaded file."""
    try:
        return run()
    except InputError as exc:
        by_path = {str(f.path): f.name for f in files}
        raise renamed(exc, by_path.get(str(exc.path), exc.path)) from exc


def identify_files(
    engine: Engine,
    registry: Registry,
    settings: Settings,
    files: Sequence[UploadedFile],
    *,
    user: str,
    site: str | None = None,
    source_name: str | None = None,
    column_map: Mapping[str, str] | None = None,
    save_map: bool = False,
) -> FileRun:
    """Identify the devices in ``files`` (registers, scan files, leases …) and save the run
    as ``clearance identify --save`` does; with ``save_map`` and a source name, keep the
    column map for that source (``--save-map``), once the files were read without error."""
    identifier = device_identifier(registry, settings)
    mapping = dict(column_map or {})

    def read() -> list[Asset]:
        return [
            identifier.identify(obs)
            for f in files
            for obs in read_observations(
                f.path, None, site, max_bytes=settings.max_file_bytes, column_map=mapping
            )
        ]

    assets: list[Asset] = _read(files, read)
    if save_map and source_name and mapping:
        save_column_map(engine, source_name, mapping, user=user)
    run = AssetRun(
        kind=RunKind.IDENTIFY,
        targets=tuple(f.name for f in files),
        assets=assets,
        site=site,
        source_name=source_name,
        registry_version=registry.version,
    )
    report = save_run(engine, run, user=user).report
    restricted = [a.to_json() for a in assets if a.restricted and not a.disposed]
    return FileRun(report, len(assets), restricted)


def screen_file(
    engine: Engine,
    screener: Screener,
    settings: Settings,
    file: UploadedFile,
    *,
    user: str,
    column: str | None = None,
    site: str | None = None,
    source_name: str | None = None,
) -> FileRun:
    """Screen the supplier names in ``file`` and save the run as ``clearance screen --save``
    does (reviewers' dispositions applied to the hits)."""
    rows = _read(
        [file], lambda: list(read_rows(file.path, column, max_bytes=settings.max_file_bytes))
    )
    items = [{"name": row.name, "countries": [], "record": row.record} for row in rows]
    results = [
        {**result.to_json(), "line": row.line}
        for row, result in zip(rows, screener.screen_many(items), strict=True)
    ]
    if any(r.get("hits") for r in results):
        results = apply_dispositions(engine, results)
    report = save_screening(
        engine,
        results,
        targets=[file.name],
        site=site,
        label=source_name,
        user=user,
        registry_version=screener.registry.version,
    )
    alerts = [r for r in results if r.get("reviewed_status", r["status"]) != "clear"]
    return FileRun(report, len(results), alerts)
