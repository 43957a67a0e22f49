"""``/api/v1/dispositions``: reviewers' decisions on screening hits (confirmed or false
positive, with why), reused by later screenings of the same input until the entity's
listings change; deciding one also closes or reopens the supplier's finding. Clearing a
strong hit (scored at or above ``four_eyes_score``) waits for a second reviewer, who approves
or rejects it (as ``clearance dispositions approve`` / ``reject``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from clearance.auth.roles import Principal
from clearance.errors import NotFound
from clearance.i18n import gettext as _
from clearance.server.api_models import DispositionIn, ReviewIn
from clearance.server.auth import actor, require
from clearance.server.pagination import Page, paginate
from clearance.server.routes.api.common import Paged, Reader, RowId, Store, StoreSettings
from clearance.server.routes.deps import loaded_state
from clearance.server.state import ServerState
from clearance.store.dispositions import Approval, list_dispositions
from clearance.store.suppliers import dispose_hit, review_hit

__all__ = ["router"]

router = APIRouter(tags=["Dispositions"])

Reviewer = Annotated[Principal, Depends(require("findings.clear_hit"))]


@router.get("/dispositions", response_model=Page)
def dispositions(
    engine: Store,
    page: Paged,
    _who: Reader,
    query: Annotated[str | None, Query(description="Only decisions on this input.")] = None,
    pending: Annotated[
        bool, Query(description="Only decisions waiting for a second reviewer.")
    ] = False,
) -> dict[str, Any]:
    """Recorded decisions, oldest first."""
    approval = Approval.PENDING if pending else None
    return paginate(
        list_dispositions(engine, query=query, approval=approval),
        page,
        key=lambda d: (d.id,),
        dump=lambda d: d.to_json(),
    )


@router.post("/dispositions", status_code=201)
def decide(
    body: DispositionIn,
    engine: Store,
    settings: StoreSettings,
    state: Annotated[ServerState, Depends(loaded_state)],
    who: Reviewer,
) -> dict[str, Any]:
    """Record that the input's hit on an entity is confirmed or a false positive (as
    ``clearance dispositions mark``), with the entity's listings as served now; clearing a
    strong hit is recorded with ``approval: pending`` and decides nothing until approved."""
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
        four_eyes_score=settings.four_eyes_score,
    )
    return made.to_json()


@router.post("/dispositions/{disposition_id}/approve")
def approve(disposition_id: RowId, body: ReviewIn, engine: Store, who: Reviewer) -> dict[str, Any]:
    """Approve, as a second reviewer (not who recorded it: 403), a decision waiting for
    approval; it then applies."""
    return review_hit(
        engine, disposition_id, approve=True, reason=body.reason, user=actor(who)
    ).to_json()


@router.post("/dispositions/{disposition_id}/reject")
def reject(disposition_id: RowId, body: ReviewIn, engine: Store, who: Reviewer) -> dict[str, Any]:
    """Reject, as a second reviewer, a decision waiting for approval: the hit stays
    undecided."""
    return review_hit(
        engine, disposition_id, approve=False, reason=body.reason, user=actor(who)
    ).to_json()
