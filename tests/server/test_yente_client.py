"""The yente-client package, unchanged, against Clearance's server on loopback."""

from __future__ import annotations

import httpx
import pytest
from yente_client import Client
from yente_client.entities import Company


def test_hikvision_in_chinese_is_a_match_with_explanations(base_url: str) -> None:
    with Client(base_url=base_url) as client:
        response = client.match(Company(name=["海康威视"]))
    top = response.results[0]
    assert top.id == "clearance-hikvision"
    assert "Hikvision" in top.caption
    assert top.match is True
    assert top.schema_ == "Company"
    assert "us-bis-entity-list" in top.datasets
    details = [f.detail for f in top.explanations.values()]
    assert any(d and "海康威视" in d for d in details)
    assert response.total.value >= 1


def test_axis_communications_is_no_match(base_url: str) -> None:
    with Client(base_url=base_url) as client:
        response = client.match(Company(name=["Axis Communications AB"]))
    assert not [r for r in response.results if r.match]


def test_catalog_lists_the_lists_and_default(base_url: str, server_state: object) -> None:
    with Client(base_url=base_url) as client:
        catalog = client.datasets()
    names = {d.name for d in catalog.datasets}
    assert "default" in names
    assert {"us-bis-entity-list", "us-fcc-covered"} <= names
    default = next(d for d in catalog.datasets if d.name == "default")
    assert set(default.children) == names - {"default"}


def test_algorithms(base_url: str) -> None:
    with Client(base_url=base_url) as client:
        algorithms = client.algorithms()
    assert algorithms.best == algorithms.default == algorithms.algorithms[0].name


def test_over_100_queries_is_refused(base_url: str) -> None:
    queries = {f"q{i}": {"schema": "Company", "properties": {"name": ["Acme"]}} for i in range(101)}
    reply = httpx.post(f"{base_url}/match/default", json={"queries": queries})
    assert reply.status_code == 422
    queries.pop("q0")
    reply = httpx.post(f"{base_url}/match/default", json={"queries": queries}, timeout=60)
    assert reply.status_code == 200
    assert len(reply.json()["responses"]) == 100


def test_merged_id_redirects_to_the_surviving_entity(base_url: str) -> None:
    reply = httpx.get(f"{base_url}/entities/clearance-ofac-30946")
    assert reply.status_code == 308
    assert reply.headers["location"] == "/entities/clearance-hikvision"
    with Client(base_url=base_url) as client:
        entity = client.fetch("clearance-ofac-30946")  # the client follows the redirect
    assert entity.id == "clearance-hikvision"
    assert entity.referents == ["clearance-ofac-30946"]
    assert httpx.get(f"{base_url}/entities/no-such-thing").status_code == 404


@pytest.mark.parametrize("dataset", ["us-fcc-covered", "default"])
def test_dataset_filters_results(base_url: str, dataset: str) -> None:
    body = {"queries": {"a": {"schema": "Company", "properties": {"name": ["Hikvision"]}}}}
    reply = httpx.post(f"{base_url}/match/{dataset}", json=body).json()
    assert all(
        dataset == "default" or dataset in r["datasets"] for r in reply["responses"]["a"]["results"]
    )
    assert reply["responses"]["a"]["results"]
    assert httpx.post(f"{base_url}/match/nope", json=body).status_code == 404
