"""Who calls, and whether they may: every route depends on :func:`require` with one action of
:mod:`clearance.auth.roles`.

A caller is a token (``Authorization: Bearer …`` or ``ApiKey …``, as yente-client and the
OpenSanctions API send) or a signed-in browser session of the web pages (its cookie; a
state-changing request made with it must also show the session's CSRF token, which
:mod:`clearance.web.csrf` checks before any route runs). Without credentials a caller is
anonymous: the matching routes let anonymous callers through only when the server opens them
(``--open-matching``, for an internal network, as yente deployments are); everything else
answers 401. A principal whose role may not do the action gets 403.
"""

from __future__ import annotations

from fastapi import HTTPException, Request

from clearance.auth.roles import ACTIONS, Principal, allowed
from clearance.server.store import config, store

__all__ = [
    "ANONYMOUS",
    "OPEN_ACTIONS",
    "Principal",
    "Requirement",
    "actor",
    "principal",
    "require",
]

#: An anonymous caller, with the role of a read token (used only where the server is open).
ANONYMOUS = Principal(kind="token", name="anonymous", role="read")

#: What ``--open-matching`` lets anonymous callers do.
OPEN_ACTIONS = frozenset({"match.use", "registry.read"})

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="clearance"'}


def actor(who: Principal) -> str:
    """Who acted, as the audit log records it: a user's name, or ``token:<name>``."""
    return who.name if who.kind == "user" else f"token:{who.name}"


def principal(request: Request) -> Principal | None:
    """The caller named by the request's credentials, or ``None`` for none. A request naming
    an unknown, revoked or expired token is refused with 401 (never treated as anonymous)."""
    cached: Principal | None = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    header = request.headers.get("authorization")
    if not header:
        from clearance.web.sessions import request_session

        session = request_session(request) if config(request).settings is not None else None
        return session.principal if session is not None else None
    from clearance.auth.api_tokens import authenticate

    found = authenticate(store(request), header)
    if found is None:
        raise HTTPException(401, detail="Unknown, revoked or expired token.", headers=_CHALLENGE)
    request.state.principal = found
    return found


class Requirement:
    """The dependency :func:`require` makes: it names its ``action`` (and whether
    ``--open-matching`` lets anonymous callers through) so that tests and tools can read
    from each route what it asks of a caller."""

    def __init__(self, action: str, *, openable: bool) -> None:
        self.action = action
        self.openable = openable
        self.__name__ = f"require_{action.replace('.', '_')}"

    def __call__(self, request: Request) -> Principal:
        who = principal(request)
        if who is None:
            if self.openable and config(request).open_matching:
                return ANONYMOUS
            raise HTTPException(401, detail="Sign in or send a token.", headers=_CHALLENGE)
        if not allowed(who.role, self.action):
            detail = (
                f"{who.kind} {who.name!r} has role {who.role!r}, which may not do {self.action!r}"
            )
            raise HTTPException(403, detail=detail)
        return who


def require(action: str, *, openable: bool | None = None) -> Requirement:
    """A FastAPI dependency: the caller, if it may do ``action``; 401 or 403 otherwise.

    ``openable``: whether ``--open-matching`` lets anonymous callers through (default: for
    the actions of :data:`OPEN_ACTIONS`); the REST API passes ``False`` for what is not
    matching (registry versions, say, though they are read with ``registry.read``)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")  # a bug in the route, found at import
    return Requirement(action, openable=action in OPEN_ACTIONS if openable is None else openable)
