"""``GET /api/v1/runs`` and ``GET /api/v1/runs/{id}``: the runs ``clearance history`` shows,
filtered and paginated, and one run with what it saw."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from clearance.server.pagination import encode_cursor
from clearance.store import open_store
from clearance.store.runs import history
from tests.server.sample_store import ApiStore

pytestmark = pytest.mark.anyio


async def _all(api: httpx.AsyncClient, headers: dict[str, str], **params: object) -> list[dict]:
    items: list[dict] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        reply = await api.get("/api/v1/runs", params=query, headers=headers)
        assert reply.status_code == 200, reply.text
        page = reply.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


async def test_runs_are_listed_oldest_first_and_paged(
    api: httpx.AsyncClient, api_store: ApiStore
) -> None:
    headers = api_store.auth("read")
    whole = await _all(api, headers)
    assert [r["kind"] for r in whole] == ["scan", "scan", "scan", "identify", "screen"]
    assert [r["id"] for r in whole] == sorted(r["id"] for r in whole)
    paged = await _all(api, headers, limit=2)
    assert paged == whole
    first = (await api.get("/api/v1/runs?limit=2", headers=headers)).json()
    assert len(first["items"]) == 2
    assert first["next_cursor"]
    assert whole[0]["user"] == "ana"
    assert whole[0]["site"] == "HQ"
    assert whole[1]["summary"]["assets_missing"] == 1


async def test_runs_are_filtered_by_kind_site_and_start(
    api: httpx.AsyncClient, api_store: ApiStore
) -> None:
    headers = api_store.auth("viewer")
    assert [r["kind"] for r in await _all(api, headers, kind="screen")] == ["screen"]
    hq = await _all(api, headers, site="HQ")
    assert [r["site"] for r in hq] == ["HQ"] * 3
    assert await _all(api, headers, site="Nowhere") == []
    later = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    assert await _all(api, headers, since=later) == []
    earlier = (datetime.now(UTC) - timedelta(days=1)).replace(tzinfo=None).isoformat()
    assert len(await _all(api, headers, since=earlier)) == 5
    bad = await api.get("/api/v1/runs", params={"kind": "audit"}, headers=headers)
    assert bad.status_code == 422
    # times that UTC cannot hold are refused, not a server error
    for edge in ("9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"):
        reply = await api.get("/api/v1/runs", params={"since": edge}, headers=headers)
        assert reply.status_code == 422, edge


async def test_a_cursor_of_another_list_is_refused(
    api: httpx.AsyncClient, api_store: ApiStore
) -> None:
    headers = api_store.auth("read")
    diff = (await api.get("/api/v1/registry/diff?limit=1", headers=headers)).json()
    cursor = diff["next_cursor"]
    assert cursor
    reply = await api.get("/api/v1/runs", params={"cursor": cursor}, headers=headers)
    assert reply.status_code == 422
    # a run id past what the database holds
    huge = encode_cursor((2**70,))
    reply = await api.get("/api/v1/runs", params={"cursor": huge}, headers=headers)
    assert reply.status_code == 422


async def test_one_run_with_its_sightings(api: httpx.AsyncClient, api_store: ApiStore) -> None:
    headers = api_store.auth("read")
    runs = await _all(api, headers, site="HQ")
    second = (await api.get(f"/api/v1/runs/{runs[1]['id']}", headers=headers)).json()
    assert second["kind"] == "scan"
    assert second["scope"]["targets"] == ["10.0.0.0/24"]
    sightings = second["sightings"]
    assert sightings["seen"] == 2
    assert sightings["previous_run"] == runs[0]["id"]
    assert (sightings["new_count"], sightings["gone_count"], sightings["reappeared_count"]) == (
        1,
        1,
        0,
    )
    assert sightings["gone"][0]["subject"].startswith("asset:")
    assert "10.0.0.2" in sightings["gone"][0]["label"]
    third = (await api.get(f"/api/v1/runs/{runs[2]['id']}", headers=headers)).json()
    assert [s["label"] for s in third["sightings"]["reappeared"]] == [sightings["gone"][0]["label"]]
    # the same as `clearance history` says of these runs
    engine = open_store(api_store.settings.db_url)
    try:
        said = {c.run.id: c for c in history(engine)}
    finally:
        engine.dispose()
    for run in (second, third):
        changes = said[run["id"]]
        for key in ("new", "gone", "reappeared"):
            assert [s["subject"] for s in run["sightings"][key]] == getattr(changes, key)
        assert run["summary"] == changes.run.summary


async def test_an_unknown_run_is_404(api: httpx.AsyncClient, api_store: ApiStore) -> None:
    headers = api_store.auth("read")
    assert (await api.get("/api/v1/runs/9999", headers=headers)).status_code == 404
    assert (await api.get("/api/v1/runs/0", headers=headers)).status_code == 422
    huge = await api.get(f"/api/v1/runs/{2**70}", headers=headers)
    assert huge.status_code == 422
