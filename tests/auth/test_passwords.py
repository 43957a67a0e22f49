"""Passwords: Argon2id round trip, wrong and damaged ones refused, weak parameters rehashed,
and sign-in against the store (:func:`verify_password`) on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, select, update

from clearance.auth.passwords import (
    check_new_password,
    hash_password,
    needs_rehash,
    password_matches,
)
from clearance.auth.roles import Principal
from clearance.auth.users import (
    add_user,
    disable_user,
    list_users,
    set_password,
    set_role,
    verify_password,
)
from clearance.errors import UsageError
from clearance.store.audit import list_audit
from clearance.store.schema import users

GOOD = "correct horse battery staple"


def test_hash_round_trip_is_argon2id_and_salted() -> None:
    first, second = hash_password(GOOD), hash_password(GOOD)
    assert first.startswith("$argon2id$")
    assert first != second  # a salt each time
    assert GOOD not in first
    assert password_matches(first, GOOD)
    assert password_matches(second, GOOD)
    assert not needs_rehash(first)


def test_wrong_and_damaged_passwords_do_not_match() -> None:
    stored = hash_password(GOOD)
    assert not password_matches(stored, GOOD + " ")
    assert not password_matches(stored, "")
    assert not password_matches("$argon2id$garbage", GOOD)
    assert not password_matches("not a hash", GOOD)


def test_a_hash_with_other_parameters_needs_rehash() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(GOOD)
    assert password_matches(weak, GOOD)
    assert needs_rehash(weak)
    assert needs_rehash("not a hash")


@pytest.mark.parametrize("bad", ["", "            ", "short", "eleven char"])
def test_empty_and_short_passwords_are_refused(bad: str) -> None:
    with pytest.raises(UsageError, match="password"):
        check_new_password(bad)
    assert check_new_password("twelve chars") == "twelve chars"


def test_sign_in(engine: Engine) -> None:
    add_user(engine, "bob", role="reviewer", password=GOOD, user="alice")
    assert verify_password(engine, "bob", GOOD) == Principal(
        kind="user", name="bob", role="reviewer"
    )
    assert verify_password(engine, "bob", "wrong password!!") is None
    assert verify_password(engine, "nobody", GOOD) is None
    with engine.connect() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$")
    assert GOOD not in stored


def test_sign_in_rehashes_a_hash_made_with_old_parameters(engine: Engine) -> None:
    add_user(engine, "bob", role="viewer", password=GOOD, user="alice")
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(GOOD)
    with engine.begin() as conn:
        conn.execute(update(users).values(password_hash=weak))

    assert verify_password(engine, "bob", GOOD) is not None

    with engine.connect() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored != weak
    assert not needs_rehash(stored)
    assert password_matches(stored, GOOD)


def test_role_change_disable_and_new_password_are_audited(engine: Engine) -> None:
    add_user(engine, "bob", role="viewer", password=GOOD, user="alice")
    set_role(engine, "bob", "editor", user="alice")
    assert verify_password(engine, "bob", GOOD) == Principal(kind="user", name="bob", role="editor")
    set_password(engine, "bob", "another long passphrase", user="carol")
    assert verify_password(engine, "bob", GOOD) is None
    assert verify_password(engine, "bob", "another long passphrase") is not None
    disable_user(engine, "bob", user="alice")
    assert verify_password(engine, "bob", "another long passphrase") is None
    assert [(u.name, u.role, u.disabled) for u in list_users(engine)] == [("bob", "editor", True)]

    entries = list_audit(engine, object_type="user")
    assert [(e.action, e.user) for e in entries] == [
        ("user.create", "alice"),
        ("user.role", "alice"),
        ("user.password", "carol"),
        ("user.disable", "alice"),
    ]
    assert (entries[1].before, entries[1].after) == ({"role": "viewer"}, {"role": "editor"})
    assert all("$argon2" not in str(e.before) + str(e.after) for e in entries)


def test_refusals(engine: Engine) -> None:
    add_user(engine, "bob", role="viewer", password=GOOD, user="alice")
    with pytest.raises(UsageError, match="already exists"):
        add_user(engine, "bob", role="admin", password=GOOD, user="alice")
    with pytest.raises(UsageError, match="unknown role 'sensor'"):
        add_user(engine, "eve", role="sensor", password=GOOD, user="alice")
    with pytest.raises(UsageError, match="too short"):
        add_user(engine, "eve", role="viewer", password="short", user="alice")
    with pytest.raises(UsageError, match="no user 'eve'"):
        set_role(engine, "eve", "admin", user="alice")
    assert [u.name for u in list_users(engine)] == ["bob"]
