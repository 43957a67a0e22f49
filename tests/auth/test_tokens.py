"""Tokens: the secret is returned once and stored only as its SHA-256; Bearer and ApiKey
headers are accepted, other schemes refused; revoked and expired tokens refused; last use
recorded; creation and revocation audited with the acting user."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from clearance.auth.api_tokens import (
    authenticate,
    create_token,
    list_tokens,
    parse_expiry,
    revoke_token,
)
from clearance.auth.roles import Principal
from clearance.auth.tokens import secret_from_header
from clearance.errors import UsageError
from clearance.store.audit import list_audit
from clearance.store.schema import api_tokens

SECRET_FORMAT = re.compile(r"^clr_[A-Za-z0-9_-]{43}$")


def test_secret_format_and_what_is_stored(engine: Engine) -> None:
    token, secret = create_token(engine, name="Ottawa sensor", role="sensor", user="alice",
                                 site="Ottawa")  # fmt: skip
    _, other = create_token(engine, name="second", role="read", user="alice")
    assert SECRET_FORMAT.match(secret)
    assert secret != other
    assert token.prefix == secret[:12]
    with engine.connect() as conn:
        row = conn.execute(select(api_tokens).where(api_tokens.c.id == token.id)).one()
    assert row.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in " ".join(str(v) for v in row)
    assert "secret" not in str(token.to_json())
    assert all(secret not in str(t.to_json()) for t in list_tokens(engine))


@pytest.mark.parametrize("scheme", ["Bearer", "ApiKey", "bearer", "APIKEY"])
def test_bearer_and_apikey_are_accepted(engine: Engine, scheme: str) -> None:
    _, secret = create_token(engine, name="yente client", role="read", user="alice")
    assert authenticate(engine, f"{scheme} {secret}") == Principal(
        kind="token", name="yente client", role="read"
    )


@pytest.mark.parametrize(
    "header",
    ["Basic {s}", "Token {s}", "{s}", "Bearer", "Bearer {s} extra", "Bearer  ", "", None],
)
def test_other_schemes_and_malformed_headers_are_refused(
    engine: Engine, header: str | None
) -> None:
    _, secret = create_token(engine, name="t", role="write", user="alice")
    value = header.format(s=secret) if header is not None else None
    assert authenticate(engine, value) is None


def test_unknown_and_altered_secrets_are_refused(engine: Engine) -> None:
    _, secret = create_token(engine, name="t", role="write", user="alice")
    altered = secret[:-1] + ("x" if secret[-1] != "x" else "y")
    assert authenticate(engine, f"Bearer {altered}") is None
    assert authenticate(engine, "Bearer clr_" + "A" * 43) is None
    assert authenticate(engine, f"Bearer {secret.upper()}") is None


def test_revoked_token_is_refused(engine: Engine) -> None:
    token, secret = create_token(engine, name="t", role="write", user="alice")
    assert authenticate(engine, f"Bearer {secret}") is not None
    revoked = revoke_token(engine, token.id, user="carol")
    assert revoked.revoked_at is not None
    assert authenticate(engine, f"Bearer {secret}") is None
    assert authenticate(engine, f"ApiKey {secret}") is None
    assert revoke_token(engine, token.id, user="carol").revoked_at == revoked.revoked_at
    with pytest.raises(UsageError, match="no token 999"):
        revoke_token(engine, 999, user="carol")
    with pytest.raises(UsageError, match="no token"):
        revoke_token(engine, 2**40, user="carol")


def test_expired_token_is_refused(engine: Engine) -> None:
    start = datetime(2027, 1, 1, tzinfo=UTC)
    expires = parse_expiry("30d", at=start)
    assert expires == start + timedelta(days=30)
    _, secret = create_token(engine, name="t", role="read", user="alice", expires_at=expires)
    assert authenticate(engine, f"Bearer {secret}", at=expires - timedelta(seconds=1))
    assert authenticate(engine, f"Bearer {secret}", at=expires) is None
    assert authenticate(engine, f"Bearer {secret}", at=expires + timedelta(days=1)) is None


def test_last_use_is_recorded(engine: Engine) -> None:
    token, secret = create_token(engine, name="t", role="sensor", user="alice", site="Ottawa")
    assert list_tokens(engine)[0].last_used_at is None
    at = datetime(2026, 12, 24, 8, 30, tzinfo=UTC)
    principal = authenticate(engine, f"ApiKey {secret}", at=at)
    assert principal == Principal(kind="token", name="t", role="sensor", site="Ottawa")
    assert list_tokens(engine)[0].last_used_at == at
    assert token.id == list_tokens(engine)[0].id


def test_last_use_is_written_once_a_minute_not_once_a_request(engine: Engine) -> None:
    _, secret = create_token(engine, name="t", role="read", user="alice")
    at = datetime(2026, 12, 24, 8, 30, tzinfo=UTC)
    authenticate(engine, f"Bearer {secret}", at=at)
    authenticate(engine, f"Bearer {secret}", at=at + timedelta(seconds=59))
    assert list_tokens(engine)[0].last_used_at == at
    authenticate(engine, f"Bearer {secret}", at=at + timedelta(seconds=60))
    assert list_tokens(engine)[0].last_used_at == at + timedelta(seconds=60)


def test_creation_and_revocation_are_audited_without_the_secret(engine: Engine) -> None:
    token, secret = create_token(engine, name="t", role="write", user="alice")
    revoke_token(engine, token.id, user="carol")
    entries = list_audit(engine, object_type="token")
    assert [(e.action, e.user, e.object_id) for e in entries] == [
        ("token.create", "alice", str(token.id)),
        ("token.revoke", "carol", str(token.id)),
    ]
    assert entries[0].after["role"] == "write"
    assert all(secret not in str(e.to_json()) for e in entries)


def test_refused_roles_names_and_expiries(engine: Engine) -> None:
    with pytest.raises(UsageError, match="unknown role 'admin' for a token"):
        create_token(engine, name="t", role="admin", user="alice")
    with pytest.raises(UsageError, match="needs a name"):
        create_token(engine, name="  ", role="read", user="alice")
    at = datetime(2027, 1, 1, tzinfo=UTC)
    assert parse_expiry("2027-03-31", at=at) == datetime(2027, 3, 31, tzinfo=UTC)
    for bad in ("soon", "90", "-5d", "2027-02-30"):
        with pytest.raises(UsageError, match="neither a number of days"):
            parse_expiry(bad, at=at)
    for past in ("0d", "2026-12-31", "2027-01-01"):
        with pytest.raises(UsageError, match="not in the future"):
            parse_expiry(past, at=at)
    assert list_tokens(engine) == []


def test_secret_from_header() -> None:
    assert secret_from_header("Bearer clr_abc") == "clr_abc"
    assert secret_from_header("  ApiKey   clr_abc  ") == "clr_abc"
    assert secret_from_header("Basic dXNlcjpwYXNz") is None
