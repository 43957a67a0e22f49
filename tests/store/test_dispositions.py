"""Screening dispositions and supplier findings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import Engine

from clearance.errors import UsageError
from clearance.store.dispositions import (
    apply_dispositions,
    list_dispositions,
    listings_hash,
    query_key,
)
from clearance.store.finding_notes import list_notes
from clearance.store.findings import list_findings
from clearance.store.lifecycle import update_finding
from clearance.store.recording import save_screening
from clearance.store.suppliers import dispose_hit, list_suppliers
from tests.store.factories import FCC, NDAA, screening

ZTE = ("zte", "ZTE Corporation", [FCC])
ACME = screening("Zhongxing Telecom Equipment (ZTE) Ltd", ZTE, status="review")


def test_query_key_and_listings_hash() -> None:
    assert query_key("  ZTE   Corporation ") == query_key("zte corporation") == "zte corporation"
    assert query_key("ＺＴＥ") == "zte"
    a, b = FCC.to_json(), NDAA.to_json()
    assert listings_hash([a, b]) == listings_hash([b, a])
    assert listings_hash([a]) != listings_hash([a, b])
    moved = replace(FCC, start_date=date(2021, 3, 12)).to_json()
    assert listings_hash([moved]) != listings_hash([a])
    assert listings_hash([{**a, "citation": "another wording"}]) == listings_hash([a])


def test_false_positive_is_reused_until_listings_change(engine: Engine) -> None:
    save_screening(engine, [ACME], targets=["suppliers.csv"], user="analyst")
    (finding,) = list_findings(engine)
    assert (finding.kind, finding.status, finding.entity_id) == ("supplier", "open", "zte")

    dispose_hit(
        engine,
        ACME["query"],
        "zte",
        "false_positive",
        "a different company",
        [FCC.to_json()],
        user="reviewer",
    )
    assert list_findings(engine)[0].status == "false_positive"

    (again,) = apply_dispositions(engine, [ACME])
    hit = again["hits"][0]
    assert hit["disposition"]["decision"] == "false_positive"
    assert hit["disposition"]["reason"] == "a different company"
    assert hit["disposition"]["user"] == "reviewer"
    assert again["reviewed_status"] == "clear"
    assert again["status"] == "review"

    report = save_screening(engine, [ACME], targets=["suppliers.csv"], user="analyst")
    assert report.counts.get("findings_opened", 0) == 0
    assert list_suppliers(engine)[0].status == "clear"

    # ZTE gets a new listing: the decision no longer applies and the hit is open again.
    relisted = screening(ACME["query"], ("zte", "ZTE Corporation", [FCC, NDAA]), status="review")
    (stale,) = apply_dispositions(engine, [relisted])
    assert stale["hits"][0]["disposition"] is None
    assert stale["hits"][0]["stale_disposition"]["decision"] == "false_positive"
    assert stale["reviewed_status"] == "review"
    save_screening(engine, [relisted], targets=["suppliers.csv"], user="analyst")
    assert list_findings(engine)[0].status == "open"


def test_confirmed_reopens_and_marks_match(engine: Engine) -> None:
    save_screening(engine, [ACME], targets=["s.csv"], user="a")
    dispose_hit(engine, ACME["query"], "zte", "false_positive", "no", [FCC.to_json()], user="r")
    dispose_hit(engine, ACME["query"], "zte", "confirmed", "same USCC", [FCC.to_json()], user="r")
    assert list_findings(engine)[0].status == "open"
    (result,) = apply_dispositions(engine, [ACME])
    assert result["reviewed_status"] == "match"
    assert [d.decision for d in list_dispositions(engine, query=ACME["query"])] == [
        "false_positive",
        "confirmed",
    ]


def test_reason_is_required(engine: Engine) -> None:
    with pytest.raises(UsageError, match="reason"):
        dispose_hit(engine, "x", "zte", "confirmed", "  ", [], user="r")


def test_supplier_dropped_from_the_file_is_not_seen_until_a_person_claims_it_gone(
    engine: Engine,
) -> None:
    clean = screening("Acme Office Supplies")
    save_screening(engine, [ACME, clean], targets=["s.csv"], user="a")
    save_screening(engine, [clean], targets=["s.csv"], user="a")
    assert list_findings(engine)[0].status == "not_seen"
    save_screening(engine, [clean], targets=["s.csv"], user="a")
    (finding,) = list_findings(engine)
    assert finding.status == "not_seen"
    update_finding(engine, finding.id, user="buyer", status="removed", note="contract ended")
    save_screening(engine, [clean], targets=["s.csv"], user="a")
    assert list_findings(engine)[0].status == "verified"
    assert [s.status for s in list_suppliers(engine)] == ["review", "clear"]


HUAWEI = ("huawei", "Huawei Technologies Co., Ltd.", [FCC, NDAA])
TWO_HITS = screening("ZTE Huawei Trading Ltd", ZTE, HUAWEI, status="review")


def test_a_supplier_has_one_finding_with_all_its_hits(engine: Engine) -> None:
    report = save_screening(engine, [TWO_HITS], targets=["s.csv"], user="analyst")
    assert report.counts["findings_opened"] == 1
    (finding,) = list_findings(engine)
    assert [h["entity_id"] for h in finding.detail["hits"]] == ["zte", "huawei"]
    save_screening(engine, [TWO_HITS], targets=["s.csv"], user="analyst")
    assert len(list_findings(engine)) == 1

    listings = [FCC.to_json()]
    dispose_hit(engine, TWO_HITS["query"], "zte", "false_positive", "not ZTE", listings, user="r")
    (finding,) = list_findings(engine)
    assert finding.status == "open"  # the Huawei hit still stands
    assert list_notes(engine, finding.id)[-1].text == "zte: not ZTE"
    huawei = [FCC.to_json(), NDAA.to_json()]
    dispose_hit(engine, TWO_HITS["query"], "huawei", "false_positive", "shop", huawei, user="r")
    assert list_findings(engine)[0].status == "false_positive"
    report = save_screening(engine, [TWO_HITS], targets=["s.csv"], user="analyst")
    assert list_findings(engine)[0].status == "false_positive"
    assert report.counts.get("findings_reopened", 0) == 0


def test_a_new_hit_reopens_a_supplier_found_a_false_positive(engine: Engine) -> None:
    save_screening(engine, [ACME], targets=["s.csv"], user="a")
    dispose_hit(engine, ACME["query"], "zte", "false_positive", "no", [FCC.to_json()], user="r")
    assert list_findings(engine)[0].status == "false_positive"
    more = screening(ACME["query"], ZTE, HUAWEI, status="review")
    save_screening(engine, [more], targets=["s.csv"], user="a")
    (finding,) = list_findings(engine)
    assert finding.status == "open"
    assert [h["entity_id"] for h in finding.detail["hits"]] == ["huawei"]
