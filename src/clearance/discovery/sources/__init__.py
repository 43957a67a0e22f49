"""Sources of observations: scan files, DHCP leases, ARP/neighbour/MAC tables, inventories.

Every reader streams :class:`~clearance.model.Observation` records from one file. The format
is detected from the file's content unless given; bad input raises
:class:`~clearance.errors.FormatError` naming the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from clearance.discovery.sources.dhcp_leases import (
    read_dnsmasq_leases,
    read_isc_leases,
    read_kea_leases,
)
from clearance.discovery.sources.inventory import read_inventory_csv, read_inventory_xlsx
from clearance.discovery.sources.masscan import (
    read_masscan_json,
    read_masscan_list,
    read_masscan_xml,
)
from clearance.discovery.sources.neighbours import match_line, read_neighbours
from clearance.discovery.sources.nmap_xml import read_nmap_xml
from clearance.errors import FormatError, LimitError, UsageError
from clearance.i18n import gettext as _
from clearance.model import Observation
from clearance.textio import detect_encoding, is_binary, read_sample

__all__ = ["FORMATS", "Reader", "detect_format", "read_observations"]

Reader = Callable[[Path, str | None], Iterator[Observation]]

#: Input formats by name, as ``clearance identify --input-format`` takes them.
FORMATS: dict[str, Reader] = {
    "nmap-xml": read_nmap_xml,
    "masscan-xml": read_masscan_xml,
    "masscan-json": read_masscan_json,
    "masscan-list": read_masscan_list,
    "dhcpd-leases": read_isc_leases,
    "dnsmasq-leases": read_dnsmasq_leases,
    "kea-leases": read_kea_leases,
    "neighbours": read_neighbours,
    "inventory-csv": read_inventory_csv,
    "inventory-xlsx": read_inventory_xlsx,
}

_INVENTORIES = {"inventory-csv": read_inventory_csv, "inventory-xlsx": read_inventory_xlsx}

_MASSCAN_LIST = re.compile(r"^(?:open|banner|closed) (?:tcp|udp|sctp|icmp) \d+ \S+ \d+")
_ISC_LEASE = re.compile(r"^\s*lease \S+ \{", re.MULTILINE)
_DNSMASQ = re.compile(r"^\d{9,11} (?:[0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2} \S+ \S+")


def _first_lines(text: str, count: int = 50) -> list[str]:
    return [line for line in text.splitlines()[: count * 2] if line.strip()][:count]


def _binary_line(sample: bytes) -> int:
    index = next((i for i, b in enumerate(sample) if b < 9 or 13 < b < 32), 0)
    return sample[:index].count(b"\n") + 1


def detect_format(path: Path) -> str:
    """The name (a key of :data:`FORMATS`) of the format of ``path``, from its content."""
    try:
        sample = read_sample(path)
    except OSError as exc:
        raise FormatError(
            _("cannot read: {reason}").format(reason=exc.strerror or exc), path=str(path)
        ) from exc
    if not sample.strip():
        raise FormatError(_("empty file"), path=str(path), line=1)
    if sample.startswith(b"PK\x03\x04"):
        return "inventory-xlsx"
    if is_binary(sample):
        raise FormatError(
            _("binary data, not a scan, lease, ARP table or inventory file"),
            path=str(path),
            line=_binary_line(sample),
        )
    text = sample.decode(detect_encoding(sample) or "utf-8", errors="replace").lstrip("\ufeff")
    head = text.lstrip()
    if head.startswith("<"):
        if "<nmaprun" in head:
            return "masscan-xml" if 'scanner="masscan"' in head[:4096] else "nmap-xml"
        raise FormatError(_("XML, but not nmap or masscan output"), path=str(path), line=1)
    if head.startswith(("[", "{")) and '"ip"' in head:
        return "masscan-json"
    lines = _first_lines(text)
    first = lines[0].strip() if lines else ""
    if first.startswith("#masscan") or _MASSCAN_LIST.match(first):
        return "masscan-list"
    if _ISC_LEASE.search(text) or "dhcpd.leases" in text[:2048]:
        return "dhcpd-leases"
    if first.lower().startswith(("address,hwaddr", "address,duid")):
        return "kea-leases"
    if _DNSMASQ.match(first):
        return "dnsmasq-leases"
    if any(match_line(line) for line in lines):
        return "neighbours"
    return "inventory-csv"


def read_observations(
    path: Path,
    input_format: str | None = None,
    site: str | None = None,
    *,
    max_bytes: int = 0,
    column_map: Mapping[str, str] | None = None,
) -> Iterator[Observation]:
    """Stream the observations in ``path`` (format detected unless ``input_format`` is given).

    ``site``, when given, is every observation's site (an explicit ``--site`` wins): the site
    a register row names itself is kept as its location when it has none. ``column_map``
    ({folded heading: field}, from ``--map``) applies to inventories. Files over
    ``max_bytes`` (when non-zero) are refused with :class:`LimitError`; a file that yields
    no observation raises :class:`FormatError` naming it and the format once read.
    """
    if not path.is_file():
        raise FormatError(_("no such file"), path=str(path))
    if max_bytes and path.stat().st_size > max_bytes:
        raise LimitError(
            _("file is {size} bytes, over the limit of {max_bytes}").format(
                size=path.stat().st_size, max_bytes=max_bytes
            ),
            path=str(path),
        )
    name = input_format or detect_format(path)
    reader = FORMATS.get(name)
    if reader is None:
        raise UsageError(
            _("unknown input format {name!r}; one of: {FORMATS}").format(
                name=name, FORMATS=", ".join(FORMATS)
            )
        )
    if column_map and name in _INVENTORIES:
        found = _INVENTORIES[name](path, site, column_map)
    else:
        found = reader(path, site)
    return _at_least_one(_filed_under(found, site), path, name)


def _filed_under(observations: Iterator[Observation], site: str | None) -> Iterator[Observation]:
    """The observations with ``site`` as their site (when given); a row's own site (a
    register's "Location" column read as the site) becomes its location if it has none."""
    for obs in observations:
        if site is not None and obs.site != site:
            if obs.site and not obs.facts.get("location"):
                obs.facts["location"] = obs.site
            obs.site = site
        yield obs


def _at_least_one(
    observations: Iterator[Observation], path: Path, name: str
) -> Iterator[Observation]:
    """The observations, and an error if there are none: a file that yields no device in
    its format (a wrong ``--input-format``, an empty export) must not read as all clear."""
    count = 0
    for obs in observations:
        count += 1
        yield obs
    if count == 0:
        raise FormatError(
            _("no devices found reading the file as {name}").format(name=name), path=str(path)
        )
