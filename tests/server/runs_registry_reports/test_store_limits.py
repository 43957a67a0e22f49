"""Inputs the store cannot hold are refused with 422 before they reach it, on PostgreSQL too:
text with a NUL character (PostgreSQL's ``text`` refuses it, SQLite's takes it) and ids past
an ``INTEGER`` column. Each of these answered 500 on PostgreSQL before."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from clearance.server.app import create_app
from clearance.server.config import ServerConfig
from clearance.server.pagination import encode_cursor
from clearance.server.state import ServerState
from clearance.settings import Settings
from tests.server.principals import TestUsers
from tests.server.sample_store import populate
from tests.store.conftest import (  # noqa: F401 (fixtures)
    _drop_pg_database,
    _fresh_pg_database,
    _pg_url,
    pg_admin,
    pg_server,
)

pytestmark = pytest.mark.anyio

ADMIN = {"X-Test-User": "admin"}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        return
    admin: Engine = request.getfixturevalue("pg_admin")
    name = _fresh_pg_database(admin)
    try:
        yield _pg_url(admin, name)
    finally:
        _drop_pg_database(admin, name)


@pytest.fixture
async def client(
    server_state: ServerState, db_url: str, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    settings = replace(
        Settings.from_env(), data_dir=tmp_path / "d", cache_dir=tmp_path / "c", db_url=db_url
    )
    populate(settings)
    app = create_app(server_state, ServerConfig(settings=settings))
    transport = httpx.ASGITransport(app=TestUsers(app))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as test_client:
        yield test_client


async def test_text_with_nul_and_ids_past_integer_are_422(client: httpx.AsyncClient) -> None:
    for url in (
        "/api/v1/runs?site=%00",
        "/api/v1/runs?kind=scan&anything=a%00b",  # every query parameter, known or not
        "/api/v1/registry/diff?from=a%00",
        "/api/v1/registry/diff?cursor=" + encode_cursor((0, "x\x00")),
        f"/api/v1/runs?cursor={encode_cursor((2**31,))}",
        f"/api/v1/runs/{2**31}",
        f"/api/v1/reports/{2**31}",
        f"/api/v1/reports/{2**31}/download",
    ):
        reply = await client.get(url, headers=ADMIN)
        assert reply.status_code == 422, (url, reply.text)
    for order in ({"site": "H\x00Q"}, {"organisation": "Acme\x00"}):
        reply = await client.post("/api/v1/reports", json=order, headers=ADMIN)
        assert reply.status_code == 422, (order, reply.text)
    # the largest id an INTEGER holds is still asked for, and is not there
    assert (await client.get(f"/api/v1/runs/{2**31 - 1}", headers=ADMIN)).status_code == 404
