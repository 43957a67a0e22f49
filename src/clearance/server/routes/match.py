"""``POST /match/{dataset}``: yente's matching by example, answered by Clearance's screener.

Each query's names are screened (with its countries and identifiers); an entity's score is
its best over the names. ``match`` is the score at or above ``threshold`` (default: Clearance's
match threshold); results below ``min(cutoff, threshold)`` are dropped, as yente does.
Clearance's explanation lines go in ``explanations``, one feature each, with the line as
``detail``. A query that cannot be matched (a schema other than a party's, no name) fails the
request with 400, as in yente; more than :data:`MAX_BATCH` queries fail it with 422.

The route is a coroutine: screening is CPU-bound, and a server process screens one request
at a time either way, so it screens on the event loop rather than hop to a thread and back.
The answer is encoded by orjson in one pass (FastAPI's validation of a ``dict`` and
``jsonable_encoder`` walk it twice more, and cost more than the screening of one name).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, HTTPException, Query, Response

from clearance.matching.screen import Hit
from clearance.matching.version import ALGORITHM
from clearance.registry.export_ftm import has_ftm_schema
from clearance.server.auth import Principal, require
from clearance.server.entities import ftm_entity, in_datasets
from clearance.server.routes.deps import dataset_lists, loaded_state
from clearance.server.shapes import (
    MATCHABLE,
    EntityExample,
    EntityMatchQuery,
    ExampleTerms,
    example_terms,
)
from clearance.server.state import ServerState

__all__ = ["FEATURES", "MAX_BATCH", "MAX_LIMIT", "router", "screen_example"]

router = APIRouter(tags=["Matching"])

MAX_BATCH = 100  # queries in one request, as yente
MAX_LIMIT = 500
ALGORITHMS = frozenset({ALGORITHM, "best", "default"})
#: The features a result reports (yente's ``matcher`` feature documentation).
FEATURES: dict[str, dict[str, Any]] = {
    "clearance_name": {
        "description": (
            "Clearance's name score: names compared across scripts, legal forms and "
            "romanisations, refined by countries and identifiers."
        ),
        "coefficient": 1.0,
        "url": None,
    }
}


class _Filters:
    """What narrows the results of every query of a request."""

    def __init__(
        self,
        lists: set[str] | None,
        excluded_lists: list[str] | None,
        topics: list[str] | None,
        excluded_schemata: list[str] | None,
        excluded_ids: list[str] | None,
    ) -> None:
        self.lists = lists
        self.excluded_lists = set(excluded_lists or ())
        self.topics = set(topics or ())
        self.excluded_schemata = set(excluded_schemata or ())
        self.excluded_ids = set(excluded_ids or ())
        self.narrows = bool(
            self.excluded_lists or self.topics or self.excluded_schemata or self.excluded_ids
        )

    def keeps(self, entity_id: str, out: dict[str, Any]) -> bool:
        if not self.narrows:  # the common case: no set made for every result
            return True
        if out["id"] in self.excluded_ids or entity_id in self.excluded_ids:
            return False
        if set(out["referents"]) & self.excluded_ids or out["schema"] in self.excluded_schemata:
            return False
        if set(out["datasets"]) & self.excluded_lists:  # on an excluded list: out, as in yente
            return False
        return not self.topics or bool(self.topics & set(out["properties"].get("topics", ())))


def _best_hits(state: ServerState, terms: ExampleTerms) -> dict[str, tuple[Hit, str]]:
    """Each entity's best hit over the example's names, with the name that found it."""
    names, countries, identifiers = terms
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


def _checked(key: str, example: EntityExample) -> ExampleTerms:
    """What is screened of a query; 400 for a query Clearance cannot match, naming it."""
    if example.schema_ not in MATCHABLE:
        detail = f"Cannot parse example entity: {key}: cannot match on schema {example.schema_}"
        raise HTTPException(400, detail=detail)
    terms = example_terms(example)
    if not terms[0]:
        raise HTTPException(400, detail=f"Cannot parse example entity: {key}: no name")
    return terms


def _matches(
    state: ServerState,
    example: EntityExample,
    terms: ExampleTerms,
    filters: _Filters,
    *,
    threshold: float,
    cutoff: float,
    limit: int,
) -> dict[str, Any]:
    """One query's entry of ``responses``: status, results (best first), total, query.

    Hits are taken best first, and the yente entity (FtM properties, datasets …) is made only
    for the ``limit`` returned, unless a filter needs it to decide: on a million entities most
    hits are of entities not seen before, and making an entity costs as much as a tenth of
    the screening."""
    ranked = sorted(_best_hits(state, terms).values(), key=lambda found: -found[0].score)
    results: list[dict[str, Any]] = []
    total = 0
    for hit, name in ranked:
        entity = state.registry.entities.get(hit.entity_id)
        if entity is None or hit.score < cutoff or not in_datasets(entity, filters.lists):
            continue
        if not has_ftm_schema(entity):
            continue  # not served (a category of equipment)
        out = None
        if filters.narrows:
            out = ftm_entity(state, entity)
            if out is None or not filters.keeps(entity.id, out):
                continue
        total += 1
        if len(results) >= limit:
            continue
        out = out if out is not None else ftm_entity(state, entity)
        if out is None:
            continue
        out["score"] = hit.score
        out["match"] = hit.score >= threshold
        out["features"] = {"clearance_name": hit.score}
        out["explanations"] = _explanations(hit, name)
        results.append(out)
    return {
        "status": 200,
        "results": results,
        "total": {"value": total, "relation": "eq"},
        "query": example.echo(),
    }


def screen_example(
    state: ServerState,
    example: EntityExample,
    lists: set[str] | None,
    *,
    threshold: float,
    limit: int,
) -> list[dict[str, Any]]:
    """One example screened as ``/match`` screens it, with no filter but the dataset's
    ``lists`` and no cutoff but the screener's: its results as yente entities with
    ``score`` and ``match``, best first (the reconciliation routes answer with these)."""
    filters = _Filters(lists, None, None, None, None)
    terms = example_terms(example)
    found = _matches(state, example, terms, filters, threshold=threshold, cutoff=0.0, limit=limit)
    results: list[dict[str, Any]] = found["results"]
    return results


@router.post("/match/{dataset}", response_model=None)
async def match(
    dataset: str,
    body: EntityMatchQuery,
    state: Annotated[ServerState, Depends(loaded_state)],
    _principal: Annotated[Principal, Depends(require("match.use"))],
    limit: Annotated[int, Query(ge=0, le=MAX_LIMIT)] = 5,
    threshold: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
    cutoff: Annotated[float, Query(ge=0.0, le=1.0)] = 0.5,
    algorithm: str = ALGORITHM,
    include_dataset: Annotated[list[str] | None, Query()] = None,
    exclude_schema: Annotated[list[str] | None, Query()] = None,
    exclude_dataset: Annotated[list[str] | None, Query()] = None,
    topics: Annotated[list[str] | None, Query()] = None,
    changed_since: datetime | None = None,
    exclude_entity_ids: Annotated[list[str] | None, Query(max_length=50)] = None,
) -> Response:
    """Match entities by example (yente's ``/match``): up to 100 queries, keyed by the
    caller; each response keeps the key. ``changed_since`` is accepted; the registry keeps no
    change dates per entity, so it filters nothing. ``weights`` are accepted and ignored
    (Clearance's score has no weighted features to change); any ``config`` key is refused."""
    if len(body.queries) > MAX_BATCH:
        raise HTTPException(422, detail=f"Too many queries in one batch (limit: {MAX_BATCH})")
    if algorithm not in ALGORITHMS:
        raise HTTPException(400, detail=f"Invalid algorithm: {algorithm}")
    for config_key in body.config:
        detail = f"Invalid configuration parameter: {config_key} for algorithm {ALGORITHM}"
        raise HTTPException(400, detail=detail)
    if not body.queries:
        raise HTTPException(400, detail="No queries provided.")
    terms = {key: _checked(key, example) for key, example in body.queries.items()}
    lists = dataset_lists(state, dataset)
    for extra in include_dataset or ():
        dataset_lists(state, extra)
        if lists is not None:
            lists.add(extra)
    filters = _Filters(lists, exclude_dataset, topics, exclude_schema, exclude_entity_ids)
    chosen = state.screener.match_threshold if threshold is None else threshold
    low = min(cutoff, chosen)
    responses = {
        key: _matches(
            state, example, terms[key], filters, threshold=chosen, cutoff=low, limit=limit
        )
        for key, example in body.queries.items()
    }
    answer = {"responses": responses, "matcher": FEATURES, "limit": limit}
    return Response(
        orjson.dumps(answer),
        media_type="application/json",
        headers={"x-batch-size": str(len(responses))},
    )
