"""Callers for tests of the server's routes: tokens of each role in a store, and users.

Users will sign in with a browser session (the web pages come later). Until then a test stands
a user in with :class:`TestUsers`, a tiny ASGI middleware around the app: a request carrying
``X-Test-User: <role>`` is made by the user ``<role>-user`` with that role. It sets
``request.state.principal``, the very place :func:`clearance.server.auth.principal` reads a
signed-in caller from, so every route's ``require(action)`` judges it as it will a session.
The header means nothing to the app itself: only tests wrap the app in this middleware.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from clearance.auth.api_tokens import create_token
from clearance.auth.roles import Principal

__all__ = ["USER_HEADER", "TestUsers", "role_tokens"]

USER_HEADER = "X-Test-User"


class TestUsers:
    """Wraps an ASGI app: ``X-Test-User: <role>`` makes the request a user's of that role."""

    __test__ = False  # not a test class, whatever pytest thinks of its name

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name.decode("latin-1").lower() == USER_HEADER.lower():
                    role = value.decode("latin-1")
                    who = Principal(kind="user", name=f"{role}-user", role=role)
                    scope.setdefault("state", {})["principal"] = who
        await self.app(scope, receive, send)


def role_tokens(engine: Engine, roles: tuple[str, ...]) -> dict[str, str]:
    """A token of each role in ``roles`` (token roles), by role: its secret."""
    secrets = {}
    for role in roles:
        _token, secret = create_token(engine, name=f"test-{role}", role=role, user="test")
        secrets[role] = secret
    return secrets
