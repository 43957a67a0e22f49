"""nmap XML (``-oX``), streamed host by host with defusedxml in constant memory.

Reads, per host: addresses (IPv4/IPv6 and MAC with nmap's vendor), host names, and for every
open port the service (product, version, device type, CPE) and script outputs that carry
fingerprints: http-server-header, http-title, http-auth, http-favicon, rtsp-methods' server,
snmp-sysdescr, ssl-cert, banner and fingerprint-strings (raw responses). masscan's XML
(``scanner="masscan"``) has the same shape, with banners on ``<service banner=…>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from clearance.discovery.sources.responses import banner_evidence, response_evidence
from clearance.discovery.sources.values import checked_ip, checked_mac, checked_port
from clearance.errors import FormatError
from clearance.i18n import gettext as _
from clearance.model import Evidence, Observation

__all__ = ["read_nmap_xml"]

_FAVICON_MD5 = re.compile(r"\b([0-9a-fA-F]{32})\b")
_SUBJECT_KEYS = (
    ("commonName", "CN"),
    ("organizationalUnitName", "OU"),
    ("organizationName", "O"),
    ("localityName", "L"),
    ("stateOrProvinceName", "ST"),
    ("countryName", "C"),
)


def _script_text(script: Element) -> str:
    return (script.get("output") or "").strip()


def _elems(node: Element) -> dict[str, str]:
    return {e.get("key") or "": (e.text or "").strip() for e in node.findall("elem")}


def _subject(script: Element) -> str | None:
    for table in script.findall("table"):
        if table.get("key") == "subject":
            values = _elems(table)
            parts = [f"{short}={values[key]}" for key, short in _SUBJECT_KEYS if values.get(key)]
            return ",".join(parts) or None
    return None


def _script_evidence(script: Element, service: str) -> list[Evidence]:
    sid = script.get("id") or ""
    text = _script_text(script)
    if sid == "http-server-header":
        values = [e.text.strip() for e in script.findall("elem") if e.text and e.text.strip()]
        kind = "rtsp_server" if service.startswith("rtsp") else "http_server"
        return [Evidence(kind, v) for v in (values or ([text] if text else []))]
    if sid == "http-title":
        title = _elems(script).get("title") or text
        return [Evidence("http_title", title)] if title else []
    if sid == "http-favicon":
        found = _FAVICON_MD5.search(text)
        return [Evidence("favicon", found.group(1).lower())] if found else []
    if sid == "http-auth":
        out = []
        for table in script.findall("table"):
            scheme = table.get("key") or ""
            realm = _elems(table).get("realm")
            if scheme and realm is not None:
                out.append(Evidence("www_authenticate", f'{scheme} realm="{realm}"'))
        return out
    if sid == "snmp-sysdescr":
        descr = text.split("\n  System uptime:")[0].strip()
        return [Evidence("snmp_sysdescr", descr)] if descr else []
    if sid == "snmp-info":
        oid = _elems(script).get("enterprise")
        return [Evidence("snmp_enterprise", oid)] if oid else []
    if sid == "ssl-cert":
        subject = _subject(script)
        return [Evidence("tls_subject", subject)] if subject else []
    if sid == "banner":
        return banner_evidence(text)
    if sid == "fingerprint-strings":
        out = []
        for elem in script.findall("elem"):
            out.extend(response_evidence(elem.text or ""))
        return out
    return []


def _port_evidence(
    port: Element, path: Path, where: str
) -> tuple[list[Evidence], dict[str, Any], str | None]:
    evidence: list[Evidence] = []
    service = port.find("service")
    name = ""
    device_type = None
    number = checked_port(port.get("portid"), path, "portid", record=where)
    record: dict[str, Any] = {"port": str(number), "protocol": port.get("protocol")}
    if service is not None:
        name = service.get("name") or ""
        product = service.get("product")
        record["service"] = name
        if product:
            version = service.get("version")
            evidence.append(Evidence("service", f"{product} {version}" if version else product))
        device_type = service.get("devicetype")
        banner = service.get("banner")
        if banner:
            evidence.extend(banner_evidence(banner, name))
        for cpe in service.findall("cpe"):
            if cpe.text:
                evidence.append(Evidence("cpe", cpe.text.strip()))
    for script in port.findall("script"):
        evidence.extend(_script_evidence(script, name))
    return evidence, record, device_type


def _host(
    host: Element, source: str, site: str | None, path: Path, where: str
) -> Observation | None:
    status = host.find("status")
    if status is not None and status.get("state") not in (None, "up"):
        return None
    obs = Observation(source, site=site)
    ports: list[dict[str, Any]] = []
    for addr in host.findall("address"):
        kind, value = addr.get("addrtype"), addr.get("addr") or ""
        if kind in {"ipv4", "ipv6"}:
            ip = checked_ip(value, path, "addr", record=where)
            obs.ip = obs.ip or ip
        elif kind == "mac":
            obs.mac = checked_mac(value, path, "addr", record=where)
            if addr.get("vendor"):
                obs.evidence.append(Evidence("mac_vendor", addr.get("vendor") or ""))
    for hostname in host.iterfind("hostnames/hostname"):
        if hostname.get("name"):
            obs.hostname = hostname.get("name")
            break
    for port in host.iterfind("ports/port"):
        state = port.find("state")
        if state is not None and state.get("state") not in ("open", "open|filtered"):
            continue
        evidence, record, device_type = _port_evidence(port, path, where)
        ports.append(record)
        for ev in evidence:
            if ev not in obs.evidence:
                obs.evidence.append(ev)
        if device_type and "device_type" not in obs.facts:
            obs.facts["device_type"] = device_type
    for script in host.iterfind("hostscript/script"):
        obs.evidence.extend(_script_evidence(script, ""))
    if obs.ip is None and obs.mac is None:
        return None
    obs.record = {"ports": ports}
    return obs


def read_nmap_xml(
    path: Path, site: str | None = None, source: str = "nmap"
) -> Iterator[Observation]:
    """Observations for every host that is up, streamed: each ``<host>`` is dropped once read.

    Truncated or malformed XML raises :class:`FormatError` with the line nmap stopped at; so
    do entity declarations (refused by defusedxml) and malformed addresses or ports (naming
    the host by its number in the file and the attribute).
    """
    root: Element | None = None
    hosts = 0
    try:
        for event, elem in iterparse(str(path), events=("start", "end")):
            if root is None:
                root = elem
                if elem.tag != "nmaprun":
                    raise FormatError(
                        _("not nmap XML: root element <{tag}>").format(tag=elem.tag),
                        path=str(path),
                        line=1,
                    )
                continue
            if event == "end" and elem.tag == "host":
                hosts += 1
                obs = _host(elem, source, site, path, f"host {hosts}")
                root.clear()
                if obs is not None:
                    yield obs
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise FormatError(
            _("malformed or truncated XML: {exc}").format(exc=exc), path=str(path), line=line
        ) from exc
    except DefusedXmlException as exc:
        raise FormatError(
            _("XML with a DTD entity or external reference, refused ({name})").format(
                name=type(exc).__name__
            ),
            path=str(path),
        ) from exc
