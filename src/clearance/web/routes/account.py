"""The signed-in person's own tokens: make one (its secret shown once, on the page that made
it), see them, revoke one. A token may do nothing its maker's role may not
(:func:`clearance.auth.roles.may_delegate`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from clearance.auth.api_tokens import ApiToken, create_token, list_tokens, revoke_token
from clearance.auth.roles import TOKEN_ROLES, Principal, may_delegate
from clearance.errors import UsageError
from clearance.server.auth import actor, require
from clearance.server.store import store
from clearance.store.values import now
from clearance.web.pages import render
from clearance.web.text import _w

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
OWN = "account.tokens"
#: The lifetimes offered, in days.
LIFETIMES = (30, 90, 365)


def with_states(tokens: list[ApiToken]) -> list[tuple[ApiToken, str]]:
    """Each token with its state as the token tables show it: revoked, expired or ""."""
    at = now()
    return [
        (t, "revoked" if t.revoked_at else "expired" if t.expires_at and t.expires_at <= at else "")
        for t in tokens
    ]


def _own(request: Request, who: Principal) -> list[ApiToken]:
    return [t for t in list_tokens(store(request)) if t.created_by == actor(who)]


def _page(
    request: Request,
    who: Principal,
    *,
    secret: str | None = None,
    made: ApiToken | None = None,
    error: str = "",
    status_code: int = 200,
) -> Response:
    tokens = with_states(_own(request, who))
    roles = [r for r in TOKEN_ROLES if may_delegate(who.role, r)]
    context = {
        "tokens": tokens,
        "roles": roles,
        "lifetimes": LIFETIMES,
        "secret": secret,
        "made": made,
        "error": error,
    }
    return render(request, "tokens.html.j2", context, status_code=status_code)


@router.get("/account/tokens")
def tokens_page(request: Request, who: Annotated[Principal, Depends(require(OWN))]) -> Response:
    return _page(request, who)


@router.post("/account/tokens")
def make_token(
    request: Request,
    who: Annotated[Principal, Depends(require(OWN))],
    name: Annotated[str, Form(max_length=200)],
    role: Annotated[str, Form(max_length=20)],
    days: Annotated[int, Form()] = 90,
) -> Response:
    if not may_delegate(who.role, role) or days not in LIFETIMES:
        return _page(
            request,
            who,
            error=_w("Choose one of the roles and lifetimes offered."),
            status_code=400,
        )
    try:
        made, secret = create_token(
            store(request),
            name=name,
            role=role,
            user=actor(who),
            expires_at=now() + timedelta(days=days),
        )
    except UsageError:
        return _page(request, who, error=_w("A token needs a name."), status_code=400)
    return _page(request, who, secret=secret, made=made, status_code=201)


@router.post("/account/tokens/{token_id}/revoke")
def revoke(
    request: Request, token_id: int, who: Annotated[Principal, Depends(require(OWN))]
) -> Response:
    if token_id not in {t.id for t in _own(request, who)}:
        raise HTTPException(404, detail="No such token of yours.")
    revoke_token(store(request), token_id, user=actor(who))
    return RedirectResponse("/account/tokens", status_code=303)
