"""Wiring the pages into the server's FastAPI application: the static files, the security
headers and CSRF middleware, the pages' error answers, and each group of pages' router."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from clearance.web.csrf import CsrfMiddleware
from clearance.web.errors import install_error_pages
from clearance.web.headers import SecurityHeadersMiddleware
from clearance.web.language import PageLanguageMiddleware
from clearance.web.routes import (
    account,
    admin,
    assets,
    audit_log,
    auth_pages,
    finding_page,
    findings,
    overview,
    registry,
    reports,
    review,
    sites,
    uploads,
)
from clearance.web.throttle import LoginThrottle

__all__ = ["mount"]


def mount(app: FastAPI) -> None:
    """Add the pages, their static files and their middleware to ``app``."""
    static = resources.files("clearance.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.state.login_throttle = LoginThrottle()
    # Starlette runs the last added middleware first: CSRF is checked inside the headers.
    app.add_middleware(PageLanguageMiddleware)
    app.add_middleware(CsrfMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    install_error_pages(app)
    for module in (
        auth_pages,
        account,
        overview,
        sites,
        assets,
        findings,
        finding_page,
        review,
        registry,
        uploads,
        reports,
        audit_log,
        admin,
    ):
        app.include_router(module.router)
