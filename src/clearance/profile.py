"""The organisation's profile (who it is, where, in which sector, in which language) and which
of a restricted entity's listings bind it.

A listing names who its measure binds (``Listing.applies_to``, from the vocabulary
``BOUND_PARTIES``). A profile says which of those parties the organisation is
(``OrganisationProfile.bound_parties``). Listings that bind the organisation come first in every
finding and screening result; the others follow as "also restricted by". Without a profile the
order is the registry's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from clearance.model import Listing

__all__ = [
    "BOUND_PARTIES",
    "SECTORS",
    "OrganisationProfile",
    "binding_first",
    "binds",
]

# Who a measure binds. Keys are stable (stored in the registry); texts are for people.
BOUND_PARTIES: dict[str, str] = {
    "ca-federal-departments": "Canadian federal departments and agencies",
    "ca-crown-corporations": "Canadian federal Crown corporations",
    "ca-telecom-providers": "Canadian telecommunications service providers",
    "ca-persons": "persons in Canada and Canadians outside Canada",
    "us-federal-agencies": "US federal executive agencies",
    "us-federal-contractors": "contractors of US federal agencies",
    "us-dod-contractors": "contractors of the US Department of Defense",
    "us-telecom-providers": "US providers receiving FCC support or equipment authorisations",
    "ear-exporters": "exporters, reexporters and transferors of items subject to the EAR",
    "us-persons": "US persons (securities purchases and sales)",
    "us-importers": "importers of goods into the United States",
    # an order addressed to one business (e.g. an Investment Canada Act wind-up order) binds
    # that business only: no organisation's profile makes it bound
    "order-addressee": "only the business the order is addressed to",
}

# The sectors a profile may name, and the parties an organisation of that sector is, per
# jurisdiction. "*" is any jurisdiction's sector entry applying everywhere.
SECTORS: dict[str, dict[str, tuple[str, ...]]] = {
    "federal-government": {
        "CA": ("ca-federal-departments", "ca-persons"),
        "US": ("us-federal-agencies", "us-persons", "us-importers", "ear-exporters"),
    },
    "telecommunications": {
        "CA": ("ca-telecom-providers", "ca-persons"),
        "US": ("us-telecom-providers", "us-persons", "us-importers", "ear-exporters"),
    },
    "federal-contractor": {
        "CA": ("ca-persons",),
        "US": ("us-federal-contractors", "us-persons", "us-importers", "ear-exporters"),
    },
    "defence-contractor": {
        "CA": ("ca-persons",),
        "US": (
            "us-dod-contractors",
            "us-federal-contractors",
            "us-persons",
            "us-importers",
            "ear-exporters",
        ),
    },
    "private": {
        "CA": ("ca-persons",),
        "US": ("us-persons", "us-importers", "ear-exporters"),
    },
}


@dataclass(slots=True, frozen=True)
class OrganisationProfile:
    """Who the organisation is: its name, jurisdiction (ISO 3166 alpha-2, upper case),
    sector (a key of ``SECTORS``), default report language and any parties it declares
    itself bound as beyond those of its sector (``also_bound``)."""

    name: str | None = None
    jurisdiction: str | None = None
    sector: str | None = None
    lang: str | None = None
    also_bound: tuple[str, ...] = field(default=())

    @property
    def is_set(self) -> bool:
        return bool(self.jurisdiction or self.sector or self.also_bound)

    def bound_parties(self) -> frozenset[str]:
        parties: set[str] = set(self.also_bound)
        if self.sector and self.jurisdiction:
            parties.update(SECTORS.get(self.sector, {}).get(self.jurisdiction.upper(), ()))
        return frozenset(parties)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "jurisdiction": self.jurisdiction,
            "sector": self.sector,
            "lang": self.lang,
            "also_bound": list(self.also_bound),
            "bound_parties": sorted(self.bound_parties()),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OrganisationProfile:
        jurisdiction = data.get("jurisdiction")
        return cls(
            name=data.get("name"),
            jurisdiction=str(jurisdiction).upper() if jurisdiction else None,
            sector=data.get("sector"),
            lang=data.get("lang"),
            also_bound=tuple(data.get("also_bound") or ()),
        )


def binds(listing: Listing, profile: OrganisationProfile | None) -> bool:
    """Whether ``listing``'s measure binds the organisation ``profile`` describes."""
    if profile is None or not listing.applies_to:
        return False
    return bool(profile.bound_parties().intersection(listing.applies_to))


def binding_first(
    listings: Iterable[Listing], profile: OrganisationProfile | None
) -> Sequence[Listing]:
    """``listings`` with those that bind the organisation first, then those of its own
    jurisdiction, then the rest, each group in its original order. Without a profile (or an
    empty one) the order is unchanged."""
    items = list(listings)
    if profile is None or not profile.is_set:
        return items
    own = (profile.jurisdiction or "").upper()

    def rank(listing: Listing) -> int:
        if binds(listing, profile):
            return 0
        return 1 if own and listing.jurisdiction.upper() == own else 2

    return sorted(items, key=rank)
