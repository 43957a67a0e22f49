"""Uploads: an asset register (its columns shown and mapped before anything is saved), scan
files (nmap XML, masscan, DHCP leases, ARP tables), a supplier list to screen. Each is
size-limited and read by the readers ``clearance identify`` and ``clearance screen`` use;
the saving runs in the background while the page polls for its progress, then shows the run's
counts and the restricted devices or supplier hits it found."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from clearance.auth.roles import Principal
from clearance.discovery.sources.register import FIELDS, IGNORE, heading_key
from clearance.discovery.sources.register_preview import is_register, preview_register, renamed
from clearance.errors import InputError
from clearance.i18n import use_lang
from clearance.server.auth import actor, require
from clearance.server.routes.deps import state_of
from clearance.server.store import config, store
from clearance.settings import Settings
from clearance.store.column_maps import load_column_map
from clearance.store.file_runs import FileRun, identify_files, screen_file
from clearance.web.language import page_lang
from clearance.web.pages import render
from clearance.web.text import N_, _w
from clearance.web.upload_jobs import DEFAULT_MAX_BYTES, Pending, jobs_of, new_folder, receive

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
Uploader = Annotated[Principal, Depends(require("runs.upload"))]
#: The rows of a register shown before it is saved.
PREVIEW_ROWS = 10
#: The words for the fields a register column can be read as.
FIELD_LABELS: dict[str, str] = {
    "make": N_("make (manufacturer)"),
    "brand": N_("brand"),
    "model": N_("model"),
    "make_model": N_("make and model together"),
    "serial": N_("serial number"),
    "mac": N_("MAC address"),
    "ip": N_("IP address"),
    "hostname": N_("host name"),
    "site": N_("site"),
    "location": N_("location within the site"),
    "custodian": N_("custodian"),
    "asset_tag": N_("asset tag"),
    "status": N_("status"),
    "firmware": N_("firmware"),
    "device_type": N_("device type"),
}


def _settings(request: Request) -> Settings:
    settings = config(request).settings
    assert settings is not None  # the pages are mounted only for a server with a store
    return settings


def _max_bytes(request: Request) -> int:
    return _settings(request).max_file_bytes or DEFAULT_MAX_BYTES


def _text(value: str | None) -> str | None:
    return " ".join(value.split()) or None if value else None


def _form(request: Request, who: Principal, *, error: str = "", status_code: int = 200) -> Response:
    context = {"error": error, "max_mb": round(_max_bytes(request) / 1_000_000)}
    return render(request, "uploads.html.j2", context, who=who, status_code=status_code)


async def _receive(
    request: Request,
    who: Principal,
    kind: str,
    uploads: list[UploadFile],
    *,
    site: str | None = None,
    source_name: str | None = None,
    column: str | None = None,
) -> Pending | Response:
    """The files kept in a private folder of this process, or the form again naming what was
    wrong."""
    # A token bound to a site (a sensor's) uploads for that site only, as on /api/v1.
    pending = Pending(actor(who), kind, [], new_folder(), who.site or site, source_name, column)
    try:
        for upload in uploads:
            if upload.filename:
                pending.files.append(await receive(upload, pending.folder, _max_bytes(request)))
    except InputError as exc:
        pending.discard()
        return _form(request, who, error=str(exc), status_code=413)
    if not pending.files:
        pending.discard()
        return _form(request, who, error=_w("Choose a file to upload."), status_code=400)
    return pending


def _start(
    request: Request,
    who: Principal,
    pending: Pending,
    work_of: str,
    *,
    column_map: dict[str, str] | None = None,
    save_map: bool = False,
) -> Response:
    """Start the saving of ``pending``'s files in a thread of this process (taking the held
    upload it was read from, if any); to its progress page. The files' folder is deleted
    once the saving ends (or at once when it does not start)."""
    try:
        engine, settings, state = store(request), _settings(request), state_of(request)
    except BaseException:
        pending.discard()
        raise
    lang, user = page_lang(request), actor(who)

    def work() -> FileRun:
        with use_lang(lang):
            if work_of == "screen":
                return screen_file(
                    engine,
                    state.screener,
                    settings,
                    pending.files[0],
                    user=user,
                    column=pending.column,
                    site=pending.site,
                    source_name=pending.source_name,
                )
            return identify_files(
                engine,
                state.registry,
                settings,
                pending.files,
                user=user,
                site=pending.site,
                source_name=pending.source_name,
                column_map=column_map or {},
                save_map=save_map,
            )

    names = [f.name for f in pending.files]
    job = jobs_of(request).start(
        user, pending.kind, names, work, taking=pending.key, then=pending.discard
    )
    return RedirectResponse(f"/uploads/jobs/{job}", status_code=303)


@router.get("/uploads")
def uploads_page(request: Request, who: Uploader) -> Response:
    return _form(request, who)


@router.post("/uploads/register")
async def upload_register(
    request: Request,
    who: Uploader,
    file: Annotated[UploadFile, File()],
    site: Annotated[str, Form(max_length=200)] = "",
    source_name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    pending = await _receive(
        request, who, "register", [file], site=_text(site), source_name=_text(source_name)
    )
    if isinstance(pending, Response):
        return pending
    try:
        register = await run_in_threadpool(is_register, pending.files[0].path)
        key = await run_in_threadpool(jobs_of(request).hold, pending) if register else ""
    except InputError as exc:
        error = str(renamed(exc, pending.files[0].name))
        return _form(request, who, error=error, status_code=422)
    finally:
        pending.discard()
    if not register:
        error = _w("{name} is not an asset register (CSV or XLSX): upload it as a scan file.")
        return _form(request, who, error=error.format(name=pending.files[0].name), status_code=422)
    return RedirectResponse(f"/uploads/register/{key}", status_code=303)


def _mapping(request: Request, pending: Pending, choices: dict[str, str]) -> dict[str, str]:
    """The register's map: the one saved for its source name, with the page's choices over
    it (``column-<n>`` = a field, ``ignore``, or "" for as detected)."""
    base = load_column_map(store(request), pending.source_name) if pending.source_name else None
    mapping = dict(base or {})
    headings = preview_register(pending.files[0].path, mapping, limit=0).headings
    for index, heading in enumerate(headings):
        chosen = choices.get(f"column-{index}", "")
        if heading and (chosen in FIELDS or chosen == IGNORE):
            mapping[heading_key(heading)] = chosen
    return mapping


@router.get("/uploads/register/{key}")
def map_register(request: Request, key: str, who: Uploader) -> Response:
    pending = jobs_of(request).fetch(key, actor(who))
    try:
        mapping = _mapping(request, pending, dict(request.query_params))
        file = pending.files[0]
        with use_lang(page_lang(request)):
            preview = preview_register(
                file.path,
                mapping,
                shown_as=file.name,
                limit=PREVIEW_ROWS,
                max_bytes=_max_bytes(request),
            )
    finally:
        pending.discard()
    context = {
        "key": key,
        "pending": pending,
        "file": file,
        "preview": preview,
        "fields": FIELDS,
        "field_labels": FIELD_LABELS,
        "ignore": IGNORE,
        "mapped": {heading_key(h): f for h, f in preview.fields.items()} | mapping,
        "heading_key": heading_key,
    }
    return render(request, "upload_map.html.j2", context, who=who)


@router.post("/uploads/register/{key}/save")
async def save_register(request: Request, key: str, who: Uploader) -> Response:
    form = await request.form()
    choices = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    return await run_in_threadpool(_save_register, request, key, who, choices)


def _save_register(request: Request, key: str, who: Principal, choices: dict[str, str]) -> Response:
    pending = jobs_of(request).fetch(key, actor(who))
    try:
        mapping = _mapping(request, pending, choices)
    except BaseException:
        pending.discard()
        raise
    save_map = choices.get("save_map") == "on"
    return _start(request, who, pending, "identify", column_map=mapping, save_map=save_map)


@router.post("/uploads/scans")
async def upload_scans(
    request: Request,
    who: Uploader,
    files: Annotated[list[UploadFile], File()],
    site: Annotated[str, Form(max_length=200)] = "",
    source_name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    pending = await _receive(
        request, who, "scan", files, site=_text(site), source_name=_text(source_name)
    )
    if isinstance(pending, Response):
        return pending
    return await run_in_threadpool(_start, request, who, pending, "identify")


@router.post("/uploads/suppliers")
async def upload_suppliers(
    request: Request,
    who: Uploader,
    file: Annotated[UploadFile, File()],
    column: Annotated[str, Form(max_length=200)] = "",
    site: Annotated[str, Form(max_length=200)] = "",
    source_name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    pending = await _receive(
        request,
        who,
        "suppliers",
        [file],
        column=_text(column),
        site=_text(site),
        source_name=_text(source_name),
    )
    if isinstance(pending, Response):
        return pending
    return await run_in_threadpool(_start, request, who, pending, "screen")


def _job_context(request: Request, key: str, who: Principal) -> dict[str, object]:
    with use_lang(page_lang(request)):
        job = jobs_of(request).job(key, actor(who))
    return {"key": key, "job": job}


@router.get("/uploads/jobs/{key}")
def job_page(request: Request, key: str, who: Uploader) -> Response:
    return render(request, "upload_job.html.j2", _job_context(request, key, who), who=who)


@router.get("/uploads/jobs/{key}/status")
def job_status(request: Request, key: str, who: Uploader) -> Response:
    """The job's state as an HTMX fragment (polled while it runs)."""
    return render(request, "upload_status.html.j2", _job_context(request, key, who), who=who)
