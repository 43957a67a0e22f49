"""The REST API for the remediation store, under ``/api/v1``: one module a resource, each
with its own ``router``; :data:`router` gathers them. The CLI and these routes call the same
library functions (``clearance.store`` …)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from clearance.server.limits import query_fits_store
from clearance.server.routes.api import (
    assets,
    attachments,
    dispositions,
    finding_notes,
    findings,
    registry,
    reports,
    runs,
    sites,
    uploads,
)

__all__ = ["router"]

# A filter with a NUL would fail in PostgreSQL (500): refused with 422 on every route.
router = APIRouter(prefix="/api/v1", dependencies=[Depends(query_fits_store)])

# Each resource module adds itself here: ``router.include_router(<module>.router)``.
router.include_router(sites.router)
router.include_router(assets.router)
router.include_router(findings.router)
router.include_router(finding_notes.router)
router.include_router(attachments.router)
router.include_router(dispositions.router)
router.include_router(uploads.router)
router.include_router(runs.router)
router.include_router(registry.router)
router.include_router(reports.router)
