"""``/api/v1/registry``: stored versions, the diff between two (as ``clearance lists diff``)
and one entity (as ``clearance lists show --format json``)."""

from __future__ import annotations

import httpx
import pytest

from clearance.registry.views import entity_view
from clearance.server.state import ServerState
from clearance.store import list_versions, open_store
from clearance.store.registry_diff import diff_versions, resolve_span
from tests.server.sample_store import ApiStore

pytestmark = pytest.mark.anyio


async def test_versions_newest_first_and_one_by_name(
    api: httpx.AsyncClient, api_store: ApiStore
) -> None:
    headers = api_store.auth("read")
    page = (await api.get("/api/v1/registry/versions", headers=headers)).json()
    versions = page["items"]
    assert page["next_cursor"] is None
    assert len(versions) == 2
    newest, seed = versions
    assert newest["active"]
    assert not seed["active"]
    assert newest["note"] == "test list"
    assert newest["entity_count"] == seed["entity_count"] + 3
    one = (await api.get("/api/v1/registry/versions?limit=1", headers=headers)).json()
    assert one["items"] == [newest]
    assert one["next_cursor"]
    rest = await api.get(
        "/api/v1/registry/versions", params={"cursor": one["next_cursor"]}, headers=headers
    )
    assert rest.json() == {"items": [seed], "next_cursor": None}
    named = await api.get(f"/api/v1/registry/versions/{seed['version']}", headers=headers)
    assert named.json() == seed
    missing = await api.get("/api/v1/registry/versions/no-such-version", headers=headers)
    assert missing.status_code == 404


async def test_diff_pages_through_what_lists_diff_shows(
    api: httpx.AsyncClient, api_store: ApiStore
) -> None:
    headers = api_store.auth("viewer")
    engine = open_store(api_store.settings.db_url)
    try:
        old, new = (v.version for v in list_versions(engine))
        expected = list(diff_versions(engine, resolve_span(engine, old, new)))
    finally:
        engine.dispose()
    changes: list[dict[str, object]] = []
    cursor = None
    while True:
        params = {"from": old, "to": new, "limit": 2, **({"cursor": cursor} if cursor else {})}
        reply = await api.get("/api/v1/registry/diff", params=params, headers=headers)
        assert reply.status_code == 200, reply.text
        page = reply.json()
        assert (page["old"], page["new"]) == (old, new)
        assert page["summary"] == {"added": 3, "removed": 0, "changed": 0}
        changes += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert changes == expected
    assert [c["entity_id"] for c in changes] == ["test-list-a", "test-list-b", "test-list-c"]
    assert changes[0]["lists_added"] == ["test-list"]
    # the defaults: the active version and the one before it
    default = (await api.get("/api/v1/registry/diff", headers=headers)).json()
    assert default["items"] == expected
    backwards = await api.get(
        "/api/v1/registry/diff", params={"from": new, "to": old}, headers=headers
    )
    assert backwards.json()["summary"] == {"added": 0, "removed": 3, "changed": 0}
    assert [c["change"] for c in backwards.json()["items"]] == ["removed"] * 3
    unknown = await api.get("/api/v1/registry/diff", params={"from": "nope"}, headers=headers)
    assert unknown.status_code == 404


async def test_an_entity_as_lists_show_gives_it(
    api: httpx.AsyncClient, api_store: ApiStore, server_state: ServerState
) -> None:
    headers = api_store.auth("read")
    reply = await api.get("/api/v1/registry/entities/ezviz", headers=headers)
    assert reply.status_code == 200
    body = reply.json()
    assert body["registry_version"] == server_state.registry.version
    assert body["entity"] == entity_view(server_state.registry, "ezviz")
    assert any(p["entity_id"] == "hikvision" for p in body["entity"]["restricted_via"])
    by_ftm = await api.get("/api/v1/registry/entities/clearance-ezviz", headers=headers)
    assert by_ftm.json() == body
    merged = await api.get("/api/v1/registry/entities/ofac-30946", headers=headers)
    assert merged.status_code == 308
    assert merged.headers["location"] == "/api/v1/registry/entities/hikvision"
    missing = await api.get("/api/v1/registry/entities/nobody", headers=headers)
    assert missing.status_code == 404


async def test_registry_routes_stay_closed_when_matching_is_open(
    server_state: ServerState, api_store: ApiStore
) -> None:
    from clearance.server.app import create_app
    from clearance.server.config import ServerConfig

    app = create_app(server_state, ServerConfig(settings=api_store.settings, open_matching=True))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        assert (await client.get("/catalog")).status_code == 200
        assert (await client.get("/api/v1/registry/versions")).status_code == 401
        assert (await client.get("/api/v1/registry/entities/ezviz")).status_code == 401
