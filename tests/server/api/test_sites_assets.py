"""``/api/v1/sites`` and ``/api/v1/assets``: what ``clearance sites list`` and ``clearance
assets`` show, with the asset filters (site, restricted, vendor, free text)."""

from __future__ import annotations

import httpx
import pytest

from clearance.store.assets import list_assets
from clearance.store.sites import list_sites
from tests.server.api.conftest import Clients

pytestmark = pytest.mark.anyio

HIKVISION_MACS = ["44:19:b6:00:00:01", "44:19:b6:00:00:02"]


async def test_sites_are_listed_by_name_as_the_cli_shows_them(
    reader: httpx.AsyncClient, clients: Clients
) -> None:
    reply = await reader.get("/api/v1/sites")
    assert reply.status_code == 200
    body = reply.json()
    assert body == {"items": [s.to_json() for s in list_sites(clients.store)], "next_cursor": None}
    assert [s["name"] for s in body["items"]] == ["Depot", "Head Office"]
    office = body["items"][1]
    assert (office["asset_count"], office["active_findings"]) == (2, 2)
    one = await reader.get(f"/api/v1/sites/{office['id']}")
    assert one.json() == office


@pytest.mark.parametrize("site_id", ["999", "0", "99999999999", "hq"])
async def test_an_unknown_site_is_404_and_a_bad_id_422(
    reader: httpx.AsyncClient, site_id: str
) -> None:
    reply = await reader.get(f"/api/v1/sites/{site_id}")
    assert reply.status_code == (404 if site_id == "999" else 422)
    if site_id == "999":
        assert reply.json() == {"detail": "no site 999"}


@pytest.mark.parametrize(
    ("params", "macs"),
    [
        ({}, ["44:19:b6:00:00:01", "44:19:b6:00:00:02", "00:40:8c:00:00:09"]),
        ({"site": "Depot"}, ["00:40:8c:00:00:09"]),
        ({"restricted": "true"}, HIKVISION_MACS),
        ({"restricted": "false"}, ["00:40:8c:00:00:09"]),
        ({"vendor": "AXIS"}, ["00:40:8c:00:00:09"]),
        (
            {"vendor": "hikvision", "site": "Head Office"},
            ["44:19:b6:00:00:01", "44:19:b6:00:00:02"],
        ),
        ({"q": "10.0.0.12"}, ["44:19:b6:00:00:02"]),
        ({"q": "p3245"}, ["00:40:8c:00:00:09"]),
        ({"q": "nothing like it"}, []),
    ],
)
async def test_assets_filter_by_site_restriction_vendor_and_text(
    reader: httpx.AsyncClient, params: dict[str, str], macs: list[str]
) -> None:
    reply = await reader.get("/api/v1/assets", params=params)
    assert reply.status_code == 200
    assert [a["mac"] for a in reply.json()["items"]] == macs


async def test_one_asset_comes_with_its_evidence_and_findings(
    reader: httpx.AsyncClient, clients: Clients
) -> None:
    stored = list_assets(clients.store, restricted=True)[0]
    reply = await reader.get(f"/api/v1/assets/{stored.id}")
    assert reply.status_code == 200
    body = reply.json()
    assert body["evidence"] == stored.to_json()["evidence"]
    assert body["restricted"][0]["listings"][0]["list"] == "us-fcc-covered"
    assert [(f["subject"], f["status"]) for f in body["findings"]] == [
        (f"asset:{stored.id}", "open")
    ]
    assert (await reader.get("/api/v1/assets/4242")).status_code == 404
