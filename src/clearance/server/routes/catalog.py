"""``GET /catalog`` (Clearance's lists as yente datasets, plus ``default`` = all) and
``GET /algorithms`` (the screening engine)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from clearance.matching.version import ALGORITHM
from clearance.model import ListInfo
from clearance.server.auth import Principal, require
from clearance.server.routes.deps import DEFAULT, loaded_state
from clearance.server.routes.match import FEATURES
from clearance.server.state import ServerState

__all__ = ["router"]

router = APIRouter(tags=["System information"])


def _dataset(info: ListInfo, count: int, version: str | None) -> dict[str, Any]:
    return {
        "name": info.id,
        "title": info.title,
        "summary": info.description,
        "url": info.source_url,
        "version": version,
        "category": info.kind,
        "tags": [f"kind.{info.kind}"],
        "entity_count": count,
        "updated_at": info.as_of.isoformat() if info.as_of else None,
        "publisher": {
            "name": info.authority,
            "url": None,
            "country": info.jurisdiction.lower() or None,
            "official": True,
        },
        "load": True,
        "index_current": True,
        "index_version": ALGORITHM,
        "children": [],
        "deprecated": False,
    }


@router.get("/catalog")
def catalog(
    state: Annotated[ServerState, Depends(loaded_state)],
    _principal: Annotated[Principal, Depends(require("registry.read"))],
) -> dict[str, Any]:
    """The datasets served: each list, and ``default``, the collection of all of them."""
    counts = state.registry.list_counts()
    version = state.registry.version or "unversioned"
    lists = [
        _dataset(info, counts.get(info.id, 0), version) for info in state.registry.lists.values()
    ]
    default = {
        "name": DEFAULT,
        "title": "All of Clearance's lists",
        "summary": "Every restricted party in the registry.",
        "version": version,
        "entity_count": len(state.registry),
        "load": True,
        "index_current": True,
        "index_version": ALGORITHM,
        "children": [d["name"] for d in lists],
        "deprecated": False,
    }
    names = [DEFAULT, *(d["name"] for d in lists)]
    return {"datasets": [default, *lists], "current": names, "outdated": [], "index_stale": False}


@router.get("/algorithms")
def algorithms(
    _principal: Annotated[Principal, Depends(require("match.use"))],
) -> dict[str, Any]:
    """The scoring algorithm: Clearance's screening engine (the default and the best)."""
    description = (
        "Clearance's name screening: normalised names across scripts, legal forms and "
        "romanisations, refined by countries and identifiers, with an explanation per hit."
    )
    return {
        "algorithms": [
            {"name": ALGORITHM, "description": description, "features": FEATURES, "docs": {}}
        ],
        "default": ALGORITHM,
        "best": ALGORITHM,
    }
