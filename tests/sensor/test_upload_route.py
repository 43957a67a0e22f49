"""POST /api/v1/runs/upload: stored once per Idempotency-Key (201, then 200 with the same run,
409 for another payload), a site-bound token uploads for its site only, bodies over the limit
are refused (413) and gzip bodies read, and a payload that is not a run answers 422."""

from __future__ import annotations

import gzip
import json
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from clearance.auth.api_tokens import create_token
from clearance.server.app import create_app
from clearance.server.config import ServerConfig
from clearance.settings import Settings
from clearance.store.assets import list_assets
from clearance.store.db import open_store
from clearance.store.runs import list_runs
from clearance.store.schema import runs
from tests.store.factories import camera

pytestmark = pytest.mark.anyio

URL = "/api/v1/runs/upload"
KEY = "5d1c9c1e-52b5-4c8e-8d4b-1df2f0b0a001"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = replace(Settings.from_env(), db_url=f"sqlite:///{tmp_path / 'server.sqlite'}")
    open_store(settings.db_url).dispose()
    return settings


def _client(settings: Settings) -> httpx.AsyncClient:
    app = create_app(None, ServerConfig(settings=settings))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1")


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(settings) as test_client:
        yield test_client


def _token(settings: Settings, role: str, site: str | None = None) -> dict[str, str]:
    engine = open_store(settings.db_url)
    try:
        _, secret = create_token(engine, name=f"{role}-{site}", role=role, user="admin", site=site)
    finally:
        engine.dispose()
    return {"Authorization": f"Bearer {secret}"}


def payload(*macs: str, site: str | None = "HQ", **extra: Any) -> dict[str, Any]:
    """A scan run as ``scan --send`` uploads it."""
    return {
        "format": "clearance.run",
        "version": 1,
        "kind": "scan",
        "site": site,
        "targets": ["10.0.0.0/24"],
        "started_at": datetime(2026, 12, 3, 4, 0, tzinfo=UTC).isoformat(),
        "finished_at": datetime(2026, 12, 3, 4, 1, tzinfo=UTC).isoformat(),
        "tool_version": "0.1.0",
        "registry_version": "seed",
        "assets": [camera(mac, f"10.0.0.{i + 1}").to_json() for i, mac in enumerate(macs)],
        **extra,
    }


def _runs(settings: Settings) -> int:
    engine = open_store(settings.db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(runs)).scalar_one())
    finally:
        engine.dispose()


async def test_one_key_stores_one_run(client: httpx.AsyncClient, settings: Settings) -> None:
    headers = {**_token(settings, "sensor"), "Idempotency-Key": KEY}
    body = payload("44:19:b6:00:00:01", "44:19:b6:00:00:02")
    first = await client.post(URL, json=body, headers=headers)
    assert first.status_code == 201, first.text
    answer = first.json()
    assert answer["created"] is True
    assert answer["counts"]["assets_seen"] == 2
    again = await client.post(URL, json=body, headers=headers)
    assert again.status_code == 200
    assert again.json() == {**answer, "created": False}
    other = await client.post(URL, json=payload("44:19:b6:00:00:03"), headers=headers)
    assert other.status_code == 409
    assert KEY in other.json()["detail"]
    assert _runs(settings) == 1


async def test_the_run_is_stored_as_save_stores_it(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    headers = {**_token(settings, "sensor"), "Idempotency-Key": KEY}
    reply = await client.post(URL, json=payload("44:19:b6:00:00:01"), headers=headers)
    assert reply.status_code == 201
    engine = open_store(settings.db_url)
    try:
        (run,) = list_runs(engine)
        (asset,) = list_assets(engine)
    finally:
        engine.dispose()
    assert (run.kind, run.site, run.user, run.registry_version) == (
        "scan",
        "HQ",
        "token:sensor-None",
        "seed",
    )
    assert run.scope == {"family": "assets", "site": "HQ", "targets": ["10.0.0.0/24"]}
    assert asset.data["mac"] == "44:19:b6:00:00:01"
    assert asset.data["restricted"][0]["entity_id"] == "hikvision"
    assert asset.site == "HQ"


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 400), ({"Idempotency-Key": "short"}, 400), ({"Idempotency-Key": "a b c d e f g h"}, 400)],
)
async def test_an_idempotency_key_is_required(
    client: httpx.AsyncClient, settings: Settings, headers: dict[str, str], status: int
) -> None:
    reply = await client.post(
        URL, json=payload("44:19:b6:00:00:01"), headers={**_token(settings, "sensor"), **headers}
    )
    assert reply.status_code == status
    assert "Idempotency-Key" in reply.json()["detail"]
    assert _runs(settings) == 0


@pytest.mark.parametrize(("role", "status"), [(None, 401), ("read", 403)])
async def test_only_roles_that_may_upload(
    client: httpx.AsyncClient, settings: Settings, role: str | None, status: int
) -> None:
    headers = {"Idempotency-Key": KEY, **(_token(settings, role) if role else {})}
    reply = await client.post(URL, json=payload("44:19:b6:00:00:01"), headers=headers)
    assert reply.status_code == status
    assert _runs(settings) == 0


async def test_a_site_token_uploads_for_its_site_only(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    auth = _token(settings, "sensor", site="Ottawa")
    elsewhere = await client.post(
        URL, json=payload("44:19:b6:00:00:01"), headers={**auth, "Idempotency-Key": KEY}
    )
    assert elsewhere.status_code == 403
    assert "'Ottawa'" in elsewhere.json()["detail"]
    device_elsewhere = payload("44:19:b6:00:00:01", site=None)
    device_elsewhere["assets"][0]["site"] = "Toronto"
    reply = await client.post(URL, json=device_elsewhere, headers={**auth, "Idempotency-Key": KEY})
    assert reply.status_code == 403
    assert _runs(settings) == 0
    unnamed = await client.post(
        URL, json=payload("44:19:b6:00:00:01", site=None), headers={**auth, "Idempotency-Key": KEY}
    )
    assert unnamed.status_code == 201
    engine = open_store(settings.db_url)
    try:
        assert [r.site for r in list_runs(engine)] == ["Ottawa"]
        assert [a.site for a in list_assets(engine)] == ["Ottawa"]
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "screen"},
        {"version": 2},
        {"format": "something.else"},
        {"targets": []},
        {"finished_at": "2026-12-03T03:00:00+00:00"},
        {"started_at": "2026-12-03T04:00:00"},  # no time zone
        {"unknown": 1},
        {"assets": [{"mac": "44:19:b6:00:00:01", "restricted": [{"certainty": 2}]}]},
        {"assets": [{"mac": "44:19:b6:00:00:01", "hostname": "cam\u0000"}]},  # PostgreSQL: no
    ],
)
async def test_a_payload_that_is_not_a_run_is_refused(
    client: httpx.AsyncClient, settings: Settings, change: dict[str, Any]
) -> None:
    body = {**payload("44:19:b6:00:00:01"), **change}
    headers = {**_token(settings, "sensor"), "Idempotency-Key": KEY}
    reply = await client.post(URL, json=body, headers=headers)
    assert reply.status_code == 422, reply.text
    assert _runs(settings) == 0


async def test_bodies_over_the_limit_are_refused_and_gzip_bodies_read(
    settings: Settings,
) -> None:
    small = replace(settings, upload_max_bytes=4000)
    body = json.dumps(payload("44:19:b6:00:00:01")).encode()
    assert len(body) < 4000
    big = json.dumps(payload(*(f"44:19:b6:00:01:{i:02x}" for i in range(20)))).encode()
    headers = {**_token(settings, "sensor"), "Content-Type": "application/json"}
    async with _client(small) as client:
        reply = await client.post(URL, content=big, headers={**headers, "Idempotency-Key": KEY})
        assert reply.status_code == 413
        # compressed below the limit, larger than it once read: refused too
        packed = gzip.compress(big)
        assert len(packed) < 4000
        gz = {**headers, "Idempotency-Key": KEY, "Content-Encoding": "gzip"}
        assert (await client.post(URL, content=packed, headers=gz)).status_code == 413
        assert _runs(settings) == 0
        reply = await client.post(URL, content=gzip.compress(body), headers=gz)
        assert reply.status_code == 201, reply.text
        broken = await client.post(URL, content=b"\x1f\x8b not gzip", headers=gz)
        assert broken.status_code == 400
    assert _runs(settings) == 1
