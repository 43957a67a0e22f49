"""Rendering a page: the Jinja2 templates of ``clearance/web/templates`` in the reader's
language, with what the base layout shows on every page (the organisation, the navigation the
reader's role may use, the language switch, the session's CSRF token)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment

from clearance.auth.roles import Principal, allowed
from clearance.i18n import format_date, format_datetime, format_number, use_lang
from clearance.templating import translated_environment
from clearance.web.language import page_lang
from clearance.web.sessions import request_session
from clearance.web.text import N_, _w, _wn, label

__all__ = ["NAVIGATION", "environment", "render"]

#: The navigation: (path, label, action the reader's role needs to see it).
NAVIGATION: list[tuple[str, str, str]] = [
    ("/overview", N_("Overview"), "findings.read"),
    ("/sites", N_("Sites"), "findings.read"),
    ("/assets", N_("Assets"), "findings.read"),
    ("/findings", N_("Findings"), "findings.read"),
    ("/review", N_("Review queue"), "findings.read"),
    ("/registry", N_("Registry"), "registry.read"),
    ("/uploads", N_("Uploads"), "runs.upload"),
    ("/reports", N_("Reports"), "reports.generate"),
    ("/audit-log", N_("Audit log"), "audit.read"),
    ("/admin/users", N_("Users"), "users.manage"),
    ("/admin/tokens", N_("API tokens"), "tokens.manage"),
    ("/account/tokens", N_("My tokens"), "findings.read"),
]


def _date(value: date | None, fmt: str = "medium") -> str:
    return format_date(value, fmt=fmt)


def _datetime(value: datetime | None, fmt: str = "medium") -> str:
    return format_datetime(value, fmt=fmt)


@cache
def environment() -> Environment:
    filters: dict[str, Callable[..., Any]] = {
        "label": label,
        "date": _date,
        "datetime": _datetime,
        "number": format_number,
        "urlquote": quote,
    }
    return translated_environment("clearance.web", gettext=_w, ngettext=_wn, filters=filters)


def _org_name(request: Request) -> str | None:
    from clearance.server.store import config, store
    from clearance.store.profile import load_profile

    if config(request).settings is None:
        return None
    profile = load_profile(store(request))
    return profile.name if profile is not None else None


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    who: Principal | None = None,
) -> HTMLResponse:
    """``template`` rendered for ``request`` in its reader's language."""
    lang = page_lang(request)
    session = request_session(request)
    who = who or (session.principal if session is not None else None)
    navigation = [
        (path, label) for path, label, action in NAVIGATION if who and allowed(who.role, action)
    ]
    here = request.url.path
    values = {
        "lang": lang,
        "other_lang": "en" if lang == "fr" else "fr",
        "here": here + (f"?{request.url.query}" if request.url.query else ""),
        "who": who,
        "csrf_token": session.csrf_token if session is not None else "",
        "org_name": _org_name(request),
        "navigation": navigation,
        "allowed": lambda action: who is not None and allowed(who.role, action),
        **(context or {}),
    }
    with use_lang(lang):
        html = environment().get_template(template).render(values)
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Vary"] = "Cookie, Accept-Language"
    return response
