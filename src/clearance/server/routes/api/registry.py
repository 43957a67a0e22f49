"""The registry of restricted parties under ``/api/v1/registry``: its stored versions
(``clearance lists history``), the differences between two (``clearance lists diff``), and one
entity with its relations (``clearance lists show --format json``).

These routes read with ``registry.read`` but stay closed under ``--open-matching``: a version's
sources name files and notes of the organisation, which the matching routes never show."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import Engine

from clearance.basis import mark_json, profile_key
from clearance.errors import RegistryError
from clearance.registry.views import entity_view
from clearance.server.auth import Principal, require
from clearance.server.limits import NO_NUL, has_nul
from clearance.server.pagination import Page, PageRequest, page_request, paginate
from clearance.server.routes.deps import loaded_state
from clearance.server.state import ServerState
from clearance.server.store import store
from clearance.store.profile import load_profile
from clearance.store.registry_diff import diff_counts, diff_position, diff_versions, resolve_span
from clearance.store.registry_store import VersionInfo, list_versions

__all__ = ["router"]

router = APIRouter(prefix="/registry", tags=["Registry"])

_READ = require("registry.read", openable=False)


def _version_key(info: VersionInfo) -> tuple[int]:
    return (-info.id,)


@router.get("/versions", response_model=Page)
def versions(
    _principal: Annotated[Principal, Depends(_READ)],
    engine: Annotated[Engine, Depends(store)],
    page: Annotated[PageRequest, Depends(page_request)],
) -> dict[str, Any]:
    """The stored registry versions, newest first, with their sources and entity counts."""
    return paginate(list_versions(engine), page, key=_version_key, dump=VersionInfo.to_json)


@router.get("/versions/{version}")
def version(
    version: str,
    _principal: Annotated[Principal, Depends(_READ)],
    engine: Annotated[Engine, Depends(store)],
) -> dict[str, Any]:
    """One stored registry version."""
    for info in list_versions(engine):
        if info.version == version:
            return info.to_json()
    raise HTTPException(404, detail=f"No registry version {version!r}.")


def _diff_after(page: PageRequest) -> tuple[int, str] | None:
    """Where a cursor of a diff resumes; 422 for a cursor of another list."""
    if page.after is None:
        return None
    if len(page.after) == 2:
        part, entity_id = page.after
        if part in (0, 1) and not isinstance(part, bool) and isinstance(entity_id, str):
            if has_nul(entity_id):
                raise HTTPException(422, detail="Invalid cursor: not a cursor this server gave.")
            return (int(part), entity_id)
    raise HTTPException(422, detail="Invalid cursor: it belongs to another list.")


@router.get("/diff")
def diff(
    _principal: Annotated[Principal, Depends(_READ)],
    engine: Annotated[Engine, Depends(store)],
    page: Annotated[PageRequest, Depends(page_request)],
    old: Annotated[str | None, Query(alias="from", max_length=200, pattern=NO_NUL)] = None,
    new: Annotated[str | None, Query(alias="to", max_length=200, pattern=NO_NUL)] = None,
) -> dict[str, Any]:
    """Entities added, removed and changed between two versions (default: the active one and
    the one stored before it), with the names and lists each gained or lost: ``summary``
    counts them all, ``items`` is one page (added and changed first, then removed, each by
    entity id)."""
    try:
        span = resolve_span(engine, old, new)
    except RegistryError as error:
        raise HTTPException(404, detail=str(error)) from error
    records = diff_versions(engine, span, after=_diff_after(page))
    shown: list[dict[str, Any]] = []
    for record in records:
        shown.append(record)
        if len(shown) > page.limit:
            break
    return {
        "old": span.old.version,
        "new": span.new.version,
        "summary": diff_counts(engine, span),
        **paginate(shown, page, key=diff_position, dump=dict),
    }


@router.get("/entities/{entity_id}", name="registry_entity", response_model=None)
def entity(
    entity_id: str,
    request: Request,
    _principal: Annotated[Principal, Depends(_READ)],
    state: Annotated[ServerState, Depends(loaded_state)],
    engine: Annotated[Engine, Depends(store)],
) -> dict[str, Any] | RedirectResponse:
    """One entity of the registry served (by its id or FtM id): names, listings (the
    organisation's binding lists first), relations both ways, the listed parties it leads to
    and device hints. The id of a record merged into another entity redirects (308) to it."""
    eid = state.entity_id(entity_id)
    if eid is None and entity_id in state.merged:
        survivor = state.merged[entity_id]
        return RedirectResponse(
            request.app.url_path_for("registry_entity", entity_id=survivor), 308
        )
    if eid is None:
        raise HTTPException(404, detail=f"No entity {entity_id!r} in the registry.")
    profile = load_profile(engine)
    return {
        "registry_version": state.registry.version,
        "entity": mark_json(entity_view(state.registry, eid), profile),
        **profile_key(profile),
    }
