"""Spreading connections over forked workers: the least busy worker accepts.

The workers share one listening socket. Left to itself, asyncio accepts every waiting
connection (up to its backlog) each time the socket is readable, so the first worker awake
took all of a client's keep-alive connections at once and the others idled; one socket per
worker (``SO_REUSEPORT``) spreads them by a hash instead, which left a worker idle for about
one client in six with four connections. Here each worker's listening socket is a
:class:`BalancedListener`: it accepts only while its worker has no more open connections than
the least busy worker (their counts sit in memory shared since the fork), and otherwise lets
the others take the connection, for at most :data:`WAIT_LIMIT` seconds (a worker busy on a long
request, or gone, does not hold a connection back longer than that).
"""

from __future__ import annotations

import mmap
import socket
import struct
import time
from typing import Any

__all__ = ["GONE", "WAIT_LIMIT", "BalancedListener", "ConnectionCounts"]

#: How long a worker lets less busy ones take a waiting connection before it takes it itself.
WAIT_LIMIT = 0.005
#: How long a worker that lets a connection go rests before the socket wakes it again.
_REST = 0.0002
#: Declines further apart than this are about different connections.
_EPISODE_GAP = 0.05
#: The count of a worker that has exited: never the least busy.
GONE = 1 << 62


class ConnectionCounts:
    """Open connections per worker, in an anonymous shared mapping made before the fork:
    each worker writes its own slot only, and reads the others'."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._memory = mmap.mmap(-1, 8 * workers)

    def __getitem__(self, index: int) -> int:
        return int(struct.unpack_from("q", self._memory, 8 * index)[0])

    def add(self, index: int, change: int) -> None:
        struct.pack_into("q", self._memory, 8 * index, self[index] + change)

    def gone(self, index: int) -> None:
        """Worker ``index`` has exited (written by the parent): the others stop leaving
        connections to it."""
        struct.pack_into("q", self._memory, 8 * index, GONE)

    def least(self) -> int:
        return min(self[i] for i in range(self.workers))


class _CountedConnection(socket.socket):
    """An accepted connection that takes itself off its worker's count when closed."""

    _counts: ConnectionCounts | None = None
    _index = 0

    def close(self) -> None:
        counts, self._counts = self._counts, None
        if counts is not None:
            counts.add(self._index, -1)
        super().close()


class BalancedListener(socket.socket):
    """Worker ``index``'s view of the shared listening socket (see the module's text)."""

    def __init__(self, listening: socket.socket, counts: ConnectionCounts, index: int) -> None:
        super().__init__(
            listening.family, listening.type, listening.proto, fileno=listening.detach()
        )
        self._counts = counts
        self._index = index
        self._waiting_since = 0.0  # when this worker began letting a connection go
        self._last_declined = float("-inf")

    def accept(self) -> tuple[socket.socket, Any]:
        counts, index = self._counts, self._index
        if counts[index] > counts.least():
            now = time.monotonic()
            if now - self._last_declined > _EPISODE_GAP:  # a new connection waits
                self._waiting_since = now
            if now - self._waiting_since < WAIT_LIMIT:
                self._last_declined = now
                time.sleep(_REST)
                raise BlockingIOError("a less busy worker takes this connection")
        fd, address = self._accept()  # type: ignore[attr-defined]
        conn = _CountedConnection(self.family, self.type, self.proto, fileno=fd)
        if socket.getdefaulttimeout() is None and self.gettimeout():
            conn.setblocking(True)  # as socket.accept leaves it
        conn._counts, conn._index = counts, index
        counts.add(index, 1)
        return conn, address
