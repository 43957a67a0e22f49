"""CSRF protection for requests made with a browser session.

Every state-changing request (any method but GET, HEAD, OPTIONS) that carries a session cookie
and no ``Authorization`` header must show the session's CSRF token: in the ``X-CSRF-Token``
header (HTMX sends it from ``hx-headers``; API callers using a session send it too) or in a
``csrf_token`` form field (every form of the pages has one, hidden). A request failing the
check is answered 403 before any route runs, so no route can forget it. Token requests need
no CSRF token: a page on another site cannot make a browser send an ``Authorization`` header.
A form body read here for its token is held in memory, so one over the server's
``upload_max_bytes`` is refused (413) as it arrives.
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


def _limit(scope: Scope) -> int:
    """The server's ``upload_max_bytes`` (0: none): a form body read here is held in memory."""
    config = getattr(getattr(scope.get("app"), "state", None), "config", None)
    return int(getattr(getattr(config, "settings", None), "upload_max_bytes", 0) or 0)


async def _body(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None once it grows past ``limit`` (0: no limit)."""
    chunks = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if limit and size > limit:
            return None
        chunks.append(chunk)
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
            limit = _limit(scope)
            declared = request.headers.get("content-length", "")
            over = bool(limit) and declared.isdigit() and int(declared) > limit
            read = None if over else await _body(receive, limit)
            if read is None:  # refused before it is held in memory whole
                too_large = PlainTextResponse("The request body is too large.", status_code=413)
                await too_large(scope, receive, send)
                return
            body = read
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
