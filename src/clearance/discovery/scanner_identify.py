"""Which identifier the scanner uses: the shared one when installed, else the stand-in."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from clearance.discovery.interim_identify import InterimIdentifier
from clearance.model import Asset, Observation
from clearance.registry.registry import Registry

__all__ = ["default_identifier"]


def default_identifier(registry: Registry) -> Callable[[Observation], Asset]:
    """``DeviceIdentifier(registry).identify`` from :mod:`clearance.discovery.identify` if
    that module exists, otherwise :class:`InterimIdentifier`."""
    try:
        module = importlib.import_module("clearance.discovery.identify")
    except ImportError:
        return InterimIdentifier(registry).identify
    identify: Callable[[Observation], Asset] = module.DeviceIdentifier(registry).identify
    return identify
