"""Small conversions shared by the store's modules: UTC timestamps and JSON-safe values."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

__all__ = ["canonical_hash", "jsonable", "now", "utc"]


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
