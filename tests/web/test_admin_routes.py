"""The admin pages and the audit log through their routes: users added, given another role
and disabled, tokens made (the secret shown once) and revoked, every change in the audit log
under the admin's name, filtered and paged; other roles refused."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from clearance.auth.api_tokens import list_tokens
from clearance.auth.users import add_user, list_users
from clearance.server.app import create_app
from clearance.server.config import ServerConfig
from clearance.settings import Settings
from clearance.store.audit import list_audit
from clearance.store.db import open_store
from clearance.web.routes.audit_log import PAGE_SIZE

pytestmark = pytest.mark.anyio
PASSWORD = "a long enough password"
HTML = {"Accept": "text/html"}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    engine = open_store(url)
    for name, role in (("boss", "admin"), ("ed", "editor"), ("vi", "viewer")):
        add_user(engine, name, role=role, password=PASSWORD, user="setup")
    engine.dispose()
    return create_app(None, ServerConfig(settings=Settings.from_env(db_url=url)))


@asynccontextmanager
async def _client(app: FastAPI, name: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://127.0.0.1", headers=HTML
    ) as client:
        await client.post("/sign-in", data={"username": name, "password": PASSWORD})
        page = await client.get("/overview")
        found = re.search(r'"X-CSRF-Token": "([^"]+)"', page.text)
        assert found is not None
        client.headers["X-CSRF-Token"] = found.group(1)
        yield client


def _engine(app: FastAPI) -> object:
    return open_store(app.state.config.settings.db_url)


async def test_an_admin_adds_a_user_changes_the_role_and_disables_them(app: FastAPI) -> None:
    async with _client(app, "boss") as admin:
        added = await admin.post(
            "/admin/users", data={"name": "Marie", "role": "reviewer", "password": PASSWORD}
        )
        assert added.status_code == 303
        assert (await admin.post("/admin/users/Marie/role", data={"role": "editor"})).is_redirect
        assert (await admin.post("/admin/users/Marie/disable")).is_redirect
        page = await admin.get("/admin/users")
        assert re.search(r"Marie</th>.*?disabled", page.text, re.S)
        short = await admin.post(
            "/admin/users", data={"name": "Paul", "role": "viewer", "password": "short"}
        )
        assert short.status_code == 400
        assert 'role="alert"' in short.text
        for path, data in (
            ("/admin/users/boss/disable", {}),
            ("/admin/users/boss/role", {"role": "viewer"}),
        ):
            own = await admin.post(path, data=data)
            assert own.status_code == 400
            assert "You cannot disable your own account" in own.text
    engine = open_store(app.state.config.settings.db_url)
    marie = next(u for u in list_users(engine) if u.name == "Marie")
    assert (marie.role, marie.disabled) == ("editor", True)
    boss = next(u for u in list_users(engine) if u.name == "boss")
    assert (boss.role, boss.disabled) == ("admin", False)
    actions = [(e.user, e.action) for e in list_audit(engine, object_type="user")][-3:]
    assert actions == [("boss", "user.create"), ("boss", "user.role"), ("boss", "user.disable")]
    engine.dispose()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        refused = await client.post("/sign-in", data={"username": "Marie", "password": PASSWORD})
        assert "Wrong username or password." in refused.text  # disabled: cannot sign in


async def test_an_admin_makes_a_sensor_token_shown_once_then_revokes_it(app: FastAPI) -> None:
    async with _client(app, "boss") as admin:
        made = await admin.post(
            "/admin/tokens", data={"name": "hq sensor", "role": "sensor", "days": "30"}
        )
        assert made.status_code == 201
        secret = re.search(r'id="secret"[^>]*value="(clr_[^"]+)"', made.text)
        assert secret is not None
        listed = await admin.get("/admin/tokens")
        assert secret.group(1) not in listed.text
        engine = open_store(app.state.config.settings.db_url)
        token = next(t for t in list_tokens(engine) if t.name == "hq sensor")
        assert token.created_by == "boss"
        assert (await admin.post(f"/admin/tokens/{token.id}/revoke")).is_redirect
        assert next(t for t in list_tokens(engine) if t.id == token.id).revoked_at is not None
        engine.dispose()


async def test_only_admins_reach_the_admin_pages_and_the_audit_log(app: FastAPI) -> None:
    for name in ("ed", "vi"):
        async with _client(app, name) as client:
            for path in ("/admin/users", "/admin/tokens", "/audit-log"):
                assert (await client.get(path)).status_code == 403, (name, path)
            posted = await client.post(
                "/admin/users", data={"name": "x", "role": "admin", "password": PASSWORD}
            )
            assert posted.status_code == 403
            assert "Users" not in (await client.get("/account/tokens")).text.split("<main")[0]


async def test_the_audit_log_filters_and_pages(app: FastAPI) -> None:
    async with _client(app, "boss") as admin:
        for n in range(PAGE_SIZE + 3):
            await admin.post(
                "/admin/users", data={"name": f"user{n:02}", "role": "viewer", "password": PASSWORD}
            )
        await admin.post("/admin/users/user07/disable")
        first = await admin.get("/audit-log", params={"user": "boss", "action": "user."})
        rows = re.findall(r"<tr>\s*<td class=\"date\">", first.text)
        assert len(rows) == PAGE_SIZE
        assert first.text.index("user.disable") < first.text.index("user.create")  # newest first
        older = re.search(r'href="/audit-log(\?[^"]+)" rel="next"', first.text)
        assert older is not None
        second = await admin.get("/audit-log" + older.group(1).replace("&amp;", "&"))
        assert len(re.findall(r"<tr>\s*<td class=\"date\">", second.text)) == 4
        assert 'rel="next"' not in second.text
        one = await admin.get("/audit-log", params={"object": "user:1"})
        assert "setup" in one.text
        assert "user.disable" not in one.text
        later = await admin.get("/audit-log", params={"since": "2999-01-01"})
        assert "No change matches these filters." in later.text
        bad = await admin.get("/audit-log", params={"until": "yesterday"})
        assert "Dates are written YYYY-MM-DD" in bad.text
