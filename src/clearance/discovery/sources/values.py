"""Checked values from scan and lease files: an IP address, a MAC address or a port that is
malformed stops the read with a :class:`~clearance.errors.FormatError` naming the file, the
line or record, and the field, instead of being stored as a device's address."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from clearance.discovery.oui import normalise_mac
from clearance.errors import FormatError
from clearance.i18n import gettext as _

__all__ = ["checked_ip", "checked_mac", "checked_port"]


def checked_ip(
    value: str, path: Path, field: str, *, line: int | None = None, record: str | None = None
) -> str:
    """``value`` as a normalised IPv4 or IPv6 address."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError as exc:
        raise FormatError(
            _("{value!r} is not an IP address").format(value=value),
            path=str(path),
            line=line,
            record=record,
            field=field,
        ) from exc


def checked_mac(
    value: str, path: Path, field: str, *, line: int | None = None, record: str | None = None
) -> str:
    """``value`` as ``aa:bb:cc:dd:ee:ff``."""
    mac = normalise_mac(value)
    if mac is None:
        raise FormatError(
            _("{value!r} is not a MAC address").format(value=value),
            path=str(path),
            line=line,
            record=record,
            field=field,
        )
    return mac


def checked_port(
    value: str | None, path: Path, field: str, *, line: int | None = None, record: str | None = None
) -> int:
    """``value`` as a port number, 0 to 65535."""
    text = (value or "").strip()
    if not text.isdigit() or int(text) > 65535:
        raise FormatError(
            _("{value!r} is not a port number (0 to 65535)").format(value=value),
            path=str(path),
            line=line,
            record=record,
            field=field,
        )
    return int(text)
