"""The review queue for screening hits: what waits for a decision or for a second reviewer,
strongest first; a supplier's hits with the input, the entity, the score, the explanation and
the listings with their citations; confirming or clearing a hit with a reason, and a second
reviewer approving or rejecting a clearance of a strong hit (four eyes). Decisions are the
library's (:mod:`clearance.store.suppliers`), reused until the entity's listings change."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from clearance.auth.roles import Principal
from clearance.errors import PermissionDenied, UsageError
from clearance.explanations import decimal, explanation_line
from clearance.server.auth import actor, require
from clearance.server.store import config, store
from clearance.store.dispositions import Decision
from clearance.store.review_queue import review_queue
from clearance.store.suppliers import StoredSupplier, dispose_hit, get_supplier, review_hit
from clearance.web.pages import render
from clearance.web.text import N_, _w

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
READ = "findings.read"
DECIDE = "findings.clear_hit"
#: The kinds of waiting the queue filters on, and their names.
WAITING: dict[str, str] = {
    "decision": N_("a decision"),
    "approval": N_("a second reviewer"),
}
#: What a decision just did, shown once after the redirect.
DONE: dict[str, str] = {
    "decided": N_("Decision recorded."),
    "waiting": N_("Clearance recorded: it waits for a second reviewer's approval."),
    "approved": N_("Clearance approved: the decision now applies."),
    "rejected": N_("Clearance rejected: the hit waits for a decision again."),
}
SAME_REVIEWER = N_("You recorded this clearance: another reviewer must approve or reject it.")


@router.get("/review")
async def queue_page(
    request: Request,
    who: Annotated[Principal, Depends(require(READ))],
    waiting: str = "",
) -> Response:
    kind = waiting if waiting in WAITING else None
    items = await run_in_threadpool(review_queue, store(request), waiting=kind)
    context = {"items": items, "waiting": kind or "", "kinds": WAITING, "score": decimal}
    return render(request, "review_queue.html.j2", context, who=who)


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _hit_view(supplier: StoredSupplier, hit: dict[str, Any], me: str) -> dict[str, Any]:
    """What the page shows of one hit: its current, pending and stale decisions."""
    decided = hit.get("disposition")
    pending = hit.get("pending_disposition")
    stale = hit.get("stale_disposition")
    view: dict[str, Any] = {"hit": hit, "decided": decided, "pending": pending, "stale": stale}
    if decided is not None:
        made = _when(decided["created_at"])
        view["decided_at"] = made
        view["reused"] = made is not None and made < supplier.last_screened
    if pending is not None:
        view["pending_at"] = _when(pending["created_at"])
        view["mine"] = " ".join(pending["user"].split()).casefold() == me.casefold()
    if stale is not None:
        view["stale_at"] = _when(stale["created_at"])
    return view


def _supplier_page(
    request: Request,
    who: Principal,
    supplier: StoredSupplier,
    *,
    done: str = "",
    error: str = "",
    status_code: int = 200,
) -> Response:
    settings = config(request).settings
    hits = [_hit_view(supplier, h, actor(who)) for h in supplier.result.get("hits") or ()]
    context = {
        "supplier": supplier,
        "hits": hits,
        "four_eyes": settings.four_eyes_score if settings is not None else None,
        "done": _w(DONE[done]) if done in DONE else "",
        "error": error,
        "explain": explanation_line,
        "score": decimal,
    }
    return render(request, "review_supplier.html.j2", context, status_code=status_code, who=who)


def _stored(request: Request, supplier_id: int) -> StoredSupplier:
    found = get_supplier(store(request), supplier_id)
    if found is None:
        raise HTTPException(404, detail="No such supplier.")
    return found


@router.get("/review/suppliers/{supplier_id}")
def supplier_page(
    request: Request,
    supplier_id: int,
    who: Annotated[Principal, Depends(require(READ))],
    done: str = "",
) -> Response:
    return _supplier_page(request, who, _stored(request, supplier_id), done=done)


def _back(supplier_id: int, done: str, entity_id: str) -> RedirectResponse:
    return RedirectResponse(
        f"/review/suppliers/{supplier_id}?done={done}#hit-{entity_id}", status_code=303
    )


@router.post("/review/suppliers/{supplier_id}/decide")
def decide(
    request: Request,
    supplier_id: int,
    who: Annotated[Principal, Depends(require(DECIDE))],
    entity_id: Annotated[str, Form(max_length=200)],
    decision: Annotated[str, Form(max_length=20)],
    reason: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Confirm or clear one of the supplier's hits, against the entity's listings as the page
    showed them (those stored with the screening): a change of them makes it stale."""
    supplier = _stored(request, supplier_id)
    hit = next((h for h in supplier.result.get("hits") or () if h["entity_id"] == entity_id), None)
    if hit is None or decision not in set(Decision):
        raise HTTPException(404, detail="No such hit.")
    settings = config(request).settings
    try:
        made = dispose_hit(
            store(request),
            supplier.query,
            entity_id,
            decision,
            reason,
            hit.get("listings") or [],
            user=actor(who),
            four_eyes_score=settings.four_eyes_score if settings is not None else None,
        )
    except UsageError:
        return _supplier_page(
            request, who, supplier, error=_w("A decision needs a reason."), status_code=400
        )
    return _back(supplier_id, "decided" if made.decides else "waiting", entity_id)


@router.post("/review/suppliers/{supplier_id}/dispositions/{disposition_id}/{verdict}")
def second_review(
    request: Request,
    supplier_id: int,
    disposition_id: int,
    verdict: str,
    who: Annotated[Principal, Depends(require(DECIDE))],
    entity_id: Annotated[str, Form(max_length=200)],
    reason: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Approve or reject, as a second reviewer, a clearance waiting for approval."""
    if verdict not in ("approve", "reject"):
        raise HTTPException(404, detail="No such verdict.")
    supplier = _stored(request, supplier_id)
    waiting = {
        (h.get("pending_disposition") or {}).get("id") for h in supplier.result.get("hits") or ()
    }
    if disposition_id not in waiting:
        raise HTTPException(404, detail="No such clearance waiting on this supplier.")
    try:
        review_hit(
            store(request),
            disposition_id,
            approve=verdict == "approve",
            reason=reason,
            user=actor(who),
        )
    except PermissionDenied:
        return _supplier_page(request, who, supplier, error=_w(SAME_REVIEWER), status_code=403)
    except UsageError:
        error = _w("An approval or a rejection needs a reason, on a clearance still waiting.")
        return _supplier_page(request, who, supplier, error=error, status_code=400)
    return _back(supplier_id, "approved" if verdict == "approve" else "rejected", entity_id)
