"""The demo: the bundled organisation's devices emulated on loopback while it is audited."""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace

from clearance.audit.organisation import Organisation
from clearance.discovery.emulator.fleet import generate_fleet
from clearance.discovery.emulator.servers import Emulator, EmulatorThread, ServicePorts
from clearance.errors import OperationalError
from clearance.reports.wording import _r

__all__ = ["DEMO_PORTS", "emulated_sites", "shifted"]

# Unprivileged ports (80 → 10080, 554 → 10554 …) so the demo runs without root.
DEMO_PORTS = ServicePorts.unprivileged()
_ATTEMPTS = 6


def shifted(org: Organisation, second_octet: int) -> Organisation:
    """``org`` with each loopback site network moved to ``127.<second_octet>.x.y``."""
    sites = []
    for site in org.sites:
        if site.network is None:
            sites.append(site)
            continue
        net = ipaddress.ip_network(site.network, strict=False)
        octets = str(net.network_address).split(".")
        moved = f"127.{second_octet}.{octets[2]}.{octets[3]}/{net.prefixlen}"
        sites.append(replace(site, network=moved))
    return replace(org, sites=sites)


@contextmanager
def emulated_sites(org: Organisation, notes: list[str]) -> Iterator[tuple[Organisation, list[str]]]:
    """Serve each site's emulated devices on its loopback network while the block runs;
    yield the organisation (networks as served) and the scan scope.

    When the networks are taken (another demo is running), the fleet moves to another
    ``127.N.0.0/16`` block, up to a few times, and a note says where.
    """
    current = org
    for attempt in range(_ATTEMPTS):
        fleet = []
        scope: list[str] = []
        for site in current.sites:
            if site.network and site.devices:
                fleet.extend(generate_fleet(site.devices, site.network, site.seed))
                scope.append(site.network)
        if not fleet:
            yield current, []
            return
        thread = EmulatorThread(Emulator(fleet, DEMO_PORTS))
        try:
            thread.start()
        except OperationalError:
            with suppress(Exception):
                thread.stop()
            if attempt == _ATTEMPTS - 1:
                raise
            current = shifted(org, 100 + secrets.randbelow(150))
            continue
        notes.append(
            _r(
                "Demo: {count} devices emulated on loopback ({networks}), answering the "
                "devices' own discovery protocols on unprivileged ports."
            ).format(count=len(fleet), networks=", ".join(scope))
        )
        try:
            yield current, scope
        finally:
            thread.stop()
        return
