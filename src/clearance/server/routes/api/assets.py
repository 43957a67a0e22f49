"""``/api/v1/assets``: stored devices, merged across identify and scan runs, as ``clearance
assets`` shows them, with the findings each one has."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from clearance.basis import mark_json
from clearance.errors import NotFound
from clearance.i18n import gettext as _
from clearance.server.pagination import Page, paginate
from clearance.server.routes.api.common import Paged, Profile, Reader, RowId, Store
from clearance.store.asset_search import search_assets
from clearance.store.assets import get_asset
from clearance.store.findings import list_findings

__all__ = ["router"]

router = APIRouter(tags=["Assets"])


@router.get("/assets", response_model=Page)
def assets(
    engine: Store,
    page: Paged,
    profile: Profile,
    _who: Reader,
    site: Annotated[str | None, Query(description="Only this site's assets.")] = None,
    restricted: Annotated[
        bool | None, Query(description="Only assets attributed (or not) to a restricted party.")
    ] = None,
    vendor: Annotated[
        str | None,
        Query(description="Only this manufacturer's, brand's or restricted party's (any case)."),
    ] = None,
    q: Annotated[
        str | None, Query(description="Only assets with this in an address, name, model …")
    ] = None,
) -> dict[str, Any]:
    """Stored assets by id, with where and when they were seen and why they are restricted."""
    found = search_assets(engine, site=site, restricted=restricted, vendor=vendor, q=q)
    return paginate(
        found, page, key=lambda a: (a.id,), dump=lambda a: mark_json(a.to_json(), profile)
    )


@router.get("/assets/{asset_id}")
def asset(asset_id: RowId, engine: Store, profile: Profile, _who: Reader) -> dict[str, Any]:
    """One asset, with the findings it has."""
    found = get_asset(engine, asset_id)
    if found is None:
        raise NotFound(_("no asset {asset_id}").format(asset_id=asset_id))
    held = list_findings(engine, subject=f"asset:{asset_id}")
    return mark_json({**found.to_json(), "findings": [f.to_json() for f in held]}, profile)
