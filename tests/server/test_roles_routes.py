"""Every route refuses a role that may not use it (issue 18's acceptance).

The routes are read from ``create_app().routes``, so routes added later are covered without
touching this file: each must depend on :func:`clearance.server.auth.require`, whose
:class:`~clearance.server.auth.Requirement` names the action it asks for. Then, for every route:

- every role of ``USER_ROLES + TOKEN_ROLES`` that may not do the action gets 403, and every
  role that may is let through (neither 401 nor 403; with no body a route may well say 422);
- a caller with no credentials gets 401, except on ``/healthz``, ``/readyz`` and the API's
  documents, and on the routes ``--open-matching`` opens when the server opens them (none
  under ``/api/``).

Tokens are real tokens in the store; users stand in through the ``X-Test-User`` header of the
test middleware :class:`tests.server.principals.TestUsers` (sessions come with the web pages).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from clearance.auth.roles import TOKEN_ROLES, USER_ROLES, allowed
from clearance.server.app import create_app
from clearance.server.auth import Requirement
from clearance.server.config import ServerConfig
from clearance.server.state import ServerState
from clearance.settings import Settings
from clearance.store.db import open_store
from tests.server.principals import USER_HEADER, TestUsers, role_tokens

pytestmark = pytest.mark.anyio

#: Routes anyone may call: the probes, and the OpenAPI schema with its documentation pages.
UNGUARDED = {"/healthz", "/readyz", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


def _requirements(dependant: Dependant) -> Iterator[Requirement]:
    for sub in dependant.dependencies:
        if isinstance(sub.call, Requirement):
            yield sub.call
        yield from _requirements(sub)


def _guarded_routes() -> list[tuple[str, str, Requirement]]:
    """(method, path, requirement) of every route of the app, but the unguarded ones."""
    found = []
    # the routes as the app serves them, routers included (FastAPI includes them lazily)
    for route in iter_route_contexts(create_app().routes):
        path = route.path or ""
        if path in UNGUARDED:
            continue
        assert isinstance(route.original_route, APIRoute), f"{path}: not an API route"
        needs = list(_requirements(route.dependant))
        assert len(needs) == 1, f"{path} depends on require() {len(needs)} times, not once"
        for method in sorted(route.methods or ()):
            found.append((method, path, needs[0]))
    return found


ROUTES = _guarded_routes()
ROLES = USER_ROLES + TOKEN_ROLES


def _url(path: str) -> str:
    """The path with each parameter filled in (``1`` fits ids, names and numbers alike)."""
    return re.sub(r"\{[^}]+\}", "1", path)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def store_settings(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, dict[str, str]]:
    folder: Path = tmp_path_factory.mktemp("roles")
    settings = replace(
        Settings.from_env(),
        data_dir=folder / "data",
        cache_dir=folder / "cache",
        db_url=f"sqlite:///{folder / 'store.sqlite'}",
    )
    engine = open_store(settings.db_url)
    try:
        return settings, role_tokens(engine, TOKEN_ROLES)
    finally:
        engine.dispose()


async def _client(
    state: ServerState, settings: Settings, *, open_matching: bool
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(state, ServerConfig(settings=settings, open_matching=open_matching))
    transport = httpx.ASGITransport(app=TestUsers(app))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        yield client


@pytest.fixture
async def closed(
    server_state: ServerState, store_settings: tuple[Settings, dict[str, str]]
) -> AsyncIterator[httpx.AsyncClient]:
    async for client in _client(server_state, store_settings[0], open_matching=False):
        yield client


@pytest.fixture
async def opened(
    server_state: ServerState, store_settings: tuple[Settings, dict[str, str]]
) -> AsyncIterator[httpx.AsyncClient]:
    async for client in _client(server_state, store_settings[0], open_matching=True):
        yield client


def _headers(role: str, tokens: dict[str, str]) -> dict[str, str]:
    if role in tokens:
        return {"Authorization": f"Bearer {tokens[role]}"}
    return {USER_HEADER: role}


def test_the_app_has_guarded_routes_of_every_kind() -> None:
    # a floor, so that a broken enumeration cannot pass by finding nothing
    paths = {path for _method, path, _need in ROUTES}
    assert {"/match/{dataset}", "/catalog", "/api/v1/runs", "/api/v1/reports"} <= paths
    assert {need.action for _m, _p, need in ROUTES} >= {"match.use", "registry.read"}


@pytest.mark.parametrize(
    ("method", "path", "need"), ROUTES, ids=[f"{m} {p}" for m, p, _n in ROUTES]
)
async def test_each_role_is_refused_or_let_through(
    closed: httpx.AsyncClient,
    store_settings: tuple[Settings, dict[str, str]],
    method: str,
    path: str,
    need: Requirement,
) -> None:
    tokens = store_settings[1]
    said: dict[str, Any] = {}
    for role in ROLES:
        reply = await closed.request(method, _url(path), headers=_headers(role, tokens))
        said[role] = reply.status_code
    refused = {role: code for role, code in said.items() if not allowed(role, need.action)}
    let_through = {role: code for role, code in said.items() if allowed(role, need.action)}
    assert refused == dict.fromkeys(refused, 403), f"{need.action}: {said}"
    assert not {code for code in let_through.values() if code in (401, 403)}, said


@pytest.mark.parametrize(
    ("method", "path", "need"), ROUTES, ids=[f"{m} {p}" for m, p, _n in ROUTES]
)
async def test_no_credentials_is_401_unless_open(
    closed: httpx.AsyncClient,
    opened: httpx.AsyncClient,
    method: str,
    path: str,
    need: Requirement,
) -> None:
    assert (await closed.request(method, _url(path))).status_code == 401
    # --open-matching opens the matching routes (yente's, reconciliation), never the REST API
    assert not (need.openable and path.startswith("/api/")), f"{path} opens with matching"
    when_open = (await opened.request(method, _url(path))).status_code
    if need.openable:
        assert when_open not in (401, 403)
    else:
        assert when_open == 401


async def test_the_probes_and_documents_need_no_credentials(closed: httpx.AsyncClient) -> None:
    for path in ("/healthz", "/readyz", "/openapi.json"):
        assert (await closed.get(path)).status_code == 200
