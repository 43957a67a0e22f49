"""The language of a page: the one the reader chose with the switch (a cookie), else the
browser's ``Accept-Language``, else English."""

from __future__ import annotations

from fastapi import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from clearance.i18n import LANGUAGES, Lang, use_lang

__all__ = ["COOKIE", "PageLanguageMiddleware", "page_lang", "preferred"]

COOKIE = "clearance_lang"


def preferred(accept_language: str | None) -> Lang:
    """The first of French or English in an ``Accept-Language`` header, by weight; English
    when it names neither."""
    ranked: list[tuple[float, int, Lang]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _sep, params = part.strip().partition(";")
        code = tag.strip().lower().split("-")[0]
        if code not in LANGUAGES:
            continue
        weight = 1.0
        for param in params.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if weight > 0:
            ranked.append((-weight, index, "fr" if code == "fr" else "en"))
    return min(ranked)[2] if ranked else "en"


def page_lang(request: Request) -> Lang:
    """The language ``request``'s page is written in."""
    chosen = request.cookies.get(COOKIE)
    if chosen == "fr":
        return "fr"
    if chosen == "en":
        return "en"
    return preferred(request.headers.get("accept-language"))


class PageLanguageMiddleware:
    """A browser's page is made with its language in force (a message a route or the library
    makes reads in it); API callers' answers keep the server's."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        from clearance.web.errors import is_page_request

        request = Request(scope) if scope["type"] == "http" else None
        if request is None or not is_page_request(request):
            await self.app(scope, receive, send)
            return
        with use_lang(page_lang(request)):
            await self.app(scope, receive, send)
