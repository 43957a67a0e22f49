"""Connect the audit to the identification, discovery, screening and tracking layers."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from clearance.audit.organisation import ScanSettings
from clearance.audit.run import Engines, IdentifyFiles, ScanTargets, ScreenFile
from clearance.audit.save import store_saver
from clearance.discovery.identification import device_identifier
from clearance.discovery.probes.base import Timeouts
from clearance.discovery.scanner import DEFAULT_PORTS, PortPlan, ScanOptions, scan
from clearance.discovery.sources import read_observations
from clearance.discovery.targets import build_scope
from clearance.matching.records import read_rows
from clearance.matching.screen import Screener
from clearance.model import Asset, Observation
from clearance.registry.registry import Registry
from clearance.reports.data import AlgorithmRef
from clearance.settings import Settings

__all__ = ["default_engines", "identify_engine", "scan_engine", "screen_engine"]


def identify_engine(
    identify: Callable[[Observation], Asset],
    *,
    max_bytes: int = 0,
    column_map: Mapping[str, str] | None = None,
) -> IdentifyFiles:
    """Identification from inventories and scan files (format detected); ``column_map``
    (from ``--map``) applies to the inventories that bring no map of their own."""

    default_map = column_map

    def identify_file(
        path: Path, site: str | None, column_map: dict[str, str] | None = None
    ) -> list[Asset]:
        observations = read_observations(
            path, None, site, max_bytes=max_bytes, column_map=column_map or default_map
        )
        return [identify(obs) for obs in observations]

    return identify_file


def scan_engine(
    identify: Callable[[Observation], Asset],
    *,
    ports: str = DEFAULT_PORTS,
    timeouts: Timeouts | None = None,
) -> ScanTargets:
    """Active discovery of the targets (scope-guarded: public addresses are refused), with
    ``ports`` and ``timeouts`` unless a network's own settings say otherwise."""

    def scan_targets(
        targets: Sequence[str], site: str | None, settings: ScanSettings | None = None
    ) -> list[Asset]:
        given = settings or ScanSettings()
        scope = build_scope(targets, given.exclude)
        options = ScanOptions(ports=PortPlan.parse(given.ports or ports), site=site)
        if timeouts is not None:
            options.timeouts = timeouts
        if given.timeout is not None:
            seconds = given.timeout
            options.timeouts = Timeouts(connect=seconds, read=max(seconds, 1.0), udp=seconds)
        if given.rate is not None:
            options.rate = given.rate
        if given.retries is not None:
            options.retries = given.retries
        if given.concurrency is not None:
            options.concurrency = given.concurrency
        options.check()

        async def collect() -> list[Asset]:
            return [asset async for asset in scan(scope, options, identify)]

        return asyncio.run(collect())

    return scan_targets


def screen_engine(
    screener: Callable[[], Screener], *, max_bytes: int = 0, algorithms: list[AlgorithmRef]
) -> ScreenFile:
    """Name screening of a supplier file (CSV, XLSX, JSON; the name column detected)."""

    def screen_file(path: Path) -> list[dict[str, Any]]:
        rows = list(read_rows(path, max_bytes=max_bytes))
        items = [{"name": row.name, "record": row.record} for row in rows]
        results = [r.to_json() for r in screener().screen_many(items)]
        if results:
            algorithms.append(AlgorithmRef("name screening", str(results[0]["algorithm"])))
        return results

    return screen_file


def default_engines(
    settings: Settings,
    registry: Registry,
    engine: Engine | None,
    *,
    scan_ports: str = DEFAULT_PORTS,
    column_map: Mapping[str, str] | None = None,
) -> Engines:
    """Every layer: identification (with the name engine for make strings such as 海康威视),
    discovery, screening, and the tracking store when ``engine`` is given."""

    @cache
    def screener() -> Screener:  # built on first use, or loaded from the on-disk cache
        # Keyed by content, so a fresh store (the demo's) with the same registry reuses it.
        return Screener(registry, settings, index_key=registry.content_hash())

    # The identifier every command uses, sharing the screener with supplier screening.
    identify = device_identifier(registry, settings, screener=screener).identify

    algorithms = [
        AlgorithmRef("device identification", "DeviceIdentifier with shipped fingerprint rules"),
        AlgorithmRef("active discovery probes", scan_ports),
    ]
    return Engines(
        identify=identify_engine(
            identify, max_bytes=settings.max_file_bytes, column_map=column_map
        ),
        scan=scan_engine(identify, ports=scan_ports),
        screen=screen_engine(screener, max_bytes=settings.max_file_bytes, algorithms=algorithms),
        save=store_saver(engine, user=settings.user) if engine is not None else None,
        algorithms=algorithms,
    )
