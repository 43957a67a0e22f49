"""Signed-in browser sessions: a signed cookie carrying a random secret, and the session it
names stored in the database (the secret's SHA-256, the user, a CSRF token, an expiry, and the
revocation that signing out records).

The cookie is signed with :mod:`itsdangerous` under a key kept in the store (``web_keys``), so
every worker and replica accepts the others' cookies; the secret is looked up by its hash, so a
copy of the database names no live session. A session speaks for its user with the user's
role as it is now: a user disabled or given another role is seen so at the next request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import Request
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from clearance.auth.roles import Principal
from clearance.store.audit import log_change
from clearance.store.lock import write_transaction
from clearance.store.schema import users, web_keys, web_sessions
from clearance.store.values import now, utc

__all__ = [
    "COOKIE",
    "LIFETIME",
    "WebSession",
    "end_session",
    "find_session",
    "request_session",
    "start_session",
]

#: The session cookie's name.
COOKIE = "clearance_session"
#: How long a session lasts from sign-in (a working day).
LIFETIME = timedelta(hours=10)
_SALT = "clearance.web.session"


@dataclass(slots=True, frozen=True)
class WebSession:
    """A live session: its row id, who it speaks for, its CSRF token and its expiry."""

    id: int
    principal: Principal
    csrf_token: str
    expires_at: datetime


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def cookie_key(engine: Engine) -> str:
    """The key signing session cookies, made (once, for every process) on first use."""
    with engine.connect() as conn:
        key = conn.execute(select(web_keys.c.secret).where(web_keys.c.name == "cookie")).scalar()
    if key is not None:
        return str(key)
    try:
        with write_transaction(engine) as conn:
            conn.execute(
                insert(web_keys).values(
                    name="cookie", secret=secrets.token_hex(32), created_at=now()
                )
            )
    except IntegrityError:  # another process made it first: use theirs
        pass
    return cookie_key(engine)


def _serializer(engine: Engine) -> URLSafeSerializer:
    return URLSafeSerializer(cookie_key(engine), salt=_SALT)


def start_session(engine: Engine, who: Principal, *, at: datetime | None = None) -> str:
    """A new session for the signed-in user ``who``; returns the cookie's (signed) value.
    The sign-in is written to the audit log."""
    at = at or now()
    secret = secrets.token_urlsafe(32)
    with write_transaction(engine) as conn:
        key = conn.execute(
            insert(web_sessions).values(
                secret_sha256=_digest(secret),
                user_name=who.name,
                csrf_token=secrets.token_urlsafe(32),
                created_at=at,
                expires_at=at + LIFETIME,
            )
        ).inserted_primary_key
        assert key is not None
        log_change(
            conn,
            user=who.name,
            action="session.start",
            object_type="session",
            object_id=int(key[0]),
            after={"expires_at": at + LIFETIME},
            at=at,
        )
    return str(_serializer(engine).dumps(secret))


def _secret(engine: Engine, cookie: str | None) -> str | None:
    if not cookie:
        return None
    try:
        secret = _serializer(engine).loads(cookie)
    except BadSignature:
        return None
    return secret if isinstance(secret, str) else None


def find_session(
    engine: Engine, cookie: str | None, *, at: datetime | None = None
) -> WebSession | None:
    """The live session the cookie value names, or None: unsigned or tampered, unknown,
    expired, revoked, or its user disabled."""
    secret = _secret(engine, cookie)
    if secret is None:
        return None
    digest = _digest(secret)
    query = (
        select(web_sessions, users.c.role, users.c.disabled)
        .join(users, users.c.name == web_sessions.c.user_name)
        .where(web_sessions.c.secret_sha256 == digest)
    )
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None or not hmac.compare_digest(row.secret_sha256, digest):
        return None
    if row.revoked_at is not None or row.disabled or utc(row.expires_at) <= (at or now()):
        return None
    return WebSession(
        id=row.id,
        principal=Principal(kind="user", name=row.user_name, role=row.role),
        csrf_token=row.csrf_token,
        expires_at=utc(row.expires_at),
    )


def end_session(engine: Engine, session: WebSession) -> None:
    """Sign out: the session is revoked, its cookie refused from now on (audited)."""
    at = now()
    with write_transaction(engine) as conn:
        conn.execute(
            update(web_sessions)
            .where(web_sessions.c.id == session.id, web_sessions.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        log_change(
            conn,
            user=session.principal.name,
            action="session.end",
            object_type="session",
            object_id=session.id,
            before={"revoked_at": None},
            after={"revoked_at": at},
            at=at,
        )


def request_session(request: Request) -> WebSession | None:
    """The live session of ``request``'s cookie (looked up once per request), or None."""
    state = request.state
    if hasattr(state, "web_session"):
        found: WebSession | None = state.web_session
        return found
    cookie = request.cookies.get(COOKIE)
    found = None
    if cookie:
        from clearance.server.store import store

        found = find_session(store(request), cookie)
    state.web_session = found
    return found
