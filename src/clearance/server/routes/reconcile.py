"""``/reconcile/{dataset}``: the W3C Reconciliation Service API 0.2, as yente serves it, so that
OpenRefine (and other reconciliation clients) can reconcile a supplier column.

``GET`` without ``queries`` or ``extend`` answers the manifest; ``GET`` or ``POST`` with a
``queries`` field (a JSON object of keyed queries) answers each key with its candidates,
screened exactly as ``POST /match`` screens an example (:func:`~clearance.server.routes.match.
screen_example`), with scores from 0 to 1 as yente sends them (its ``from_scored`` passes the
matcher's score on) and ``match`` for a score at or above the match threshold; with an
``extend`` field (ids and properties) it answers the properties' values of each entity.
``suggest/entity`` finds entities by the start of a name, ``suggest/type`` and
``suggest/property`` the types and query properties, ``extend/property`` what an extension may
fetch. Answers carry ``Access-Control-Allow-Origin: *`` (CORS). A field that is not JSON of the
expected shape fails with 422 naming it; more than
:data:`~clearance.server.routes.match.MAX_BATCH` queries or ids fail with 422, as ``/match``.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any, TypeVar

from babel import Locale
from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import TypeAdapter, ValidationError

from clearance.model import Entity, EntityKind
from clearance.server.auth import Principal, require
from clearance.server.entities import ftm_entity, in_datasets
from clearance.server.name_prefixes import NamePrefixes
from clearance.server.reconcile_terms import (
    EXTEND_PROPERTIES,
    QUERY_PROPERTIES,
    TYPES,
    ExtendQuery,
    ReconQuery,
    property_name,
    recon_type,
)
from clearance.server.routes.deps import dataset_lists, loaded_state
from clearance.server.routes.match import MAX_BATCH, MAX_LIMIT, screen_example
from clearance.server.shapes import MATCHABLE, EntityExample, example_terms
from clearance.server.state import ServerState

__all__ = ["router"]


def _cross_origin(response: Response) -> None:
    """Let pages of other origins read the answers (CORS, which the reconciliation API asks
    of services: OpenRefine's browser side fetches the manifest and suggestions itself).
    No credentials are allowed, so a browser never sends cookies with such a request."""
    response.headers["access-control-allow-origin"] = "*"


router = APIRouter(tags=["Reconciliation"], dependencies=[Depends(_cross_origin)])

_T = TypeVar("_T")
_BATCH = TypeAdapter(dict[str, ReconQuery])
_EXTEND = TypeAdapter(ExtendQuery)
_OK = {"code": "/api/status/ok", "status": "200 OK"}
_SCHEMA_SPACE = "https://followthemoney.tech/explorer/schemata/"
#: Properties FtM gives companies only, or people only.
_COMPANY_ONLY = frozenset({"isinCode", "ticker"})
_PERSON_ONLY = frozenset({"passportNumber", "nationality"})
_PREFIXES_LOCK = threading.Lock()

Caller = Annotated[Principal, Depends(require("match.use"))]
State = Annotated[ServerState, Depends(loaded_state)]


def _parsed(adapter: TypeAdapter[_T], data: str, field: str) -> _T:
    """``data`` read as JSON of ``adapter``'s shape; 422 naming ``field`` where it is not."""
    try:
        return adapter.validate_json(data)
    except ValidationError as exc:
        errors = [
            {"type": e["type"], "loc": ("body", field, *e["loc"]), "msg": e["msg"]}
            for e in exc.errors(include_url=False)
        ]
        raise RequestValidationError(errors) from exc


def _too_many(count: int) -> None:
    if count > MAX_BATCH:
        raise HTTPException(422, detail=f"Too many queries in one batch (limit: {MAX_BATCH})")


def _description(state: ServerState, datasets: list[str]) -> str:
    """What a candidate is listed on: the titles of its lists."""
    lists = state.registry.lists
    return "; ".join(lists[d].title if d in lists else d for d in datasets)


def _candidates(
    state: ServerState, key: str, query: ReconQuery, lists: set[str] | None
) -> list[dict[str, Any]]:
    """One query's candidates, best first; 400 for a type Clearance does not screen."""
    example = EntityExample.model_validate(query.example())
    if example.schema_ not in MATCHABLE:
        detail = f"Cannot parse query {key}: cannot match on type {example.schema_}"
        raise HTTPException(400, detail=detail)
    if not example_terms(example)[0]:  # nothing to screen: no candidate
        return []
    threshold = state.screener.match_threshold
    found = screen_example(state, example, lists, threshold=threshold, limit=query.limit)
    return [
        {
            "id": out["id"],
            "name": out["caption"],
            "score": round(out["score"], 4),
            "match": out["match"],
            "type": [recon_type(out["schema"])],
            "description": _description(state, out["datasets"]),
        }
        for out in found
    ]


def _reconciled(
    state: ServerState, lists: set[str] | None, data: str, response: Response
) -> dict[str, Any]:
    batch = _parsed(_BATCH, data, "queries")
    _too_many(len(batch))
    response.headers["x-batch-size"] = str(len(batch))
    return {key: {"result": _candidates(state, key, q, lists)} for key, q in batch.items()}


def _values(
    state: ServerState, entity: Entity, ftm: dict[str, Any], prop: str, caption: bool
) -> list[str]:
    """One property's values of an entity (``ftm``: the entity as FtM), readable
    (``caption``) or raw."""
    if prop == "datasets":
        ids = list(dict.fromkeys(x.list_id for x in entity.listings))
        lists = state.registry.lists
        return [lists[i].title if caption and i in lists else i for i in ids]
    if prop == "listings":
        return [
            f"{x.authority}: {x.program}"
            + (f" (since {x.start_date.isoformat()})" if x.start_date else "")
            if caption
            else f"{x.list_id}/{x.entry_id}"
            if x.entry_id
            else x.list_id
            for x in entity.listings
        ]
    values = [str(v) for v in ftm["properties"].get(prop, [])]
    if caption and prop == "country":
        territories = Locale("en").territories
        return [territories.get(v.upper(), v) for v in values]
    return values


def _extended(state: ServerState, data: str, response: Response) -> dict[str, Any]:
    query = _parsed(_EXTEND, data, "extend")
    _too_many(len(query.ids))
    known = [p for p in query.properties if property_name(p.id) in EXTEND_PROPERTIES]
    rows: dict[str, dict[str, list[dict[str, str]]]] = {}
    for ident in query.ids:
        eid = state.entity_id(ident) or state.merged.get(ident)  # a merged id: its survivor
        entity = state.registry.entities.get(eid) if eid is not None else None
        row: dict[str, list[dict[str, str]]] = {}
        ftm = ftm_entity(state, entity) if entity is not None else None
        if entity is not None and ftm is not None:  # a category of equipment has none
            for prop in known:
                caption = prop.settings.render != "raw"
                values = _values(state, entity, ftm, property_name(prop.id), caption)
                if prop.settings.limit:
                    values = values[: prop.settings.limit]
                row[prop.id] = [{"str": v} for v in values]
        rows[ident] = row
    response.headers["x-batch-size"] = str(len(rows))
    meta = [{"id": p.id, "name": EXTEND_PROPERTIES[property_name(p.id)]} for p in known]
    return {"meta": meta, "rows": rows}


def _manifest(request: Request, state: ServerState, dataset: str) -> dict[str, Any]:
    base = str(request.base_url).rstrip("/")
    service = f"{base}/reconcile/{dataset}"
    query = f"?{request.url.query}" if request.url.query else ""  # passed on, as yente

    def service_path(path: str) -> dict[str, str]:
        return {"service_url": service, "service_path": f"{path}{query}"}

    title = state.registry.lists[dataset].title if dataset in state.registry.lists else None
    return {
        "versions": ["0.2"],
        "name": f"Clearance: {title or 'all lists'}",
        "identifierSpace": f"{base}/entities/",
        "schemaSpace": _SCHEMA_SPACE,
        "documentation": f"{base}/docs",
        "batchSize": MAX_BATCH // 2,
        "view": {"url": f"{base}/entities/{{{{id}}}}"},
        "defaultTypes": [recon_type(schema) for schema in TYPES],
        "suggest": {
            "entity": service_path("/suggest/entity"),
            "type": service_path("/suggest/type"),
            "property": service_path("/suggest/property"),
        },
        "extend": {
            "propose_properties": service_path("/extend/property"),
            "property_settings": [
                {
                    "name": "limit",
                    "label": "Limit",
                    "type": "number",
                    "default": 0,
                    "help_text": "Maximum number of values to return per row (0 for no limit).",
                },
                {
                    "name": "render",
                    "label": "Value rendering",
                    "type": "select",
                    "default": "caption",
                    "choices": [
                        {"id": "caption", "name": "User-readable value"},
                        {"id": "raw", "name": "Machine-readable value"},
                    ],
                    "help_text": "Return a readable value (e.g. 'China') instead of the raw "
                    "value ('cn').",
                },
            ],
        },
    }


def _answer(
    request: Request,
    response: Response,
    state: ServerState,
    dataset: str,
    queries: str | None,
    extend: str | None,
) -> dict[str, Any]:
    lists = dataset_lists(state, dataset)
    if extend is not None and extend.strip():
        return _extended(state, extend, response)
    if queries is not None and queries.strip():
        return _reconciled(state, lists, queries, response)
    return _manifest(request, state, dataset)


@router.get("/reconcile/{dataset}")
def reconcile(
    dataset: str,
    request: Request,
    response: Response,
    state: State,
    _principal: Caller,
    queries: Annotated[str | None, Query(description="JSON-encoded queries")] = None,
    extend: Annotated[str | None, Query(description="JSON-encoded extension")] = None,
) -> dict[str, Any]:
    """The service manifest; with ``queries`` (or ``extend``) the answers, as ``POST``."""
    return _answer(request, response, state, dataset, queries, extend)


@router.post("/reconcile/{dataset}")
def reconcile_post(
    dataset: str,
    request: Request,
    response: Response,
    state: State,
    _principal: Caller,
    queries: Annotated[str | None, Form(description="JSON-encoded queries")] = None,
    extend: Annotated[str | None, Form(description="JSON-encoded extension")] = None,
) -> dict[str, Any]:
    """Reconciliation queries (``queries``: ``{key: {query, type, limit, properties}}``)
    or a data extension (``extend``: ``{ids, properties}``)."""
    return _answer(request, response, state, dataset, queries, extend)


def _name_prefixes(request: Request, state: ServerState) -> NamePrefixes:
    """The names of the served parties by prefix, built on first use in each process."""
    app_state = request.app.state.__dict__
    cached = app_state.get("_name_prefixes")
    if cached is None or cached[0] is not state:
        with _PREFIXES_LOCK:
            cached = app_state.get("_name_prefixes")
            if cached is None or cached[0] is not state:
                names = (
                    (entity.id, name)
                    for entity in state.registry.entities.values()
                    if entity.kind is not EntityKind.CATEGORY
                    for name in entity.all_names()
                )
                cached = (state, NamePrefixes(names))
                app_state["_name_prefixes"] = cached
    prefixes: NamePrefixes = cached[1]
    return prefixes


@router.get("/reconcile/{dataset}/suggest/entity")
def suggest_entity(
    dataset: str,
    request: Request,
    state: State,
    _principal: Caller,
    prefix: str = "",
    limit: Annotated[int, Query(ge=0, le=MAX_LIMIT)] = 10,
) -> dict[str, Any]:
    """Entities with a name (or a word of one) starting with ``prefix``."""
    lists = dataset_lists(state, dataset)
    result: list[dict[str, Any]] = []
    for eid in _name_prefixes(request, state).find(prefix, 4 * limit if lists else limit):
        entity = state.registry.entities[eid]
        out = ftm_entity(state, entity) if in_datasets(entity, lists) else None
        if out is not None and len(result) < limit:
            result.append(
                {
                    "id": out["id"],
                    "name": out["caption"],
                    "type": [recon_type(out["schema"])],
                    "description": _description(state, out["datasets"]),
                }
            )
    return {**_OK, "prefix": prefix, "result": result}


def _starts(prefix: str, *texts: str) -> bool:
    """Whether one of ``texts``, or a word of one, starts with ``prefix`` (any case)."""
    key = prefix.casefold().strip()
    return any(word.startswith(key) for text in texts for word in [text, *text.split()])


@router.get("/reconcile/{dataset}/suggest/type")
def suggest_type(
    dataset: str, state: State, _principal: Caller, prefix: str = ""
) -> dict[str, Any]:
    """The types (FtM schemata) a query may name whose id or name starts with ``prefix``."""
    dataset_lists(state, dataset)
    result = [
        recon_type(schema)
        for schema, (plural, _desc) in TYPES.items()
        if _starts(prefix, schema.casefold(), plural.casefold())
    ]
    return {**_OK, "prefix": prefix, "result": result}


@router.get("/reconcile/{dataset}/suggest/property")
def suggest_property(
    dataset: str, state: State, _principal: Caller, prefix: str = ""
) -> dict[str, Any]:
    """The properties a query may send (names, countries, identifiers) matching ``prefix``."""
    dataset_lists(state, dataset)
    result = [
        {"id": qname, "name": label}
        for qname, label in QUERY_PROPERTIES.items()
        if _starts(prefix, property_name(qname).casefold(), label.casefold())
    ]
    return {**_OK, "prefix": prefix, "result": result}


@router.get("/reconcile/{dataset}/extend/property")
def propose_properties(
    dataset: str,
    state: State,
    _principal: Caller,
    schema: Annotated[str, Query(alias="type", description="The entities' type")] = "LegalEntity",
    limit: Annotated[int, Query(ge=0, description="At most this many (0: all)")] = 0,
) -> dict[str, Any]:
    """The properties a data extension may fetch for entities of ``type``."""
    dataset_lists(state, dataset)
    if schema not in TYPES:
        raise HTTPException(400, detail=f"Invalid type: {schema}")
    skipped = (_COMPANY_ONLY if schema != "Company" else frozenset()) | (
        _PERSON_ONLY if schema != "Person" else frozenset()
    )
    properties = [
        {"id": prop, "name": label}
        for prop, label in EXTEND_PROPERTIES.items()
        if prop not in skipped
    ]
    if limit:
        properties = properties[:limit]
    return {"limit": limit, "type": schema, "properties": properties}
