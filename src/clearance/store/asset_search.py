"""Finding stored assets by vendor or by any of their identifiers, on top of
:func:`clearance.store.assets.list_assets` (site, restricted or not)."""

from __future__ import annotations

from sqlalchemy import Engine

from clearance.store.assets import StoredAsset, list_assets

__all__ = ["SEARCHED", "about_vendor", "mentions", "search_assets"]

#: The fields ``q`` looks in.
SEARCHED = (
    "ip",
    "mac",
    "hostname",
    "manufacturer",
    "brand",
    "model",
    "serial",
    "firmware",
    "asset_tag",
    "location",
    "custodian",
)


def about_vendor(asset: StoredAsset, vendor: str) -> bool:
    """Whether ``vendor`` (any case, a part of the name is enough) made or sold the asset, or
    is a restricted party it is attributed to (by entity id or name)."""
    wanted = vendor.strip().casefold()
    names = [asset.data.get("manufacturer"), asset.data.get("brand")]
    for party in asset.data.get("restricted") or ():
        if str(party.get("entity_id") or "").casefold() == wanted:
            return True
        names.append(party.get("entity"))
    return any(wanted in str(name).casefold() for name in names if name)


def mentions(asset: StoredAsset, text: str) -> bool:
    """Whether ``text`` (any case) is part of one of the asset's :data:`SEARCHED` fields."""
    wanted = text.strip().casefold()
    return any(wanted in str(asset.data.get(f) or "").casefold() for f in SEARCHED)


def search_assets(
    engine: Engine,
    *,
    site: str | None = None,
    restricted: bool | None = None,
    vendor: str | None = None,
    q: str | None = None,
) -> list[StoredAsset]:
    """Stored assets by id: of one site, (un)restricted, of a vendor (:func:`about_vendor`),
    mentioning ``q`` (:func:`mentions`)."""
    found = list_assets(engine, site=site, restricted=restricted)
    if vendor is not None and vendor.strip():
        found = [a for a in found if about_vendor(a, vendor)]
    if q is not None and q.strip():
        found = [a for a in found if mentions(a, q)]
    return found
