"""Recheck wired to the engines: the matching engine re-screens stored suppliers and the
device identifier re-attributes stored assets, against a registry. ``clearance recheck`` and
the server's scheduled monitoring call :func:`recheck_stored`."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from sqlalchemy import Engine

from clearance.discovery.identification import device_identifier
from clearance.matching.screen import Screener
from clearance.model import Asset, Attribution, Observation
from clearance.registry.registry import Registry
from clearance.settings import Settings
from clearance.store.recheck import AssetAttributor, RecheckReport, SupplierScreener, recheck

__all__ = ["IdentifierAttributor", "ScreenerAdapter", "recheck_stored"]

# Evidence the identifier derives rather than reads: left out when a stored asset is read again.
_DERIVED = frozenset({"mac_registrant"})


class IdentifierAttributor:
    """Re-attributes a stored asset by running what was observed through the device
    identifier again (against the current registry).

    The observation is rebuilt from the asset's evidence, which holds every input the
    identifier read (stated make, brand, model, firmware and serial included, under their
    evidence kinds). The asset's manufacturer is not fed back as a stated make: it may be
    the identifier's own conclusion, and reading it as evidence would raise the certainty.
    """

    def __init__(self, identify: Callable[[Observation], Asset]) -> None:
        self.identify = identify

    def attribute(self, asset: Asset) -> list[Attribution]:
        observation = Observation(
            source=asset.source,
            ip=asset.ip,
            mac=asset.mac,
            hostname=asset.hostname,
            site=asset.site,
            evidence=[e for e in asset.evidence if e.kind not in _DERIVED],
            record=asset.record,
        )
        return list(self.identify(observation).restricted)


class ScreenerAdapter:
    """The matching engine's Screener as a :class:`SupplierScreener` (built on first use)."""

    def __init__(self, screener: Callable[[], Screener]) -> None:
        self.screener = screener

    def screen(self, query: str, record: dict[str, Any] | None) -> dict[str, Any]:
        return self.screener().screen(query, record=record).to_json()


def recheck_stored(
    engine: Engine, registry: Registry, settings: Settings, *, user: str
) -> RecheckReport:
    """Re-screen every stored supplier and re-attribute every stored asset against
    ``registry`` (one name engine for both), updating their findings as ``user``."""

    @cache
    def screening() -> Screener:  # one name engine for suppliers and device makes alike
        return Screener(registry, settings)

    screener: SupplierScreener = ScreenerAdapter(screening)
    identifier = device_identifier(registry, settings, screener=screening)
    attributor: AssetAttributor = IdentifierAttributor(identifier.identify)
    return recheck(
        engine,
        screener=screener,
        attributor=attributor,
        user=user,
        registry_version=registry.version,
    )
