"""``/api/v1/findings/{id}/notes``: a finding's history (notes people wrote, status changes
people and runs made), and adding a note to it (as ``findings update ID --note``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from clearance.server.api_models import NoteIn
from clearance.server.auth import actor
from clearance.server.pagination import Page, paginate
from clearance.server.routes.api.common import Paged, Reader, RowId, Store, Writer
from clearance.store.finding_changes import change_findings, finding_or_404
from clearance.store.finding_notes import list_notes
from clearance.store.lifecycle import FindingUpdate

__all__ = ["router"]

router = APIRouter(tags=["Findings"])


@router.get("/findings/{finding_id}/notes", response_model=Page)
def notes(finding_id: RowId, engine: Store, page: Paged, _who: Reader) -> dict[str, Any]:
    """A finding's history, oldest first."""
    finding_or_404(engine, finding_id)
    return paginate(
        list_notes(engine, finding_id), page, key=lambda n: (n.id,), dump=lambda n: n.to_json()
    )


@router.post("/findings/{finding_id}/notes", status_code=201)
def add_note(finding_id: RowId, body: NoteIn, engine: Store, who: Writer) -> dict[str, Any]:
    """Add a note to a finding's history (audited); answers the entry written."""
    change_findings(engine, [(finding_id, FindingUpdate(note=body.text))], user=actor(who))
    return list_notes(engine, finding_id)[-1].to_json()
