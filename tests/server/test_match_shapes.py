"""``POST /match/{dataset}`` field for field as yente 5.x: refusals, filters, the echoed
query, ``matcher`` and ``x-batch-size``; ``/search`` and ``/entities`` shapes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest


def _body(name: str, schema: str = "Company", **props: Any) -> dict[str, Any]:
    return {"queries": {"q": {"schema": schema, "properties": {"name": name, **props}}}}


def _results(reply: httpx.Response) -> list[dict[str, Any]]:
    assert reply.status_code == 200, reply.text
    return list(reply.json()["responses"]["q"]["results"])


def test_response_envelope(base_url: str) -> None:
    reply = httpx.post(f"{base_url}/match/default", json=_body("Hikvision", country="cn"))
    data = reply.json()
    assert reply.headers["x-batch-size"] == "1"
    assert set(data) == {"responses", "matcher", "limit"}
    assert data["limit"] == 5
    entry = data["responses"]["q"]
    assert entry["status"] == 200
    # a single value is echoed as a list, as yente's EntityExample reads it
    assert entry["query"] == {
        "id": None,
        "schema": "Company",
        "properties": {"name": ["Hikvision"], "country": ["cn"]},
    }
    top = entry["results"][0]
    assert set(top) >= {
        "id", "caption", "schema", "properties", "datasets", "referents", "target",
        "first_seen", "last_seen", "last_change", "score", "match", "features", "explanations",
    }  # fmt: skip
    assert set(top["features"]) <= set(data["matcher"])


@pytest.mark.parametrize(
    ("body", "params"),
    [
        (_body("Hikvision", schema="Vessel"), {}),  # not a party
        ({"queries": {}}, {}),
        ({"queries": {"q": {"schema": "Company", "properties": {"country": ["cn"]}}}}, {}),
        (_body("Hikvision"), {"algorithm": "logic-v1"}),
        ({**_body("Hikvision"), "config": {"nm_number_mismatch": 0.5}}, {}),
    ],
)
def test_queries_that_cannot_be_matched_are_400(
    base_url: str, body: dict[str, Any], params: dict[str, str]
) -> None:
    reply = httpx.post(f"{base_url}/match/default", json=body, params=params)
    assert reply.status_code == 400
    assert reply.json()["detail"]


def test_threshold_sets_match_not_the_results(base_url: str) -> None:
    strict = _results(
        httpx.post(f"{base_url}/match/default", json=_body("Hikvision"), params={"threshold": 1})
    )
    assert strict
    assert all(r["match"] == (r["score"] >= 1) for r in strict)


def test_filters(base_url: str) -> None:
    url = f"{base_url}/match/default"
    found = _results(httpx.post(url, json=_body("Hikvision")))
    assert found[0]["id"] == "clearance-hikvision"
    # an excluded referent excludes the entity it was merged into
    params: dict[str, Any] = {"exclude_entity_ids": ["clearance-ofac-30946"]}
    assert "clearance-hikvision" not in {
        r["id"] for r in _results(httpx.post(url, json=_body("Hikvision"), params=params))
    }
    params = {"exclude_dataset": ["us-bis-entity-list"]}
    left = _results(httpx.post(url, json=_body("Hikvision"), params=params))
    assert all("us-bis-entity-list" not in r["datasets"] for r in left)
    params = {"topics": ["no.such.topic"]}
    assert _results(httpx.post(url, json=_body("Hikvision"), params=params)) == []
    params = {"exclude_schema": ["Company"]}
    assert all(
        r["schema"] != "Company"
        for r in _results(httpx.post(url, json=_body("Hikvision"), params=params))
    )


def test_search(base_url: str) -> None:
    data = httpx.get(f"{base_url}/search/default", params={"q": "Hikvision"}).json()
    assert data["results"][0]["id"] == "clearance-hikvision"
    assert data["total"]["value"] >= 1
    assert (data["limit"], data["offset"]) == (10, 0)
    assert httpx.get(f"{base_url}/search/nope", params={"q": "x"}).status_code == 404


def test_entity_by_id(base_url: str) -> None:
    data = httpx.get(f"{base_url}/entities/clearance-hikvision").json()
    assert data["schema"] == "Company"
    assert "海康威视" in data["properties"]["alias"]
    assert data["referents"] == ["clearance-ofac-30946"]


def test_categories_of_equipment_are_not_served(base_url: str) -> None:
    # FCC Covered List categories have no FtM schema (the FtM export leaves them out): the
    # server finds no such entity instead of failing with 500.
    name = "Foreign-produced routers"
    assert httpx.get(f"{base_url}/entities/clearance-fcc-category-routers").status_code == 404
    assert httpx.get(f"{base_url}/entities/fcc-category-routers").status_code == 404
    found = httpx.get(f"{base_url}/search/default", params={"q": name})
    assert found.status_code == 200, found.text
    assert all(r["schema"] != "Category" for r in found.json()["results"])
    assert "clearance-fcc-category-routers" not in {r["id"] for r in found.json()["results"]}
    matched = _results(httpx.post(f"{base_url}/match/default", json=_body(name, "LegalEntity")))
    assert "clearance-fcc-category-routers" not in {r["id"] for r in matched}


@pytest.mark.parametrize(("name", "topics"), [("Hikvision", None), ("Huawei", ["mil"])])
def test_total_counts_every_result_past_the_limit(
    base_url: str, name: str, topics: list[str] | None
) -> None:
    # entities are made only for the results returned; the total still counts all of them,
    # with a filter (which needs the entity to decide) and without
    params: dict[str, Any] = {"cutoff": 0.0, "limit": 50}
    if topics:
        params["topics"] = topics
    wide = httpx.post(f"{base_url}/match/default", json=_body(name), params=params)
    every = _results(wide)
    assert len(every) >= 2
    total = wide.json()["responses"]["q"]["total"]["value"]
    assert total == len(every)
    narrow = httpx.post(
        f"{base_url}/match/default", json=_body(name), params={**params, "limit": 1}
    )
    assert narrow.json()["responses"]["q"]["total"]["value"] == total
    assert [r["id"] for r in _results(narrow)] == [every[0]["id"]]
