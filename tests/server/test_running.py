"""Serving one process: the port answers while the registry loads (/readyz 503), and a
load that fails stops the server and is raised."""

from __future__ import annotations

import socket
import threading

import httpx
import pytest

from clearance.errors import RegistryError
from clearance.server.running import serve
from clearance.server.state import ServerState


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_readyz_is_503_while_loading_and_a_failed_load_stops_the_server() -> None:
    release = threading.Event()

    def load() -> ServerState:
        release.wait(30)
        raise RegistryError("the store holds no registry")

    port = _free_port()
    raised: list[BaseException] = []

    def run() -> None:
        try:
            serve(load, host="127.0.0.1", port=port)
        except BaseException as exc:
            raised.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                health = httpx.get(f"{url}/healthz")
                break
            except httpx.TransportError:
                release.wait(0.05)
        else:
            pytest.fail("the server never answered")
        assert health.status_code == 200
        assert httpx.get(f"{url}/readyz").status_code == 503
        assert httpx.get(f"{url}/catalog").status_code == 503
    finally:
        release.set()
        thread.join(30)
    assert not thread.is_alive()
    assert isinstance(raised[0], RegistryError)
