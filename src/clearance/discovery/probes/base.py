"""What every probe shares: timeouts, the transport all I/O goes through, and the result record.

Probes never open sockets themselves: they call a :class:`Transport`, so the scanner can wrap
it with a rate limit and tests can swap in a recording transport (the scope guard test asserts
that nothing reached it).
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Protocol

from clearance.model import Evidence

__all__ = [
    "AsyncioTransport",
    "ProbeContext",
    "ProbeResult",
    "Timeouts",
    "Transport",
    "TransportStream",
    "insecure_tls_context",
]


@dataclass(slots=True, frozen=True)
class Timeouts:
    """Seconds allowed for each step of a probe.

    Attributes:
        connect: to open a TCP connection (or finish a TLS handshake).
        read: to read a whole reply once connected.
        udp: to wait for a datagram reply after each send.
    """

    connect: float = 1.0
    read: float = 2.0
    udp: float = 1.0

    @classmethod
    def of(cls, seconds: float) -> Timeouts:
        """One budget ``seconds`` for every step (connect and UDP get the whole budget)."""
        return cls(connect=seconds, read=seconds, udp=seconds)


@dataclass(slots=True)
class ProbeResult:
    """What one probe learnt from one device on one port.

    ``facts`` use the keys of :class:`clearance.model.Observation` (make, brand, model,
    firmware, serial, device_type); ``evidence`` kinds are the shared vocabulary (sadp, dhip,
    onvif, http_server, http_title, favicon, tls_subject, rtsp_server, rtsp_realm,
    www_authenticate, banner, snmp_sysdescr, snmp_object_id, mac).
    """

    probe: str
    port: int
    facts: dict[str, str] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    mac: str | None = None

    def add(self, kind: str, value: str | None) -> None:
        """Record evidence ``kind`` = ``value`` (ignored when empty); rule names the probe."""
        if value:
            self.evidence.append(Evidence(kind, value.strip()[:500], f"probe:{self.probe}"))

    def fact(self, key: str, value: str | None) -> None:
        """Set fact ``key`` unless ``value`` is empty or a placeholder."""
        if value is None:
            return
        text = value.strip()
        if text and text.upper() not in {"N/A", "NA", "NONE", "UNKNOWN", "-"}:
            self.facts.setdefault(key, text)


class TransportStream(Protocol):
    """The part of an asyncio stream pair a probe needs."""

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter


@dataclass(slots=True)
class _Stream:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter


class Transport(Protocol):
    """Every packet a probe sends goes through one of these two calls."""

    def tcp(
        self, host: str, port: int, timeout: float, tls: ssl.SSLContext | None = None
    ) -> contextlib.AbstractAsyncContextManager[TransportStream | None]:
        """An open connection, or ``None`` when refused or timed out."""
        ...

    async def udp(self, host: str, port: int, payload: bytes, timeout: float) -> bytes | None:
        """Send one datagram and return the first reply, or ``None`` after ``timeout``.

        Raises:
            ConnectionRefusedError: the host said nothing listens on that port.
        """
        ...


class _DatagramCatcher(asyncio.DatagramProtocol):
    def __init__(self, waiter: asyncio.Future[bytes | None]) -> None:
        self.waiter = waiter

    def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        if not self.waiter.done():
            self.waiter.set_result(data)

    def error_received(self, exc: Exception) -> None:
        # ICMP port unreachable on a connected socket: nobody listens there.
        if not self.waiter.done():
            self.waiter.set_exception(ConnectionRefusedError(str(exc)))


class AsyncioTransport:
    """The real transport: asyncio streams and connected UDP sockets."""

    @contextlib.asynccontextmanager
    async def tcp(
        self, host: str, port: int, timeout: float, tls: ssl.SSLContext | None = None
    ) -> AsyncIterator[TransportStream | None]:
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(host, port, ssl=tls, server_hostname="" if tls else None),
                timeout,
            )
        except (OSError, TimeoutError, ssl.SSLError):
            yield None
            return
        try:
            yield _Stream(reader, writer)
        finally:
            writer.close()
            with contextlib.suppress(OSError, TimeoutError, ssl.SSLError):
                await asyncio.wait_for(writer.wait_closed(), 0.5)

    async def udp(self, host: str, port: int, payload: bytes, timeout: float) -> bytes | None:
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[bytes | None] = loop.create_future()
        try:
            transport, _ = await loop.create_datagram_endpoint(
                lambda: _DatagramCatcher(waiter), remote_addr=(host, port)
            )
        except OSError:
            return None
        try:
            transport.sendto(payload)
            return await asyncio.wait_for(waiter, timeout)
        except ConnectionRefusedError:
            raise
        except (OSError, TimeoutError):
            return None
        finally:
            transport.close()


def insecure_tls_context() -> ssl.SSLContext:
    """A client TLS context that accepts any certificate: we read it, we do not trust it."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


@dataclass(slots=True)
class ProbeContext:
    """What a probe runs with: the transport, timeouts, retries and user-supplied settings."""

    transport: Transport = field(default_factory=AsyncioTransport)
    timeouts: Timeouts = field(default_factory=Timeouts)
    retries: int = 1
    communities: tuple[str, ...] = ()  # SNMP v1/v2c read communities; none: no SNMP
    tls: ssl.SSLContext = field(default_factory=insecure_tls_context)

    async def udp(self, host: str, port: int, payload: bytes) -> bytes | None:
        """Send ``payload`` and wait for a reply, resending up to ``retries`` times on timeout."""
        for _ in range(self.retries + 1):
            try:
                reply = await self.transport.udp(host, port, payload, self.timeouts.udp)
            except ConnectionRefusedError:
                return None
            if reply is not None:
                return reply
        return None
