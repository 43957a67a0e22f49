"""The basis of a finding or screening hit (its listings) in the order that binds the
organisation: every output orders listings here, through
:func:`clearance.profile.binding_first`.

With a profile in force, listings that bind the organisation come first, then those of its
own jurisdiction, then the rest ("also restricted by"); JSON keeps every listing and marks
each ``"binding": true|false``, and carries the ``profile``. Without a profile (or an empty
one) nothing changes: same order, same keys, same text.

>>> mark_json({"listings": [us, ca]}, federal)["listings"][0]["jurisdiction"]  # doctest: +SKIP
'CA'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from clearance.model import Listing
from clearance.profile import OrganisationProfile, binding_first, binds

__all__ = [
    "basis_label",
    "in_binding_order",
    "in_force",
    "listing_of_json",
    "mark_json",
    "ordered_listings",
    "profile_json",
    "profile_key",
    "with_profile",
]

T = TypeVar("T")
#: What joins the binding listings' lists to the others' in human outputs.
ALSO = "also restricted by"


def in_force(profile: OrganisationProfile | None) -> OrganisationProfile | None:
    """``profile`` when it says anything (a jurisdiction, sector or party), else None."""
    return profile if profile is not None and profile.is_set else None


def in_binding_order(
    items: Sequence[T], listing: Callable[[T], Listing], profile: OrganisationProfile | None
) -> list[tuple[T, bool]]:
    """``items`` (listings, or records that stand for one) binding first, each with whether
    it binds the organisation; in their own order, all unbound, without a profile."""
    if in_force(profile) is None:
        return [(item, False) for item in items]
    views = [listing(item) for item in items]
    position = {id(view): i for i, view in enumerate(views)}
    return [
        (items[position[id(view)]], binds(view, profile)) for view in binding_first(views, profile)
    ]


def ordered_listings(
    listings: Iterable[Listing], profile: OrganisationProfile | None
) -> tuple[Listing, ...]:
    """``listings`` binding first (unchanged without a profile)."""
    return tuple(item for item, _ in in_binding_order(tuple(listings), lambda x: x, profile))


def listing_of_json(data: dict[str, Any]) -> Listing:
    """What decides a JSON listing's order: its list, jurisdiction and bound parties (the
    rest as given, empty where absent)."""
    return Listing(
        list_id=str(data.get("list") or data.get("list_id") or ""),
        authority=str(data.get("authority") or ""),
        jurisdiction=str(data.get("jurisdiction") or ""),
        program=str(data.get("program") or ""),
        source_url=str(data.get("source_url") or ""),
        applies_to=tuple(str(p) for p in data.get("applies_to") or ()),
    )


def profile_json(profile: OrganisationProfile | None) -> dict[str, Any] | None:
    """The profile as outputs carry it, or None when none is in force."""
    active = in_force(profile)
    return active.to_json() if active is not None else None


def profile_key(profile: OrganisationProfile | None) -> dict[str, Any]:
    """``{"profile": …}`` to add to a JSON document when a profile is in force, else ``{}``
    (the document as it was)."""
    shown = profile_json(profile)
    return {"profile": shown} if shown is not None else {}


def basis_label(listings: Sequence[dict[str, Any]]) -> str:
    """The lists of JSON listings in one line: as today (sorted, without repeats) when none
    is marked binding; else the binding ones first, then "also restricted by" the others."""
    if not any(x.get("binding") for x in listings):
        return ", ".join(sorted({str(x.get("list")) for x in listings}))
    bound = list(dict.fromkeys(str(x.get("list")) for x in listings if x.get("binding")))
    others = [
        name
        for name in dict.fromkeys(str(x.get("list")) for x in listings if not x.get("binding"))
        if name not in bound
    ]
    return ", ".join(bound) + (f"; {ALSO} {', '.join(others)}" if others else "")


def _is_listing(value: Any) -> bool:
    return isinstance(value, dict) and ("list" in value or "list_id" in value)


def _mark_listings(items: list[Any], profile: OrganisationProfile) -> list[Any]:
    if not items or not all(_is_listing(x) for x in items):
        return items
    ordered = in_binding_order(items, listing_of_json, profile)
    return [{**item, "binding": bound} for item, bound in ordered]


def _mark(value: Any, profile: OrganisationProfile, restated: dict[str, str]) -> Any:
    if isinstance(value, list):
        return [_mark(x, profile, restated) for x in value]
    if not isinstance(value, dict):
        return value
    out = {key: _mark(item, profile, restated) for key, item in value.items()}
    listings = out.get("listings")
    if isinstance(listings, list):
        out["listings"] = _mark_listings(listings, profile)
        statement = out.get("statement")
        if isinstance(statement, str) and out["listings"]:
            # a restriction's "X is listed (a, b)": its lists in the binding order
            was = f"listed ({basis_label(listings)})"
            now = f"listed ({basis_label(out['listings'])})"
            if was != now and was in statement:
                out["statement"] = restated[statement] = statement.replace(was, now)
    explanation = out.get("explanation")
    if isinstance(explanation, list) and restated:
        out["explanation"] = [restated.get(x, x) if isinstance(x, str) else x for x in explanation]
    return out


def mark_json(data: T, profile: OrganisationProfile | None) -> T:
    """A copy of JSON ``data`` (a finding, asset, attribution, screening result …) with every
    list of listings in it binding first and each listing marked ``binding``, restrictions'
    statements (and the explanations quoting them) naming the binding lists first. ``data``
    itself when no profile is in force."""
    active = in_force(profile)
    if active is None:
        return data
    marked: T = _mark(data, active, {})
    return marked


def with_profile(data: dict[str, Any], profile: OrganisationProfile | None) -> dict[str, Any]:
    """A finding as ``findings list`` and the server show it: :func:`mark_json`, and the
    profile in force under ``profile`` (:func:`profile_key`)."""
    return {**mark_json(data, profile), **profile_key(profile)}
