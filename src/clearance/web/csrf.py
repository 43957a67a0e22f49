"""CSRF protection for requests made with a browser session.

Every state-changing request (any method but GET, HEAD, OPTIONS) that carries a session cookie
and no ``Authorization`` header must show the session's CSRF token: in the ``X-CSRF-Token``
header (HTMX sends it from ``hx-headers``; API callers using a session send it too) or in a
``csrf_token`` form field (every form of the pages has one, hidden). A request failing the
check is answered 403 before any route runs, so no route can forget it. Token requests need
no CSRF token: a page on another site cannot make a browser send an ``Authorization`` header.
"""

from __future__ import annotations

import hmac

from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clearance.web.sessions import COOKIE, request_session

__all__ = ["FIELD", "HEADER", "CsrfMiddleware", "token_matches"]

FIELD = "csrf_token"
HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def token_matches(expected: str, supplied: object) -> bool:
    """Whether ``supplied`` is the session's token (compared in constant time)."""
    return isinstance(supplied, str) and hmac.compare_digest(expected.encode(), supplied.encode())


async def _body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


class CsrfMiddleware:
    """Refuses (403) a state-changing session request without the session's CSRF token."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        if "authorization" in request.headers or COOKIE not in request.cookies:
            await self.app(scope, receive, send)
            return
        session = request_session(request)
        if session is None:  # an expired or forged cookie: the route answers as to anyone
            await self.app(scope, receive, send)
            return
        if token_matches(session.csrf_token, request.headers.get(HEADER)):
            await self.app(scope, receive, send)
            return
        supplied: object = None
        body = b""
        if request.headers.get("content-type", "").startswith(_FORMS):
            body = await _body(receive)
            sent = False

            async def replay() -> Message:
                nonlocal sent
                if sent:
                    return {"type": "http.disconnect"}
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}

            form = await Request(scope, replay).form()
            supplied = form.get(FIELD)
            await form.close()
        if not token_matches(session.csrf_token, supplied):
            response = PlainTextResponse("CSRF token missing or wrong.", status_code=403)
            await response(scope, receive, send)
            return
        delivered = False

        async def again() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, again, send)
