"""The review queue holds the hits nobody has decided, and clearances waiting for a second
reviewer; decided hits leave it and come back when the entity's listings change."""

from __future__ import annotations

from sqlalchemy import Engine

from clearance.store.recording import save_screening
from clearance.store.review_queue import review_queue
from clearance.store.suppliers import dispose_hit, review_hit
from tests.store.factories import FCC, NDAA, screening

ZTE = screening("ZTE Kangxun Telecom", ("zte", "ZTE Corporation", [FCC]))
HIK = screening("Hikvision reseller", ("hikvision", "Hikvision", [NDAA]), status="review")


def test_the_queue_follows_decisions_and_approvals(engine: Engine) -> None:
    save_screening(engine, [ZTE, HIK], targets=["suppliers.csv"], user="analyst")
    queue = review_queue(engine)
    assert [(i.query, i.waiting) for i in queue] == [
        ("ZTE Kangxun Telecom", "decision"),
        ("Hikvision reseller", "decision"),
    ]
    assert queue[0].to_json()["listings"][0]["list"] == FCC.list_id

    dispose_hit(engine, HIK["query"], "hikvision", "confirmed", "same firm", [NDAA.to_json()],
                user="alice")  # fmt: skip
    pending = dispose_hit(engine, ZTE["query"], "zte", "false_positive", "other firm",
                          [FCC.to_json()], user="alice", four_eyes_score=0.85)  # fmt: skip
    assert [(i.query, i.waiting) for i in review_queue(engine)] == [
        ("ZTE Kangxun Telecom", "approval")
    ]
    assert review_queue(engine, waiting="decision") == []
    review_hit(engine, pending.id, approve=True, reason="checked", user="bob")
    assert review_queue(engine) == []

    # ZTE gets a new listing: the clearance is stale and the hit waits again
    relisted = screening(ZTE["query"], ("zte", "ZTE Corporation", [FCC, NDAA]))
    save_screening(engine, [relisted], targets=["suppliers.csv"], user="analyst")
    (again,) = review_queue(engine)
    assert again.waiting == "decision"
    assert again.to_json()["stale_disposition"]["decision"] == "false_positive"
