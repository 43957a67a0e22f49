"""The listening socket of :func:`clearance.server.running.bind`: connections accepted on it
send small writes at once (Nagle's algorithm off), so an answer written as headers then body
does not wait for the client's delayed ACK (about 40 ms a request before)."""

from __future__ import annotations

import asyncio
import errno
import socket

import pytest

from clearance.errors import OperationalError
from clearance.server.running import bind, bind_group, serve
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
def test_a_group_spreads_connections_over_its_sockets() -> None:
    # one socket per worker on one port: connections reach every worker, not the first
    # awake (on one shared socket, asyncio's accept loop took every waiting connection)
    group = bind_group("127.0.0.1", 0, 2)
    try:
        ports = {int(sock.getsockname()[1]) for sock in group}
        assert len(ports) == 1
        port = ports.pop()
        clients = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(64)]
        accepted = []
        for sock in group:
            sock.setblocking(False)
            count = 0
            while True:
                try:
                    conn, _addr = sock.accept()
                except BlockingIOError:
                    break
                conn.close()
                count += 1
            accepted.append(count)
        for client in clients:
            client.close()
        assert sum(accepted) == 64
        assert all(count > 0 for count in accepted)  # all on one socket: 2 in 10**19
    finally:
        for sock in group:
            sock.close()


@pytest.mark.network
@pytest.mark.parametrize("holder", ["bind", "group"])
def test_a_group_refuses_a_port_another_server_holds(holder: str) -> None:
    held = [bind("127.0.0.1", 0)] if holder == "bind" else bind_group("127.0.0.1", 0, 2)
    port = int(held[0].getsockname()[1])
    try:
        with pytest.raises(OSError, match="in use") as raised:
            bind_group("127.0.0.1", port, 2)
        assert raised.value.errno == errno.EADDRINUSE
        with pytest.raises(OperationalError, match=f"127.0.0.1:{port}: Address already in use"):
            serve(_never_loaded, host="127.0.0.1", port=port, workers=2)
    finally:
        for sock in held:
            sock.close()


def _never_loaded() -> ServerState:
    raise AssertionError("serve loads nothing when it cannot listen")
