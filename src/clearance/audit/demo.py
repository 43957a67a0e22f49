"""The demo: the bundled organisation's devices emulated on loopback while it is audited."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from clearance.audit.organisation import Organisation
from clearance.discovery.emulator.fleet import generate_fleet
from clearance.discovery.emulator.servers import Emulator, EmulatorThread, ServicePorts

__all__ = ["DEMO_PORTS", "emulated_sites"]

# Unprivileged ports (80 → 10080, 554 → 10554 …) so the demo runs without root.
DEMO_PORTS = ServicePorts.unprivileged()


@contextmanager
def emulated_sites(org: Organisation, notes: list[str]) -> Iterator[list[str]]:
    """Serve each site's emulated devices on its loopback network while the block runs;
    yield the scan scope (the sites' networks)."""
    fleet = []
    scope: list[str] = []
    for site in org.sites:
        if site.network and site.devices:
            fleet.extend(generate_fleet(site.devices, site.network, site.seed))
            scope.append(site.network)
    if not fleet:
        yield []
        return
    notes.append(
        f"Demo: {len(fleet)} devices emulated on loopback ({', '.join(scope)}), answering the "
        "devices' own discovery protocols on unprivileged ports."
    )
    with EmulatorThread(Emulator(fleet, DEMO_PORTS)):
        yield scope
