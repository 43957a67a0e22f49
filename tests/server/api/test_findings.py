"""``/api/v1/findings``: the list with ``findings list``'s filters, one finding with its
evidence and history, a change with the lifecycle's rules (422 with the reason for a refused
one), and bulk changes, all or none."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from clearance.store.audit import list_audit
from clearance.store.findings import list_findings
from clearance.store.schema import findings
from tests.server.api.conftest import Clients

pytestmark = pytest.mark.anyio


def _ids(clients: Clients, **filters: Any) -> list[int]:
    return [f.id for f in list_findings(clients.store, **filters)]


async def test_the_list_holds_what_the_cli_lists(
    reader: httpx.AsyncClient, clients: Clients
) -> None:
    reply = await reader.get("/api/v1/findings")
    assert reply.status_code == 200, reply.text
    expected = [f.to_json() for f in list_findings(clients.store)]
    assert reply.json() == {"items": expected, "next_cursor": None}
    assert [f["kind"] for f in expected] == ["device", "device", "supplier"]


async def test_the_list_filters_as_findings_list_does(
    reader: httpx.AsyncClient, clients: Clients
) -> None:
    device, other, supplier = _ids(clients)
    yesterday = date.today() - timedelta(days=1)
    with clients.store.begin() as conn:  # one device overdue, for someone
        conn.execute(
            update(findings)
            .where(findings.c.id == device)
            .values(status="replacement_planned", owner="IT", due_date=yesterday)
        )

    async def ids(**params: str) -> list[int]:
        reply = await reader.get("/api/v1/findings", params=params)
        assert reply.status_code == 200, reply.text
        return [f["id"] for f in reply.json()["items"]]

    assert await ids(kind="supplier") == [supplier]
    assert await ids(site="Head Office") == [device, other]
    assert await ids(status="open") == [other, supplier]
    assert await ids(owner="IT") == [device]
    assert await ids(overdue="true") == [device]
    assert await ids(vendor="zte") == [supplier]
    assert await ids(vendor="Hikvision Digital") == [device, other]
    assert await ids(entity="hikvision", status="open") == [other]
    assert await ids(list="us-fcc-covered") == [device, other, supplier]
    assert await ids(list="us-ndaa-889") == []
    assert await ids(active="true") == [device, other, supplier]
    assert (await reader.get("/api/v1/findings", params={"status": "gone"})).status_code == 422
    assert await ids(vendor="", site=" ") == [device, other, supplier]  # empty form fields
    assert (await reader.get("/api/v1/findings", params={"site": "x" * 501})).status_code == 422


async def test_one_finding_has_its_evidence_listings_and_history(
    writer: httpx.AsyncClient, clients: Clients
) -> None:
    device = _ids(clients, kind="device")[0]
    patch = {"status": "replacement_planned", "owner": "IT", "due_date": "2031-03-31"}
    assert (await writer.patch(f"/api/v1/findings/{device}", json=patch)).status_code == 200
    reply = await writer.get(f"/api/v1/findings/{device}")
    assert reply.status_code == 200
    body = reply.json()
    assert body["asset"]["evidence"] == [{"kind": "make", "value": "Hikvision", "rule": None}]
    listing = body["detail"]["attribution"]["listings"][0]
    assert listing["source_url"] == "https://www.fcc.gov/supplychain/coveredlist"
    assert [n["status_to"] for n in body["notes"]] == ["replacement_planned"]
    assert [e["action"] for e in body["history"]] == ["finding.open", "finding.replacement_planned"]
    assert body["history"][-1]["user"] == "token:write"
    assert body["attachments"] == []
    assert (await writer.get("/api/v1/findings/9999")).status_code == 404


async def test_a_change_follows_the_lifecycle_and_is_audited_as_the_caller(
    writer: httpx.AsyncClient, clients: Clients
) -> None:
    fid = _ids(clients, kind="device")[0]
    body = {"status": "replacement_planned", "owner": "IT", "due_date": "2031-03-31", "note": "x"}
    reply = await writer.patch(f"/api/v1/findings/{fid}", json=body)
    assert reply.status_code == 200
    changed = reply.json()
    assert (changed["status"], changed["owner"], changed["due_date"]) == (
        "replacement_planned",
        "IT",
        "2031-03-31",
    )
    assert changed["note"] == "x"
    (entry,) = list_audit(clients.store, action="finding.replacement_planned")
    assert (entry.user, entry.object_id) == ("token:write", str(fid))


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"status": "replacement_planned"}, "needs owner, due_date"),
        ({"status": "verified"}, "set by a later run"),
        ({"status": "exception_granted", "justification": "lab", "approver": "CISO"}, "expires"),
        ({}, "nothing to change"),
    ],
)
async def test_a_refused_change_is_422_with_the_reason_and_changes_nothing(
    writer: httpx.AsyncClient, clients: Clients, body: dict[str, str], reason: str
) -> None:
    fid = _ids(clients, kind="device")[0]
    reply = await writer.patch(f"/api/v1/findings/{fid}", json=body)
    assert reply.status_code == 422
    assert reason in reply.json()["detail"]
    assert list_findings(clients.store, ids=[fid])[0].status == "open"
    assert list_audit(clients.store, object_type="finding", action="finding.r") == []


@pytest.mark.parametrize(
    "body",
    [
        {"status": "closed"},
        {"due_date": "next week"},
        {"owner": "   "},
        {"colour": "red"},
        {"owner": "J. Smith\x00"},  # PostgreSQL's text cannot hold a NUL: 422, not 503
        {"note": "a\x00b"},
    ],
)
async def test_a_malformed_change_is_422(
    writer: httpx.AsyncClient, clients: Clients, body: dict[str, str]
) -> None:
    fid = _ids(clients)[0]
    assert (await writer.patch(f"/api/v1/findings/{fid}", json=body)).status_code == 422


async def test_an_unknown_finding_is_404(writer: httpx.AsyncClient) -> None:
    reply = await writer.patch("/api/v1/findings/9999", json={"note": "hello"})
    assert (reply.status_code, reply.json()) == (404, {"detail": "no finding 9999"})


async def test_bulk_changes_the_findings_chosen_by_ids_and_filter(
    writer: httpx.AsyncClient, clients: Clients
) -> None:
    devices = _ids(clients, kind="device")
    change = {"status": "replacement_planned", "owner": "Facilities", "due_date": "2031-01-01"}
    body = {"filter": {"site": "Head Office"}, "change": change}
    reply = await writer.post("/api/v1/findings/bulk", json=body)
    assert reply.status_code == 200, reply.text
    result = reply.json()
    assert [c["id"] for c in result["changes"]] == devices
    assert {f["status"] for f in result["items"]} == {"replacement_planned"}
    audited = list_audit(clients.store, action="finding.replacement_planned")
    assert [(e.user, int(e.object_id)) for e in audited] == [("token:write", i) for i in devices]


async def test_bulk_is_all_or_nothing(writer: httpx.AsyncClient, clients: Clients) -> None:
    first, second, _ = _ids(clients)
    with clients.store.begin() as conn:  # the second one is removed: it can only reopen
        conn.execute(update(findings).where(findings.c.id == second).values(status="removed"))
    change = {"status": "replacement_planned", "owner": "IT", "due_date": "2031-01-01"}
    reply = await writer.post(
        "/api/v1/findings/bulk", json={"ids": [first, second], "change": change}
    )
    assert reply.status_code == 422
    assert f"finding {second} is removed" in reply.json()["detail"]
    assert [f.status for f in list_findings(clients.store)] == ["open", "removed", "open"]
    assert list_audit(clients.store, action="finding.replacement_planned") == []


async def test_bulk_dry_run_changes_nothing(writer: httpx.AsyncClient, clients: Clients) -> None:
    ids = _ids(clients)
    body = {"ids": ids, "change": {"owner": "IT"}, "dry_run": True}
    reply = await writer.post("/api/v1/findings/bulk", json=body)
    assert reply.status_code == 200
    assert [c["after"] for c in reply.json()["changes"]] == [{"owner": "IT"}] * 3
    assert {f.owner for f in list_findings(clients.store)} == {None}


@pytest.mark.parametrize(
    "body",
    [
        {"change": {"owner": "IT"}},
        {"filter": {"site": "Nowhere"}, "change": {"owner": "IT"}},
        {"ids": [9999], "change": {"owner": "IT"}},
    ],
)
async def test_bulk_refuses_an_empty_or_unknown_choice(
    writer: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    reply = await writer.post("/api/v1/findings/bulk", json=body)
    assert reply.status_code == (404 if "ids" in body else 422)


async def test_a_false_positive_supplier_finding_needs_a_reason_and_a_second_reviewer(
    clients: Clients,
) -> None:
    supplier = _ids(clients, kind="supplier")[0]
    async with clients.as_role("editor") as editor:
        bare = await editor.patch(f"/api/v1/findings/{supplier}", json={"status": "false_positive"})
        assert bare.status_code == 422
        assert "needs --note" in bare.json()["detail"]
        body = {"status": "false_positive", "note": "another company"}
        reply = await editor.patch(f"/api/v1/findings/{supplier}", json=body)
        assert reply.status_code == 200
        assert reply.json()["status"] == "open"  # the hit scores 0.97: four eyes
        pending = await editor.get("/api/v1/dispositions", params={"pending": "true"})
    (decision,) = pending.json()["items"]
    assert (decision["user"], decision["reason"]) == ("editor-person", "another company")
    async with clients.as_role("reviewer") as reviewer:
        url = f"/api/v1/dispositions/{decision['id']}/approve"
        assert (await reviewer.post(url, json={"reason": "agreed"})).status_code == 200
        closed = await reviewer.get(f"/api/v1/findings/{supplier}")
    assert closed.json()["status"] == "false_positive"


async def test_a_write_token_may_not_decide_a_supplier_hit(
    writer: httpx.AsyncClient, clients: Clients
) -> None:
    supplier = _ids(clients, kind="supplier")[0]
    body = {"status": "false_positive", "note": "another company"}
    reply = await writer.patch(f"/api/v1/findings/{supplier}", json=body)
    assert reply.status_code == 403
    assert "findings.clear_hit" in reply.json()["detail"]
    assert list_findings(clients.store, ids=[supplier])[0].status == "open"


async def test_pages_walk_every_finding_once_with_findings_added_between(
    reader: httpx.AsyncClient, clients: Clients
) -> None:
    from clearance.store.recording import save_assets
    from tests.store.factories import camera

    before = set(_ids(clients))
    seen: list[int] = []
    params = {"limit": "2"}
    for n in range(100):
        reply = await reader.get("/api/v1/findings", params=params)
        assert reply.status_code == 200
        page = reply.json()
        assert len(page["items"]) <= 2
        seen += [f["id"] for f in page["items"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
        mac = f"44:19:b6:00:01:{n:02x}"  # a new camera, a new finding, between two pages
        save_assets(clients.store, [camera(mac, None)], kind="scan", targets=[mac], user="t")
    assert len(seen) == len(set(seen))
    assert before <= set(seen)
    assert len(seen) > len(before)  # some added while walking were reached too
    assert seen == sorted(seen)
    assert (await reader.get("/api/v1/findings", params={"cursor": "bm9wZQ"})).status_code == 422
    assert (await reader.get("/api/v1/findings", params={"limit": "501"})).status_code == 422


async def test_with_a_profile_findings_carry_it_and_mark_binding_listings(
    reader: httpx.AsyncClient, clients: Clients
) -> None:
    from clearance.profile import OrganisationProfile
    from clearance.store.profile import save_profile

    profile = OrganisationProfile(name="SSC", jurisdiction="CA", sector="federal-government")
    save_profile(clients.store, profile, user="setup")
    listed = (await reader.get("/api/v1/findings")).json()["items"]
    assert all(f["profile"]["jurisdiction"] == "CA" for f in listed)
    listing = listed[0]["detail"]["attribution"]["listings"][0]
    assert listing["list"] == "us-fcc-covered"
    assert listing["binding"] is False  # a US list does not bind a Canadian department
    one = (await reader.get(f"/api/v1/findings/{listed[0]['id']}")).json()
    assert one["profile"] == listed[0]["profile"]
