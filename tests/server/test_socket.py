"""The listening socket of :func:`clearance.server.running.bind`: connections accepted on it
send small writes at once (Nagle's algorithm off), so an answer written as headers then body
does not wait for the client's delayed ACK (about 40 ms a request before)."""

from __future__ import annotations

import asyncio
import errno
import socket

import pytest

from clearance.errors import OperationalError
from clearance.server.running import bind, serve
from clearance.server.state import ServerState


@pytest.mark.network
def test_accepted_connections_have_nagle_off() -> None:
    async def accepted_nodelay() -> int:
        sock = bind("127.0.0.1", 0)
        seen: asyncio.Queue[int] = asyncio.Queue()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                accepted = transport.get_extra_info("socket")
                seen.put_nowait(accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Probe, sock=sock)
        try:
            _reader, writer = await asyncio.open_connection(*sock.getsockname()[:2])
            value = await asyncio.wait_for(seen.get(), 10)
            writer.close()
            return value
        finally:
            server.close()
            await server.wait_closed()

    assert asyncio.run(accepted_nodelay()) != 0


@pytest.mark.network
def test_a_port_in_use_is_refused_with_a_message() -> None:
    with bind("127.0.0.1", 0) as held:
        port = int(held.getsockname()[1])
        with pytest.raises(OSError, match="in use") as raised:
            bind("127.0.0.1", port)
        assert raised.value.errno == errno.EADDRINUSE
        with pytest.raises(OperationalError, match=f"127.0.0.1:{port}: Address already in use"):
            serve(_never_loaded, host="127.0.0.1", port=port, workers=2)


def _never_loaded() -> ServerState:
    raise AssertionError("serve loads nothing when it cannot listen")
