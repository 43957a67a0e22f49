"""HTTP and HTTPS: Server header, page title, favicon hash, TLS subject, known open paths.

The root page is read first; what it shows decides the follow-ups, so a device is asked only
about paths its own firmware family serves without credentials:

- Hikvision web UI (``/doc/page/login.asp``, App-webs/DNVRS-Webs/Hikvision-Webs servers):
  the login page and ISAPI ``/ISAPI/System/deviceInfo`` (open on old firmware, otherwise
  a ``WWW-Authenticate`` challenge that is evidence too);
- Axis (``/axis-cgi/`` links): ``basicdeviceinfo.cgi getAllUnrestrictedProperties``.

Over HTTPS only the root page and the certificate are read: the same firmware serves the same
paths on plain HTTP, and each TLS handshake costs the device (and the scan) far more.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from typing import Any

from cryptography import x509

from clearance.discovery.probes.base import ProbeContext, ProbeResult
from clearance.discovery.probes.wire import Reply, http_request
from clearance.discovery.probes.xmlutil import local, parse_xml, texts

__all__ = ["HIKVISION_LOGIN", "ISAPI_DEVICE_INFO", "page_title", "probe", "tls_subject"]

HIKVISION_LOGIN = "/doc/page/login.asp"
ISAPI_DEVICE_INFO = "/ISAPI/System/deviceInfo"
AXIS_BASIC_INFO = "/axis-cgi/basicdeviceinfo.cgi"
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_JS_REDIRECT = re.compile(rb"""location(?:\.href)?\s*=\s*["']([^"'?#]+)""", re.IGNORECASE)
_HIK_SERVERS = re.compile(r"^(?:App-webs/|DNVRS-Webs|DVRDVS-Webs|Hikvision-Webs)", re.IGNORECASE)


def page_title(body: bytes) -> str | None:
    """The text of the first ``<title>``, unescaped and whitespace-collapsed."""
    match = _TITLE.search(body[:65536])
    if not match:
        return None
    text = " ".join(html.unescape(match.group(1).decode("utf-8", "replace")).split())
    return text or None


def tls_subject(der: bytes | None) -> str | None:
    """The RFC 4514 subject of a DER certificate (``CN=…,O=…,C=…``)."""
    if not der:
        return None
    try:
        return x509.load_der_x509_certificate(der).subject.rfc4514_string()
    except ValueError:
        return None


def _local_redirect(reply: Reply) -> str | None:
    location = reply.header("Location") if 300 <= reply.status < 400 else None
    if location is None:
        match = _JS_REDIRECT.search(reply.body[:8192])
        location = match.group(1).decode("ascii", "replace") if match else None
    if location and location.startswith("/") and not location.startswith("//"):
        return location
    return None


def _record_page(result: ProbeResult, reply: Reply) -> None:
    result.add("http_server", reply.header("Server"))
    result.add("www_authenticate", reply.header("WWW-Authenticate"))
    result.add("http_title", page_title(reply.body))


def _isapi_facts(result: ProbeResult, reply: Reply) -> None:
    root = parse_xml(reply.body)
    if root is None or local(root.tag) != "DeviceInfo":
        return
    info = texts(root)
    result.fact("make", "Hikvision")
    result.fact("model", info.get("model"))
    result.fact("serial", info.get("serialNumber"))
    result.fact("firmware", info.get("firmwareVersion"))
    result.fact("device_type", info.get("deviceType"))
    if info.get("macAddress"):
        result.mac = info["macAddress"].lower()
        result.add("mac", result.mac)


def _axis_facts(result: ProbeResult, reply: Reply) -> None:
    try:
        doc: Any = json.loads(reply.body.decode("utf-8", "replace"))
        props = doc["data"]["propertyList"]
    except (ValueError, KeyError, TypeError):
        return
    if not isinstance(props, dict):
        return
    result.fact("make", str(props.get("Brand") or "") or None)
    result.fact("model", str(props.get("ProdNbr") or "") or None)
    result.fact("firmware", str(props.get("Version") or "") or None)
    result.fact("serial", str(props.get("SerialNumber") or "") or None)
    result.fact("device_type", str(props.get("ProdType") or "") or None)


async def probe(
    host: str, ctx: ProbeContext, port: int = 80, *, tls: bool = False
) -> ProbeResult | None:
    """Read the root page and the follow-ups it calls for; ``None`` if nothing answered."""
    root = await http_request(ctx, host, port, "/", tls=tls)
    if root is None:
        return None
    result = ProbeResult("https" if tls else "http", port)
    _record_page(result, root)
    if tls:
        result.add("tls_subject", tls_subject(root.peer_cert))
        return result
    target = _local_redirect(root)
    if target and target != "/":
        page = await http_request(ctx, host, port, target, tls=tls)
        if page is not None:
            _record_page(result, page)
    favicon = await http_request(ctx, host, port, "/favicon.ico", tls=tls)
    if favicon is not None and favicon.status == 200 and favicon.body:
        result.add("favicon", hashlib.md5(favicon.body, usedforsecurity=False).hexdigest())
    server = root.header("Server") or ""
    if (target or "").startswith(HIKVISION_LOGIN) or _HIK_SERVERS.match(server):
        info = await http_request(ctx, host, port, ISAPI_DEVICE_INFO, tls=tls)
        if info is not None:
            if info.status == 200:
                _isapi_facts(result, info)
            else:
                result.add("www_authenticate", info.header("WWW-Authenticate"))
    if b"/axis-cgi/" in root.body[:65536] or (target or "").startswith("/axis-cgi/"):
        body = json.dumps({"apiVersion": "1.0", "method": "getAllUnrestrictedProperties"}).encode()
        info = await http_request(
            ctx,
            host,
            port,
            AXIS_BASIC_INFO,
            method="POST",
            tls=tls,
            body=body,
            headers={"Content-Type": "application/json"},
        )
        if info is not None and info.status == 200:
            _axis_facts(result, info)
    return result
