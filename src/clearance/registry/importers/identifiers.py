"""Identifiers in official lists: the scheme a label names (``Tax ID No.`` -> ``tax_id``),
cleaned values, and stable ids for records that carry none."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from clearance.model import Identifier

__all__ = ["clean_identifier", "identifier", "scheme_for", "stable_id"]


def stable_id(prefix: str, *parts: str) -> str:
    """A short id that is the same whenever the same parts are imported."""
    digest = hashlib.sha1("\x1f".join(parts).encode(), usedforsecurity=False).hexdigest()
    return f"{prefix}-{digest[:12]}"


def identifier(scheme: str, value: str) -> Identifier:
    return Identifier(scheme, value.strip())


_SCHEMES = (
    ("unified social credit code", "uscc"),
    ("uscc", "uscc"),
    ("legal entity number", "lei"),
    ("lei", "lei"),
    ("isin", "isin"),
    ("swift/bic", "swift_bic"),
    ("swift", "swift_bic"),
    ("vessel registration identification", "imo"),
    ("imo", "imo"),
    ("d-u-n-s", "duns"),
    ("duns", "duns"),
    ("business registration", "registration"),
    ("registration", "registration"),
    ("company number", "registration"),
    ("tax id", "tax_id"),
    ("inn", "tax_id"),
    ("passport", "passport"),
    ("national id", "national_id"),
    ("equity ticker", "ticker"),
    ("ticker", "ticker"),
)


@lru_cache(maxsize=4096)
def scheme_for(label: str) -> str | None:
    """The identifier scheme an official label names (``Tax ID No.`` -> ``tax_id``), or None."""
    text = label.strip().casefold()
    if not text:
        return None
    for needle, scheme in _SCHEMES:
        if text.startswith(needle):
            return scheme
    return None


def clean_identifier(scheme: str, value: str) -> str:
    value = value.strip()
    if scheme == "imo" and value.upper().startswith("IMO"):
        value = value[3:].strip()
    return value
