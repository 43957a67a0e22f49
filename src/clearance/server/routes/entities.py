"""``GET /entities/{id}`` (an entity as FtM; 308 to the surviving id after a merge) and
``GET /search/{dataset}`` (names found by the screener, best first)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import RedirectResponse

from clearance.registry.export_ftm import entity_ftm_id
from clearance.server.auth import Principal, require
from clearance.server.entities import ftm_entity, in_datasets
from clearance.server.routes.deps import dataset_lists, loaded_state
from clearance.server.state import ServerState

__all__ = ["router"]

router = APIRouter(tags=["Data access"])


@router.get("/entities/{entity_id}", response_model=None)
def entity(
    entity_id: str,
    state: Annotated[ServerState, Depends(loaded_state)],
    _principal: Annotated[Principal, Depends(require("registry.read"))],
) -> dict[str, Any] | RedirectResponse:
    """One entity as FtM; an id merged into another entity redirects (308) to it."""
    eid = state.entity_id(entity_id)
    if eid is None and entity_id in state.merged:
        return RedirectResponse(f"/entities/{entity_ftm_id(state.merged[entity_id])}", 308)
    found = ftm_entity(state, state.registry.entities[eid]) if eid is not None else None
    if found is None:
        raise HTTPException(404, detail="No such entity!")
    return found


@router.get("/search/{dataset}")
def search(
    dataset: str,
    state: Annotated[ServerState, Depends(loaded_state)],
    _principal: Annotated[Principal, Depends(require("registry.read"))],
    q: str = "",
    limit: Annotated[int, Query(ge=0, le=500)] = 10,
    offset: Annotated[int, Query(ge=0, le=9499)] = 0,
) -> dict[str, Any]:
    """Entities whose names the screener finds for ``q`` (at or above the review
    threshold), best first; an empty ``q`` finds nothing."""
    lists = dataset_lists(state, dataset)
    found: list[dict[str, Any]] = []
    if q.strip():
        for hit in state.screener.screen(q).hits:
            listed = state.registry.entities.get(hit.entity_id)
            if listed is not None and in_datasets(listed, lists):
                out = ftm_entity(state, listed)
                if out is not None:
                    found.append(out)
    return {
        "results": found[offset : offset + limit],
        "facets": {},
        "total": {"value": len(found), "relation": "eq"},
        "limit": limit,
        "offset": offset,
    }
