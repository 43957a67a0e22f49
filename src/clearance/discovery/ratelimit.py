"""A token bucket and a transport that spends one token per packet it starts.

"Packet" here means a TCP connection attempt or a UDP datagram sent: what a network
defender counts as a probe. Bytes inside an open connection are not limited.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from collections.abc import AsyncIterator

from clearance.discovery.probes.base import Transport, TransportStream

__all__ = ["RateLimitedTransport", "TokenBucket"]


class TokenBucket:
    """``rate`` tokens per second, up to ``burst`` saved; :meth:`take` waits for one."""

    def __init__(self, rate: float, burst: int | None = None) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.capacity = float(burst if burst is not None else max(1, int(rate / 10)))
        self.tokens = self.capacity
        self.stamp = time.monotonic()
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    async def take(self) -> None:
        async with self._lock:
            self._refill()
            while self.tokens < 1:
                await asyncio.sleep((1 - self.tokens) / self.rate)
                self._refill()
            self.tokens -= 1


class RateLimitedTransport:
    """Wraps a transport; every connection attempt and datagram waits for a token."""

    def __init__(self, inner: Transport, bucket: TokenBucket) -> None:
        self.inner = inner
        self.bucket = bucket
        self.sent = 0

    @contextlib.asynccontextmanager
    async def tcp(
        self, host: str, port: int, timeout: float, tls: ssl.SSLContext | None = None
    ) -> AsyncIterator[TransportStream | None]:
        await self.bucket.take()
        self.sent += 1
        async with self.inner.tcp(host, port, timeout, tls) as stream:
            yield stream

    async def udp(self, host: str, port: int, payload: bytes, timeout: float) -> bytes | None:
        await self.bucket.take()
        self.sent += 1
        return await self.inner.udp(host, port, payload, timeout)
