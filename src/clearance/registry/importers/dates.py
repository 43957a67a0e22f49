"""Dates as the official lists write them (ISO, ``12 Mar 2021``, ``03/12/2021`` …)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from clearance.errors import InputError
from clearance.i18n import gettext as _

__all__ = ["date_field", "parse_date"]


_DATE_FORMATS = (
    "%Y-%m-%d",
    "%d %b %Y",
    "%d %B %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%Y/%m/%d",
    "%d.%m.%Y",
    "%Y%m%d",
)


def parse_date(value: str | None) -> date | None:
    """A date in any of the formats the official lists use, or None when empty or unreadable."""
    if not value:
        return None
    text = value.strip()
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def date_field(
    raw: str | None,
    path: Path,
    field_name: str,
    *,
    line: int | None = None,
    record: str | None = None,
) -> date | None:
    """Parse a date cell; a non-empty cell that is not a date raises naming where it is."""
    value = parse_date(raw)
    if raw and raw.strip() and value is None:
        raise InputError(
            _("not a date: {raw!r}").format(raw=raw),
            path=str(path),
            line=line,
            record=record,
            field=field_name,
        )
    return value
