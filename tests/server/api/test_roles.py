"""Role × route over the remediation store's routes: a caller without credentials gets 401,
a role that may not gets 403 and nothing changes; the routes listed here are every route of
these modules (a test fails for one left out)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute

from clearance.auth.roles import allowed
from clearance.server.routes.api import (
    assets,
    attachments,
    dispositions,
    finding_notes,
    findings,
    sites,
)
from clearance.store.audit import list_audit
from clearance.store.suppliers import dispose_hit
from tests.server.api.conftest import ZTE_SUPPLIER, Clients

pytestmark = pytest.mark.anyio

DISPOSITION = {"query": "ZTE", "entity_id": "zte", "decision": "confirmed", "reason": "USCC"}
REVIEW: dict[str, Any] = {"json": {"reason": "checked"}}

# (method, path, action, request arguments); {f} is a finding id, {a} an attachment's
ROUTES: list[tuple[str, str, str, dict[str, Any]]] = [
    ("GET", "/sites", "findings.read", {}),
    ("GET", "/sites/{site_id}", "findings.read", {}),
    ("GET", "/assets", "findings.read", {}),
    ("GET", "/assets/{asset_id}", "findings.read", {}),
    ("GET", "/findings", "findings.read", {}),
    ("GET", "/findings/{finding_id}", "findings.read", {}),
    ("PATCH", "/findings/{finding_id}", "findings.write", {"json": {"owner": "IT"}}),
    (
        "POST",
        "/findings/bulk",
        "findings.write",
        {"json": {"ids": [1], "change": {"owner": "IT"}}},
    ),
    ("GET", "/findings/{finding_id}/notes", "findings.read", {}),
    ("POST", "/findings/{finding_id}/notes", "findings.write", {"json": {"text": "hello"}}),
    ("GET", "/findings/{finding_id}/attachments", "findings.read", {}),
    (
        "POST",
        "/findings/{finding_id}/attachments",
        "findings.write",
        {"files": {"file": ("a.txt", b"a")}},
    ),
    ("GET", "/findings/{finding_id}/attachments/{attachment_id}", "findings.read", {}),
    ("GET", "/dispositions", "findings.read", {}),
    ("POST", "/dispositions", "findings.clear_hit", {"json": DISPOSITION}),
    ("POST", "/dispositions/{disposition_id}/approve", "findings.clear_hit", REVIEW),
    ("POST", "/dispositions/{disposition_id}/reject", "findings.clear_hit", REVIEW),
]
ROLES = ["admin", "editor", "reviewer", "viewer", "sensor", "read", "write"]
CHANGES = {"PATCH", "POST"}


def test_every_route_of_these_modules_is_listed() -> None:
    modules = (sites, assets, findings, finding_notes, attachments, dispositions)
    served = {
        (method, route.path)
        for module in modules
        for route in module.router.routes
        if isinstance(route, APIRoute)
        for method in route.methods
    }
    assert served == {(method, path) for method, path, _, _ in ROUTES}


async def _made(clients: Clients) -> None:
    """An attachment (id 1) and a decision waiting for a second reviewer (id 1)."""
    async with clients.as_role("admin") as admin:
        reply = await admin.post("/api/v1/findings/1/attachments", files={"file": ("x", b"x")})
        assert reply.status_code == 201
    clear = {**DISPOSITION, "query": ZTE_SUPPLIER["query"], "decision": "false_positive"}
    dispose_hit(clients.store, **clear, listings=[], user="setup", four_eyes_score=0.85)


def _url(path: str) -> str:
    ids = {"site_id": 1, "asset_id": 1, "finding_id": 1, "attachment_id": 1, "disposition_id": 1}
    return "/api/v1" + path.format(**ids)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "action", "args"), ROUTES)
async def test_a_role_may_use_a_route_only_if_its_action_allows(
    clients: Clients, role: str, method: str, path: str, action: str, args: dict[str, Any]
) -> None:
    await _made(clients)
    before = len(list_audit(clients.store))
    async with clients.as_role(role) as client:
        reply = await client.request(method, _url(path), **args)
    if allowed(role, action):
        assert reply.status_code < 300, reply.text
    else:
        assert reply.status_code == 403, reply.text
        assert action in reply.json()["detail"]
        assert len(list_audit(clients.store)) == before  # nothing changed


@pytest.mark.parametrize(("method", "path", "action", "args"), ROUTES)
async def test_no_credentials_is_401(
    clients: Clients, method: str, path: str, action: str, args: dict[str, Any]
) -> None:
    transport = httpx.ASGITransport(app=clients.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as anonymous:
        reply = await anonymous.request(method, _url(path), **args)
    assert reply.status_code == 401
