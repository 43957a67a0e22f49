"""The assets: stored devices with filters (site, restricted or not, vendor, any text), sort
and pages; an asset's page with where and when it was seen (first and last, every run that
saw it), what identifies it, why it is restricted (its parties' listings, binding first) and
its findings."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from clearance.auth.roles import Principal
from clearance.basis import mark_json
from clearance.server.auth import require
from clearance.server.limits import query_fits_store
from clearance.server.store import store
from clearance.store.asset_search import search_assets
from clearance.store.assets import StoredAsset, get_asset
from clearance.store.findings import list_findings
from clearance.store.profile import load_profile
from clearance.store.sightings import list_sightings
from clearance.store.sites import list_sites
from clearance.store.values import MAX_ID
from clearance.web.pages import render
from clearance.web.tables import PER_PAGE, Column, table_page

__all__ = ["router"]

# A filter holding NUL would fail in PostgreSQL (500): refused with 422, as under /api/v1.
router = APIRouter(include_in_schema=False, dependencies=[Depends(query_fits_store)])
READ = "findings.read"


def _parties(asset: StoredAsset) -> str:
    return ", ".join(str(p.get("entity")) for p in asset.data.get("restricted") or ())


COLUMNS = [
    Column("id", lambda a: a.id),
    Column("site", lambda a: a.site),
    Column("ip", lambda a: a.data.get("ip")),
    Column("maker", lambda a: a.data.get("manufacturer") or a.data.get("brand")),
    Column("model", lambda a: a.data.get("model")),
    Column("tag", lambda a: a.data.get("asset_tag")),
    Column("restricted", _parties),
    Column("first_seen", lambda a: a.first_seen),
    Column("last_seen", lambda a: a.last_seen),
]


def _restricted(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


@router.get("/assets")
async def assets_page(
    request: Request,
    who: Annotated[Principal, Depends(require(READ))],
    site: Annotated[str, Query(max_length=200)] = "",
    restricted: Annotated[str, Query(max_length=3)] = "",
    vendor: Annotated[str, Query(max_length=200)] = "",
    q: Annotated[str, Query(max_length=200)] = "",
    sort: Annotated[str, Query(max_length=40)] = "",
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1)] = PER_PAGE[0],
) -> Response:
    engine = store(request)
    found = await run_in_threadpool(
        lambda: search_assets(
            engine,
            site=site or None,
            restricted=_restricted(restricted),
            vendor=vendor or None,
            q=q or None,
        )
    )
    filters = {"site": site, "restricted": restricted, "vendor": vendor, "q": q}
    table = table_page(
        found,
        COLUMNS,
        sort=sort,
        default_sort="id",
        page=page,
        per_page=per_page,
        query=filters,
    )
    context = {
        "t": table,
        "filters": filters,
        "sites": [s.name for s in await run_in_threadpool(list_sites, engine)],
    }
    return render(request, "assets.html.j2", context, who=who)


@router.get("/assets/{asset_id}")
async def asset_page(
    request: Request, asset_id: int, who: Annotated[Principal, Depends(require(READ))]
) -> Response:
    engine = store(request)
    found = await run_in_threadpool(get_asset, engine, asset_id) if asset_id <= MAX_ID else None
    if found is None:
        raise HTTPException(404)

    def gather() -> dict[str, Any]:
        profile = load_profile(engine)
        return {
            "asset": found,
            "data": mark_json(found.to_json(), profile),
            "sightings": list_sightings(engine, f"asset:{asset_id}"),
            "findings": list_findings(engine, subject=f"asset:{asset_id}"),
        }

    context = await run_in_threadpool(gather)
    return render(request, "asset.html.j2", context, who=who)
