"""The REST API's runs, registry and reports routes: the app on a populated store
(:mod:`tests.server.sample_store`), reached through ASGI (no network)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from clearance.server.app import create_app
from clearance.server.config import ServerConfig
from clearance.server.state import ServerState
from tests.server.principals import TestUsers
from tests.server.sample_store import ApiStore, sample_store


@pytest.fixture(scope="session")
def api_store(tmp_path_factory: pytest.TempPathFactory) -> ApiStore:
    return sample_store(tmp_path_factory.mktemp("api-store"))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def api(server_state: ServerState, api_store: ApiStore) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app on the populated store (matching closed), users standing in by
    ``X-Test-User``."""
    app = create_app(server_state, ServerConfig(settings=api_store.settings))
    transport = httpx.ASGITransport(app=TestUsers(app))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        yield client
