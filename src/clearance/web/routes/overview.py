"""The overview: where the restricted devices and supplier hits are and how their work
stands, the trend, overdue work, how fresh each list is and what its last update changed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from clearance.auth.roles import Principal
from clearance.server.auth import require
from clearance.server.store import store
from clearance.store.values import now
from clearance.web.overview_data import STATUSES, overview
from clearance.web.pages import render
from clearance.web.trend_chart import trend_chart

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/overview")
async def overview_page(
    request: Request, who: Annotated[Principal, Depends(require("findings.read"))]
) -> Response:
    at = now()
    data = await run_in_threadpool(overview, store(request), today=at.date(), at=at)
    context = {
        "data": data,
        "statuses": [str(s) for s in STATUSES],
        "chart": trend_chart(data.trend),
        "today": at.date(),
    }
    return render(request, "overview.html.j2", context, who=who)
