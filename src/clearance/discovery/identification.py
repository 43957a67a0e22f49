"""The one device identifier every command builds: ``identify``, ``scan``, ``recheck`` and
``audit`` all call :func:`device_identifier`, so a device gets the same attribution whichever
command reads it.

The identifier reads fingerprint rules, MAC registrants, SNMP enterprise numbers and the
registry's names and relations, and hands make and brand strings none of those know
("Hikvison Digital Technology", "HIK-VISION") to the name-screening engine. The engine is
built on the first such string: a scan of cameras that state their maker in their own
protocols never pays for it.
"""

from __future__ import annotations

from collections.abc import Callable

from clearance.discovery.identify import DeviceIdentifier, NameScreener, ScreenedName
from clearance.registry.registry import Registry
from clearance.settings import Settings

__all__ = ["LazyScreener", "device_identifier", "name_screener"]


class LazyScreener:
    """A :class:`NameScreener` that builds the real one on its first call."""

    def __init__(self, build: Callable[[], NameScreener]) -> None:
        self._build = build
        self._screener: NameScreener | None = None

    def screen(self, name: str) -> ScreenedName:
        if self._screener is None:
            self._screener = self._build()
        return self._screener.screen(name)


def name_screener(registry: Registry, settings: Settings | None = None) -> NameScreener:
    """The matching engine's :class:`~clearance.matching.screen.Screener` for ``registry``."""
    from clearance.matching.screen import Screener  # the engine loads only when needed

    return Screener(registry, settings)


def device_identifier(
    registry: Registry,
    settings: Settings | None = None,
    *,
    screener: Callable[[], NameScreener] | None = None,
) -> DeviceIdentifier:
    """The device identifier of every command, with the name engine attached (built lazily).

    Args:
        registry: the registry whose entities, relations and device hints apply.
        settings: thresholds and cache directory for the name engine (default: from the
            environment).
        screener: builds the name engine, for a caller that shares one with supplier
            screening (default: :func:`name_screener`).
    """
    build = screener if screener is not None else lambda: name_screener(registry, settings)
    return DeviceIdentifier(registry, LazyScreener(build))
