"""The registry: search entities by any of their names in any script (the loaded screener,
as ``/search`` uses it), an entity's page (its names grouped by script and language, its
relations with their certainty and source, its listings with their sources, those binding the
organisation first), and the stored list versions with what changed between two of them (as
``clearance lists diff``)."""

from __future__ import annotations

from itertools import islice
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from clearance.auth.roles import Principal
from clearance.errors import RegistryError
from clearance.explanations import decimal, relation_name
from clearance.i18n import use_lang
from clearance.model import Entity, Name
from clearance.profile import binding_first, binds
from clearance.server.auth import require
from clearance.server.routes.deps import loaded_state
from clearance.server.state import ServerState
from clearance.server.store import store
from clearance.store.profile import load_profile
from clearance.store.registry_diff import diff_versions, resolve_span
from clearance.store.registry_store import list_versions
from clearance.web.language import page_lang
from clearance.web.pages import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
READ = "registry.read"
#: The most entities a search shows, and changes a diff page shows.
SEARCH_LIMIT = 50
DIFF_LIMIT = 500

Reader = Annotated[Principal, Depends(require(READ))]
State = Annotated[ServerState, Depends(loaded_state)]


@router.get("/registry")
async def search_page(
    request: Request,
    who: Reader,
    state: State,
    q: Annotated[str, Query(max_length=500)] = "",
) -> Response:
    found: list[tuple[Any, Entity]] = []
    if q.strip():
        result = await run_in_threadpool(state.screener.screen, q)
        for hit in result.hits[:SEARCH_LIMIT]:
            entity = state.registry.entities.get(hit.entity_id)
            if entity is not None:
                found.append((hit, entity))
    context = {"q": q, "found": found, "score": decimal}
    return render(request, "registry_search.html.j2", context, who=who)


def _names_by_script(entity: Entity) -> list[tuple[str, str | None, list[Name]]]:
    """The entity's names (its primary name first) grouped by script and language."""
    names = entity.names or [Name.of(entity.name, "legal")]
    groups: dict[tuple[str, str | None], list[Name]] = {}
    for name in names:
        groups.setdefault((name.script, name.lang), []).append(name)
    return [(script, lang, group) for (script, lang), group in groups.items()]


@router.get("/registry/entities/{entity_id}")
def entity_page(request: Request, entity_id: str, who: Reader, state: State) -> Response:
    eid = state.entity_id(entity_id)
    if eid is None and entity_id in state.merged:
        return RedirectResponse(f"/registry/entities/{state.merged[entity_id]}", 303)
    if eid is None:
        raise HTTPException(404, detail="No such entity.")
    entity = state.registry.entities[eid]
    profile = load_profile(store(request))
    listings = list(binding_first(entity.listings, profile))
    relations = [
        (
            rel,
            state.registry.entities.get(rel.subject),
            state.registry.entities.get(rel.object),
        )
        for rel in state.registry.relations_of(eid)
    ]
    context = {
        "entity": entity,
        "groups": _names_by_script(entity),
        "relations": relations,
        "relation_name": relation_name,
        "listings": [x.to_json() for x in listings],
        "binding": [i for i, x in enumerate(listings) if binds(x, profile)],
        "lists": state.registry.lists,
        "score": decimal,
    }
    return render(request, "registry_entity.html.j2", context, who=who)


@router.get("/registry/versions")
def versions_page(
    request: Request,
    who: Reader,
    old: Annotated[str, Query(max_length=200)] = "",
    new: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    engine = store(request)
    versions = list_versions(engine)
    changes: list[dict[str, Any]] = []
    more = False
    error = ""
    span = None
    active = next((v for v in versions if v.active), None)
    # Unasked, the active version is compared with the one stored before it, if any.
    if old or new or (active is not None and versions[0].id < active.id):
        try:
            with use_lang(page_lang(request)):
                span = resolve_span(engine, old or None, new or None)
        except RegistryError as exc:
            error = str(exc)
        if span is not None:
            records = diff_versions(engine, span)
            changes = list(islice(records, DIFF_LIMIT))
            more = next(records, None) is not None
    context = {
        "versions": list(reversed(versions)),
        "span": span,
        "changes": changes,
        "more": more,
        "limit": DIFF_LIMIT,
        "error": error,
    }
    return render(request, "registry_versions.html.j2", context, who=who)
