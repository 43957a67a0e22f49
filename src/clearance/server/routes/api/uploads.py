"""``POST /api/v1/runs/upload``: a site sensor's identify or scan run, stored as ``--save``
stores it on the sensor (:func:`clearance.store.run_uploads.save_run`), once per
``Idempotency-Key``.

The first upload of a key stores the run and answers 201 with its id; the same key with the
same payload again (a sensor that lost the answer) answers 200 with the same id and stores
nothing; the same key with another payload answers 409. A token bound to a site (``clearance
tokens create --site``) uploads for that site only: the run is stored for it, and a run or
device naming another site is refused (403). Bodies over the ``upload_max_bytes`` setting
are refused (413); bodies may be gzip-compressed.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Request, Response
from pydantic import BaseModel

from clearance.auth.roles import Principal
from clearance.errors import ConflictError, StoreError, UsageError
from clearance.sensor.payload import RunPayload
from clearance.server.auth import actor, require
from clearance.server.limited_body import LimitedBodyRoute
from clearance.server.store import store
from clearance.store.run_uploads import save_run

__all__ = ["router"]

router = APIRouter(tags=["Runs"], route_class=LimitedBodyRoute)

#: An idempotency key: 8 to 200 letters, digits and ``.:_-`` (a UUID is one).
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,199}$")


class UploadAnswer(BaseModel):
    """The run an upload stored (or had stored, for a key sent again)."""

    run_id: int
    created: bool
    kind: str
    scope_key: str
    counts: dict[str, int]


def _site(who: Principal, payload: RunPayload) -> str | None:
    """The site the run is stored for: the token's, when it is bound to one."""
    if who.site is None:
        return payload.site
    named = {payload.site, *(a.site for a in payload.assets)} - {None, who.site}
    if named:
        raise HTTPException(
            403,
            detail=f"token {who.name!r} uploads for site {who.site!r} only, "
            f"not {', '.join(sorted(repr(s) for s in named))}",
        )
    return who.site


@router.post(
    "/runs/upload",
    status_code=201,
    response_model=UploadAnswer,
    responses={
        200: {"model": UploadAnswer, "description": "Sent before with this key: stored once."},
        400: {"description": "No or a malformed Idempotency-Key header."},
        403: {"description": "A role or site the caller may not upload for."},
        409: {"description": "The Idempotency-Key was used for another payload."},
        413: {"description": "The body is larger than the server's upload limit."},
    },
)
def upload_run(
    payload: RunPayload,
    request: Request,
    response: Response,
    who: Annotated[Principal, Depends(require("runs.upload"))],
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="A new key per run (a UUID), the same when the run is sent again.",
        ),
    ] = None,
) -> UploadAnswer:
    """Store a sensor's identify or scan run (``clearance scan … --send``), once per key."""
    if idempotency_key is None:
        raise HTTPException(400, detail="The Idempotency-Key header is required.")
    if not _KEY.match(idempotency_key):
        raise HTTPException(
            400, detail="The Idempotency-Key must be 8 to 200 letters, digits and . : _ -."
        )
    site = _site(who, payload)
    try:
        saved = save_run(
            store(request),
            payload.asset_run(site),
            user=actor(who),
            upload=payload.upload(idempotency_key),
        )
    except ConflictError as exc:
        raise HTTPException(409, detail=str(exc)) from exc
    except UsageError as exc:
        raise HTTPException(422, detail=str(exc)) from exc
    except StoreError as exc:
        raise HTTPException(503, detail=str(exc)) from exc
    response.status_code = 201 if saved.created else 200
    report = saved.report
    return UploadAnswer(
        run_id=report.run_id,
        created=saved.created,
        kind=report.kind,
        scope_key=report.scope_key,
        counts=report.counts,
    )
