"""Who may call the matching routes: a token (Bearer or ApiKey) whose role may, or anyone when
the server opens matching; 401 without credentials or with an unknown or revoked token, 403 for
a role that may not."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from clearance.auth.api_tokens import create_token, revoke_token
from clearance.server.app import create_app
from clearance.server.config import ServerConfig
from clearance.server.state import ServerState
from clearance.settings import Settings
from clearance.store.db import open_store

pytestmark = pytest.mark.anyio

BODY = {"queries": {"q": {"schema": "Company", "properties": {"name": ["Hikvision"]}}}}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = replace(Settings.from_env(), db_url=f"sqlite:///{tmp_path / 'store.sqlite'}")
    open_store(settings.db_url).dispose()
    return settings


def _client(state: ServerState, settings: Settings, *, open_matching: bool) -> httpx.AsyncClient:
    app = create_app(state, ServerConfig(settings=settings, open_matching=open_matching))
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1")


@pytest.fixture
async def client(server_state: ServerState, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(server_state, settings, open_matching=False) as test_client:
        yield test_client


def _token(settings: Settings, role: str) -> tuple[int, str]:
    engine = open_store(settings.db_url)
    try:
        token, secret = create_token(engine, name=f"t-{role}", role=role, user="test")
    finally:
        engine.dispose()
    return token.id, secret


async def test_closed_matching_wants_a_token(client: httpx.AsyncClient) -> None:
    reply = await client.post("/match/default", json=BODY)
    assert reply.status_code == 401
    assert reply.headers["www-authenticate"].startswith("Bearer")
    assert (await client.get("/catalog")).status_code == 401
    assert (await client.get("/healthz")).status_code == 200  # the probes stay open


@pytest.mark.parametrize("scheme", ["Bearer", "ApiKey", "apikey"])
async def test_a_read_token_matches_under_either_scheme(
    client: httpx.AsyncClient, settings: Settings, scheme: str
) -> None:
    _, secret = _token(settings, "read")
    headers = {"Authorization": f"{scheme} {secret}"}
    reply = await client.post("/match/default", json=BODY, headers=headers)
    assert reply.status_code == 200
    assert reply.json()["responses"]["q"]["results"][0]["id"] == "clearance-hikvision"


async def test_a_sensor_token_may_not_match(client: httpx.AsyncClient, settings: Settings) -> None:
    _, secret = _token(settings, "sensor")
    headers = {"Authorization": f"Bearer {secret}"}
    reply = await client.post("/match/default", json=BODY, headers=headers)
    assert reply.status_code == 403
    assert "match.use" in reply.json()["detail"]


async def test_unknown_and_revoked_tokens_are_refused_even_when_matching_is_open(
    server_state: ServerState, settings: Settings
) -> None:
    token_id, secret = _token(settings, "read")
    engine = open_store(settings.db_url)
    revoke_token(engine, token_id, user="test")
    engine.dispose()
    async with _client(server_state, settings, open_matching=True) as open_client:
        assert (await open_client.post("/match/default", json=BODY)).status_code == 200
        for bad in (secret, "clr_not-a-token"):
            headers = {"Authorization": f"Bearer {bad}"}
            reply = await open_client.post("/match/default", json=BODY, headers=headers)
            assert reply.status_code == 401
