"""Roles and what each may do: the one permission table, and :func:`authorise`.

People have one of four roles, systems and site sensors (tokens) one of three:

=================== ===== ====== ======== ====== ====== ==== =====
action              admin editor reviewer viewer sensor read write
=================== ===== ====== ======== ====== ====== ==== =====
registry.read         ✔     ✔       ✔       ✔            ✔    ✔
match.use             ✔     ✔       ✔       ✔            ✔    ✔
findings.read         ✔     ✔       ✔       ✔            ✔    ✔
reports.generate      ✔     ✔       ✔       ✔
findings.clear_hit    ✔     ✔       ✔
findings.write        ✔     ✔                                 ✔
runs.upload           ✔     ✔                        ✔        ✔
users.manage          ✔
tokens.manage         ✔
audit.read            ✔
account.tokens        ✔     ✔       ✔       ✔
=================== ===== ====== ======== ====== ====== ==== =====

``findings.clear_hit`` is deciding a screening hit (confirmed or false positive);
``findings.write`` is changing a finding's status, owner, due date or notes; ``runs.upload`` is
storing a scan, identify or screen run (what a site sensor does); ``account.tokens`` is a person
making and revoking tokens of their own, each with a role that may do nothing the person's
role may not (:func:`may_delegate`); ``audit.read`` is reading the audit log (who changed
what) on the server's pages. Every route of the server and
every command that acts for a signed-in principal calls :func:`authorise` with one action.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from clearance.errors import PermissionDenied
from clearance.i18n import gettext as _

__all__ = [
    "ACTIONS",
    "PERMISSIONS",
    "TOKEN_ROLES",
    "USER_ROLES",
    "Principal",
    "allowed",
    "authorise",
    "may_delegate",
]

USER_ROLES: tuple[str, ...] = ("admin", "editor", "reviewer", "viewer")
TOKEN_ROLES: tuple[str, ...] = ("sensor", "read", "write")

ACTIONS: tuple[str, ...] = (
    "registry.read",
    "match.use",
    "findings.read",
    "reports.generate",
    "findings.clear_hit",
    "findings.write",
    "runs.upload",
    "users.manage",
    "tokens.manage",
    "audit.read",
    "account.tokens",
)

_READ = frozenset({"registry.read", "match.use", "findings.read"})
_PEOPLE = frozenset({"account.tokens"})

#: Each role and the actions it may do; every other action is refused.
PERMISSIONS: Mapping[str, frozenset[str]] = {
    "admin": frozenset(ACTIONS),
    "editor": _READ
    | _PEOPLE
    | {"reports.generate", "findings.clear_hit", "findings.write", "runs.upload"},
    "reviewer": _READ | _PEOPLE | {"reports.generate", "findings.clear_hit"},
    "viewer": _READ | _PEOPLE | {"reports.generate"},
    "sensor": frozenset({"runs.upload"}),
    "read": _READ,
    "write": _READ | {"findings.write", "runs.upload"},
}


@dataclass(slots=True, frozen=True)
class Principal:
    """Who is acting: a signed-in user or a token, with its role (and a sensor token's site)."""

    kind: Literal["user", "token"]
    name: str
    role: str
    site: str | None = None


def allowed(role: str, action: str) -> bool:
    """Whether ``role`` may do ``action`` (an unknown role or action: no)."""
    return action in PERMISSIONS.get(role, frozenset())


def may_delegate(role: str, token_role: str) -> bool:
    """Whether a person with ``role`` may make a token with ``token_role``: one that may do
    nothing ``role`` may not."""
    return token_role in TOKEN_ROLES and PERMISSIONS[token_role] <= PERMISSIONS.get(
        role, frozenset()
    )


def authorise(principal: Principal, action: str) -> None:
    """Return if ``principal``'s role may do ``action``; else raise :class:`PermissionDenied`
    naming the principal, its role and the action."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")  # a bug in the caller, not a refusal
    if not allowed(principal.role, action):
        raise PermissionDenied(
            _("{kind} {name!r} has role {role!r}, which may not do {action!r}").format(
                kind=_("user") if principal.kind == "user" else _("token"),
                name=principal.name,
                role=principal.role,
                action=action,
            ),
            role=principal.role,
            action=action,
        )
