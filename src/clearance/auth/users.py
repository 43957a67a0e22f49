"""People who sign in: adding them, their role, disabling them, changing their password, and
checking a password at sign-in (:func:`verify_password`). Every change is in the audit log
with the acting user; no password or hash ever goes there."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from clearance.auth.passwords import (
    check_new_password,
    hash_password,
    needs_rehash,
    password_matches,
)
from clearance.auth.roles import USER_ROLES, Principal
from clearance.errors import UsageError
from clearance.i18n import gettext as _
from clearance.store.audit import log_change
from clearance.store.lock import write_transaction
from clearance.store.schema import users
from clearance.store.values import jsonable, now, utc

__all__ = [
    "User",
    "add_user",
    "disable_user",
    "list_users",
    "set_password",
    "set_role",
    "verify_password",
]


@cache
def _absent_hash() -> str:
    """Checked against when the user does not exist, so that a wrong name takes as long as a
    wrong password (names cannot be found by timing). Made on first use, not at import: every
    CLI command imports this module."""
    return hash_password("clearance: no such user")


@dataclass(slots=True, frozen=True)
class User:
    """A person who signs in (never with the password hash)."""

    id: int
    name: str
    role: str
    disabled: bool
    created_at: datetime
    updated_at: datetime

    def to_json(self) -> dict[str, Any]:
        return dict(jsonable(asdict(self)))


def _user(row: Any) -> User:
    return User(
        id=row.id,
        name=row.name,
        role=row.role,
        disabled=bool(row.disabled),
        created_at=utc(row.created_at),
        updated_at=utc(row.updated_at),
    )


def _clean_name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise UsageError(_("a user needs a name"))
    return clean


def _check_role(role: str) -> str:
    if role not in USER_ROLES:
        raise UsageError(
            _("unknown role {role!r} for a user; one of: {roles}").format(
                role=role, roles=", ".join(USER_ROLES)
            )
        )
    return role


def _existing(conn: Connection, name: str) -> Any:
    row = conn.execute(select(users).where(users.c.name == _clean_name(name))).first()
    if row is None:
        raise UsageError(_("no user {name!r}").format(name=name))
    return row


def add_user(engine: Engine, name: str, *, role: str, password: str, user: str) -> User:
    """Add user ``name`` with ``role`` and ``password`` (at least 12 characters); ``user`` is
    who adds them, for the audit log. The name must be new."""
    name, role = _clean_name(name), _check_role(role)
    hashed = hash_password(check_new_password(password))
    at = now()
    with write_transaction(engine) as conn:
        if conn.execute(select(users.c.id).where(users.c.name == name)).first() is not None:
            raise UsageError(_("user {name!r} already exists").format(name=name))
        key = conn.execute(
            insert(users).values(
                name=name,
                role=role,
                password_hash=hashed,
                disabled=False,
                created_at=at,
                updated_at=at,
            )
        ).inserted_primary_key
        assert key is not None
        log_change(
            conn,
            user=user,
            action="user.create",
            object_type="user",
            object_id=int(key[0]),
            after={"name": name, "role": role},
            at=at,
        )
        return _user(conn.execute(select(users).where(users.c.id == key[0])).one())


def list_users(engine: Engine) -> list[User]:
    """Every user, by name."""
    with engine.connect() as conn:
        return [_user(r) for r in conn.execute(select(users).order_by(users.c.name))]


def _change(
    engine: Engine, name: str, *, user: str, action: str, field: str, value: Any, **values: Any
) -> User:
    at = now()
    with write_transaction(engine) as conn:
        row = _existing(conn, name)
        before = {field: getattr(row, field)} if field != "password" else None
        conn.execute(update(users).where(users.c.id == row.id).values(updated_at=at, **values))
        log_change(
            conn,
            user=user,
            action=action,
            object_type="user",
            object_id=row.id,
            before=before,
            after={field: value} if field != "password" else {"name": row.name},
            at=at,
        )
        return _user(conn.execute(select(users).where(users.c.id == row.id)).one())


def set_role(engine: Engine, name: str, role: str, *, user: str) -> User:
    """Give user ``name`` another role."""
    role = _check_role(role)
    return _change(engine, name, user=user, action="user.role", field="role", value=role, role=role)


def disable_user(engine: Engine, name: str, *, user: str) -> User:
    """Disable user ``name``: they can no longer sign in (kept, since the audit log names them)."""
    return _change(
        engine, name, user=user, action="user.disable", field="disabled", value=True, disabled=True
    )


def set_password(engine: Engine, name: str, password: str, *, user: str) -> User:
    """Give user ``name`` a new password (at least 12 characters)."""
    hashed = hash_password(check_new_password(password))
    return _change(
        engine,
        name,
        user=user,
        action="user.password",
        field="password",
        value=None,
        password_hash=hashed,
    )


def verify_password(engine: Engine, username: str, password: str) -> Principal | None:
    """The user signing in with ``username`` and ``password``, or None (no such user, a wrong
    password, a disabled user: the caller cannot tell which). A hash made with older Argon2
    parameters is replaced by one with the current parameters."""
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.name == " ".join(username.split()))).first()
    if row is None:
        password_matches(_absent_hash(), password)
        return None
    if not password_matches(row.password_hash, password) or row.disabled:
        return None
    if needs_rehash(row.password_hash):
        with write_transaction(engine) as conn:
            conn.execute(
                update(users)
                .where(users.c.id == row.id, users.c.password_hash == row.password_hash)
                .values(password_hash=hash_password(password))
            )
    return Principal(kind="user", name=row.name, role=row.role)
