"""Signing in and out, and the language switch."""

from __future__ import annotations

import ipaddress
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from clearance.auth.roles import Principal
from clearance.auth.users import verify_password
from clearance.server.auth import require
from clearance.server.store import config, store
from clearance.web import language, sessions
from clearance.web.pages import render
from clearance.web.text import _w
from clearance.web.throttle import LoginThrottle

__all__ = ["router", "safe_next"]

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site, else the overview (never another
    site: ``//evil.example`` and ``https://…`` are refused)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/overview"
    return target


def _secure(request: Request) -> bool:
    """Whether the session cookie carries ``Secure``: always over HTTPS; over plain HTTP only
    not for a server on a loopback address (the cookie never leaves the machine) or one told
    ``--insecure-cookies``."""
    if request.url.scheme == "https":
        return True
    if config(request).insecure_cookies:
        return False
    host = request.url.hostname or ""
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host != "localhost"


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/overview", status_code=303)


@router.get("/sign-in")
def sign_in_page(request: Request, next: str | None = None) -> Response:
    return render(
        request, "sign_in.html.j2", {"next": safe_next(next), "error": "", "username": ""}
    )


@router.post("/sign-in")
async def sign_in(
    request: Request,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form()] = "/overview",
) -> Response:
    throttle: LoginThrottle = request.app.state.login_throttle
    client = request.client.host if request.client else "unknown"
    keys = (f"user:{' '.join(username.split()).lower()}", f"ip:{client}")
    context = {"next": safe_next(next), "username": username}
    wait = throttle.wait(*keys)
    if wait > 0:
        error = _w("Too many failed sign-ins. Try again in {seconds} seconds.").format(
            seconds=int(wait) + 1
        )
        return render(request, "sign_in.html.j2", {**context, "error": error}, status_code=429)
    engine = store(request)
    who = await run_in_threadpool(verify_password, engine, username, password)
    if who is None:
        throttle.failed(*keys)
        error = _w("Wrong username or password.")
        return render(request, "sign_in.html.j2", {**context, "error": error})
    throttle.succeeded(keys[0])
    cookie = await run_in_threadpool(sessions.start_session, engine, who)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        sessions.COOKIE,
        cookie,
        max_age=int(sessions.LIFETIME.total_seconds()),
        httponly=True,
        secure=_secure(request),
        samesite="lax",
        path="/",
    )
    return response


@router.post("/sign-out")
def sign_out(
    request: Request, who: Annotated[Principal, Depends(require("findings.read"))]
) -> Response:
    session = sessions.request_session(request)
    if session is not None:
        sessions.end_session(store(request), session)
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(sessions.COOKIE, path="/", httponly=True, samesite="lax")
    return response


@router.get("/language/{lang}")
def switch_language(lang: str, next: str | None = None) -> Response:
    """Read the pages in ``lang`` (``fr`` or ``en``) from now on, back on the same page."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if lang in ("fr", "en"):
        response.set_cookie(
            language.COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", path="/"
        )
    return response
