"""Small conversions shared by the store's modules: UTC timestamps, JSON-safe values and the
range of row ids."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

__all__ = ["MAX_ID", "canonical_hash", "is_row_id", "jsonable", "now", "utc"]

#: The largest id an ``Integer`` primary key holds on every backend (PostgreSQL's ``integer``).
MAX_ID = 2**31 - 1


def now() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def utc(value: datetime) -> datetime:
    """``value`` as an aware UTC datetime (SQLite returns naive ones that were stored as UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def jsonable(value: Any) -> Any:
    """``value`` with dates and datetimes as ISO strings and tuples as lists, recursively."""
    if isinstance(value, datetime):
        return utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def canonical_hash(value: Any) -> str:
    """SHA-256 of ``value`` as canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(jsonable(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_row_id(value: int) -> bool:
    """Whether ``value`` can be a row id (1 to :data:`MAX_ID`); a larger number cannot be sent
    to the database at all (SQLite raises OverflowError, PostgreSQL a DataError)."""
    return 1 <= value <= MAX_ID
