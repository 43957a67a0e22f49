"""clearance.basis: one order for every output (binding, then own jurisdiction, then the
rest), JSON marked only under a profile, human lines naming the others "also restricted by"."""

from __future__ import annotations

import json

from clearance.basis import basis_label, mark_json, ordered_listings
from clearance.model import Listing
from clearance.profile import OrganisationProfile
from clearance.reports.binding import for_profile
from clearance.reports.data import DeviceRow, ListingRef, ReportData
from tests.binding_registry import CA_FEDERAL

US = Listing("us-ndaa-889", "Congress", "US", "s.889", "https://example.invalid/us")
CA_ORDER = Listing("ca-ica-order", "GiC", "CA", "wind-up", "https://example.invalid/ica")
CA_BAN = Listing(
    "ca-ban",
    "GoC",
    "CA",
    "purchases",
    "https://example.invalid/ban",
    applies_to=("ca-federal-departments",),
)
LISTINGS = (US, CA_ORDER, CA_BAN)


def test_order_binding_then_own_jurisdiction_then_the_rest() -> None:
    assert ordered_listings(LISTINGS, CA_FEDERAL) == (CA_BAN, CA_ORDER, US)
    assert ordered_listings(LISTINGS, None) == LISTINGS
    assert ordered_listings(LISTINGS, OrganisationProfile(name="no keys")) == LISTINGS
    us_agency = OrganisationProfile(jurisdiction="US", sector="federal-government")
    assert ordered_listings(LISTINGS, us_agency) == (US, CA_ORDER, CA_BAN)


def test_json_is_untouched_without_a_profile_and_marked_with_one() -> None:
    record = {
        "hits": [
            {
                "listings": [x.to_json() for x in LISTINGS],
                "explanation": ["X is listed (ca-ban, ca-ica-order, us-ndaa-889)"],
                "restricted": [
                    {
                        "statement": "X is listed (ca-ban, ca-ica-order, us-ndaa-889)",
                        "listings": [x.to_json() for x in LISTINGS],
                    }
                ],
            }
        ]
    }
    before = json.dumps(record)
    assert mark_json(record, None) is record
    marked = mark_json(record, CA_FEDERAL)
    assert json.dumps(record) == before  # a copy: the record itself is not changed
    hit = marked["hits"][0]
    assert [(x["list"], x["binding"]) for x in hit["listings"]] == [
        ("ca-ban", True),
        ("ca-ica-order", False),
        ("us-ndaa-889", False),
    ]
    restated = "X is listed (ca-ban; also restricted by ca-ica-order, us-ndaa-889)"
    assert hit["restricted"][0]["statement"] == restated
    assert hit["explanation"] == [restated]


def test_label_is_todays_without_binding_marks() -> None:
    plain = [x.to_json() for x in (US, CA_BAN, US)]
    assert basis_label(plain) == "ca-ban, us-ndaa-889"
    marked = mark_json({"listings": plain}, CA_FEDERAL)["listings"]
    assert basis_label(marked) == "ca-ban; also restricted by us-ndaa-889"


def _report() -> ReportData:
    from datetime import UTC, datetime

    row = DeviceRow(
        site="Ottawa",
        location=None,
        ip="10.0.0.2",
        mac=None,
        manufacturer="Hikvision",
        brand=None,
        model=None,
        firmware=None,
        serial=None,
        entity="Hikvision",
        entity_id="hikvision",
        relation="manufacturer",
        certainty=1.0,
        listings=tuple(ListingRef.of(x) for x in LISTINGS),
    )
    return ReportData("t", "org", datetime(2026, 12, 2, tzinfo=UTC), devices=[row]).summarise()


def test_report_rows_for_a_profile() -> None:
    plain = _report().to_json()
    assert "profile" not in plain
    assert "binding" not in json.dumps(plain)
    assert [x["list"] for x in plain["devices"][0]["listings"]] == [
        "us-ndaa-889",
        "ca-ica-order",
        "ca-ban",
    ]
    assert for_profile(_report(), None).to_json() == plain
    ordered = for_profile(_report(), CA_FEDERAL).to_json()
    assert ordered["profile"]["jurisdiction"] == "CA"
    assert [
        (x["list"], x["jurisdiction"], x["binding"]) for x in ordered["devices"][0]["listings"]
    ] == [
        ("ca-ban", "CA", True),
        ("ca-ica-order", "CA", False),
        ("us-ndaa-889", "US", False),
    ]
