"""Clearance's errors as HTTP answers: one handler for :class:`ClearanceError`, answering
with the status the error class carries (``http_status``: 422 for bad input or a refused
change, 404 for what does not exist, 413 over a size limit, 403 for a role that may not …)
and ``{"detail": message}``, so a user's mistake never leaks out as a 500."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from clearance.errors import ClearanceError, InputError

__all__ = ["answer", "install"]


def answer(error: ClearanceError) -> JSONResponse:
    """The response for ``error``: its HTTP status, its message, and for bad input the field
    (and file and line) it names."""
    body: dict[str, Any] = {"detail": str(error)}
    if isinstance(error, InputError):
        where = {"field": error.field, "path": error.path, "line": error.line}
        body.update({k: v for k, v in where.items() if v is not None})
    return JSONResponse(body, status_code=error.http_status)


async def _handle(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ClearanceError)
    return answer(error)


def install(app: FastAPI) -> None:
    """Answer every :class:`ClearanceError` a route raises with :func:`answer`."""
    app.add_exception_handler(ClearanceError, _handle)
