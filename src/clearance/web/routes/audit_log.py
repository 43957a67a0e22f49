"""The audit log: every recorded change, newest first, filtered by user, action, object and
date range, a page at a time (``clearance audit-log`` reads the same records)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from clearance.auth.roles import Principal
from clearance.server.auth import require
from clearance.server.store import store
from clearance.store.audit import list_audit
from clearance.web.pages import render

__all__ = ["PAGE_SIZE", "router"]

router = APIRouter(include_in_schema=False)
#: Changes shown on a page.
PAGE_SIZE = 50


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _start(day: date | None) -> datetime | None:
    return datetime.combine(day, time(), tzinfo=UTC) if day is not None else None


@router.get("/audit-log")
async def audit_log_page(
    request: Request,
    who: Annotated[Principal, Depends(require("audit.read"))],
    user: Annotated[str, Query(max_length=200)] = "",
    action: Annotated[str, Query(max_length=200)] = "",
    obj: Annotated[str, Query(alias="object", max_length=200)] = "",
    since: Annotated[str, Query(max_length=10)] = "",
    until: Annotated[str, Query(max_length=10)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """``object`` is TYPE or TYPE:ID (``finding:12``); ``since`` and ``until`` are days
    (YYYY-MM-DD, UTC), both included."""
    object_type, _sep, object_id = obj.strip().partition(":")
    first, last = _day(since), _day(until)
    entries = await run_in_threadpool(
        list_audit,
        store(request),
        object_type=object_type or None,
        object_id=object_id or None,
        action=action.strip() or None,
        user=user.strip() or None,
        since=_start(first),
        until=_start(last + timedelta(days=1)) if last is not None else None,
        limit=PAGE_SIZE + 1,
        offset=(page - 1) * PAGE_SIZE,
    )
    entries.reverse()  # newest first
    filters = {"user": user, "action": action, "object": obj, "since": since, "until": until}
    kept = {k: v for k, v in filters.items() if v}
    context = {
        "entries": entries[:PAGE_SIZE],
        "filters": filters,
        "page": page,
        "newer": f"?{urlencode({**kept, 'page': page - 1})}" if page > 1 else "",
        "older": f"?{urlencode({**kept, 'page': page + 1})}" if len(entries) > PAGE_SIZE else "",
        "bad_dates": (since and first is None) or (until and last is None),
    }
    return render(request, "audit_log.html.j2", context, who=who)
