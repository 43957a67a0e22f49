"""One finding's page: what it is about, the listings with citations that make it
restricted (those binding the organisation first, :mod:`clearance.basis`), the evidence, its
notes history, its attachments (upload, size-limited; download), and for those who may, a
status change with the lifecycle's rules, a note, a file."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from clearance.auth.roles import Principal
from clearance.basis import mark_json
from clearance.errors import ClearanceError, InputError, LimitError
from clearance.i18n import use_lang
from clearance.server.auth import actor, require
from clearance.server.limits import query_fits_store
from clearance.server.routes.api.attachments import read_upload, too_large
from clearance.server.store import config, store
from clearance.store.assets import get_asset
from clearance.store.attachments import (
    attach_content,
    get_attachment,
    list_attachments,
    read_attachment,
)
from clearance.store.finding_changes import supplier_hits
from clearance.store.finding_notes import list_notes
from clearance.store.finding_search import subject_label
from clearance.store.findings import MANUAL_TRANSITIONS, StoredFinding, get_finding
from clearance.store.profile import load_profile
from clearance.store.values import MAX_ID
from clearance.web.finding_forms import FindingForm, apply_form, owner_names
from clearance.web.language import page_lang
from clearance.web.pages import render
from clearance.web.text import _w

__all__ = ["router"]

# A filter holding NUL would fail in PostgreSQL (500): refused with 422, as under /api/v1.
router = APIRouter(include_in_schema=False, dependencies=[Depends(query_fits_store)])
READ = "findings.read"
WRITE = "findings.write"
#: What a multipart body adds around the file (boundaries, part headers) at most.
_ENVELOPE = 64 * 1024


def _finding(request: Request, finding_id: int) -> StoredFinding:
    found = get_finding(store(request), finding_id) if finding_id <= MAX_ID else None
    if found is None:
        raise HTTPException(404)
    return found


def _max_bytes(request: Request) -> int:
    settings = config(request).settings
    return settings.attachment_max_bytes if settings is not None else 0


def _context(request: Request, finding: StoredFinding) -> dict[str, Any]:
    engine = store(request)
    shown = mark_json(finding.to_json(), load_profile(engine))
    detail = shown["detail"]
    groups = (
        [detail.get("attribution") or {}]
        if finding.kind == "device"
        else supplier_hits(replace(finding, detail=detail))
    )
    asset = get_asset(engine, finding.subject_id) if finding.kind == "device" else None
    return {
        "f": finding,
        "subject": subject_label(shown),
        "groups": [g for g in groups if isinstance(g, dict)],
        "asset": asset,
        "evidence": (asset.data.get("evidence") or []) if asset is not None else [],
        "notes": list_notes(engine, finding.id),
        "attachments": list_attachments(engine, finding.id),
        "targets": sorted(str(s) for s in MANUAL_TRANSITIONS[finding.status]),
        "owners": owner_names(engine),
        "max_bytes": _max_bytes(request),
        "form": FindingForm(),
        "error": "",
        "waiting": False,
    }


def _page(
    request: Request,
    who: Principal,
    finding_id: int,
    *,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    context = _context(request, _finding(request, finding_id))
    return render(
        request, "finding.html.j2", {**context, **extra}, who=who, status_code=status_code
    )


@router.get("/findings/{finding_id}")
async def finding_page(
    request: Request,
    finding_id: int,
    who: Annotated[Principal, Depends(require(READ))],
    waiting: bool = False,
) -> Response:
    return await run_in_threadpool(lambda: _page(request, who, finding_id, waiting=waiting))


async def _change(
    request: Request, who: Principal, finding_id: int, form: FindingForm, anchor: str
) -> Response:
    await run_in_threadpool(_finding, request, finding_id)
    settings = config(request).settings
    score = settings.four_eyes_score if settings is not None else None
    lang = page_lang(request)

    def apply() -> str:
        with use_lang(lang):
            try:
                apply_form(store(request), who, [finding_id], form, four_eyes_score=score)
            except ClearanceError as error:
                return str(error)
        return ""

    error = await run_in_threadpool(apply)
    if not error:
        after = await run_in_threadpool(_finding, request, finding_id)
        # a strong hit cleared waits for a second reviewer: the finding stays as it was
        waiting = "?waiting=1" if form.status.strip() and str(after.status) != form.status else ""
        return RedirectResponse(f"/findings/{finding_id}{waiting}#{anchor}", status_code=303)
    return await run_in_threadpool(
        lambda: _page(
            request, who, finding_id, status_code=422, error=error, form=form, failed=anchor
        )
    )


@router.post("/findings/{finding_id}/change")
async def change_finding(
    request: Request,
    finding_id: int,
    who: Annotated[Principal, Depends(require(WRITE))],
    status: Annotated[str, Form(max_length=40)] = "",
    owner: Annotated[str, Form(max_length=500)] = "",
    due_date: Annotated[str, Form(max_length=20)] = "",
    justification: Annotated[str, Form(max_length=10_000)] = "",
    approver: Annotated[str, Form(max_length=500)] = "",
    expires: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=10_000)] = "",
) -> Response:
    """Move the finding along its lifecycle and set its fields, with a note."""
    form = FindingForm(status, owner, due_date, justification, approver, expires, note)
    return await _change(request, who, finding_id, form, "change")


@router.post("/findings/{finding_id}/notes")
async def add_note(
    request: Request,
    finding_id: int,
    who: Annotated[Principal, Depends(require(WRITE))],
    text: Annotated[str, Form(max_length=10_000)] = "",
) -> Response:
    """Add a note to the finding's history."""
    return await _change(request, who, finding_id, FindingForm(note=text), "history")


@router.post("/findings/{finding_id}/attachments")
async def attach(
    request: Request, finding_id: int, who: Annotated[Principal, Depends(require(WRITE))]
) -> Response:
    """Attach a file (at most the attachment limit) to the finding."""
    await run_in_threadpool(_finding, request, finding_id)
    max_bytes = _max_bytes(request)
    lang = page_lang(request)
    error, status_code = "", 422
    with use_lang(lang):
        try:
            declared = request.headers.get("content-length", "")
            if max_bytes and declared.isdigit() and int(declared) > max_bytes + _ENVELOPE:
                raise too_large(max_bytes)
            async with request.form(max_files=1, max_fields=8) as form:
                upload = form.get("file")
                if not isinstance(upload, UploadFile) or not upload.filename:
                    raise InputError(_w("Choose a file to attach."), field="file")
                content = await read_upload(upload, max_bytes)
                name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1] or "file"
            await run_in_threadpool(
                attach_content, store(request), finding_id, name, content, user=actor(who)
            )
        except ClearanceError as failed:
            error = str(failed)
            status_code = 413 if isinstance(failed, LimitError) else 422
    if not error:
        return RedirectResponse(f"/findings/{finding_id}#attachments", status_code=303)
    return await run_in_threadpool(
        lambda: _page(
            request,
            who,
            finding_id,
            status_code=status_code,
            error=error,
            failed="attachments",
        )
    )


@router.get("/findings/{finding_id}/attachments/{attachment_id}")
def download(
    request: Request,
    finding_id: int,
    attachment_id: int,
    who: Annotated[Principal, Depends(require(READ))],
) -> Response:
    """An attachment's content, as it was uploaded, to save (never shown inline)."""
    engine = store(request)
    try:
        found = get_attachment(engine, finding_id, min(attachment_id, MAX_ID))
    except ClearanceError as error:
        raise HTTPException(404) from error
    return Response(
        read_attachment(engine, found.sha256),
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.filename)}",
            "X-Content-SHA256": found.sha256,
        },
    )
