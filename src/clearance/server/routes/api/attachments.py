"""``/api/v1/findings/{id}/attachments``: files attached to a finding (a disposal
certificate, a photo …): upload one (multipart, field ``file``; over
``attachment_max_bytes`` answers 413 before the file is stored), list them, download one."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from clearance.errors import InputError, LimitError
from clearance.i18n import gettext as _
from clearance.server.auth import actor
from clearance.server.pagination import Page, paginate
from clearance.server.routes.api.common import Paged, Reader, RowId, Store, Writer
from clearance.server.store import config
from clearance.store.attachments import (
    attach_content,
    get_attachment,
    list_attachments,
    read_attachment,
)
from clearance.store.finding_changes import finding_or_404

__all__ = ["read_upload", "router", "too_large"]

router = APIRouter(tags=["Findings"])

#: What a multipart body adds around the file (boundaries, part headers) at most.
_ENVELOPE = 64 * 1024
_CHUNK = 1024 * 1024

_UPLOAD = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


def too_large(max_bytes: int) -> LimitError:
    """The error for a file over the attachment limit (413)."""
    return LimitError(
        _(
            "more than the attachment limit of {max_bytes:,} bytes (CLEARANCE_ATTACHMENT_MAX_BYTES)"
        ).format(max_bytes=max_bytes),
        field="file",
    )


async def read_upload(upload: UploadFile, max_bytes: int) -> bytes:
    """The uploaded file's bytes, refused past ``max_bytes`` (0: no limit).

    Raises:
        LimitError: the file is larger.
    """
    parts: list[bytes] = []
    size = 0
    while chunk := await upload.read(_CHUNK):
        size += len(chunk)
        if max_bytes and size > max_bytes:
            raise too_large(max_bytes)
        parts.append(chunk)
    return b"".join(parts)


@router.post("/findings/{finding_id}/attachments", status_code=201, openapi_extra=_UPLOAD)
async def upload(finding_id: RowId, request: Request, engine: Store, who: Writer) -> dict[str, Any]:
    """Attach a file to a finding; its content is stored once by SHA-256, audited and noted
    in the finding's history. Larger than the limit: 413."""
    settings = config(request).settings
    max_bytes = settings.attachment_max_bytes if settings is not None else 0
    declared = request.headers.get("content-length", "")
    if max_bytes and declared.isdigit() and int(declared) > max_bytes + _ENVELOPE:
        raise too_large(max_bytes)  # refused before reading the body
    await run_in_threadpool(finding_or_404, engine, finding_id)
    # a body that is not a multipart form, or has more parts than this, answers 400
    async with request.form(max_files=1, max_fields=8) as form:
        upload_file = form.get("file")
        if not isinstance(upload_file, UploadFile):
            raise InputError(_("a file to attach, in the form field 'file'"), field="file")
        content = await read_upload(upload_file, max_bytes)
        filename = (upload_file.filename or "").replace("\\", "/").rsplit("/", 1)[-1] or "file"
    made = await run_in_threadpool(
        attach_content, engine, finding_id, filename, content, user=actor(who)
    )
    return made.to_json()


@router.get("/findings/{finding_id}/attachments", response_model=Page)
def attachments(finding_id: RowId, engine: Store, page: Paged, _who: Reader) -> dict[str, Any]:
    """A finding's attachments (name, size, SHA-256, who and when), oldest first."""
    finding_or_404(engine, finding_id)
    return paginate(
        list_attachments(engine, finding_id),
        page,
        key=lambda a: (a.id,),
        dump=lambda a: a.to_json(),
    )


@router.get(
    "/findings/{finding_id}/attachments/{attachment_id}",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def download(finding_id: RowId, attachment_id: RowId, engine: Store, _who: Reader) -> Response:
    """An attachment's content, as it was uploaded (checked against its SHA-256)."""
    found = get_attachment(engine, finding_id, attachment_id)
    content = read_attachment(engine, found.sha256)
    name = quote(found.filename)
    return Response(
        content,
        media_type=found.media_type or "application/octet-stream",
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{name}",
            "X-Content-SHA256": found.sha256,
        },
    )
