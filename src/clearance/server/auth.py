"""Who calls: the hook the users-and-tokens work plugs into.

The matching endpoints are *open by configuration* (as yente deployments on an internal
network are): :func:`current_principal` lets anonymous callers through for now. When tokens
exist, this dependency reads ``Authorization: Bearer …`` / ``ApiKey …`` and refuses
what the configuration does not open.
"""

from __future__ import annotations

from clearance.auth.roles import Principal

__all__ = ["ANONYMOUS", "Principal", "current_principal"]

#: An anonymous caller, with the role of a read token.
ANONYMOUS = Principal(kind="token", name="anonymous", role="read")


def current_principal() -> Principal:
    """The caller of a matching route: anonymous, matching being open by configuration."""
    return ANONYMOUS
