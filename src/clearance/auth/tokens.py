"""Token secrets: their format (``clr_`` and 32 random bytes, URL-safe base64), the SHA-256
that is stored instead of them, the prefix shown to recognise one, and reading them from an
``Authorization`` header (``Bearer`` as OAuth 2.0 clients send, ``ApiKey`` as yente-client and
the OpenSanctions API send)."""

from __future__ import annotations

import hashlib
import secrets

__all__ = [
    "PREFIX_LENGTH",
    "SCHEMES",
    "TOKEN_PREFIX",
    "new_secret",
    "secret_from_header",
    "secret_hash",
]

TOKEN_PREFIX = "clr_"  # noqa: S105  (a marker, not a secret)
#: Characters of the secret kept for display (``clr_`` and 8 more).
PREFIX_LENGTH = 12
#: Authorization schemes accepted, lower-cased (schemes are case-insensitive, RFC 9110 §11.1).
SCHEMES = frozenset({"bearer", "apikey"})


def new_secret() -> str:
    """A new token secret: ``clr_`` and 32 random bytes (43 URL-safe characters)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def secret_hash(secret: str) -> str:
    """The SHA-256 (hex) of ``secret``: what the store keeps. A secret has 256 random bits, so
    a fast hash suffices (no password stretching needed)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def secret_from_header(authorization: str | None) -> str | None:
    """The token in ``Authorization: Bearer <token>`` or ``Authorization: ApiKey <token>``;
    None for no header, another scheme, or a malformed value."""
    if authorization is None:
        return None
    parts = authorization.strip().split()
    if len(parts) != 2 or parts[0].lower() not in SCHEMES:
        return None
    return parts[1]
