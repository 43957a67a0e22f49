"""The review queue and registry pages through the routes (no browser), on a copy of the demo
organisation's store: roles (a viewer sees no decision control and is refused a decision),
four eyes (the reviewer who cleared a strong hit cannot approve it; another can), decisions
reused by a later screening or made stale by changed listings, reasons required, listings in
French where the source publishes them, list versions and their diff."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from clearance.auth.users import add_user
from clearance.model import Name
from clearance.registry.registry import Registry
from clearance.server.app import create_app
from clearance.server.config import ServerConfig
from clearance.server.state import ServerState, load_state
from clearance.settings import Settings
from clearance.store.db import open_store
from clearance.store.dispositions import list_dispositions
from clearance.store.lock import write_transaction
from clearance.store.registry_store import active_registry, save_registry
from clearance.store.suppliers import get_supplier, list_suppliers, store_screening
from clearance.store.values import now

pytestmark = pytest.mark.anyio
PASSWORD = "a long enough password"
INPUT = "Hangzhou Haikang Weishi Shuzi Jishu Youxian Gongsi"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def state(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> ServerState:
    """The demo registry's screening state, loaded once for the module."""
    folder = tmp_path_factory.mktemp("state")
    copy = folder / "store.sqlite"
    copy.write_bytes(demo_db.read_bytes())
    settings = replace(Settings.from_env(db_url=f"sqlite:///{copy}"), cache_dir=folder / "cache")
    return load_state(settings)


@pytest.fixture
def settings(demo_db: Path, tmp_path: Path) -> Settings:
    copy = tmp_path / "store.sqlite"
    copy.write_bytes(demo_db.read_bytes())
    url = f"sqlite:///{copy}"
    engine = open_store(url)
    for role in ("reviewer", "editor", "viewer"):
        add_user(engine, role, role=role, password=PASSWORD, user="test")
    engine.dispose()
    return replace(Settings.from_env(db_url=url), cache_dir=tmp_path / "cache")


@pytest.fixture
def app(state: ServerState, settings: Settings) -> FastAPI:
    return create_app(state, ServerConfig(settings=settings))


def _client(app: FastAPI) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(
        transport=transport, base_url="http://127.0.0.1", headers={"Accept": "text/html"}
    )


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(app) as c:
        yield c


async def _as(client: httpx.AsyncClient, name: str) -> str:
    """Sign ``client`` in as ``name``; its CSRF token."""
    client.cookies.clear()
    signed = await client.post("/sign-in", data={"username": name, "password": PASSWORD})
    assert signed.status_code == 303
    page = await client.get("/review")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def _supplier_id(settings: Settings, query: str = INPUT) -> int:
    engine = open_store(settings.db_url)
    try:
        return next(s.id for s in list_suppliers(engine) if s.query == query)
    finally:
        engine.dispose()


async def _decide(
    client: httpx.AsyncClient, token: str, sid: int, decision: str, reason: str
) -> httpx.Response:
    data = {"csrf_token": token, "entity_id": "hikvision", "decision": decision, "reason": reason}
    return await client.post(f"/review/suppliers/{sid}/decide", data=data)


def _pending_id(page: str) -> int:
    found = re.search(r"/dispositions/(\d+)/approve", page)
    assert found is not None, "no approval form"
    return int(found.group(1))


async def test_a_viewer_sees_no_decision_control_and_is_refused(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    token = await _as(client, "viewer")
    sid = _supplier_id(settings)
    page = await client.get(f"/review/suppliers/{sid}")
    assert page.status_code == 200
    assert "84 FR 54002" in page.text
    assert "<form" not in page.text.split("<main", 1)[1]
    refused = await _decide(client, token, sid, "confirmed", "it is them")
    assert refused.status_code == 403
    assert "Your role does not allow this." in refused.text


async def test_four_eyes_the_same_reviewer_cannot_approve_another_can(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    token = await _as(client, "reviewer")
    sid = _supplier_id(settings)
    cleared = await _decide(client, token, sid, "false_positive", "another company")
    assert cleared.status_code == 303
    assert cleared.headers["location"] == f"/review/suppliers/{sid}?done=waiting#hit-hikvision"
    page = (await client.get(f"/review/suppliers/{sid}?done=waiting")).text
    assert "Waits for a second reviewer." in page
    assert "Approve the clearance" not in page  # not offered to who cleared it
    queue = (await client.get("/review?waiting=approval")).text
    assert INPUT in queue

    engine = open_store(settings.db_url)
    pending = list_dispositions(engine, approval="pending")[0].id
    engine.dispose()
    own = await client.post(
        f"/review/suppliers/{sid}/dispositions/{pending}/approve",
        data={"csrf_token": token, "entity_id": "hikvision", "reason": "looks fine"},
    )
    assert own.status_code == 403
    assert "another reviewer must approve or reject it" in own.text

    token = await _as(client, "editor")
    page = (await client.get(f"/review/suppliers/{sid}")).text
    assert _pending_id(page) == pending
    approved = await client.post(
        f"/review/suppliers/{sid}/dispositions/{pending}/approve",
        data={"csrf_token": token, "entity_id": "hikvision", "reason": "checked the register"},
    )
    assert approved.status_code == 303
    page = (await client.get(f"/review/suppliers/{sid}?done=approved")).text
    assert "Clearance approved: the decision now applies." in page
    assert re.search(r"false positive: decided by reviewer on [^<]+\.", page)
    assert INPUT not in (await client.get("/review")).text


async def test_a_decision_is_reused_until_the_listings_change(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    token = await _as(client, "reviewer")
    sid = _supplier_id(settings)
    assert (await _decide(client, token, sid, "confirmed", "")).status_code == 400
    assert (await _decide(client, token, sid, "confirmed", "same company")).status_code == 303
    engine = open_store(settings.db_url)
    supplier = get_supplier(engine, sid)
    assert supplier is not None

    def screen_again(result: dict[str, Any]) -> None:
        with write_transaction(engine) as conn:
            store_screening(conn, result, at=now(), user="test")

    screen_again(supplier.result)
    page = (await client.get(f"/review/suppliers/{sid}")).text
    assert re.search(r"confirmed: decided by reviewer on [^<]+, reused\.", page)
    assert INPUT not in (await client.get("/review")).text

    changed = dict(supplier.result)
    hit = dict(changed["hits"][0])
    hit["listings"] = hit["listings"][1:]  # one listing fewer
    changed["hits"] = [hit]
    screen_again(changed)
    engine.dispose()
    page = (await client.get(f"/review/suppliers/{sid}")).text
    assert "the entity's listings changed, so it needs a new decision" in page
    assert "Record the decision" in page
    queue = (await client.get("/review")).text
    assert "the listings changed since the last decision" in queue


async def test_listings_in_french_where_the_source_publishes_them(
    client: httpx.AsyncClient,
) -> None:
    await _as(client, "viewer")
    await client.get("/language/fr?next=/review")
    page = (await client.get("/registry/entities/zte")).text
    assert "Déclaration du ministre Champagne sur la sécurité des télécommunications" in page
    assert "https://securitepublique.gc.ca/" in page
    assert '<td lang="en">' in page  # a listing published in English only is marked so
    found = (await client.get("/registry", params={"q": "中兴通讯"})).text
    assert "/registry/entities/zte" in found
    nothing = (await client.get("/registry", params={"q": "zzzz qqqq"})).text
    assert "Aucune entité trouvée pour « zzzz qqqq »." in nothing


async def test_list_versions_and_their_diff(client: httpx.AsyncClient, settings: Settings) -> None:
    await _as(client, "viewer")
    page = (await client.get("/registry/versions")).text
    assert "Only one version is stored" in page
    engine = open_store(settings.db_url)
    registry = active_registry(engine)
    assert registry is not None
    entities = list(registry)
    hik = next(e for e in entities if e.id == "hikvision")
    renamed = replace(hik, names=[*hik.names, Name.of("Haikang Test", "alias")])
    newer = Registry(
        registry.lists.values(),
        [renamed if e.id == "hikvision" else e for e in entities if e.id != "zte"],
        registry.relations,
    )
    old = registry.version
    new = save_registry(engine, newer, note="test", activate=False)
    engine.dispose()
    page = (await client.get("/registry/versions", params={"old": old, "new": new})).text
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", page.split("diff", 1)[1], re.S)
    text = [re.sub(r"<[^>]+>|\s+", " ", r).strip() for r in rows]
    assert any(
        t.startswith("Hangzhou Hikvision") and "changed" in t and "Haikang Test" in t for t in text
    )
    assert any(t.startswith("ZTE") and "removed" in t for t in text)
    unknown = await client.get("/registry/versions", params={"old": "nope"})
    assert "no registry version" in unknown.text


async def test_a_rejected_clearance_leaves_the_hit_waiting_for_a_decision(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    token = await _as(client, "reviewer")
    sid = _supplier_id(settings)
    await _decide(client, token, sid, "false_positive", "another company")
    token = await _as(client, "editor")
    pending = _pending_id((await client.get(f"/review/suppliers/{sid}")).text)
    elsewhere = await client.post(
        f"/review/suppliers/{_supplier_id(settings, 'EZVIZ Inc')}/dispositions/{pending}/reject",
        data={"csrf_token": token, "entity_id": "hikvision", "reason": "no"},
    )
    assert elsewhere.status_code == 404  # not a clearance of that supplier
    rejected = await client.post(
        f"/review/suppliers/{sid}/dispositions/{pending}/reject",
        data={"csrf_token": token, "entity_id": "hikvision", "reason": "same address as listed"},
    )
    assert rejected.headers["location"] == f"/review/suppliers/{sid}?done=rejected#hit-hikvision"
    page = (await client.get(f"/review/suppliers/{sid}?done=rejected")).text
    assert "Clearance rejected: the hit waits for a decision again." in page
    assert "Nobody has decided yet." in page
    queue = (await client.get("/review?waiting=decision")).text
    assert INPUT in queue
    assert INPUT not in (await client.get("/review?waiting=approval")).text
