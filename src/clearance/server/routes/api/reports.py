"""Compliance reports under ``/api/v1/reports``: ``POST`` makes one (as ``clearance report``
does) and keeps it in the store; ``GET /{id}`` tells what it is; ``GET /{id}/download`` sends
the file.

A report is made while the ``POST`` waits (synchronously), one at a time in each server
process (:func:`clearance.reports.kept.make_and_keep`, as the reports page makes them); a
request that waits more than :data:`~clearance.reports.kept.WAIT_S` for its turn is refused
with 503 and a ``Retry-After``. The answer is ``201`` with the report's ``status``
(``done``) and its ``download_url``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine

from clearance.errors import UsageError
from clearance.reports.kept import ReportBusy, make_and_keep
from clearance.reports.render import MEDIA_TYPES, ReportFormat
from clearance.server.auth import Principal, actor, require
from clearance.server.limits import MAX_ID, NO_NUL
from clearance.server.routes.deps import loaded_state
from clearance.server.state import ServerState
from clearance.server.store import store
from clearance.store.reports import get_report, read_report

__all__ = ["ReportOrder", "router"]

router = APIRouter(prefix="/reports", tags=["Reports"])

_GENERATE = require("reports.generate")


class ReportOrder(BaseModel):
    """What report to make: the options of ``clearance report``."""

    model_config = ConfigDict(extra="forbid")

    format: ReportFormat = Field(
        ReportFormat.HTML,
        description="html (self-contained page), pdf, xlsx (a sheet per section), csv (one "
        "row per finding) or json.",
    )
    lang: Literal["en", "fr"] | None = Field(
        None, description="Language of the report (default: the organisation profile's)."
    )
    site: str | None = Field(
        None, min_length=1, max_length=200, pattern=NO_NUL, description="Only this site's devices."
    )
    organisation: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        pattern=NO_NUL,
        description="Name shown on the report (default: the organisation profile's).",
    )


def _described(request: Request, report: dict[str, Any]) -> dict[str, Any]:
    url = request.app.url_path_for("download_report", report_id=str(report["id"]))
    return {**report, "download_url": str(url)}


@router.post("", status_code=201)
def make_report(
    order: ReportOrder,
    request: Request,
    principal: Annotated[Principal, Depends(_GENERATE)],
    state: Annotated[ServerState, Depends(loaded_state)],
    engine: Annotated[Engine, Depends(store)],
) -> dict[str, Any]:
    """Make the compliance report of the store (of one site with ``site``) in ``format`` and
    ``lang``, keep it, and answer its id, ``status`` and ``download_url``; 422 for a site the
    store does not know."""
    try:
        saved = make_and_keep(
            engine,
            state.registry,
            fmt=order.format,
            lang=order.lang,
            site=order.site,
            organisation=order.organisation,
            user=actor(principal),
        )
    except ReportBusy as busy:
        raise HTTPException(503, detail=str(busy), headers={"Retry-After": "30"}) from busy
    except UsageError as error:
        raise HTTPException(422, detail=str(error)) from error
    return _described(request, saved.to_json())


@router.get("/{report_id}")
def report(
    request: Request,
    _principal: Annotated[Principal, Depends(_GENERATE)],
    engine: Annotated[Engine, Depends(store)],
    report_id: Annotated[int, Path(ge=1, le=MAX_ID)],
) -> dict[str, Any]:
    """What report ``report_id`` is: format, language, site, who made it and when, its file's
    name, type and size, and its ``download_url``."""
    found = get_report(engine, report_id)
    if found is None:
        raise HTTPException(404, detail=f"No report {report_id}.")
    return _described(request, found.to_json())


@router.get(
    "/{report_id}/download",
    name="download_report",
    response_class=Response,
    responses={200: {"content": {t: {} for t in MEDIA_TYPES.values()}}},
)
def download_report(
    _principal: Annotated[Principal, Depends(_GENERATE)],
    engine: Annotated[Engine, Depends(store)],
    report_id: Annotated[int, Path(ge=1, le=MAX_ID)],
) -> Response:
    """The report's file, with its media type and file name (``Content-Disposition``)."""
    found = read_report(engine, report_id)
    if found is None:
        raise HTTPException(404, detail=f"No report {report_id}.")
    info, content = found
    return Response(
        content,
        media_type=info.media_type,
        headers={"Content-Disposition": f'attachment; filename="{info.filename}"'},
    )
