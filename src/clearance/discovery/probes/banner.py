"""TCP banners: connect and read what the service says first (SSH, telnet, vendor ports).

Ports 8000 (Hikvision SDK) and 37777 (Dahua DVRIP) wait for the client to speak; the probe
does not log in or send vendor commands, so for them an open port is all it learns.
"""

from __future__ import annotations

import asyncio

from clearance.discovery.probes.base import ProbeContext, ProbeResult

__all__ = ["BANNER_WAIT", "probe"]

BANNER_WAIT = 0.5  # seconds to wait for a service that speaks first, at most


async def probe(host: str, ctx: ProbeContext, port: int) -> ProbeResult | None:
    """Connect to ``host:port`` and read up to 512 bytes; ``None`` when the port is closed."""
    async with ctx.transport.tcp(host, port, ctx.timeouts.connect) as stream:
        if stream is None:
            return None
        result = ProbeResult("banner", port)
        try:
            data = await asyncio.wait_for(
                stream.reader.read(512), min(ctx.timeouts.read, BANNER_WAIT)
            )
        except (OSError, TimeoutError):
            data = b""
        text = data.decode("utf-8", "replace").strip("\x00").strip()
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        if text and printable >= 0.9 * len(text):
            result.add("banner", text.splitlines()[0] if text.startswith("SSH-") else text)
        return result
