"""/healthz answers at once; /readyz and the data routes answer 503 until the state is set."""

from __future__ import annotations

import httpx
import pytest

from clearance.server.app import create_app
from clearance.server.config import ServerConfig
from clearance.server.state import ServerState


@pytest.mark.anyio
async def test_readyz_is_503_until_the_index_is_loaded(server_state: ServerState) -> None:
    app = create_app(config=ServerConfig(open_matching=True))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        assert (await client.get("/healthz")).status_code == 200
        assert (await client.get("/readyz")).status_code == 503
        body = {"queries": {"q": {"schema": "Company", "properties": {"name": ["Hikvision"]}}}}
        assert (await client.post("/match/default", json=body)).status_code == 503
        app.state.clearance = server_state
        assert (await client.get("/readyz")).status_code == 200
        assert (await client.post("/match/default", json=body)).status_code == 200


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
