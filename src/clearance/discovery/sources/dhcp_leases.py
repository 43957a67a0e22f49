"""DHCP leases: ISC dhcpd (``dhcpd.leases``), dnsmasq (``dnsmasq.leases``) and Kea (memfile CSV).

Each lease gives the IP, the MAC, the client's host name and, for ISC, the vendor class
identifier (DHCP option 60) the client sent.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from clearance.discovery.oui import normalise_mac
from clearance.discovery.sources.values import checked_ip, checked_mac
from clearance.errors import FormatError
from clearance.i18n import gettext as _
from clearance.model import Evidence, Observation
from clearance.textio import open_text, text_lines

__all__ = ["read_dnsmasq_leases", "read_isc_leases", "read_kea_leases"]

_LEASE_START = re.compile(r"^\s*lease\s+(\S+)\s*\{\s*$")
_STATEMENT = re.compile(r"^\s*([a-z-]+)\s+(.*?);\s*$")
_SET = re.compile(r'^\s*set\s+([\w-]+)\s*=\s*"?(.*?)"?\s*;\s*$')
_QUOTED = re.compile(r'^"(.*)"$')
_DNSMASQ = re.compile(r"^(\d+)\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+(\S+))?\s*$")


def _unquote(value: str) -> str:
    found = _QUOTED.match(value.strip())
    return found.group(1) if found else value.strip()


def _isc_observation(
    ip: str, fields: dict[str, str], site: str | None, path: Path, start: int
) -> Observation:
    address = checked_ip(ip, path, "lease", line=start)
    obs = Observation("dhcpd-leases", ip=address, site=site, record={"lease": ip, **fields})
    hardware = fields.get("hardware", "")
    if hardware.startswith("ethernet "):
        obs.mac = checked_mac(hardware.split(" ", 1)[1], path, "hardware ethernet", line=start)
    hostname = fields.get("client-hostname")
    if hostname:
        obs.hostname = _unquote(hostname)
    vendor = fields.get("vendor-class-identifier")
    if vendor:
        obs.evidence.append(Evidence("dhcp_vendor_class", vendor))
    return obs


def read_isc_leases(path: Path, site: str | None = None) -> Iterator[Observation]:
    """Observations from an ISC dhcpd leases file, one per ``lease`` block.

    Outside blocks only statements (``server-duid …;``) and comments may stand; anything
    else, an address that is not an IP or a hardware address that is not a MAC is an error
    naming the line (a leases file has no legitimate noise).
    """
    current: str | None = None
    start = 0
    fields: dict[str, str] = {}
    for number, line in text_lines(path):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if current is None:
            found = _LEASE_START.match(line)
            if found is not None:
                current, start, fields = found.group(1), number, {}
            elif text.endswith("{"):
                raise FormatError(
                    _("unexpected block in a leases file"), path=str(path), line=number
                )
            elif _STATEMENT.match(line) is None:
                raise FormatError(
                    _("neither a lease block nor a statement"), path=str(path), line=number
                )
            continue
        if text == "}":
            yield _isc_observation(current, fields, site, path, start)
            current = None
            continue
        assignment = _SET.match(line)
        if assignment is not None:
            fields[assignment.group(1)] = assignment.group(2)
            continue
        statement = _STATEMENT.match(line)
        if statement is None:
            raise FormatError(_("not a lease statement"), path=str(path), line=number)
        fields.setdefault(statement.group(1), statement.group(2))
    if current is not None:
        raise FormatError(
            _("lease {current} is not closed (truncated file)").format(current=current),
            path=str(path),
            line=start,
        )


def read_dnsmasq_leases(path: Path, site: str | None = None) -> Iterator[Observation]:
    """Observations from a dnsmasq leases file (``expiry mac ip hostname client-id``)."""
    for number, line in text_lines(path):
        if not line.strip() or line.startswith("duid "):
            continue
        found = _DNSMASQ.match(line)
        if found is None:
            raise FormatError(
                _("not a dnsmasq lease (expiry mac ip hostname client-id)"),
                path=str(path),
                line=number,
            )
        expiry, mac, ip, hostname, client_id = found.groups()
        record = {"expiry": expiry, "mac": mac, "ip": ip, "hostname": hostname}
        record["client_id"] = client_id or "*"
        yield Observation(
            "dnsmasq-leases",
            ip=checked_ip(ip, path, "ip", line=number),
            # other hardware types come as "06-aa-bb-…" (type first): no Ethernet MAC
            mac=normalise_mac(mac) if len(mac) == 17 else None,
            hostname=None if hostname == "*" else hostname,
            site=site,
            record=dict(record),
        )


def read_kea_leases(path: Path, site: str | None = None) -> Iterator[Observation]:
    """Observations from a Kea memfile lease CSV (DHCPv4 or DHCPv6)."""
    with open_text(path) as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "address" not in reader.fieldnames:
            raise FormatError(
                _("a Kea lease file starts with a header naming address"), path=str(path), line=1
            )
        for row in reader:
            if row.get("address") in (None, ""):
                raise FormatError(
                    _("lease without an address"),
                    path=str(path),
                    line=reader.line_num,
                    field="address",
                )
            record: dict[str, Any] = {k: v for k, v in row.items() if k is not None}
            hostname = (row.get("hostname") or "").rstrip(".") or None
            hwaddr = (row.get("hwaddr") or "").strip()
            line = reader.line_num
            yield Observation(
                "kea-leases",
                ip=checked_ip(row["address"], path, "address", line=line),
                mac=checked_mac(hwaddr, path, "hwaddr", line=line) if hwaddr else None,
                hostname=hostname,
                site=site,
                record=record,
            )
