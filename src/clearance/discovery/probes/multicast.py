"""Multicast discovery, offered only behind an explicit flag (never in tests or benchmarks).

A multicast probe reaches every device on the link, not only the targets the user named, so
the scanner drops answers from outside the scope before it reports anything.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable

from clearance.discovery.probes.base import ProbeResult

__all__ = ["multicast_collect"]


class _Collector(asyncio.DatagramProtocol):
    def __init__(self, on_reply: Callable[[str, bytes], None]) -> None:
        self.on_reply = on_reply

    def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        self.on_reply(str(addr[0]), data)


async def multicast_collect(
    payload: bytes,
    group: str,
    port: int,
    wait: float,
    parse: Callable[[bytes], ProbeResult | None],
) -> dict[str, ProbeResult]:
    """Send ``payload`` once to ``group:port`` and parse every answer for ``wait`` seconds."""
    loop = asyncio.get_running_loop()
    found: dict[str, ProbeResult] = {}

    def on_reply(ip: str, data: bytes) -> None:
        result = parse(data)
        if result is not None:
            found[ip] = result

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
    sock.bind(("0.0.0.0", 0))  # noqa: S104 - answers come from any device on the link
    transport, _ = await loop.create_datagram_endpoint(lambda: _Collector(on_reply), sock=sock)
    try:
        transport.sendto(payload, (group, port))
        await asyncio.sleep(wait)
    finally:
        transport.close()
    return found
