"""Passwords: Argon2id hashes (argon2-cffi), checked in constant time, rehashed when the
parameters change, and a minimum length for new ones."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from clearance.errors import UsageError
from clearance.i18n import gettext as _

__all__ = ["MIN_LENGTH", "check_new_password", "hash_password", "needs_rehash", "password_matches"]

#: The shortest password accepted for a new or changed password.
MIN_LENGTH = 12

#: argon2-cffi's defaults are RFC 9106's second recommended Argon2id option (64 MiB, t=3, p=4).
_HASHER = PasswordHasher()


def check_new_password(password: str) -> str:
    """``password`` if it may be used; :class:`UsageError` when it is empty or shorter than
    :data:`MIN_LENGTH` characters."""
    if not password.strip():
        raise UsageError(_("the password is empty"))
    if len(password) < MIN_LENGTH:
        raise UsageError(
            _("the password is too short: at least {count} characters").format(count=MIN_LENGTH)
        )
    return password


def hash_password(password: str, hasher: PasswordHasher = _HASHER) -> str:
    """The Argon2id hash of ``password`` (salted; its parameters are written in it)."""
    return hasher.hash(password)


def password_matches(stored: str, password: str, hasher: PasswordHasher = _HASHER) -> bool:
    """Whether ``password`` is the one ``stored`` was made from (False for a damaged hash)."""
    try:
        return hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str, hasher: PasswordHasher = _HASHER) -> bool:
    """Whether ``stored`` was made with other parameters than ``hasher``'s (rehash on sign-in)."""
    try:
        return hasher.check_needs_rehash(stored)
    except InvalidHashError:
        return True
