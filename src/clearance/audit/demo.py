"""The demo: the bundled organisation's devices emulated on loopback while it is audited."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from clearance.audit.organisation import Organisation

__all__ = ["emulated_sites"]


@contextmanager
def emulated_sites(org: Organisation, notes: list[str]) -> Iterator[list[str]]:
    """Serve each site's emulated devices on its loopback network; yield the scan scope.

    Without a device emulator in this build, nothing is served, the scope is empty and a note
    says so.
    """
    networks = [s.network for s in org.sites if s.network and s.devices]
    if networks:
        notes.append(
            "The demo's emulated devices were not started: the device emulator is not "
            "available in this build."
        )
    yield []
