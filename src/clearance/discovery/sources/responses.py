"""Evidence from raw protocol responses captured by scanners (nmap fingerprint-strings,
masscan banners): HTTP and RTSP headers, HTML titles, SSH and telnet banners."""

from __future__ import annotations

import html
import re

from clearance.model import Evidence

__all__ = ["banner_evidence", "response_evidence", "title_of"]

_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_HEADER = re.compile(r"^([A-Za-z][A-Za-z0-9-]*):[ \t]*(.*?)\s*$")
_MAX_BANNER = 512
_REALM = re.compile(r'realm="([^"]*)"', re.IGNORECASE)


def title_of(text: str) -> str | None:
    """The HTML title in ``text``, unescaped and with spacing collapsed."""
    found = _TITLE.search(text)
    if found is None:
        return None
    title = " ".join(html.unescape(found.group(1)).split())
    return title or None


def response_evidence(text: str) -> list[Evidence]:
    """Evidence read from one raw response (nmap's escaped ``\\r\\n`` and the indentation of
    its fingerprint-strings are understood). Unparsed text becomes a banner when short."""
    if "\\r\\n" in text or "\\n" in text:
        text = text.replace("\\r", "\r").replace("\\n", "\n").replace('\\"', '"')
    lines = [line.strip() for line in text.strip().replace("\r\n", "\n").split("\n")]
    first = lines[0] if lines else ""
    if first.startswith("SSH-"):
        return [Evidence("banner", first)]
    if not first.upper().startswith(("HTTP/", "RTSP/")):
        banner = text.strip()
        if not banner or banner.startswith("<") or len(banner) > _MAX_BANNER:
            return []
        return [Evidence("banner", banner)]
    protocol = "rtsp" if first.upper().startswith("RTSP/") else "http"
    found: list[Evidence] = []
    for line in lines[1:]:
        header = _HEADER.match(line)
        if header is None:
            break
        name, value = header.group(1).lower(), header.group(2)
        if name == "server":
            found.append(Evidence(f"{protocol}_server", value))
        elif name == "www-authenticate":
            if protocol == "rtsp":
                realm = _REALM.search(value)
                found.append(Evidence("rtsp_realm", realm.group(1) if realm else value))
            else:
                found.append(Evidence("www_authenticate", value))
    if protocol == "http":
        title = title_of(text)
        if title is not None:
            found.append(Evidence("http_title", title))
    return found


#: masscan banner names whose value is already one header or title.
_MASSCAN_FIELDS = {"http.server": "http_server", "title": "http_title", "html.title": "http_title"}


def banner_evidence(banner: str, name: str = "") -> list[Evidence]:
    """Evidence from a scanner banner; ``name`` is the scanner's label for it (masscan's
    ``http.server`` or ``title``, nmap's service name), raw responses are parsed."""
    text = banner.strip()
    if not text:
        return []
    kind = _MASSCAN_FIELDS.get(name.lower())
    if kind is not None:
        return [Evidence(kind, text)]
    return response_evidence(text)
