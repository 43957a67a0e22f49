"""A server over a SQLite store in tmp_path holding two sites, three cameras (two of them
restricted: two device findings) and a screened supplier (one supplier finding), saved with
the library the CLI's ``--save`` uses; a client per role, with a token (``token:<role>``) or,
for people's roles, a signed-in user named after the role."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine

from clearance.auth.api_tokens import create_token
from clearance.auth.roles import TOKEN_ROLES, USER_ROLES, Principal
from clearance.server.app import create_app
from clearance.server.config import ServerConfig
from clearance.server.state import ServerState
from clearance.settings import Settings
from clearance.store.db import open_store
from clearance.store.recording import save_assets, save_screening
from clearance.store.sites import add_site
from tests.store.factories import FCC, camera, screening

ZTE_SUPPLIER = screening("Zhongxing Telecom Equipment (ZTE) Ltd", ("zte", "ZTE Corporation", [FCC]))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A store with its sites, assets, findings and a token per token role (with their
    secrets), made once: each test works on its own copy."""
    path = tmp_path_factory.mktemp("api-store") / "store.sqlite"
    engine = open_store(f"sqlite:///{path}")
    add_site(engine, "Head Office", address="1 Main St", owner="Facilities", user="setup")
    hq = [camera(), camera("44:19:b6:00:00:02", "10.0.0.12", serial="S2")]
    save_assets(engine, hq, kind="identify", targets=["hq.csv"], site="Head Office", user="setup")
    depot = [camera("00:40:8c:00:00:09", "10.1.0.9", restricted=False, model="P3245")]
    save_assets(engine, depot, kind="identify", targets=["depot.csv"], site="Depot", user="setup")
    save_screening(engine, [ZTE_SUPPLIER], targets=["suppliers.csv"], user="setup")
    secrets = {}
    for role in TOKEN_ROLES:
        _, secrets[role] = create_token(engine, name=role, role=role, user="setup")
    engine.dispose()
    return path, secrets


@pytest.fixture
def settings(tmp_path: Path, template: tuple[Path, dict[str, str]]) -> Settings:
    copy = tmp_path / "store.sqlite"
    shutil.copyfile(template[0], copy)
    return replace(Settings.from_env(), db_url=f"sqlite:///{copy}", attachment_max_bytes=1000)


@pytest.fixture
def store(settings: Settings) -> Iterator[Engine]:
    """This test's copy of the store."""
    engine = open_store(settings.db_url, migrate=False)
    yield engine
    engine.dispose()


@dataclass(slots=True)
class Clients:
    """Clients of one app, one per role."""

    app: Any
    store: Engine
    secrets: dict[str, str]

    def as_role(self, role: str) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {self.secrets[role]}"} if role in self.secrets else {}
        if role in USER_ROLES:
            headers = {"X-Test-User": role}
        transport = httpx.ASGITransport(app=self.app)
        return httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1", headers=headers)


def _signed_in(app: Any) -> Callable[..., Awaitable[None]]:
    """The app, with a test header standing for a signed-in user (the web pages' sessions
    plug in at :func:`clearance.server.auth.principal` the same way)."""

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            for name, value in scope.get("headers", ()):
                if name == b"x-test-user":
                    role = value.decode()
                    who = Principal(kind="user", name=f"{role}-person", role=role)
                    scope.setdefault("state", {})["principal"] = who
        await app(scope, receive, send)

    return wrapped


@pytest.fixture
def clients(
    store: Engine,
    settings: Settings,
    server_state: ServerState,
    template: tuple[Path, dict[str, str]],
) -> Clients:
    app = create_app(server_state, ServerConfig(settings=settings))
    return Clients(_signed_in(app), store, template[1])


@pytest.fixture
async def writer(clients: Clients) -> AsyncIterator[httpx.AsyncClient]:
    """A client with a ``write`` token (audited as ``token:write``)."""
    async with clients.as_role("write") as client:
        yield client


@pytest.fixture
async def reader(clients: Clients) -> AsyncIterator[httpx.AsyncClient]:
    """A client with a ``read`` token."""
    async with clients.as_role("read") as client:
        yield client
