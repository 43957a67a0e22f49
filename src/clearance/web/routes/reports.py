"""Reports: the compliance report of ``clearance report``, made from the store in HTML, PDF or
XLSX, in French or English, for every site or one, kept in the store as ``POST
/api/v1/reports`` keeps it (:func:`clearance.reports.kept.make_and_keep`), and downloaded."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from clearance.auth.roles import Principal
from clearance.errors import UsageError
from clearance.reports.kept import ReportBusy, make_and_keep
from clearance.reports.render import ReportFormat
from clearance.server.auth import actor, require
from clearance.server.limits import MAX_ID
from clearance.server.routes.deps import state_of
from clearance.server.store import store
from clearance.store.reports import read_report
from clearance.store.sites import list_sites
from clearance.web.language import page_lang
from clearance.web.pages import render
from clearance.web.text import N_, _w

__all__ = ["FORMATS", "router"]

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(require("reports.generate"))]
#: The formats offered, with their words and media types.
FORMATS: dict[str, tuple[str, str]] = {
    "pdf": (N_("PDF (to print or send)"), "application/pdf"),
    "html": (N_("HTML (one self-contained page)"), "text/html"),
    "xlsx": (
        N_("XLSX (a sheet per section)"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}
LANGS = {"en": "English", "fr": "Français"}


def _page(request: Request, who: Principal, *, error: str = "", status_code: int = 200) -> Response:
    context = {
        "formats": FORMATS,
        "langs": LANGS,
        "lang_now": page_lang(request),
        "sites": [s.name for s in list_sites(store(request))],
        "error": error,
    }
    return render(request, "reports.html.j2", context, who=who, status_code=status_code)


@router.get("/reports")
def reports_page(request: Request, who: Reader) -> Response:
    return _page(request, who)


@router.post("/reports")
async def make(
    request: Request,
    who: Reader,
    fmt: Annotated[str, Form(alias="format", max_length=10)] = "pdf",
    lang: Annotated[str, Form(max_length=5)] = "en",
    site: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Make the report (in a worker thread, in its turn: the server goes on answering
    meanwhile), keep it, and send the browser to its download."""
    if fmt not in FORMATS or lang not in LANGS:
        error = _w("Choose one of the formats and languages offered.")
        return _page(request, who, error=error, status_code=400)
    engine = store(request)
    try:
        made = await run_in_threadpool(
            make_and_keep,
            engine,
            state_of(request).registry,
            fmt=ReportFormat(fmt),
            lang=lang,
            site=site or None,
            organisation=None,  # the profile's
            user=actor(who),
        )
    except UsageError:
        return _page(request, who, error=_w("There is no such site."), status_code=400)
    except ReportBusy:
        error = _w("Another report is being made; try again in a minute.")
        return _page(request, who, error=error, status_code=503)
    return RedirectResponse(f"/reports/{made.id}/download", status_code=303)


@router.get("/reports/{report_id}/download")
def download(
    request: Request, who: Reader, report_id: Annotated[int, PathParam(ge=1, le=MAX_ID)]
) -> Response:
    """A report kept in the store, as a file to save."""
    found = read_report(store(request), report_id)
    if found is None:
        raise HTTPException(404, detail="No such report.")
    info, content = found
    return Response(
        content,
        media_type=info.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{info.filename}"',
            "Cache-Control": "no-store",
        },
    )
