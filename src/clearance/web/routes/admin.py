"""Administration, for admins: the people who sign in (add one with a role and a first
password, change a role, disable one) and every API token (make one, its secret shown once;
revoke one). The same functions as ``clearance users`` and ``clearance tokens``, audited as
the signed-in admin."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from clearance.auth.api_tokens import ApiToken, create_token, list_tokens, revoke_token
from clearance.auth.roles import TOKEN_ROLES, USER_ROLES, Principal
from clearance.auth.users import add_user, disable_user, list_users, set_role
from clearance.errors import UsageError
from clearance.server.auth import actor, require
from clearance.server.store import store
from clearance.store.sites import list_sites
from clearance.store.values import now
from clearance.web.pages import render
from clearance.web.routes.account import LIFETIMES, with_states
from clearance.web.text import N_, _w

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
UserAdmin = Annotated[Principal, Depends(require("users.manage"))]
TokenAdmin = Annotated[Principal, Depends(require("tokens.manage"))]
OWN_ACCOUNT = N_("You cannot disable your own account or change your own role: another admin can.")


def _users_page(
    request: Request, who: Principal, *, error: str = "", status_code: int = 200
) -> Response:
    context = {"users": list_users(store(request)), "roles": USER_ROLES, "error": error}
    return render(request, "admin_users.html.j2", context, who=who, status_code=status_code)


@router.get("/admin/users")
def users_page(request: Request, who: UserAdmin) -> Response:
    return _users_page(request, who)


@router.post("/admin/users")
def add(
    request: Request,
    who: UserAdmin,
    name: Annotated[str, Form(max_length=200)],
    role: Annotated[str, Form(max_length=20)],
    password: Annotated[str, Form(max_length=1000)],
) -> Response:
    try:
        add_user(store(request), name, role=role, password=password, user=actor(who))
    except UsageError as exc:
        return _users_page(request, who, error=str(exc), status_code=400)
    return RedirectResponse("/admin/users", status_code=303)


def _own_account(who: Principal, name: str) -> bool:
    """Whether ``name`` is the signed-in admin (who may not lock themselves out)."""
    return who.kind == "user" and " ".join(name.split()) == who.name


@router.post("/admin/users/{name}/role")
def change_role(
    request: Request, name: str, who: UserAdmin, role: Annotated[str, Form(max_length=20)]
) -> Response:
    if _own_account(who, name) and role != who.role:
        return _users_page(request, who, error=_w(OWN_ACCOUNT), status_code=400)
    try:
        set_role(store(request), name, role, user=actor(who))
    except UsageError as exc:
        return _users_page(request, who, error=str(exc), status_code=400)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{name}/disable")
def disable(request: Request, name: str, who: UserAdmin) -> Response:
    if _own_account(who, name):
        return _users_page(request, who, error=_w(OWN_ACCOUNT), status_code=400)
    try:
        disable_user(store(request), name, user=actor(who))
    except UsageError as exc:
        return _users_page(request, who, error=str(exc), status_code=400)
    return RedirectResponse("/admin/users", status_code=303)


def _tokens_page(
    request: Request,
    who: Principal,
    *,
    secret: str | None = None,
    made: ApiToken | None = None,
    error: str = "",
    status_code: int = 200,
) -> Response:
    tokens = with_states(list_tokens(store(request)))
    context = {
        "tokens": tokens,
        "roles": TOKEN_ROLES,
        "sites": [s.name for s in list_sites(store(request))],
        "lifetimes": LIFETIMES,
        "secret": secret,
        "made": made,
        "error": error,
    }
    return render(request, "admin_tokens.html.j2", context, who=who, status_code=status_code)


@router.get("/admin/tokens")
def tokens_page(request: Request, who: TokenAdmin) -> Response:
    return _tokens_page(request, who)


@router.post("/admin/tokens")
def make_token(
    request: Request,
    who: TokenAdmin,
    name: Annotated[str, Form(max_length=200)],
    role: Annotated[str, Form(max_length=20)],
    days: Annotated[int, Form()] = 90,
    site: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    if days not in LIFETIMES:
        raise HTTPException(400, detail="Choose one of the lifetimes offered.")
    try:
        made, secret = create_token(
            store(request),
            name=name,
            role=role,
            user=actor(who),
            expires_at=now() + timedelta(days=days),
            site=site or None,
        )
    except UsageError as exc:
        return _tokens_page(request, who, error=str(exc), status_code=400)
    return _tokens_page(request, who, secret=secret, made=made, status_code=201)


@router.post("/admin/tokens/{token_id}/revoke")
def revoke(request: Request, token_id: int, who: TokenAdmin) -> Response:
    try:
        revoke_token(store(request), token_id, user=actor(who))
    except UsageError as exc:
        raise HTTPException(404, detail=str(exc)) from exc
    return RedirectResponse("/admin/tokens", status_code=303)
