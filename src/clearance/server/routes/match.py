"""``POST /match/{dataset}``: yente's matching by example, answered by Clearance's screener.

Each query's names are screened (with its countries and identifiers); an entity's score is
its best over the names. ``match`` is the score at or above ``threshold`` (default: Clearance's
match threshold); results below ``cutoff`` are dropped. Clearance's explanation lines go in
``explanations``, one feature each, with the line as ``detail``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query

from clearance.matching.screen import Hit
from clearance.matching.version import ALGORITHM
from clearance.server.auth import Principal, current_principal
from clearance.server.entities import ftm_entity, in_datasets
from clearance.server.routes.deps import dataset_lists, loaded_state
from clearance.server.shapes import MATCHABLE, EntityExample, EntityMatchQuery, example_terms
from clearance.server.state import ServerState

__all__ = ["MAX_BATCH", "router"]

router = APIRouter(tags=["Matching"])

MAX_BATCH = 100  # queries in one request, as yente
MAX_LIMIT = 500
ALGORITHMS = frozenset({ALGORITHM, "best", "default"})


def _best_hits(state: ServerState, example: EntityExample) -> dict[str, tuple[Hit, str]]:
    """Each entity's best hit over the example's names, with the name that found it."""
    names, countries, identifiers = example_terms(example)
    best: dict[str, tuple[Hit, str]] = {}
    for name in names:
        result = state.screener.screen(name, countries=countries, identifiers=identifiers)
        for hit in result.hits:
            known = best.get(hit.entity_id)
            if known is None or hit.score > known[0].score:
                best[hit.entity_id] = (hit, name)
    return best


def _explanations(hit: Hit, query: str) -> dict[str, dict[str, Any]]:
    """Clearance's explanation lines as yente features: ``clearance_1`` … with the line."""
    return {
        f"clearance_{i}": {
            "score": hit.score,
            "detail": line,
            "query": query,
            "candidate": hit.matched_name,
            "weight": None,
        }
        for i, line in enumerate(hit.explanation, start=1)
    }


def _response(
    state: ServerState,
    example: EntityExample,
    lists: set[str] | None,
    *,
    threshold: float,
    cutoff: float,
    limit: int,
    topics: set[str],
    excluded: set[str],
) -> dict[str, Any]:
    if example.schema_ not in MATCHABLE:
        return {
            "status": 400,
            "results": [],
            "total": {"value": 0, "relation": "eq"},
            "query": example.model_dump(by_alias=True),
            "error": f"Cannot match on schema {example.schema_}",
        }
    results: list[dict[str, Any]] = []
    for hit, name in _best_hits(state, example).values():
        entity = state.registry.entities.get(hit.entity_id)
        if entity is None or not in_datasets(entity, lists) or hit.score < cutoff:
            continue
        out = ftm_entity(state, entity)
        if out["id"] in excluded or entity.id in excluded:
            continue
        if topics and not topics & set(out["properties"].get("topics", ())):
            continue
        out["score"] = hit.score
        out["match"] = hit.score >= threshold
        out["features"] = {"clearance_name": hit.score}
        out["explanations"] = _explanations(hit, name)
        out["token"] = None
        results.append(out)
    results.sort(key=lambda r: -r["score"])
    return {
        "status": 200,
        "results": results[:limit],
        "total": {"value": len(results), "relation": "eq"},
        "query": example.model_dump(by_alias=True),
    }


@router.post("/match/{dataset}")
def match(
    dataset: str,
    body: EntityMatchQuery,
    state: Annotated[ServerState, Depends(loaded_state)],
    _principal: Annotated[Principal, Depends(current_principal)],
    limit: Annotated[int, Query(ge=0, le=MAX_LIMIT)] = 5,
    threshold: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
    cutoff: Annotated[float, Query(ge=0.0, le=1.0)] = 0.5,
    algorithm: str = ALGORITHM,
    include_dataset: Annotated[list[str] | None, Query()] = None,
    exclude_dataset: Annotated[list[str] | None, Query()] = None,
    topics: Annotated[list[str] | None, Query()] = None,
    changed_since: datetime | None = None,
    exclude_entity_ids: Annotated[list[str] | None, Query()] = None,
) -> dict[str, Any]:
    """Match entities by example (yente's ``/match``): up to 100 queries, keyed by the
    caller; each response keeps the key. ``changed_since`` is accepted; the registry keeps no
    change dates per entity, so it filters nothing."""
    if len(body.queries) > MAX_BATCH:
        raise HTTPException(422, detail=f"Too many queries in one batch (limit: {MAX_BATCH})")
    if algorithm not in ALGORITHMS:
        raise HTTPException(400, detail=f"Invalid algorithm: {algorithm}")
    lists = dataset_lists(state, dataset)
    for extra in include_dataset or ():
        dataset_lists(state, extra)
        if lists is not None:
            lists.add(extra)
    if exclude_dataset:
        lists = (set(state.registry.lists) if lists is None else lists) - set(exclude_dataset)
    chosen = state.screener.match_threshold if threshold is None else threshold
    responses = {
        key: _response(
            state,
            example,
            lists,
            threshold=chosen,
            cutoff=cutoff,
            limit=limit,
            topics=set(topics or ()),
            excluded=set(exclude_entity_ids or ()),
        )
        for key, example in body.queries.items()
    }
    return {"responses": responses, "limit": limit}
