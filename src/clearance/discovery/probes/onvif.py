"""ONVIF: WS-Discovery Probe (UDP 3702, unicast) and the device service calls that devices
usually answer without credentials.

A ``ProbeMatch`` lists scopes such as ``onvif://www.onvif.org/name/…`` and
``…/hardware/<model>`` and the device service address (XAddrs). The probe then calls
``GetDeviceInformation`` (Manufacturer, Model, FirmwareVersion, SerialNumber; many devices
require credentials for it, and none are tried), and when that is refused,
``GetSystemDateAndTime`` and ``GetCapabilities``, which ONVIF lets anyone call.
"""

from __future__ import annotations

import urllib.parse
import uuid

from clearance.discovery.probes.base import ProbeContext, ProbeResult
from clearance.discovery.probes.multicast import multicast_collect
from clearance.discovery.probes.wire import http_request
from clearance.discovery.probes.xmlutil import local, parse_xml, texts

__all__ = [
    "WSD_GROUP",
    "WSD_PORT",
    "build_probe",
    "build_soap",
    "multicast_search",
    "parse_probe_match",
    "probe",
]

WSD_PORT = 3702
WSD_GROUP = "239.255.255.250"
_SOAP_ENV = "http://www.w3.org/2003/05/soap-envelope"
_DEVICE_WSDL = "http://www.onvif.org/ver10/device/wsdl"
_SCOPE_PREFIX = "onvif://www.onvif.org/"


def build_probe(message_id: str | None = None) -> bytes:
    """A WS-Discovery Probe for ``dn:NetworkVideoTransmitter``."""
    ident = message_id or f"uuid:{uuid.uuid4()}"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<e:Envelope xmlns:e="{_SOAP_ENV}" '
        'xmlns:w="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
        'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" '
        'xmlns:dn="http://www.onvif.org/ver10/network/wsdl">'
        f"<e:Header><w:MessageID>{ident}</w:MessageID>"
        '<w:To e:mustUnderstand="true">urn:schemas-xmlsoap-org:ws:2005:04:discovery</w:To>'
        '<w:Action e:mustUnderstand="true">'
        "http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</w:Action></e:Header>"
        "<e:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></e:Body>"
        "</e:Envelope>"
    ).encode()


def build_soap(operation: str) -> bytes:
    """A SOAP 1.2 envelope calling a device-service ``operation`` with no arguments."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<s:Envelope xmlns:s="{_SOAP_ENV}" xmlns:tds="{_DEVICE_WSDL}">'
        f"<s:Body><tds:{operation}/></s:Body></s:Envelope>"
    ).encode()


def parse_probe_match(data: bytes) -> dict[str, str] | None:
    """Scopes (``scope.<key>``: decoded value; ``uri.<key>``: the scope as sent), XAddrs
    and Types of a ``ProbeMatches`` reply; ``None`` if ``data`` is not one."""
    root = parse_xml(data)
    if root is None:
        return None
    match = next((el for el in root.iter() if local(el.tag) == "ProbeMatch"), None)
    if match is None:
        return None
    fields = texts(match)
    found: dict[str, str] = {}
    for scope in fields.get("Scopes", "").split():
        if scope.startswith(_SCOPE_PREFIX):
            path = scope[len(_SCOPE_PREFIX) :]
            key, _, value = path.partition("/")
            if value:
                found.setdefault(f"scope.{key}", urllib.parse.unquote(value))
                found.setdefault(f"uri.{key}", scope)
    for key in ("XAddrs", "Types"):
        if fields.get(key):
            found[key] = fields[key]
    return found


def _result_of_match(fields: dict[str, str], port: int) -> ProbeResult:
    result = ProbeResult("onvif", port)
    for key in ("uri.name", "uri.hardware"):
        result.add("onvif", fields.get(key))
    if not any(k.startswith("uri.") for k in fields):
        result.add("onvif", "ProbeMatch " + fields.get("Types", "dn:NetworkVideoTransmitter"))
    result.fact("model", fields.get("scope.hardware"))
    return result


def _same_host_address(xaddrs: str, host: str) -> tuple[int, str] | None:
    """The port and path of the first device-service address on ``host`` itself."""
    for addr in xaddrs.split():
        url = urllib.parse.urlsplit(addr)
        if url.scheme == "http" and url.hostname == host:
            return url.port or 80, url.path or "/onvif/device_service"
    return None


async def _call(
    ctx: ProbeContext, host: str, port: int, path: str, operation: str
) -> dict[str, str] | None:
    reply = await http_request(
        ctx,
        host,
        port,
        path,
        method="POST",
        body=build_soap(operation),
        headers={"Content-Type": "application/soap+xml; charset=utf-8"},
    )
    if reply is None or reply.status != 200:
        return None
    root = parse_xml(reply.body)
    if root is None:
        return None
    response = next((el for el in root.iter() if local(el.tag) == f"{operation}Response"), None)
    return texts(response) if response is not None else None


async def probe(host: str, ctx: ProbeContext, port: int = WSD_PORT) -> ProbeResult | None:
    """WS-Discovery unicast, then the open device-service calls on the address it gave.

    Device-service calls go only to an address on ``host`` itself: a ProbeMatch pointing
    elsewhere is recorded, not followed (the scope guard covers what we send).
    """
    reply = await ctx.udp(host, port, build_probe())
    fields = parse_probe_match(reply) if reply else None
    if fields is None:
        return None
    result = _result_of_match(fields, port)
    service = _same_host_address(fields.get("XAddrs", ""), host)
    if service is None:
        return result
    info = await _call(ctx, host, service[0], service[1], "GetDeviceInformation")
    if info is not None:
        result.fact("make", info.get("Manufacturer"))
        if info.get("Model"):
            result.facts["model"] = info["Model"]
        result.fact("firmware", info.get("FirmwareVersion"))
        result.fact("serial", info.get("SerialNumber"))
        result.add("onvif", info.get("Manufacturer"))
        return result
    when = await _call(ctx, host, service[0], service[1], "GetSystemDateAndTime")
    caps = await _call(ctx, host, service[0], service[1], "GetCapabilities")
    if when is not None or caps is not None:
        result.add("onvif", "device service answers GetSystemDateAndTime/GetCapabilities")
    return result


async def multicast_search(wait: float) -> dict[str, ProbeResult]:
    """Send one Probe to the WS-Discovery multicast group; answers by source address."""

    def parse(data: bytes) -> ProbeResult | None:
        fields = parse_probe_match(data)
        return _result_of_match(fields, WSD_PORT) if fields else None

    return await multicast_collect(build_probe(), WSD_GROUP, WSD_PORT, wait, parse)
