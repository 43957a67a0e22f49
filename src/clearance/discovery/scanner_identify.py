"""The identifier the scanner, audit and recheck use for live observations."""

from __future__ import annotations

from collections.abc import Callable

from clearance.discovery.identify import DeviceIdentifier
from clearance.model import Asset, Observation
from clearance.registry.registry import Registry

__all__ = ["default_identifier"]


def default_identifier(registry: Registry) -> Callable[[Observation], Asset]:
    """``DeviceIdentifier(registry).identify``: fingerprint rules, MAC registrants, SNMP
    enterprise numbers and the registry's names and relations."""
    return DeviceIdentifier(registry).identify
