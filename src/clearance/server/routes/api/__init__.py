"""The REST API for the remediation store, under ``/api/v1``: one module a resource, each
with its own ``router``; :data:`router` gathers them. The CLI and these routes call the same
library functions (``clearance.store`` …)."""

from __future__ import annotations

from fastapi import APIRouter

from clearance.server.routes.api import (
    assets,
    attachments,
    dispositions,
    finding_notes,
    findings,
    sites,
    uploads,
)

__all__ = ["router"]

router = APIRouter(prefix="/api/v1")

# Each resource module adds itself here: ``router.include_router(<module>.router)``.
router.include_router(sites.router)
router.include_router(assets.router)
router.include_router(findings.router)
router.include_router(finding_notes.router)
router.include_router(attachments.router)
router.include_router(dispositions.router)
router.include_router(uploads.router)
