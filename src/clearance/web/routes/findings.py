"""The findings: restricted devices and supplier hits with filters (status, site, kind,
owner, vendor, list, unresolved, overdue, any text), sort and pages; select many and change
their status, owner and due date in one form, all of them or none (as ``clearance findings
update`` and ``POST /api/v1/findings/bulk`` do)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from clearance.auth.roles import Principal
from clearance.errors import ClearanceError
from clearance.i18n import use_lang
from clearance.server.auth import require
from clearance.server.limits import query_fits_store
from clearance.server.store import config, store
from clearance.store.finding_search import search_findings, subject_label
from clearance.store.findings import MANUAL_TRANSITIONS, FindingStatus, StoredFinding, list_findings
from clearance.store.sites import list_sites
from clearance.web.finding_forms import FindingForm, apply_form, owner_names
from clearance.web.language import page_lang
from clearance.web.pages import render
from clearance.web.tables import PER_PAGE, Column, table_page

__all__ = ["FILTERS", "router"]

# A filter holding NUL would fail in PostgreSQL (500): refused with 422, as under /api/v1.
router = APIRouter(include_in_schema=False, dependencies=[Depends(query_fits_store)])
#: The query-string filters of the list, kept through sorting, paging and a bulk change.
FILTERS = ("status", "site", "kind", "owner", "vendor", "list", "active", "overdue", "q")
#: The statuses a person may set by hand (on some finding).
SETTABLE = [s for s in FindingStatus if any(s in t for t in MANUAL_TRANSITIONS.values())]

COLUMNS = [
    Column("id", lambda f: f.id),
    Column("kind", lambda f: f.kind),
    Column("site", lambda f: f.site),
    Column("subject", lambda f: subject_label(f.to_json())),
    Column("entity", lambda f: f.entity),
    Column("status", lambda f: str(f.status)),
    Column("owner", lambda f: f.owner),
    Column("due", lambda f: f.due_date),
    Column("updated", lambda f: f.updated_at),
]


def _select(engine: Any, filters: dict[str, str]) -> list[StoredFinding]:
    status = filters["status"] if filters["status"] in {str(s) for s in FindingStatus} else None
    found = list_findings(
        engine,
        status=status,
        site=filters["site"] or None,
        kind=filters["kind"] if filters["kind"] in ("device", "supplier") else None,
        owner=filters["owner"] or None,
        vendor=filters["vendor"] or None,
        listed_on=filters["list"] or None,
        active_only=bool(filters["active"]),
        overdue_on=date.today() if filters["overdue"] else None,
    )
    return search_findings(found, filters["q"])


def _filters(request: Request) -> dict[str, str]:
    """The list's filters from the query string (a bulk form carries them as ``back``)."""
    return {name: request.query_params.get(name, "")[:200] for name in FILTERS}


def _page(
    request: Request,
    who: Principal,
    filters: dict[str, str],
    *,
    sort: str = "",
    page: int = 1,
    per_page: int = PER_PAGE[0],
    error: str = "",
    changed: int = 0,
    chosen: frozenset[int] = frozenset(),
    form: FindingForm | None = None,
    status_code: int = 200,
) -> Response:
    engine = store(request)
    table = table_page(
        _select(engine, filters),
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
        "statuses": [str(s) for s in FindingStatus],
        "settable": [str(s) for s in SETTABLE],
        "sites": [s.name for s in list_sites(engine)],
        "owners": owner_names(engine),
        "subject_label": subject_label,
        "error": error,
        "changed": changed,
        "chosen": chosen,
        "form": form or FindingForm(),
        "back": table.url(),
        "today": date.today(),
    }
    return render(request, "findings.html.j2", context, who=who, status_code=status_code)


@router.get("/findings")
def findings_page(
    request: Request,
    who: Annotated[Principal, Depends(require("findings.read"))],
    sort: Annotated[str, Query(max_length=40)] = "",
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1)] = PER_PAGE[0],
    changed: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    return _page(
        request, who, _filters(request), sort=sort, page=page, per_page=per_page, changed=changed
    )


@router.post("/findings/bulk")
async def change_findings_page(
    request: Request,
    who: Annotated[Principal, Depends(require("findings.write"))],
    ids: Annotated[list[int], Form(max_length=10_000)] = [],  # noqa: B006 (FastAPI copies it)
    status: Annotated[str, Form(max_length=40)] = "",
    owner: Annotated[str, Form(max_length=500)] = "",
    due_date: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=10_000)] = "",
    back: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Change the selected findings; back on the list (same filters, sort and page) with how
    many changed, or with why none did."""
    form = FindingForm(status=status, owner=owner, due_date=due_date, note=note)
    settings = config(request).settings
    score = settings.four_eyes_score if settings is not None else None
    lang = page_lang(request)

    def apply() -> str:
        with use_lang(lang):
            try:
                apply_form(store(request), who, ids, form, four_eyes_score=score)
            except ClearanceError as error:
                return str(error)
        return ""

    error = await run_in_threadpool(apply)
    query = dict(_query_of(back))
    if not error:
        query.pop("changed", None)
        target = "/findings?" + urlencode({**query, "changed": len(set(ids))})
        return RedirectResponse(target, status_code=303)
    filters = {name: query.get(name, "")[:200] for name in FILTERS}
    return await run_in_threadpool(
        lambda: _page(
            request,
            who,
            filters,
            sort=query.get("sort", ""),
            page=_int(query.get("page"), 1),
            per_page=_int(query.get("per_page"), PER_PAGE[0]),
            error=error,
            chosen=frozenset(ids),
            form=form,
            status_code=422,
        )
    )


def _query_of(back: str) -> list[tuple[str, str]]:
    kept = set(FILTERS) | {"sort", "page", "per_page"}
    return [(k, v) for k, v in parse_qsl(back.lstrip("?")) if k in kept]


def _int(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() and 0 < int(value) < 10**6 else default
