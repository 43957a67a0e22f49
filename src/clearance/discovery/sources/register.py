"""What asset registers add to a plain inventory: column maps given by the user, life-cycle
statuses (``clearance/data/columns/status.yml``) and the footer and summary rows to skip.

A column map names, for headings Clearance does not recognise (or reads otherwise), the field
each holds: ``"Make/Model=make_model,Local=location"``. Headings are compared folded
(:func:`heading_key`), so case, accents and punctuation do not matter; ``Heading=ignore``
leaves a column unread.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

import yaml

from clearance.errors import UsageError
from clearance.i18n import gettext as _

__all__ = [
    "FIELDS",
    "IGNORE",
    "RegisterState",
    "format_column_map",
    "heading_key",
    "is_summary_row",
    "parse_column_map",
    "register_state",
]

#: The fields an inventory column can hold, as ``--map`` names them.
FIELDS = (
    "make",
    "brand",
    "model",
    "make_model",
    "serial",
    "mac",
    "ip",
    "hostname",
    "site",
    "location",
    "custodian",
    "asset_tag",
    "status",
    "firmware",
    "device_type",
)
#: The field of a ``--map`` entry that leaves its column unread.
IGNORE = "ignore"

# First words of a footer or summary row: "Total: 42", "Grand total", "Sous-total", "合计".
_SUMMARY = re.compile(
    r"^(?:grand |sub |sous )?total\b|^(?:subtotal|soustotal|totals|count|nombre total|somme)\b"
    r"|^(?:合计|总计|小计)"
)
_NUMBER = re.compile(r"^[\d\s.,:;()%$€£+-]*$")


class RegisterState:
    """What a register's status says about the equipment (names as ``status.yml`` has them)."""

    DISPOSED = "disposed"  # no longer held: opens no finding
    HELD = "held"  # owned but not in use (storage, spare, out of service): opens findings
    IN_SERVICE = "in_service"


def heading_key(text: str) -> str:
    """A heading folded for comparison: accents and case removed, punctuation as spaces."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in plain).split())


@cache
def _statuses() -> tuple[tuple[str, str], ...]:
    text = resources.files("clearance.data.columns").joinpath("status.yml").read_text("utf-8")
    raw: dict[str, list[str]] = yaml.safe_load(text)
    pairs = [(heading_key(str(word)), state) for state, words in raw.items() for word in words]
    # Longest first, so "out of service" is read before "service" and "in storage" before "in".
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def register_state(status: str | None) -> str | None:
    """The :class:`RegisterState` a status cell states, or None when it says none we know.

    The status must equal a known one or start with it ("Disposed 2026-03-01, GCSurplus").
    """
    if status is None:
        return None
    key = heading_key(status)
    if not key:
        return None
    for word, state in _statuses():
        if key == word or key.startswith(word + " "):
            return state
    return None


def parse_column_map(text: str | None) -> dict[str, str]:
    """``"Make/Model=make_model,Local=location"`` as {folded heading: field}.

    Raises :class:`UsageError` naming the entry that has no ``=`` or names an unknown field.
    """
    mapping: dict[str, str] = {}
    for entry in (text or "").split(","):
        if not entry.strip():
            continue
        heading, sep, field = entry.rpartition("=")
        field = field.strip().casefold().replace("-", "_").replace(" ", "_")
        if not sep or not heading.strip():
            raise UsageError(
                _("--map entry {entry!r} is not HEADING=FIELD").format(entry=entry.strip())
            )
        if field not in FIELDS and field != IGNORE:
            raise UsageError(
                _(
                    "--map entry {entry!r}: unknown field {field!r}; one of: {fields}, {ignore}"
                ).format(entry=entry.strip(), field=field, fields=", ".join(FIELDS), ignore=IGNORE)
            )
        mapping[heading_key(heading)] = field
    return mapping


def format_column_map(mapping: Mapping[str, str]) -> str:
    """A map as ``--map`` takes it (headings folded)."""
    return ",".join(f"{heading}={field}" for heading, field in mapping.items())


def is_summary_row(row: Sequence[Any]) -> bool:
    """A footer or summary row ("Total: 42", "Grand total | | 17", "Sous-total"): its first
    non-empty cell starts with a total word and its other cells hold numbers or nothing."""
    cells = [str(c).strip() for c in row if c is not None and str(c).strip()]
    if not cells:
        return False
    if not _SUMMARY.match(heading_key(cells[0])):
        return False
    return all(_NUMBER.match(cell) for cell in cells[1:])
