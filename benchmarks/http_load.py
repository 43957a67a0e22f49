"""A load generator that costs little CPU: raw HTTP/1.1 over persistent asyncio connections.

Each connection sends one prepared request at a time (closed loop) and reads the answer by its
``content-length``; the latency of each request and the count of non-200 answers are kept.
Used by ``benchmarks/server.py``, whose client shares the machine's cores with the server.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["LoadResult", "percentile", "post_request", "run_load"]


def post_request(host: str, port: int, path: str, payload: Any) -> bytes:
    """The bytes of a ``POST path`` with ``payload`` as its JSON body, keep-alive."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nhost: {host}:{port}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


@dataclass
class LoadResult:
    """What one run measured: latencies (s) of the answered requests, errors, wall time,
    the client's own CPU time, and the size of the bodies read."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    client_cpu: float = 0.0
    body_bytes: int = 0
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0..1) of sorted ``values`` (nearest rank), 0 for none."""
    if not values:
        return 0.0
    return values[min(len(values) - 1, max(0, round(q * len(values)) - 1))]


async def _answer(reader: asyncio.StreamReader) -> tuple[int, int, bool]:
    """Read one response: its status, body length and whether the server closes."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    close = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection" and value.strip().lower() == b"close":
            close = True
        elif name == b"transfer-encoding":
            raise ValueError("chunked answers are not read by this client")
    if length:
        await reader.readexactly(length)
    return status, length, close


async def _connection(
    host: str, port: int, requests: Iterator[bytes], stop_at: float, out: LoadResult
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    clock = time.perf_counter
    try:
        while clock() < stop_at:
            request = next(requests)
            start = clock()
            writer.write(request)
            try:
                status, length, close = await _answer(reader)
            except (asyncio.IncompleteReadError, ConnectionError):
                out.errors += 1
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            out.latencies.append(clock() - start)
            out.body_bytes += length
            out.statuses[status] = out.statuses.get(status, 0) + 1
            if status != 200:
                out.errors += 1
            if close:
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
    finally:
        writer.close()


async def _run(
    host: str, port: int, requests: Sequence[bytes], connections: int, seconds: float
) -> LoadResult:
    out = LoadResult()
    shared = itertools.cycle(requests)  # one stream of requests shared by the connections
    cpu = time.process_time()
    start = time.perf_counter()
    stop_at = start + seconds
    await asyncio.gather(
        *(_connection(host, port, shared, stop_at, out) for _ in range(connections))
    )
    out.seconds = time.perf_counter() - start
    out.client_cpu = time.process_time() - cpu
    out.latencies.sort()
    return out


def run_load(
    host: str, port: int, requests: Sequence[bytes], *, connections: int, seconds: float
) -> LoadResult:
    """Send ``requests`` (cycled) over ``connections`` keep-alive connections for
    ``seconds``; each connection waits for an answer before it sends again."""
    return asyncio.run(_run(host, port, requests, connections, seconds))
