"""Connect the audit to the identification, discovery, screening and tracking layers."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from sqlalchemy import Engine

from clearance.audit.run import Engines, ScanTargets
from clearance.audit.save import store_saver
from clearance.discovery.probes.base import Timeouts
from clearance.discovery.scanner import DEFAULT_PORTS, PortPlan, ScanOptions, scan
from clearance.discovery.scanner_identify import default_identifier
from clearance.discovery.targets import build_scope
from clearance.model import Asset, Observation
from clearance.registry.registry import Registry
from clearance.reports.data import AlgorithmRef
from clearance.settings import Settings

__all__ = ["default_engines", "scan_engine"]


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
    return Engines(
        scan=scan_engine(identify, ports=scan_ports),
        save=store_saver(engine, user=settings.user) if engine is not None else None,
        algorithms=[
            AlgorithmRef(
                "device identification",
                f"{type(getattr(identify, '__self__', identify)).__name__}",
            ),
            AlgorithmRef("active discovery probes", scan_ports),
        ],
    )
