"""Reports: the compliance report of ``clearance report``, generated from the store in HTML,
PDF or XLSX, in French or English, for every site or one, and downloaded."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from clearance.auth.roles import Principal
from clearance.i18n import use_lang
from clearance.reports.from_store import report_from_store
from clearance.reports.render import ReportFormat, write_report
from clearance.server.auth import require
from clearance.server.routes.deps import loaded_state
from clearance.server.store import store
from clearance.store.profile import load_profile
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


def _write(request: Request, fmt: str, lang: str, site: str | None, folder: Path) -> Path:
    engine = store(request)
    profile = load_profile(engine)
    organisation = (profile.name if profile is not None else None) or "My organisation"
    with use_lang(lang):
        data = report_from_store(
            engine,
            loaded_state(request).registry,
            organisation=organisation,
            site=site,
            profile=profile,
            lang=lang,
        )
        name = f"clearance-report{'-' + site if site else ''}-{lang}.{fmt}"
        return write_report(data, ReportFormat(fmt), folder / _safe(name), lang)


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in ".-_" else "-" for c in name)


@router.get("/reports/download")
async def download(
    request: Request,
    who: Reader,
    fmt: Annotated[str, Query(alias="format")] = "pdf",
    lang: str = "en",
    site: str = "",
) -> Response:
    """The report, made now (in a worker thread: the server goes on answering meanwhile)."""
    if fmt not in FORMATS or lang not in LANGS:
        return _page(
            request,
            who,
            error=_w("Choose one of the formats and languages offered."),
            status_code=400,
        )
    chosen = site or None
    if chosen is not None and chosen not in {s.name for s in list_sites(store(request))}:
        return _page(request, who, error=_w("There is no such site."), status_code=400)
    folder = Path(tempfile.mkdtemp(prefix="clearance-report-"))
    try:
        path = await run_in_threadpool(_write, request, fmt, lang, chosen, folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(
        path,
        media_type=FORMATS[fmt][1],
        filename=path.name,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
        headers={"Cache-Control": "no-store"},
    )
