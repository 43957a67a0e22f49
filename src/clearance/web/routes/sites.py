"""The sites: each property with its address and owner, how many assets it holds, how many
of them are restricted and how many findings still need work, each count a link to the list
it counts."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from clearance.auth.roles import Principal
from clearance.server.auth import require
from clearance.server.limits import query_fits_store
from clearance.server.store import store
from clearance.store.assets import list_assets
from clearance.store.sites import Site, list_sites
from clearance.web.pages import render
from clearance.web.tables import PER_PAGE, Column, table_page

__all__ = ["router"]

# A filter holding NUL would fail in PostgreSQL (500): refused with 422, as under /api/v1.
router = APIRouter(include_in_schema=False, dependencies=[Depends(query_fits_store)])


def _columns(restricted: Counter[str | None]) -> list[Column]:
    return [
        Column("name", lambda s: s.name),
        Column("address", lambda s: s.address),
        Column("owner", lambda s: s.owner),
        Column("assets", lambda s: s.asset_count),
        Column("restricted", lambda s: restricted[s.name]),
        Column("active", lambda s: s.active_findings),
    ]


def _mentions(site: Site, q: str) -> bool:
    wanted = q.strip().casefold()
    return any(wanted in (v or "").casefold() for v in (site.name, site.address, site.owner))


@router.get("/sites")
async def sites_page(
    request: Request,
    who: Annotated[Principal, Depends(require("findings.read"))],
    q: Annotated[str, Query(max_length=200)] = "",
    sort: Annotated[str, Query(max_length=40)] = "",
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1)] = PER_PAGE[0],
) -> Response:
    engine = store(request)
    every = await run_in_threadpool(list_sites, engine)
    held = await run_in_threadpool(list_assets, engine, restricted=True)
    restricted = Counter(a.site for a in held)
    shown = [s for s in every if not q.strip() or _mentions(s, q)]
    table = table_page(
        shown,
        _columns(restricted),
        sort=sort,
        default_sort="name",
        page=page,
        per_page=per_page,
        query={"q": q},
    )
    context = {"t": table, "q": q, "restricted": restricted}
    return render(request, "sites.html.j2", context, who=who)
