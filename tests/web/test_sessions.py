"""Browser sessions through the routes (no browser): the cookie's flags, sign-out revoking the
session, CSRF on state-changing session requests, a session accepted by /api/v1 with the
same roles as tokens, login throttling, the security headers."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI

from clearance.auth.api_tokens import create_token
from clearance.auth.roles import Principal
from clearance.auth.users import add_user
from clearance.server.app import create_app
from clearance.server.auth import require
from clearance.server.config import ServerConfig
from clearance.settings import Settings
from clearance.store.audit import list_audit
from clearance.store.db import open_store
from clearance.web.sessions import COOKIE

pytestmark = pytest.mark.anyio
PASSWORD = "a long enough password"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    engine = open_store(url)
    for role in ("editor", "viewer"):
        add_user(engine, role, role=role, password=PASSWORD, user="test")
    engine.dispose()
    made = create_app(None, ServerConfig(settings=Settings.from_env(db_url=url)))
    probe = APIRouter(prefix="/api/v1/probe")

    @probe.get("")
    def read(who: Annotated[Principal, Depends(require("findings.read"))]) -> dict[str, str]:
        return {"name": who.name, "role": who.role}

    @probe.post("")
    def write(who: Annotated[Principal, Depends(require("findings.write"))]) -> dict[str, str]:
        return {"name": who.name}

    made.include_router(probe)
    return made


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 5000))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
        yield c


async def _sign_in(client: httpx.AsyncClient, name: str) -> httpx.Response:
    return await client.post("/sign-in", data={"username": name, "password": PASSWORD})


async def _csrf(client: httpx.AsyncClient) -> str:
    page = await client.get("/account/tokens")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


async def test_signing_in_sets_an_httponly_samesite_cookie(client: httpx.AsyncClient) -> None:
    response = await _sign_in(client, "editor")
    assert response.status_code == 303
    assert response.headers["location"] == "/overview"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Max-Age=36000" in cookie
    assert "Secure" not in cookie  # plain HTTP on 127.0.0.1 only


async def test_the_cookie_is_secure_off_loopback(app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://clearance.example") as c:
        response = await _sign_in(c, "editor")
    assert "Secure" in response.headers["set-cookie"]


async def test_a_wrong_password_sets_no_cookie(client: httpx.AsyncClient) -> None:
    response = await client.post("/sign-in", data={"username": "editor", "password": "nope"})
    assert response.status_code == 200
    assert "Wrong username or password." in response.text
    assert "set-cookie" not in response.headers


async def test_next_never_leads_to_another_site(client: httpx.AsyncClient) -> None:
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        client.cookies.clear()
        response = await client.post(
            "/sign-in", data={"username": "viewer", "password": PASSWORD, "next": target}
        )
        assert response.headers["location"] == "/overview", target


async def test_sign_out_revokes_the_session(client: httpx.AsyncClient, app: FastAPI) -> None:
    await _sign_in(client, "viewer")
    cookie = client.cookies[COOKIE]
    token = await _csrf(client)
    response = await client.post("/sign-out", data={"csrf_token": token})
    assert response.status_code == 303
    client.cookies.set(COOKIE, cookie)  # the old cookie, kept by someone
    again = await client.get("/api/v1/probe")
    assert again.status_code == 401
    engine = open_store(app.state.config.settings.db_url)
    actions = [e.action for e in list_audit(engine)]
    assert "session.start" in actions
    assert "session.end" in actions


async def test_a_forged_cookie_is_nobody(client: httpx.AsyncClient) -> None:
    await _sign_in(client, "viewer")
    value = client.cookies[COOKIE]
    client.cookies.set(COOKIE, value[:-3] + ("AAA" if value[-3:] != "AAA" else "BBB"))
    assert (await client.get("/api/v1/probe")).status_code == 401


async def test_api_accepts_a_session_with_its_users_role(client: httpx.AsyncClient) -> None:
    await _sign_in(client, "viewer")
    response = await client.get("/api/v1/probe")
    assert response.json() == {"name": "viewer", "role": "viewer"}
    token = await _csrf(client)
    refused = await client.post("/api/v1/probe", headers={"X-CSRF-Token": token})
    assert refused.status_code == 403  # a viewer may not write


async def test_state_changing_session_requests_need_the_csrf_token(
    client: httpx.AsyncClient,
) -> None:
    await _sign_in(client, "editor")
    assert (await client.post("/api/v1/probe")).status_code == 403
    assert (await client.post("/api/v1/probe", headers={"X-CSRF-Token": "x"})).status_code == 403
    token = await _csrf(client)
    allowed = await client.post("/api/v1/probe", headers={"X-CSRF-Token": token})
    assert allowed.json() == {"name": "editor"}
    no_form_token = await client.post("/account/tokens", data={"name": "a", "role": "read"})
    assert no_form_token.status_code == 403
    made = await client.post(
        "/account/tokens", data={"name": "a", "role": "read", "csrf_token": token}
    )
    assert made.status_code == 201


async def test_token_requests_need_no_csrf_token(client: httpx.AsyncClient, app: FastAPI) -> None:
    engine = open_store(app.state.config.settings.db_url)
    _token, secret = create_token(engine, name="ci", role="write", user="test")
    await _sign_in(client, "viewer")  # a session cookie too: the token decides
    response = await client.post("/api/v1/probe", headers={"Authorization": f"Bearer {secret}"})
    assert response.json() == {"name": "ci"}


async def test_failed_sign_ins_are_throttled(client: httpx.AsyncClient) -> None:
    for _ in range(5):
        wrong = await client.post("/sign-in", data={"username": "editor", "password": "x"})
        assert wrong.status_code == 200
    throttled = await _sign_in(client, "editor")  # even the right password must wait now
    assert throttled.status_code == 429
    assert "Too many failed sign-ins" in throttled.text
    other = await _sign_in(client, "viewer")  # the same address: throttled too
    assert other.status_code == 429


async def test_pages_carry_the_security_headers(client: httpx.AsyncClient) -> None:
    response = await client.get("/sign-in")
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert "<script>" not in response.text  # no inline script
    htmx = await client.get("/static/htmx.min.js")
    assert htmx.status_code == 200
    assert htmx.text.startswith("var htmx=function()")


async def test_a_page_without_session_redirects_and_the_api_answers_401(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/overview", headers={"Accept": "text/html"})
    assert page.status_code == 303
    assert page.headers["location"] == "/sign-in?next=/overview"
    api = await client.get("/api/v1/probe", headers={"Accept": "text/html"})
    assert api.status_code == 401
    assert api.json()["detail"]


async def test_a_person_cannot_revoke_someone_elses_token(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    engine = open_store(app.state.config.settings.db_url)
    theirs, _secret = create_token(engine, name="theirs", role="read", user="editor")
    await _sign_in(client, "viewer")
    token = await _csrf(client)
    response = await client.post(
        f"/account/tokens/{theirs.id}/revoke",
        data={"csrf_token": token},
        headers={"Accept": "text/html"},
    )
    assert response.status_code == 404
    refused = await client.post(
        "/account/tokens", data={"name": "w", "role": "write", "csrf_token": token}
    )
    assert refused.status_code == 400  # a viewer may not make a write token
