"""The REST API for the remediation store, under ``/api/v1``: one module a resource, each
with its own ``router``; :data:`router` gathers them. The CLI and these routes call the same
library functions (``clearance.store`` …)."""

from __future__ import annotations

from fastapi import APIRouter

__all__ = ["router"]

router = APIRouter(prefix="/api/v1")

# Each resource module adds itself here: ``router.include_router(<module>.router)``.

from clearance.server.routes.api import uploads  # noqa: E402

router.include_router(uploads.router)
