"""Only in-scope hosts are contacted, even when a device points elsewhere; packets are counted."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator

from clearance.discovery.identify import DeviceIdentifier
from clearance.discovery.probes import onvif
from clearance.discovery.probes.base import TransportStream
from clearance.discovery.ratelimit import RateLimitedTransport, TokenBucket
from clearance.discovery.scanner import PortPlan, ScanOptions, scan
from clearance.discovery.targets import build_scope
from clearance.registry import Registry

_MATCH = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" '
    b'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><e:Body><d:ProbeMatches>'
    b"<d:ProbeMatch><d:Types>dn:NetworkVideoTransmitter</d:Types>"
    b"<d:Scopes>onvif://www.onvif.org/name/HIKVISION "
    b"onvif://www.onvif.org/hardware/DS-2CD2143G2-I</d:Scopes>"
    b"<d:XAddrs>http://10.9.9.9/onvif/device_service</d:XAddrs>"
    b"</d:ProbeMatch></d:ProbeMatches></e:Body></e:Envelope>"
)


class FakeTransport:
    """Answers WS-Discovery with a ProbeMatch that points at another host; records calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, int]] = []

    @contextlib.asynccontextmanager
    async def tcp(
        self, host: str, port: int, timeout: float, tls: ssl.SSLContext | None = None
    ) -> AsyncIterator[TransportStream | None]:
        self.calls.append(("tcp", host, port))
        yield None

    async def udp(self, host: str, port: int, payload: bytes, timeout: float) -> bytes | None:
        self.calls.append(("udp", host, port))
        if port == onvif.WSD_PORT:
            return _MATCH
        raise ConnectionRefusedError


def test_probes_stay_in_scope_and_are_counted(seed: Registry) -> None:
    fake = FakeTransport()
    scope = build_scope(["192.168.50.8-9"])
    options = ScanOptions(ports=PortPlan.parse("wsd:3702,http:80,sadp:37020"), retries=0)

    async def run() -> list[str | None]:
        identify = DeviceIdentifier(seed).identify
        return [a.model async for a in scan(scope, options, identify, transport=fake)]

    models = asyncio.run(run())
    assert models == ["DS-2CD2143G2-I", "DS-2CD2143G2-I"]
    assert {host for _, host, _ in fake.calls} == {"192.168.50.8", "192.168.50.9"}
    assert len(fake.calls) == 6  # three probes per host, nothing to 10.9.9.9


def test_rate_limited_transport_spends_one_token_per_packet() -> None:
    fake = FakeTransport()
    limited = RateLimitedTransport(fake, TokenBucket(rate=1000, burst=10))

    async def run() -> None:
        await limited.udp("192.168.50.8", onvif.WSD_PORT, b"x", 0.1)
        async with limited.tcp("192.168.50.8", 80, 0.1) as stream:
            assert stream is None

    asyncio.run(run())
    assert limited.sent == 2
    assert len(fake.calls) == 2
