"""A report for the organisation's profile: each work-list line's listings binding first and
marked (``binding`` in the JSON), and the profile it was ordered for. Without a profile the
report is left as built."""

from __future__ import annotations

from dataclasses import replace

from clearance.basis import in_binding_order, in_force, profile_json
from clearance.profile import OrganisationProfile
from clearance.reports.data import ListingRef, ReportData

__all__ = ["for_profile"]


def _ordered(refs: tuple[ListingRef, ...], profile: OrganisationProfile) -> tuple[ListingRef, ...]:
    return tuple(
        replace(ref, binding=bound)
        for ref, bound in in_binding_order(refs, ListingRef.as_listing, profile)
    )


def for_profile(data: ReportData, profile: OrganisationProfile | None) -> ReportData:
    """``data`` with its rows' listings in the order that binds the organisation ``profile``
    describes, and the profile; ``data`` unchanged when no profile is in force."""
    active = in_force(profile)
    if active is None:
        return data
    data.devices = [replace(d, listings=_ordered(d.listings, active)) for d in data.devices]
    data.suppliers = [replace(s, listings=_ordered(s.listings, active)) for s in data.suppliers]
    data.profile = profile_json(active)
    return data
