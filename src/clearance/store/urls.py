"""Database URLs: which backends Clearance supports, whether a URL keeps its data, and how to
show one (or any message that may hold one) without its password."""

from __future__ import annotations

import re

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from clearance.errors import UsageError
from clearance.i18n import gettext as _

__all__ = [
    "SUPPORTED_BACKENDS",
    "display_url",
    "is_in_memory",
    "mask_passwords",
    "parse_db_url",
]

#: Backends the schema and its migrations are written and tested for. MySQL, MSSQL, Oracle
#: and the rest are refused up front (exit 2) instead of failing half-way through a migration.
SUPPORTED_BACKENDS = ("sqlite", "postgresql")

#: ``scheme://user:password@`` in a URL, and ``password=...`` in a libpq connection string.
_URL_PASSWORD = re.compile(r"(?P<keep>[A-Za-z][\w+.-]*://[^\s/:@]*:)[^\s@/]*@")
_KEYWORD_PASSWORD = re.compile(r"(?P<keep>\bpassword\s*=\s*)(?:'[^']*'|\S+)", re.IGNORECASE)


def mask_passwords(text: str) -> str:
    """``text`` with the password of every URL (``scheme://user:***@``) and every
    ``password=...`` setting replaced by ``***``; for messages that may quote a URL."""
    text = _URL_PASSWORD.sub(r"\g<keep>***@", text)
    return _KEYWORD_PASSWORD.sub(r"\g<keep>***", text)


def display_url(url: str | URL) -> str:
    """The URL as it may be shown in a message: its password replaced by ``***``."""
    if isinstance(url, URL):
        return url.render_as_string(hide_password=True)
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):  # unparseable: mask what looks like a password
        return mask_passwords(url)


def parse_db_url(url: str) -> URL:
    """Parse a database URL, refusing (:class:`UsageError`, exit 2) what cannot work: text
    that is not a URL and backends other than SQLite and PostgreSQL. ``postgresql://`` with
    no driver named means psycopg (version 3, the driver Clearance installs)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise UsageError(
            _(
                "--db / CLEARANCE_DB is not a database URL: {display_url!r} ({exc}); use "
                "sqlite:///path/to/file.sqlite or postgresql://user@host/database"
            ).format(display_url=display_url(url), exc=exc)
        ) from exc
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise UsageError(
            _(
                "unsupported database {backend!r} in {display_url}: Clearance stores its "
                "data in SQLite (sqlite:///path/to/file.sqlite) or PostgreSQL "
                "(postgresql://user@host/database)"
            ).format(backend=backend, display_url=display_url(parsed))
        )
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def is_in_memory(url: str | URL) -> bool:
    """Whether ``url`` names an in-memory SQLite database (``sqlite://``, ``sqlite:///``,
    ``sqlite:///:memory:``, or a ``mode=memory`` URI): its data is gone when the process ends."""
    try:
        parsed = url if isinstance(url, URL) else make_url(url)
    except (ArgumentError, ValueError):
        return False
    if parsed.get_backend_name() != "sqlite":
        return False
    return parsed.database in (None, "", ":memory:") or parsed.query.get("mode") == "memory"
