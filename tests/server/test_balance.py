"""Forked workers sharing one listening socket: the least busy accepts
(:mod:`clearance.server.balance`). Two workers are played here by two listeners on duplicates
of one socket, asked in turn as their event loops would ask them."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from clearance.server.balance import GONE, BalancedListener, ConnectionCounts
from clearance.server.running import bind


@pytest.fixture
def pair() -> Iterator[tuple[int, ConnectionCounts, list[BalancedListener]]]:
    sock = bind("127.0.0.1", 0)
    port = int(sock.getsockname()[1])
    counts = ConnectionCounts(2)
    listeners = [BalancedListener(sock.dup(), counts, i) for i in range(2)]
    sock.close()
    for listener in listeners:
        listener.setblocking(False)
    yield port, counts, listeners
    for listener in listeners:
        listener.close()


def _take(listener: BalancedListener) -> socket.socket | None:
    try:
        return listener.accept()[0]
    except BlockingIOError:
        return None


@pytest.mark.network
def test_waiting_connections_are_shared_out_evenly(
    pair: tuple[int, ConnectionCounts, list[BalancedListener]],
) -> None:
    # four keep-alive connections arrive at once; each worker, when asked, accepts until
    # it is refused, as asyncio's accept loop does (on a plain socket, worker 0 took all
    # four and worker 1 idled)
    port, counts, listeners = pair
    clients = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(4)]
    taken: list[list[socket.socket]] = [[], []]
    for _ in range(3):
        for index, listener in enumerate(listeners):
            while (conn := _take(listener)) is not None:
                taken[index].append(conn)
    assert [len(t) for t in taken] == [2, 2]
    assert (counts[0], counts[1]) == (2, 2)
    taken[1][0].close()  # a connection ends: its worker's count goes down once
    taken[1][0].close()
    assert (counts[0], counts[1]) == (2, 1)
    late = socket.create_connection(("127.0.0.1", port), timeout=5)
    assert _take(listeners[0]) is None  # worker 1 is less busy now: it takes the next one
    conn = _take(listeners[1])
    assert conn is not None
    for c in [*taken[0], *taken[1], conn, late, *clients]:
        c.close()


@pytest.mark.network
def test_a_busy_or_gone_worker_does_not_hold_a_connection_back(
    pair: tuple[int, ConnectionCounts, list[BalancedListener]],
) -> None:
    port, counts, listeners = pair
    clients = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(2)]
    first = _take(listeners[0])
    assert first is not None
    # worker 1 never asks (busy on a long request): worker 0 takes the next one itself
    # after letting it wait WAIT_LIMIT at most
    declined = 0
    second = None
    while second is None:
        second = _take(listeners[0])
        declined += second is None
    assert declined >= 1  # it let the connection wait (WAIT_LIMIT at most) first
    assert counts[0] == 2
    counts.gone(1)  # worker 1 exits: worker 0 takes connections at once
    assert counts[1] == GONE
    third_client = socket.create_connection(("127.0.0.1", port), timeout=5)
    third = _take(listeners[0])
    assert third is not None
    for c in [first, second, third, third_client, *clients]:
        c.close()
