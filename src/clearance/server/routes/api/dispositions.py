"""``/api/v1/dispositions``: reviewers' decisions on screening hits (confirmed or false
positive, with why), reused by later screenings of the same input until the entity's
listings change; deciding one also closes or reopens the supplier's finding."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from clearance.auth.roles import Principal
from clearance.errors import NotFound
from clearance.i18n import gettext as _
from clearance.server.api_models import DispositionIn
from clearance.server.auth import actor, require
from clearance.server.pagination import Page, paginate
from clearance.server.routes.api.common import Paged, Reader, Store
from clearance.server.routes.deps import loaded_state
from clearance.server.state import ServerState
from clearance.store.dispositions import list_dispositions
from clearance.store.suppliers import dispose_hit

__all__ = ["router"]

router = APIRouter(tags=["Dispositions"])


@router.get("/dispositions", response_model=Page)
def dispositions(
    engine: Store,
    page: Paged,
    _who: Reader,
    query: Annotated[str | None, Query(description="Only decisions on this input.")] = None,
) -> dict[str, Any]:
    """Recorded decisions, oldest first."""
    return paginate(
        list_dispositions(engine, query=query),
        page,
        key=lambda d: (d.id,),
        dump=lambda d: d.to_json(),
    )


@router.post("/dispositions", status_code=201)
def decide(
    body: DispositionIn,
    engine: Store,
    state: Annotated[ServerState, Depends(loaded_state)],
    who: Annotated[Principal, Depends(require("findings.clear_hit"))],
) -> dict[str, Any]:
    """Record that the input's hit on an entity is confirmed or a false positive (as
    ``clearance dispositions mark``), with the entity's listings as served now."""
    entity = state.registry.entities.get(body.entity_id)
    if entity is None:
        raise NotFound(
            _("no entity {entity_id!r} in registry {version}").format(
                entity_id=body.entity_id, version=state.registry.version
            )
        )
    made = dispose_hit(
        engine,
        body.query,
        body.entity_id,
        body.decision,
        body.reason,
        [listing.to_json() for listing in entity.listings],
        user=actor(who),
    )
    return made.to_json()
