"""RTSP OPTIONS and DESCRIBE: the ``Server`` header and the authentication realm.

Dahua firmware names itself (``Server: Dahua Rtsp Server``); Hikvision firmware is quiet in
OPTIONS but its DESCRIBE challenge carries ``realm="IP Camera(…)"`` or ``realm="Hikvision"``.
"""

from __future__ import annotations

import re

from clearance.discovery.probes.base import ProbeContext, ProbeResult
from clearance.discovery.probes.wire import rtsp_exchange

__all__ = ["RTSP_PORT", "probe", "realm_of"]

RTSP_PORT = 554
_REALM = re.compile(r'realm="([^"]*)"', re.IGNORECASE)


def realm_of(challenge: str | None) -> str | None:
    """The ``realm`` of a ``WWW-Authenticate`` challenge."""
    match = _REALM.search(challenge or "")
    return match.group(1) if match else None


async def probe(host: str, ctx: ProbeContext, port: int = RTSP_PORT) -> ProbeResult | None:
    """OPTIONS then DESCRIBE on one connection; ``None`` if nothing speaks RTSP there."""
    url = f"rtsp://{host}:{port}/"
    replies = await rtsp_exchange(ctx, host, port, [("OPTIONS", url), ("DESCRIBE", url)])
    replies = [r for r in replies if r.protocol.upper().startswith("RTSP/")]
    if not replies:
        return None
    result = ProbeResult("rtsp", port)
    for reply in replies:
        result.add("rtsp_server", reply.header("Server"))
        challenge = reply.header("WWW-Authenticate")
        result.add("rtsp_realm", realm_of(challenge))
    return result
