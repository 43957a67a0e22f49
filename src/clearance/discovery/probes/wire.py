"""A minimal HTTP/1.1 and RTSP/1.0 client over the probe transport.

Header names keep their case (Dahua firmware answers ``CONTENT-LENGTH:``; that is evidence),
bodies are capped, and every read is bounded by the context's timeouts.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from clearance.discovery.probes.base import ProbeContext, TransportStream

__all__ = ["MAX_BODY", "Reply", "http_request", "read_reply", "rtsp_exchange"]

MAX_BODY = 256 * 1024
_MAX_HEAD = 16 * 1024


@dataclass(slots=True)
class Reply:
    """A parsed HTTP or RTSP reply; ``headers`` keep their order and original case."""

    protocol: str
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    peer_cert: bytes | None = None  # DER of the server certificate (HTTPS only)

    def header(self, name: str) -> str | None:
        """The first header called ``name`` (case-insensitive)."""
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value
        return None


def _parse_head(head: bytes) -> Reply | None:
    lines = head.decode("iso-8859-1").split("\r\n")
    status_line = lines[0].split(" ", 2)
    if len(status_line) < 2 or not status_line[1].isdigit():
        return None
    reply = Reply(status_line[0], int(status_line[1]))
    for line in lines[1:]:
        if ":" in line:
            key, value = line.split(":", 1)
            reply.headers.append((key.strip(), value.strip()))
    return reply


async def read_reply(stream: TransportStream, timeout: float, *, until_eof: bool) -> Reply | None:
    """Read one reply: head, then ``Content-Length`` bytes (or up to EOF when allowed)."""
    try:
        head = await asyncio.wait_for(stream.reader.readuntil(b"\r\n\r\n"), timeout)
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, OSError, TimeoutError):
        return None
    if len(head) > _MAX_HEAD:
        return None
    reply = _parse_head(head[:-4])
    if reply is None:
        return None
    length_text = reply.header("Content-Length")
    try:
        if length_text is not None and length_text.strip().isdigit():
            wanted = min(int(length_text), MAX_BODY)
            reply.body = await asyncio.wait_for(stream.reader.readexactly(wanted), timeout)
        elif until_eof:
            reply.body = await asyncio.wait_for(stream.reader.read(MAX_BODY), timeout)
    except asyncio.IncompleteReadError as exc:
        reply.body = exc.partial
    except (OSError, TimeoutError):
        pass
    return reply


async def http_request(
    ctx: ProbeContext,
    host: str,
    port: int,
    path: str,
    *,
    method: str = "GET",
    tls: bool = False,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Reply | None:
    """One request on its own connection (``Connection: close``); ``None`` if nothing answered."""
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: {host}" if port in (80, 443) else f"Host: {host}:{port}",
        "User-Agent: clearance-discovery/1",
        "Accept: */*",
        "Connection: close",
    ]
    for key, value in (headers or {}).items():
        lines.append(f"{key}: {value}")
    if body is not None:
        lines.append(f"Content-Length: {len(body)}")
    request = ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")
    async with ctx.transport.tcp(
        host, port, ctx.timeouts.connect, ctx.tls if tls else None
    ) as stream:
        if stream is None:
            return None
        try:
            stream.writer.write(request)
            await asyncio.wait_for(stream.writer.drain(), ctx.timeouts.read)
        except (OSError, TimeoutError):
            return None
        reply = await read_reply(stream, ctx.timeouts.read, until_eof=True)
        if reply is not None and tls:
            ssl_object = stream.writer.get_extra_info("ssl_object")
            if ssl_object is not None:
                reply.peer_cert = ssl_object.getpeercert(binary_form=True)
        return reply


async def rtsp_exchange(
    ctx: ProbeContext, host: str, port: int, requests: list[tuple[str, str]]
) -> list[Reply]:
    """Send RTSP requests ``(method, url)`` one after another on one connection."""
    replies: list[Reply] = []
    async with ctx.transport.tcp(host, port, ctx.timeouts.connect) as stream:
        if stream is None:
            return replies
        for cseq, (method, url) in enumerate(requests, start=1):
            extra = "Accept: application/sdp\r\n" if method == "DESCRIBE" else ""
            message = (
                f"{method} {url} RTSP/1.0\r\nCSeq: {cseq}\r\n"
                f"User-Agent: clearance-discovery/1\r\n{extra}\r\n"
            )
            try:
                stream.writer.write(message.encode())
                await asyncio.wait_for(stream.writer.drain(), ctx.timeouts.read)
            except (OSError, TimeoutError):
                break
            reply = await read_reply(stream, ctx.timeouts.read, until_eof=False)
            if reply is None:
                break
            replies.append(reply)
    return replies
