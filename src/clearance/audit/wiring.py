"""Connect the audit to the identification, discovery, screening and tracking layers."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from clearance.audit.run import Engines, ScanTargets, ScreenFile
from clearance.audit.save import store_saver
from clearance.discovery.probes.base import Timeouts
from clearance.discovery.scanner import DEFAULT_PORTS, PortPlan, ScanOptions, scan
from clearance.discovery.scanner_identify import default_identifier
from clearance.discovery.targets import build_scope
from clearance.matching.records import read_rows
from clearance.model import Asset, Observation
from clearance.registry.registry import Registry
from clearance.reports.data import AlgorithmRef
from clearance.settings import Settings

__all__ = ["default_engines", "scan_engine", "screen_engine"]


def screen_engine(
    registry: Registry, settings: Settings, algorithms: list[AlgorithmRef]
) -> ScreenFile:
    """Name screening of a supplier file (CSV, XLSX, JSON; the name column detected)."""

    def screen_file(path: Path) -> list[dict[str, Any]]:
        from clearance.matching.screen import Screener  # builds or loads its index lazily

        screener = Screener(registry, settings)
        rows = list(read_rows(path, max_bytes=settings.max_file_bytes))
        items = [{"name": row.name, "record": row.record} for row in rows]
        results = [r.to_json() for r in screener.screen_many(items)]
        if results:
            algorithms.append(AlgorithmRef("name screening", str(results[0]["algorithm"])))
        return results

    return screen_file


def scan_engine(
    identify: Callable[[Observation], Asset],
    *,
    ports: str = DEFAULT_PORTS,
    timeouts: Timeouts | None = None,
) -> ScanTargets:
    """Active discovery of the targets (scope-guarded: public addresses are refused)."""

    def scan_targets(targets: Sequence[str], site: str | None) -> list[Asset]:
        scope = build_scope(targets)
        options = ScanOptions(ports=PortPlan.parse(ports), site=site)
        if timeouts is not None:
            options.timeouts = timeouts

        async def collect() -> list[Asset]:
            return [asset async for asset in scan(scope, options, identify)]

        return asyncio.run(collect())

    return scan_targets


def default_engines(
    settings: Settings,
    registry: Registry,
    engine: Engine | None,
    *,
    scan_ports: str = DEFAULT_PORTS,
) -> Engines:
    """The engines this build has; a missing layer stays ``None`` and its step is skipped."""
    identify = default_identifier(registry)
    algorithms: list[AlgorithmRef] = []
    engines = Engines(
        scan=scan_engine(identify, ports=scan_ports),
        screen=screen_engine(registry, settings, algorithms),
        save=store_saver(engine, user=settings.user) if engine is not None else None,
        algorithms=algorithms,
    )
    algorithms.extend(
        [
            AlgorithmRef(
                "device identification",
                f"{type(getattr(identify, '__self__', identify)).__name__}",
            ),
            AlgorithmRef("active discovery probes", scan_ports),
        ]
    )
    return engines
