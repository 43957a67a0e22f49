"""``/api/v1/dispositions``: a reviewer decides a screening hit (as ``dispositions mark``);
the supplier's finding follows; the decisions are listed."""

from __future__ import annotations

import pytest

from clearance.store.findings import list_findings
from tests.server.api.conftest import ZTE_SUPPLIER, Clients

pytestmark = pytest.mark.anyio


async def test_a_reviewer_decides_a_hit_and_the_finding_follows(clients: Clients) -> None:
    body = {
        "query": ZTE_SUPPLIER["query"],
        "entity_id": "zte",
        "decision": "false_positive",
        "reason": "another company (other USCC)",
    }
    async with clients.as_role("reviewer") as reviewer:
        reply = await reviewer.post("/api/v1/dispositions", json=body)
        assert reply.status_code == 201, reply.text
        made = reply.json()
        assert (made["decision"], made["user"]) == ("false_positive", "reviewer-person")
        listed = (await reviewer.get("/api/v1/dispositions")).json()
        assert listed == {"items": [made], "next_cursor": None}
        by_query = await reviewer.get("/api/v1/dispositions", params={"query": "nobody"})
        assert by_query.json()["items"] == []
    assert list_findings(clients.store, kind="supplier")[0].status == "false_positive"


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
