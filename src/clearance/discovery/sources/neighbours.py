"""Neighbour, ARP and MAC-address tables as devices print them.

One reader for all of them, line by line, so a file may hold several (a switch session log):
``ip neigh``; ``arp -a`` on Linux, macOS and Windows; Cisco ``show ip arp`` and
``show mac address-table`` (IOS and NX-OS). Headers, prompts and totals are skipped;
incomplete entries and multicast MACs are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from clearance.discovery.oui import normalise_mac
from clearance.errors import FormatError
from clearance.i18n import gettext as _
from clearance.model import Observation
from clearance.textio import text_lines

__all__ = ["PATTERNS", "read_neighbours"]

_MAC_COLON = r"[0-9a-fA-F]{1,2}(?::[0-9a-fA-F]{1,2}){5}"
_MAC_DASH = r"[0-9a-fA-F]{2}(?:-[0-9a-fA-F]{2}){5}"
_MAC_CISCO = r"[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}"
_IPV4 = r"\d{1,3}(?:\.\d{1,3}){3}"

#: (table name, line pattern); named groups ip, mac, hostname, interface, vlan, port, state.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "ip-neigh",
        re.compile(
            rf"^(?P<ip>[0-9a-fA-F:.]+) dev (?P<interface>\S+) lladdr (?P<mac>{_MAC_COLON})"
            r"(?: router)?(?: proxy)?(?: (?P<state>[A-Z]+))?\s*$"
        ),
    ),
    (
        "arp-a",
        re.compile(
            rf"^(?P<hostname>\S+) \((?P<ip>[^)]+)\) at (?P<mac>{_MAC_COLON})"
            r"(?: \[\w+\])?(?: on (?P<interface>\S+))?.*$"
        ),
    ),
    (
        "arp-a-windows",
        re.compile(rf"^\s+(?P<ip>{_IPV4})\s+(?P<mac>{_MAC_DASH})\s+(?P<state>\S+)\s*$"),
    ),
    (
        "cisco-ip-arp",
        re.compile(
            rf"^Internet\s+(?P<ip>{_IPV4})\s+\S+\s+(?P<mac>{_MAC_CISCO})\s+\S+\s*"
            r"(?P<interface>\S+)?\s*$"
        ),
    ),
    (
        "cisco-mac-table",
        re.compile(
            rf"^\s*[*+GR]?\s*(?P<vlan>\d+|All|N/A|-)\s+(?P<mac>{_MAC_CISCO})\s+(?P<state>\S+)"
            r"(?:\s+\S+){0,4}?\s+(?P<port>[A-Za-z][\w/.:-]*)\s*$"
        ),
    ),
)


def _is_multicast(mac: str) -> bool:
    return bool(int(mac[:2], 16) & 0x01)


def match_line(line: str) -> tuple[str, dict[str, str]] | None:
    """The table kind and fields of one line, or ``None`` if it is not a table entry."""
    for name, pattern in PATTERNS:
        found = pattern.match(line)
        if found is not None:
            return name, {k: v for k, v in found.groupdict().items() if v}
    return None


def read_neighbours(path: Path, site: str | None = None) -> Iterator[Observation]:
    """Observations for every entry with a MAC address."""
    entries = 0
    for number, line in text_lines(path):
        matched = match_line(line)
        if matched is None:
            continue
        table, fields = matched
        mac = normalise_mac(fields.get("mac"))
        if mac is None or _is_multicast(mac):
            continue
        entries += 1
        hostname = fields.get("hostname")
        yield Observation(
            table,
            ip=fields.get("ip"),
            mac=mac,
            hostname=None if hostname in (None, "?") else hostname,
            site=site,
            record={"line": number, **fields},
        )
    if entries == 0:
        raise FormatError(_("no ARP, neighbour or MAC-table entries found"), path=str(path), line=1)
