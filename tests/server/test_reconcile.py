"""``/reconcile/{dataset}``: the W3C Reconciliation Service API 0.2 as yente serves it (what
OpenRefine sends and reads): manifest, keyed queries screened as ``/match`` screens them,
suggestions by prefix, data extension, refusals."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from clearance.auth.api_tokens import create_token
from clearance.server.app import create_app
from clearance.server.config import ServerConfig
from clearance.server.name_prefixes import NamePrefixes
from clearance.server.reconcile_terms import EXTEND_PROPERTIES, QUERY_PROPERTIES, TYPES
from clearance.server.state import ServerState
from clearance.settings import Settings
from clearance.store.db import open_store

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def client(server_state: ServerState) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(server_state, ServerConfig(open_matching=True))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as test_client:
        yield test_client


async def _reconcile(client: httpx.AsyncClient, queries: dict[str, Any]) -> dict[str, Any]:
    reply = await client.post("/reconcile/default", data={"queries": json.dumps(queries)})
    assert reply.status_code == 200, reply.text
    assert reply.headers["x-batch-size"] == str(len(queries))
    answers: dict[str, Any] = reply.json()
    return answers


async def test_manifest(client: httpx.AsyncClient) -> None:
    reply = await client.get("/reconcile/default", params={"api_key": "k"})
    assert reply.status_code == 200
    assert reply.headers["access-control-allow-origin"] == "*"  # OpenRefine's browser side
    manifest = reply.json()
    assert manifest["versions"] == ["0.2"]
    assert manifest["name"]
    assert manifest["identifierSpace"].startswith("http")
    assert manifest["schemaSpace"].startswith("http")
    assert manifest["view"]["url"] == "http://127.0.0.1/entities/{{id}}"
    assert {t["id"] for t in manifest["defaultTypes"]} == {
        "LegalEntity", "Company", "Organization", "Person",
    }  # fmt: skip
    assert all(set(t) == {"id", "name", "description"} for t in manifest["defaultTypes"])
    service = "http://127.0.0.1/reconcile/default"
    for kind in ("entity", "property", "type"):
        assert manifest["suggest"][kind] == {
            "service_url": service,
            "service_path": f"/suggest/{kind}?api_key=k",  # the query string passed on
        }
    extend = manifest["extend"]
    assert extend["propose_properties"]["service_path"] == "/extend/property?api_key=k"
    assert [s["name"] for s in extend["property_settings"]] == ["limit", "render"]
    # a list's own dataset has its title in the name; an unknown dataset is 404
    one = (await client.get("/reconcile/us-bis-entity-list")).json()
    assert "BIS Entity List" in one["name"]
    assert (await client.get("/reconcile/nope")).status_code == 404


async def test_queries_find_hikvision_and_not_axis(client: httpx.AsyncClient) -> None:
    answers = await _reconcile(
        client,
        {
            "q0": {"query": "海康威视", "type": "Company", "limit": 3},
            "q1": {"query": "Axis Communications AB", "type": "Company"},
        },
    )
    assert set(answers) == {"q0", "q1"}
    top = answers["q0"]["result"][0]
    assert top["id"] == "clearance-hikvision"
    assert top["name"] == "Hangzhou Hikvision Digital Technology Co., Ltd."
    assert top["match"] is True
    assert 0.85 <= top["score"] <= 1  # yente's scale: 0 to 1
    company = {"id": "Company", "name": "Companies", "description": TYPES["Company"][1]}
    assert top["type"] == [company]
    assert "BIS Entity List" in top["description"]
    assert len(answers["q0"]["result"]) <= 3
    assert not any(r["match"] for r in answers["q1"]["result"])


async def test_a_get_with_queries_answers_them(client: httpx.AsyncClient) -> None:
    queries = json.dumps({"q": {"query": "Hikvision"}})
    reply = await client.get("/reconcile/default", params={"queries": queries})
    assert reply.json()["q"]["result"][0]["id"] == "clearance-hikvision"


async def test_properties_refine_the_score(client: httpx.AsyncClient) -> None:
    def query(country: str | None, pid: str = "country") -> dict[str, Any]:
        props = [{"pid": pid, "v": country}] if country else []
        return {"query": "Hikvision", "type": "Company", "properties": props}

    answers = await _reconcile(
        client,
        {
            "none": query(None),
            "cn": query("cn"),
            "se": query("se", pid="Thing:country"),  # yente's qualified property names
            "us": query("us"),
        },
    )

    def score(key: str, entity: str) -> float:
        return next(float(r["score"]) for r in answers[key]["result"] if r["id"] == entity)

    assert answers["none"]["result"][0]["id"] == "clearance-hikvision"
    assert answers["us"]["result"][0]["id"] == "clearance-hikvision-usa"
    assert score("cn", "clearance-hikvision") > score("se", "clearance-hikvision")


async def test_suggest(client: httpx.AsyncClient) -> None:
    url = "/reconcile/default/suggest"
    reply = await client.get(f"{url}/entity", params={"prefix": "hikv"})
    assert reply.headers["access-control-allow-origin"] == "*"
    found = reply.json()
    assert found["code"] == "/api/status/ok"
    assert found["prefix"] == "hikv"
    ids = [r["id"] for r in found["result"]]
    assert ids[0] == "clearance-hikvision"
    assert "clearance-hikvision-usa" in ids
    assert set(found["result"][0]) == {"id", "name", "type", "description"}
    # a word inside a name, and Chinese anywhere in one
    inner = (await client.get(f"{url}/entity", params={"prefix": "Digital Tech"})).json()
    assert "clearance-hikvision" in [r["id"] for r in inner["result"]]
    han = (await client.get(f"{url}/entity", params={"prefix": "海康"})).json()
    assert [r["id"] for r in han["result"]] == ["clearance-hikvision"]
    limited = (await client.get(f"{url}/entity", params={"prefix": "h", "limit": 2})).json()
    assert len(limited["result"]) == 2
    nothing = (await client.get(f"{url}/entity", params={"prefix": "zzzq"})).json()
    assert nothing["result"] == []
    types = (await client.get(f"{url}/type", params={"prefix": "comp"})).json()
    assert [t["id"] for t in types["result"]] == ["Company"]
    props = (await client.get(f"{url}/property", params={"prefix": "coun"})).json()
    assert props["result"] == [{"id": "Thing:country", "name": "Country"}]


async def test_extend(client: httpx.AsyncClient) -> None:
    extend = {
        "ids": [
            "clearance-hikvision",
            "clearance-ofac-30946",
            "clearance-nope",
            "fcc-category-routers",  # a category of equipment: no FtM entity, no values
        ],
        "properties": [
            {"id": "country"},
            {"id": "Thing:country", "settings": {"render": "raw"}},
            {"id": "datasets", "settings": {"render": "raw"}},
            {"id": "listings", "settings": {"limit": 1}},
            {"id": "no-such-property"},
        ],
    }
    reply = await client.post("/reconcile/default", data={"extend": json.dumps(extend)})
    assert reply.status_code == 200, reply.text
    data = reply.json()
    assert [m["id"] for m in data["meta"]] == ["country", "Thing:country", "datasets", "listings"]
    row = data["rows"]["clearance-hikvision"]
    assert row["country"] == [{"str": "China"}]
    assert row["Thing:country"] == [{"str": "cn"}]
    assert {"str": "us-bis-entity-list"} in row["datasets"]
    assert len(row["listings"]) == 1
    assert ": " in row["listings"][0]["str"]
    # a record merged into Hikvision answers with Hikvision's values; an unknown id with none
    assert data["rows"]["clearance-ofac-30946"] == row
    assert data["rows"]["clearance-nope"] == {}
    assert data["rows"]["fcc-category-routers"] == {}
    proposed = await client.get("/reconcile/default/extend/property", params={"type": "Company"})
    assert proposed.status_code == 200
    ids = [p["id"] for p in proposed.json()["properties"]]
    assert {"country", "datasets", "listings", "isinCode"} <= set(ids)
    assert "passportNumber" not in ids
    bad = await client.get("/reconcile/default/extend/property", params={"type": "Vessel"})
    assert bad.status_code == 400


async def test_a_batch_over_100_is_refused(client: httpx.AsyncClient) -> None:
    queries = {f"q{i}": {"query": "Hikvision"} for i in range(101)}
    reply = await client.post("/reconcile/default", data={"queries": json.dumps(queries)})
    assert reply.status_code == 422
    assert "Too many queries" in reply.json()["detail"]
    extend = {"ids": [f"clearance-{i}" for i in range(101)], "properties": [{"id": "country"}]}
    reply = await client.post("/reconcile/default", data={"extend": json.dumps(extend)})
    assert reply.status_code == 422


@pytest.mark.parametrize(
    ("field", "value", "loc"),
    [
        ("queries", "{not json", ["body", "queries"]),
        ("queries", '["a list"]', ["body", "queries"]),
        ("queries", '{"q": {"query": "x", "limit": "many"}}', ["body", "queries", "q", "limit"]),
        ("extend", '{"ids": "x"', ["body", "extend"]),
    ],
)
async def test_a_field_that_does_not_parse_is_422_naming_it(
    client: httpx.AsyncClient, field: str, value: str, loc: list[str]
) -> None:
    reply = await client.post("/reconcile/default", data={field: value})
    assert reply.status_code == 422
    assert reply.json()["detail"][0]["loc"] == loc


async def test_a_type_clearance_does_not_screen_is_400(client: httpx.AsyncClient) -> None:
    queries = {"q": {"query": "Hikvision", "type": "Vessel"}}
    reply = await client.post("/reconcile/default", data={"queries": json.dumps(queries)})
    assert reply.status_code == 400
    assert "Vessel" in reply.json()["detail"]


async def test_closed_matching_wants_a_token_that_may_match(
    server_state: ServerState, tmp_path: Path
) -> None:
    settings = replace(Settings.from_env(), db_url=f"sqlite:///{tmp_path / 'store.sqlite'}")
    engine = open_store(settings.db_url)
    try:
        secrets = {
            role: create_token(engine, name=f"t-{role}", role=role, user="test")[1]
            for role in ("read", "sensor")
        }
    finally:
        engine.dispose()
    app = create_app(server_state, ServerConfig(settings=settings, open_matching=False))
    transport = httpx.ASGITransport(app=app)
    paths = ("", "/suggest/entity", "/suggest/property", "/suggest/type", "/extend/property")
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as closed:
        for path in paths:
            assert (await closed.get(f"/reconcile/default{path}")).status_code == 401
        assert (await closed.post("/reconcile/default", data={"queries": "{}"})).status_code == 401
        for role, status in (("sensor", 403), ("read", 200)):
            headers = {"Authorization": f"ApiKey {secrets[role]}"}
            for path in paths:
                reply = await closed.get(f"/reconcile/default{path}", headers=headers)
                assert reply.status_code == status, (role, path)
            data = {"queries": json.dumps({"q": {"query": "Hikvision"}})}
            reply = await closed.post("/reconcile/default", data=data, headers=headers)
            assert reply.status_code == status


def test_name_prefixes_rank_whole_names_first() -> None:
    prefixes = NamePrefixes(
        [("a", "Société Générale"), ("b", "Generali Group"), ("c", "Big General Stores")]
    )
    assert prefixes.find("GENERAL", 10) == ["b", "a", "c"]
    assert prefixes.find("societe", 10) == ["a"]
    assert prefixes.find("eneral", 10) == []  # a word's start, not its middle
    assert prefixes.find(" ", 10) == []


def test_the_vocabulary_is_followthemoneys() -> None:
    model = pytest.importorskip("followthemoney").model
    for name, (plural, description) in TYPES.items():
        schema = model.get(name)
        assert (schema.plural, schema.description.strip()) == (plural, description)
    for qname, label in QUERY_PROPERTIES.items():
        schema_name, _, prop_name = qname.partition(":")
        assert model.get(schema_name).get(prop_name).label == label
    company, person = model.get("Company"), model.get("Person")
    for prop, label in EXTEND_PROPERTIES.items():
        if prop in {"datasets", "listings"}:  # Clearance's, not FtM properties
            continue
        found = company.get(prop) or person.get(prop)
        assert found is not None
        assert found.label == label
