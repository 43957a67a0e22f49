"""How the pages answer a refusal: a browser asking for a page without a session is sent to
the sign-in page (and back afterwards); one whose role may not is shown why, in its language.
API callers keep FastAPI's JSON answers."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from clearance.web.text import _w

__all__ = ["install_error_pages", "is_page_request"]


def is_page_request(request: Request) -> bool:
    """Whether ``request`` is a browser's (a page or an HTMX partial), not an API call."""
    if request.url.path.startswith("/api/"):
        return False
    return "hx-request" in request.headers or "text/html" in request.headers.get("accept", "")


def install_error_pages(app: FastAPI) -> None:
    async def answer(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if not is_page_request(request):
            return await http_exception_handler(request, exc)
        if exc.status_code == 401:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            location = f"/sign-in?next={quote(target)}"
            if "hx-request" in request.headers:
                return Response(status_code=204, headers={"HX-Redirect": location})
            return RedirectResponse(location, status_code=303)
        from clearance.i18n import use_lang
        from clearance.web.language import page_lang
        from clearance.web.pages import render

        with use_lang(page_lang(request)):
            heading, message = {
                403: (_w("Not allowed"), _w("Your role does not allow this.")),
                404: (_w("Not found"), _w("There is nothing at this address.")),
            }.get(exc.status_code, (_w("Something went wrong"), str(exc.detail)))
        return render(
            request,
            "message.html.j2",
            {"heading": heading, "message": message},
            status_code=exc.status_code,
        )

    app.add_exception_handler(HTTPException, answer)
