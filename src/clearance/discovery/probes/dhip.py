"""Dahua discovery: DHIP JSON on UDP 37810, and the older binary form on UDP 5050.

DHIP messages are a 32-byte header (``20 00 00 00 'DHIP'``, session and id words, the body
length as little-endian u32 at 0x10 and again at 0x18) followed by a JSON body. A search is
``DHDiscover.search``; devices running Dahua firmware (Dahua, Imou and Dahua-made devices
sold under other brands) answer ``client.notifyDevInfo`` with DeviceClass, DeviceType
(model), SerialNo, Version and Vendor.

The older form is a 32-byte request starting ``a3 01 00 01``; the answer starts ``b3``, holds
the device type (16 bytes at offset 40) and IPv4 address (offset 56) in a fixed block, and
ends with a trailer whose length is byte 2: the MAC address text followed by the model.
"""

from __future__ import annotations

import json
import re
import struct
from typing import Any

from clearance.discovery.probes.base import ProbeContext, ProbeResult
from clearance.discovery.probes.multicast import multicast_collect

__all__ = [
    "DHIP_GROUP",
    "DHIP_PORT",
    "LEGACY_PORT",
    "LEGACY_REQUEST",
    "build_search",
    "dhip_frame",
    "multicast_search",
    "parse_dhip",
    "parse_legacy",
    "probe",
    "probe_legacy",
]

DHIP_PORT = 37810
DHIP_GROUP = "239.255.255.251"
LEGACY_PORT = 5050
LEGACY_REQUEST = bytes([0xA3, 0x01, 0x00, 0x01]) + bytes(12) + bytes([0x02]) + bytes(15)
FAMILY = "Dahua"
_MAGIC = b"DHIP"
_HEADER = struct.Struct("<I4sIIIIII")
_MAC = re.compile(rb"[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}")
_GENERIC_VENDORS = {"", "PRIVATE", "GENERAL", "DAHUA", "DH"}


def dhip_frame(body: dict[str, Any], session: int = 0, ident: int = 0) -> bytes:
    """A DHIP header followed by ``body`` as compact JSON."""
    payload = json.dumps(body, separators=(",", ":")).encode() + b"\n"
    return _HEADER.pack(0x20, _MAGIC, session, ident, len(payload), 0, len(payload), 0) + payload


def build_search() -> bytes:
    """The ``DHDiscover.search`` request."""
    return dhip_frame({"method": "DHDiscover.search", "params": {"mac": "", "uni": 1}})


def parse_dhip(data: bytes) -> dict[str, Any] | None:
    """The JSON body of a DHIP message, or ``None`` when ``data`` is not one."""
    if len(data) < _HEADER.size or data[4:8] != _MAGIC:
        return None
    length = struct.unpack_from("<I", data, 0x10)[0]
    body = data[_HEADER.size : _HEADER.size + length]
    try:
        decoded = json.loads(body.decode("utf-8", "replace").strip("\x00\n "))
    except ValueError:
        return None
    return decoded if isinstance(decoded, dict) else None


def _result_of_dhip(message: dict[str, Any], port: int) -> ProbeResult | None:
    params = message.get("params")
    info = params.get("deviceInfo") if isinstance(params, dict) else None
    if message.get("method") != "client.notifyDevInfo" or not isinstance(info, dict):
        return None
    result = ProbeResult("dhip", port)

    def text(key: str) -> str | None:
        value = info.get(key)
        return str(value) if value not in (None, "") else None

    result.fact("make", FAMILY)
    result.fact("model", text("DeviceType"))
    result.fact("serial", text("SerialNo"))
    result.fact("firmware", text("Version"))
    result.fact("device_type", text("DeviceClass"))
    vendor = text("Vendor") or ""
    if vendor.upper() not in _GENERIC_VENDORS:
        result.fact("brand", vendor)
    kept = {
        key: info[key]
        for key in ("DeviceClass", "DeviceType", "SerialNo", "Vendor", "Version")
        if info.get(key) not in (None, "")
    }
    reply = {"method": "client.notifyDevInfo", "params": {"deviceInfo": kept}}
    result.add("dhip", json.dumps(reply, separators=(",", ":"), ensure_ascii=False))
    mac = message.get("mac") or text("MAC")
    if isinstance(mac, str) and mac:
        result.mac = mac.lower()
        result.add("mac", result.mac)
    return result


async def probe(host: str, ctx: ProbeContext, port: int = DHIP_PORT) -> ProbeResult | None:
    """Unicast ``DHDiscover.search`` to ``host`` and read its ``client.notifyDevInfo``."""
    reply = await ctx.udp(host, port, build_search())
    message = parse_dhip(reply) if reply else None
    return _result_of_dhip(message, port) if message else None


def parse_legacy(data: bytes) -> dict[str, str] | None:
    """Device type, IPv4 address, MAC and model from an answer to :data:`LEGACY_REQUEST`."""
    if len(data) < 60 or data[0] != 0xB3:
        return None
    fields: dict[str, str] = {}
    device_type = data[40:56].split(b"\x00", 1)[0].decode("ascii", "replace").strip()
    if device_type:
        fields["device_type"] = device_type
    fields["ip"] = ".".join(str(b) for b in data[56:60])
    trailer = data[len(data) - data[2] :] if data[2] else b""
    mac = _MAC.search(trailer)
    if mac:
        fields["mac"] = mac.group().decode().lower()
        model = trailer[mac.end() :].split(b"\x00", 1)[0].decode("ascii", "replace").strip()
        if model:
            fields["model"] = model
    return fields


async def probe_legacy(host: str, ctx: ProbeContext, port: int = LEGACY_PORT) -> ProbeResult | None:
    """The older Dahua discovery on UDP 5050 (model and MAC, no firmware)."""
    reply = await ctx.udp(host, port, LEGACY_REQUEST)
    fields = parse_legacy(reply) if reply else None
    if not fields:
        return None
    result = ProbeResult("dhip", port)
    result.fact("make", FAMILY)
    result.fact("model", fields.get("model"))
    result.fact("device_type", fields.get("device_type"))
    result.add(
        "dhip",
        "legacy-5050 "
        + " ".join(f"{k}={fields[k]}" for k in ("device_type", "model") if k in fields),
    )
    if "mac" in fields:
        result.mac = fields["mac"]
        result.add("mac", result.mac)
    return result


async def multicast_search(wait: float) -> dict[str, ProbeResult]:
    """Send one ``DHDiscover.search`` to the DHIP multicast group; answers by source address."""

    def parse(data: bytes) -> ProbeResult | None:
        message = parse_dhip(data)
        return _result_of_dhip(message, DHIP_PORT) if message else None

    return await multicast_collect(build_search(), DHIP_GROUP, DHIP_PORT, wait, parse)
