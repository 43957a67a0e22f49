"""A server on loopback: the app with the seed registry, run by uvicorn in a thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest
import uvicorn

from clearance.matching.screen import Screener
from clearance.registry import Registry
from clearance.server.app import create_app
from clearance.server.config import ServerConfig
from clearance.server.state import ServerState


@pytest.fixture(scope="session")
def server_state(seed: Registry, tmp_path_factory: pytest.TempPathFactory) -> ServerState:
    from clearance.settings import Settings

    settings = replace(Settings.from_env(), cache_dir=tmp_path_factory.mktemp("cache"))
    # a record merged into Hikvision (as an import's merge decision records it)
    return ServerState.of(seed, Screener(seed, settings), {"ofac-30946": "hikvision"})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def base_url(server_state: ServerState) -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(
        create_app(server_state, ServerConfig(open_matching=True)),
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join()
