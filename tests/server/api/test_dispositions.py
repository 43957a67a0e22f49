"""``/api/v1/dispositions``: a reviewer decides a screening hit (as ``dispositions mark``);
the supplier's finding follows; the decisions are listed."""

from __future__ import annotations

import pytest

from clearance.store.audit import list_audit
from clearance.store.findings import list_findings
from tests.server.api.conftest import ZTE_SUPPLIER, Clients

pytestmark = pytest.mark.anyio


CLEAR = {
    "query": ZTE_SUPPLIER["query"],
    "entity_id": "zte",
    "decision": "false_positive",
    "reason": "another company (other USCC)",
}


async def test_a_reviewer_confirms_a_hit_and_the_finding_follows(clients: Clients) -> None:
    body = {**CLEAR, "decision": "confirmed", "reason": "same USCC"}
    async with clients.as_role("reviewer") as reviewer:
        reply = await reviewer.post("/api/v1/dispositions", json=body)
        assert reply.status_code == 201, reply.text
        made = reply.json()
        assert (made["decision"], made["user"], made["approval"]) == (
            "confirmed",
            "reviewer-person",
            None,
        )
        listed = (await reviewer.get("/api/v1/dispositions")).json()
        assert listed == {"items": [made], "next_cursor": None}
        by_query = await reviewer.get("/api/v1/dispositions", params={"query": "nobody"})
        assert by_query.json()["items"] == []
    (entry,) = list_audit(clients.store, action="disposition.record")
    assert entry.user == "reviewer-person"


async def test_clearing_a_strong_hit_waits_for_a_second_reviewer(clients: Clients) -> None:
    async with clients.as_role("reviewer") as reviewer:
        made = (await reviewer.post("/api/v1/dispositions", json=CLEAR)).json()
        assert (made["approval"], made["score"]) == ("pending", 0.97)  # four eyes from 0.85
        pending = await reviewer.get("/api/v1/dispositions", params={"pending": "true"})
        assert [d["id"] for d in pending.json()["items"]] == [made["id"]]
        assert list_findings(clients.store, kind="supplier")[0].status == "open"
        url = f"/api/v1/dispositions/{made['id']}/approve"
        own = await reviewer.post(url, json={"reason": "I checked"})
        assert own.status_code == 403
        assert "second reviewer" in own.json()["detail"]
    async with clients.as_role("editor") as second:
        assert (await second.post(url, json={"reason": " "})).status_code == 422
        approved = await second.post(url, json={"reason": "checked the USCC"})
        assert approved.status_code == 200, approved.text
        assert approved.json()["approved_by"] == "editor-person"
        again = await second.post(url, json={"reason": "twice"})
        assert again.status_code == 422  # no longer waiting
        missing = await second.post("/api/v1/dispositions/999/reject", json={"reason": "x"})
        assert missing.status_code == 404
    assert list_findings(clients.store, kind="supplier")[0].status == "false_positive"


async def test_a_rejected_clearance_decides_nothing(clients: Clients) -> None:
    async with clients.as_role("reviewer") as reviewer:
        made = (await reviewer.post("/api/v1/dispositions", json=CLEAR)).json()
    async with clients.as_role("admin") as second:
        url = f"/api/v1/dispositions/{made['id']}/reject"
        rejected = await second.post(url, json={"reason": "same address as the listed firm"})
    assert rejected.status_code == 200
    assert rejected.json()["approval"] == "rejected"
    assert list_findings(clients.store, kind="supplier")[0].status == "open"


@pytest.mark.parametrize(
    ("change", "status"),
    [({"entity_id": "no-such-entity"}, 404), ({"decision": "maybe"}, 422), ({"reason": " "}, 422)],
)
async def test_a_bad_decision_is_refused(
    clients: Clients, change: dict[str, str], status: int
) -> None:
    body = {"query": "ZTE", "entity_id": "zte", "decision": "confirmed", "reason": "same USCC"}
    async with clients.as_role("reviewer") as reviewer:
        reply = await reviewer.post("/api/v1/dispositions", json={**body, **change})
    assert reply.status_code == status
