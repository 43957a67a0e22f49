"""A registry for tests of the binding order: the seed, with a Canadian federal purchase ban
added last among Hikvision's listings (so a binding-first order moves it to the front), and
the profiles of a Canadian federal department and of a US federal contractor.

The listing is made up for the tests (the real Canadian listings come with the registry data);
its text is ours, no source file is copied.
"""

from __future__ import annotations

from typing import Any

from clearance.profile import OrganisationProfile
from clearance.registry import Registry

CA_LIST = "ca-test-federal-purchases"
CA_FEDERAL = OrganisationProfile(
    name="A federal department", jurisdiction="CA", sector="federal-government"
)

_LIST: dict[str, Any] = {
    "id": CA_LIST,
    "title": "Test: federal purchase ban",
    "authority": "Government of Canada",
    "jurisdiction": "CA",
    "kind": "procurement",
    "source_url": "https://example.invalid/ca-federal-purchases",
    "as_of": "2025-06-27",
    "description": "A made-up list for tests.",
}
_LISTING: dict[str, Any] = {
    "list": CA_LIST,
    "authority": "Government of Canada",
    "jurisdiction": "CA",
    "program": "Purchases by federal departments and agencies",
    "start_date": "2025-06-27",
    "scope": "Hikvision products, bought by federal departments and agencies.",
    "source_url": "https://example.invalid/ca-federal-purchases",
    "applies_to": ["ca-federal-departments"],
}


def with_canadian_ban(seed: Registry) -> Registry:
    """``seed`` with the test purchase ban as Hikvision's last listing."""
    data = seed.to_json()
    data["lists"].append(_LIST)
    for entity in data["entities"]:
        if entity["id"] == "hikvision":
            entity["listings"].append(dict(_LISTING))
    return Registry.from_json(data, version="test-ca")
