"""The permission table: every role refused every action it lacks, checked from the table
itself and against a matrix written out here, so that a change to the table is deliberate."""

from __future__ import annotations

import pytest

from clearance.auth.roles import (
    ACTIONS,
    PERMISSIONS,
    TOKEN_ROLES,
    USER_ROLES,
    Principal,
    allowed,
    authorise,
    may_delegate,
)
from clearance.errors import ClearanceError, PermissionDenied

# What each role may do, written out by hand (Y: allowed). Columns in this order:
ROLES = ("admin", "editor", "reviewer", "viewer", "sensor", "read", "write")
EXPECTED = {
    #                      admin editor reviewer viewer sensor read write
    "registry.read":      ("Y",  "Y",   "Y",     "Y",   "-",   "Y", "Y"),
    "match.use":          ("Y",  "Y",   "Y",     "Y",   "-",   "Y", "Y"),
    "findings.read":      ("Y",  "Y",   "Y",     "Y",   "-",   "Y", "Y"),
    "reports.generate":   ("Y",  "Y",   "Y",     "Y",   "-",   "-", "-"),
    "findings.clear_hit": ("Y",  "Y",   "Y",     "-",   "-",   "-", "-"),
    "findings.write":     ("Y",  "Y",   "-",     "-",   "-",   "-", "Y"),
    "runs.upload":        ("Y",  "Y",   "-",     "-",   "Y",   "-", "Y"),
    "users.manage":       ("Y",  "-",   "-",     "-",   "-",   "-", "-"),
    "tokens.manage":      ("Y",  "-",   "-",     "-",   "-",   "-", "-"),
    "audit.read":         ("Y",  "-",   "-",     "-",   "-",   "-", "-"),
    "account.tokens":     ("Y",  "Y",   "Y",     "Y",   "-",   "-", "-"),
}  # fmt: skip

EXPECTED_PAIRS = [
    (role, action, mark == "Y")
    for action, marks in EXPECTED.items()
    for role, mark in zip(ROLES, marks, strict=True)
]
REFUSED_BY_TABLE = [
    (role, action)
    for role in (*USER_ROLES, *TOKEN_ROLES)
    for action in ACTIONS
    if action not in PERMISSIONS[role]
]


def _principal(role: str) -> Principal:
    kind = "user" if role in USER_ROLES else "token"
    return Principal(kind=kind, name=f"someone-{role}", role=role)


def test_the_matrix_covers_every_role_and_action() -> None:
    assert set(ROLES) == set(USER_ROLES) | set(TOKEN_ROLES) == set(PERMISSIONS)
    assert set(EXPECTED) == set(ACTIONS)


@pytest.mark.parametrize(("role", "action", "may"), EXPECTED_PAIRS)
def test_table_agrees_with_the_written_matrix(role: str, action: str, may: bool) -> None:
    assert allowed(role, action) is may


@pytest.mark.parametrize(("role", "action"), REFUSED_BY_TABLE)
def test_every_role_is_refused_every_action_it_lacks(role: str, action: str) -> None:
    with pytest.raises(PermissionDenied) as caught:
        authorise(_principal(role), action)
    assert (caught.value.role, caught.value.action) == (role, action)
    assert repr(role) in str(caught.value)
    assert repr(action) in str(caught.value)
    assert isinstance(caught.value, ClearanceError)
    assert caught.value.exit_code == 3
    assert caught.value.http_status == 403


@pytest.mark.parametrize(("role", "action", "may"), [p for p in EXPECTED_PAIRS if p[2]])
def test_every_allowed_action_passes(role: str, action: str, may: bool) -> None:
    authorise(_principal(role), action)


def test_unknown_role_may_do_nothing_and_unknown_action_is_a_bug() -> None:
    for action in ACTIONS:
        with pytest.raises(PermissionDenied):
            authorise(Principal(kind="token", name="t", role="superuser"), action)
    with pytest.raises(ValueError, match="unknown action"):
        authorise(_principal("admin"), "findings.delete_everything")


def test_refusal_names_the_principal_in_french() -> None:
    from clearance.i18n import use_lang

    with use_lang("fr"), pytest.raises(PermissionDenied) as caught:
        authorise(Principal(kind="token", name="capteur", role="sensor"), "findings.read")
    assert str(caught.value) == (
        "jeton 'capteur' a le rôle 'sensor', qui ne permet pas 'findings.read'"
    )


def test_a_person_delegates_only_what_their_role_may_do() -> None:
    delegable = {
        role: [t for t in ("sensor", "read", "write") if may_delegate(role, t)]
        for role in ("admin", "editor", "reviewer", "viewer")
    }
    assert delegable == {
        "admin": ["sensor", "read", "write"],
        "editor": ["sensor", "read", "write"],
        "reviewer": ["read"],
        "viewer": ["read"],
    }
    assert not may_delegate("admin", "admin")  # tokens take token roles only
