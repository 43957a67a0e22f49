"""Hikvision SADP (Search Active Devices Protocol): an XML ``Probe`` on UDP 37020.

Devices running Hikvision firmware (Hikvision, EZVIZ and Hikvision-made devices sold under
other brands) answer with a ``ProbeMatch`` carrying DeviceDescription (model), DeviceSN,
SoftwareVersion, MAC and OEM fields. The probe unicasts to each target; multicast to
239.255.255.250 is available through :func:`multicast_search`, only when the user asks.
"""

from __future__ import annotations

import uuid

from clearance.discovery.oui import normalise_mac
from clearance.discovery.probes.base import ProbeContext, ProbeResult
from clearance.discovery.probes.multicast import multicast_collect
from clearance.discovery.probes.xmlutil import local, parse_xml, texts

__all__ = [
    "SADP_GROUP",
    "SADP_PORT",
    "build_inquiry",
    "multicast_search",
    "parse_probe_match",
    "probe",
    "result_of",
]

SADP_PORT = 37020
SADP_GROUP = "239.255.255.250"
FAMILY = "Hikvision"


def build_inquiry(probe_uuid: str | None = None) -> bytes:
    """The inquiry every SADP client sends, with a fresh upper-case UUID."""
    ident = (probe_uuid or str(uuid.uuid4())).upper()
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f"<Probe><Uuid>{ident}</Uuid><Types>inquiry</Types></Probe>"
    ).encode()


def parse_probe_match(data: bytes) -> dict[str, str] | None:
    """The fields of a ``ProbeMatch`` reply, or ``None`` if ``data`` is not one."""
    root = parse_xml(data)
    if root is None or local(root.tag) != "ProbeMatch":
        return None
    return texts(root)


def result_of(fields: dict[str, str], port: int = SADP_PORT) -> ProbeResult:
    """Facts and evidence from a parsed ``ProbeMatch``."""
    result = ProbeResult("sadp", port)
    model = fields.get("DeviceDescription")
    result.fact("make", FAMILY)
    result.fact("model", model)
    result.fact("serial", fields.get("DeviceSN"))
    result.fact("firmware", fields.get("SoftwareVersion"))
    oem = fields.get("OEMInfo") or fields.get("DetailOEMCode")
    summary = [f"DeviceDescription={model}"] if model else []
    for key in ("DeviceType", "SoftwareVersion", "OEMInfo", "DetailOEMCode"):
        if fields.get(key):
            summary.append(f"{key}={fields[key]}")
    result.add("sadp", "ProbeMatch " + " ".join(summary))
    if oem and oem.upper() not in {"N/A", "0", "1"}:
        result.fact("brand", oem)
    result.mac = normalise_mac(fields.get("MAC"))
    if result.mac:
        result.add("mac", result.mac)
    return result


async def probe(host: str, ctx: ProbeContext, port: int = SADP_PORT) -> ProbeResult | None:
    """Unicast one inquiry to ``host`` and read its ``ProbeMatch``."""
    reply = await ctx.udp(host, port, build_inquiry())
    if reply is None:
        return None
    fields = parse_probe_match(reply)
    return result_of(fields, port) if fields else None


async def multicast_search(wait: float) -> dict[str, ProbeResult]:
    """Send one inquiry to the SADP multicast group; answers by source address."""

    def parse(data: bytes) -> ProbeResult | None:
        fields = parse_probe_match(data)
        return result_of(fields) if fields else None

    return await multicast_collect(build_inquiry(), SADP_GROUP, SADP_PORT, wait, parse)
