"""Tokens of systems and site sensors in the store: creating one (its secret returned once),
listing them (never a secret), revoking one, and :func:`authenticate`, which turns an
``Authorization`` header into the :class:`~clearance.auth.roles.Principal` it names."""

from __future__ import annotations

import hmac
import re
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert, select, update

from clearance.auth.roles import TOKEN_ROLES, Principal
from clearance.auth.tokens import PREFIX_LENGTH, new_secret, secret_from_header, secret_hash
from clearance.errors import UsageError
from clearance.i18n import gettext as _
from clearance.store.audit import log_change
from clearance.store.lock import write_transaction
from clearance.store.schema import api_tokens
from clearance.store.values import is_row_id, jsonable, now, utc

__all__ = [
    "LAST_USED_RESOLUTION",
    "ApiToken",
    "authenticate",
    "create_token",
    "list_tokens",
    "parse_expiry",
    "revoke_token",
]

#: How precisely a token's last use is recorded.
LAST_USED_RESOLUTION = timedelta(minutes=1)

_DAYS = re.compile(r"^\s*(\d{1,5})\s*d\s*$", re.IGNORECASE)


@dataclass(slots=True, frozen=True)
class ApiToken:
    """A token as listed: everything but its secret."""

    id: int
    name: str
    role: str
    site: str | None
    prefix: str
    created_at: datetime
    created_by: str
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return dict(jsonable(asdict(self)))


def _opt(value: datetime | None) -> datetime | None:
    return utc(value) if value is not None else None


def _token(row: Any) -> ApiToken:
    return ApiToken(
        id=row.id,
        name=row.name,
        role=row.role,
        site=row.site,
        prefix=row.prefix,
        created_at=utc(row.created_at),
        created_by=row.created_by,
        expires_at=_opt(row.expires_at),
        revoked_at=_opt(row.revoked_at),
        last_used_at=_opt(row.last_used_at),
    )


def parse_expiry(text: str, *, at: datetime | None = None) -> datetime:
    """When a token given ``--expires TEXT`` expires: ``90d`` (days from ``at``, default now)
    or a date ``2027-03-31`` (its start, UTC). :class:`UsageError` for anything else or a
    time already past."""
    start = at or now()
    days = _DAYS.match(text)
    if days is not None:
        expires = start + timedelta(days=int(days.group(1)))
    else:
        try:
            day = date.fromisoformat(text.strip())
        except ValueError as exc:
            raise UsageError(
                _(
                    "--expires {text!r} is neither a number of days (90d) nor a date (2027-03-31)"
                ).format(text=text)
            ) from exc
        expires = datetime(day.year, day.month, day.day, tzinfo=UTC)
    if expires <= start:
        raise UsageError(_("--expires {text!r} is not in the future").format(text=text))
    return expires


def create_token(
    engine: Engine,
    *,
    name: str,
    role: str,
    user: str,
    expires_at: datetime | None = None,
    site: str | None = None,
) -> tuple[ApiToken, str]:
    """A new token and its secret. The secret is returned here only: the store keeps its
    SHA-256 and its first characters. ``user`` is who creates it, for the audit log."""
    clean = " ".join(name.split())
    if not clean:
        raise UsageError(_("a token needs a name"))
    if role not in TOKEN_ROLES:
        raise UsageError(
            _("unknown role {role!r} for a token; one of: {roles}").format(
                role=role, roles=", ".join(TOKEN_ROLES)
            )
        )
    secret, at = new_secret(), now()
    with write_transaction(engine) as conn:
        key = conn.execute(
            insert(api_tokens).values(
                name=clean,
                role=role,
                site=site,
                secret_sha256=secret_hash(secret),
                prefix=secret[:PREFIX_LENGTH],
                created_at=at,
                created_by=user,
                expires_at=expires_at,
            )
        ).inserted_primary_key
        assert key is not None
        log_change(
            conn,
            user=user,
            action="token.create",
            object_type="token",
            object_id=int(key[0]),
            after={"name": clean, "role": role, "site": site, "expires_at": expires_at},
            at=at,
        )
        row = conn.execute(select(api_tokens).where(api_tokens.c.id == key[0])).one()
    return _token(row), secret


def list_tokens(engine: Engine) -> list[ApiToken]:
    """Every token, oldest first (revoked and expired ones too)."""
    with engine.connect() as conn:
        return [_token(r) for r in conn.execute(select(api_tokens).order_by(api_tokens.c.id))]


def revoke_token(engine: Engine, token_id: int, *, user: str) -> ApiToken:
    """Revoke token ``token_id``: refused from now on. Revoking it again changes nothing."""
    at = now()
    with write_transaction(engine) as conn:
        row = None
        if is_row_id(token_id):
            row = conn.execute(select(api_tokens).where(api_tokens.c.id == token_id)).first()
        if row is None:
            raise UsageError(_("no token {id}").format(id=token_id))
        if row.revoked_at is None:
            conn.execute(update(api_tokens).where(api_tokens.c.id == row.id).values(revoked_at=at))
            log_change(
                conn,
                user=user,
                action="token.revoke",
                object_type="token",
                object_id=row.id,
                before={"revoked_at": None},
                after={"revoked_at": at},
                at=at,
            )
        row = conn.execute(select(api_tokens).where(api_tokens.c.id == row.id)).one()
    return _token(row)


def authenticate(
    engine: Engine, authorization: str | None, *, at: datetime | None = None
) -> Principal | None:
    """The token principal that ``authorization`` (an ``Authorization`` header's value,
    ``Bearer <token>`` or ``ApiKey <token>``) names, or None: no header, another scheme, an
    unknown, revoked or expired token. Records when the token was last used, to the minute
    (:data:`LAST_USED_RESOLUTION`): a server answering many requests a second with one token
    does not write to the store for each of them."""
    secret = secret_from_header(authorization)
    if secret is None:
        return None
    digest = secret_hash(secret)
    with engine.connect() as conn:
        row = conn.execute(select(api_tokens).where(api_tokens.c.secret_sha256 == digest)).first()
    # The lookup is by hash; the comparison again in constant time, so a match never depends
    # on how the database compares strings.
    if row is None or not hmac.compare_digest(row.secret_sha256, digest):
        return None
    when = at or now()
    if row.revoked_at is not None or (row.expires_at is not None and utc(row.expires_at) <= when):
        return None
    last = None if row.last_used_at is None else utc(row.last_used_at)
    if last is None or when - last >= LAST_USED_RESOLUTION or when < last:
        with write_transaction(engine) as conn:
            conn.execute(
                update(api_tokens).where(api_tokens.c.id == row.id).values(last_used_at=when)
            )
    return Principal(kind="token", name=row.name, role=row.role, site=row.site)
