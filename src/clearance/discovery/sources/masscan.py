"""masscan output: JSON (``-oJ``, also ndjson ``-oD``), list (``-oL``) and XML (``-oX``).

masscan writes one record per open port and one per banner; records of a host are merged
into one observation within a bounded window (see :mod:`.merge`). JSON is decoded object by
object from a buffered stream, so a 1 GB file never sits in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from clearance.discovery.sources.merge import HostMerger
from clearance.discovery.sources.nmap_xml import read_nmap_xml
from clearance.discovery.sources.responses import banner_evidence
from clearance.discovery.sources.values import checked_ip, checked_port
from clearance.errors import FormatError
from clearance.i18n import gettext as _
from clearance.model import Evidence, Observation
from clearance.textio import open_text, text_lines

__all__ = ["read_masscan_json", "read_masscan_list", "read_masscan_xml"]

_CHUNK = 1 << 16
_SKIP = " \t\r\n,[]"


def _port_evidence(port: dict[str, Any]) -> list[Evidence]:
    service = port.get("service")
    if not isinstance(service, dict):
        return []
    return banner_evidence(str(service.get("banner") or ""), str(service.get("name") or ""))


def _json_objects(path: Path) -> Iterator[tuple[int, Any]]:
    """``(line, object)`` for each top-level object of a JSON array or of JSON lines."""
    decoder = json.JSONDecoder()
    with open_text(path) as fh:
        buf = ""
        line = 1
        eof = False
        while True:
            stripped = buf.lstrip(_SKIP)
            line += buf.count("\n", 0, len(buf) - len(stripped))
            buf = stripped
            if not buf:
                if eof:
                    return
                chunk = fh.read(_CHUNK)
                eof = not chunk
                buf = chunk
                continue
            try:
                obj, end = decoder.raw_decode(buf)
            except json.JSONDecodeError as exc:
                if not eof:
                    chunk = fh.read(_CHUNK)
                    eof = not chunk
                    buf += chunk
                    continue
                raise FormatError(
                    _("malformed or truncated JSON: {msg}").format(msg=exc.msg),
                    path=str(path),
                    line=line + buf.count("\n", 0, exc.pos),
                ) from exc
            yield line, obj
            line += buf.count("\n", 0, end)
            buf = buf[end:]


def read_masscan_json(path: Path, site: str | None = None) -> Iterator[Observation]:
    """Observations from masscan JSON (array or one object per line)."""
    merger = HostMerger("masscan", site)
    for line, obj in _json_objects(path):
        if not isinstance(obj, dict) or "ip" not in obj:
            raise FormatError(
                _("a masscan record needs an ip"), path=str(path), line=line, field="ip"
            )
        ip = checked_ip(str(obj["ip"]), path, "ip", line=line)
        ports = obj.get("ports") or []
        if not isinstance(ports, list):
            raise FormatError(_("ports must be a list"), path=str(path), line=line, field="ports")
        for port in ports:
            if not isinstance(port, dict):
                continue
            record = {"port": port.get("port"), "protocol": port.get("proto")}
            yield from merger.add(ip, _port_evidence(port), record)
        if not ports:
            yield from merger.add(ip, [])
    yield from merger.flush()


def read_masscan_list(path: Path, site: str | None = None) -> Iterator[Observation]:
    """Observations from masscan's list format (``open tcp 80 10.0.0.1 1700000000``)."""
    merger = HostMerger("masscan", site)
    for number, line in text_lines(path):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split(" ", 6)
        if parts[0] == "open" and len(parts) >= 4:
            checked_port(parts[2], path, "port", line=number)
            record = {"port": parts[2], "protocol": parts[1]}
            yield from merger.add(checked_ip(parts[3], path, "ip", line=number), [], record)
        elif parts[0] == "banner" and len(parts) >= 7:
            ip = checked_ip(parts[3], path, "ip", line=number)
            yield from merger.add(ip, banner_evidence(_unescape(parts[6]), parts[5]))
        elif parts[0] != "closed":
            raise FormatError(
                _("not a masscan list line (open|banner|closed proto port ip time …)"),
                path=str(path),
                line=number,
            )
    yield from merger.flush()


def _unescape(text: str) -> str:
    """masscan writes control characters in banners as ``\\xNN``."""
    if "\\x" not in text:
        return text
    return text.encode("latin-1", "backslashreplace").decode("unicode_escape", "replace")


def read_masscan_xml(path: Path, site: str | None = None) -> Iterator[Observation]:
    """Observations from masscan XML (nmap-shaped, one ``<host>`` per port): merged per host."""
    merger = HostMerger("masscan", site)
    for obs in read_nmap_xml(path, site, source="masscan"):
        if obs.ip is None:
            continue
        ports = obs.record.get("ports", []) if obs.record else []
        yield from merger.add(obs.ip, obs.evidence, ports[0] if ports else None)
    yield from merger.flush()
