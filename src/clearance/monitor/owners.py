"""Owners' e-mail addresses, from a YAML file (``owners.yml``)::

    owners:
      alice: alice@example.org
      facilities: [fm-east@example.org, fm-west@example.org]
    default: security@example.org   # findings nobody owns

A finding's owner is its ``owner`` field, else its site's owner, else ``default``. An owner
written as an address (``bob@example.org``) needs no entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from clearance.errors import InputError
from clearance.i18n import gettext as _

__all__ = ["DEFAULT_OWNER", "Owners", "read_owners"]

#: The owner name of findings nobody owns (the ``default`` entry's addresses).
DEFAULT_OWNER = "default"


@dataclass(slots=True, frozen=True)
class Owners:
    """Addresses by owner name (``default``: the addresses of findings nobody owns)."""

    addresses: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def of(self, owner: str) -> tuple[str, ...]:
        """The owner's addresses: its entry, or the owner itself when it is an address."""
        if owner in self.addresses:
            return self.addresses[owner]
        return (owner,) if "@" in owner and " " not in owner.strip() else ()


def _addresses(path: Path, key: str, value: Any) -> tuple[str, ...]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) and "@" in v for v in values):
        raise InputError(
            _("an owner's addresses are an e-mail address or a list of them"),
            path=str(path),
            field=key,
        )
    return tuple(v.strip() for v in values)


def read_owners(path: Path) -> Owners:
    """The owners file at ``path``; no file, no addresses."""
    if not path.is_file():
        return Owners()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InputError(_("not valid YAML: {exc}").format(exc=exc), path=str(path)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("owners", {}), dict):
        raise InputError(
            _("an owners file maps `owners:` names to addresses"), path=str(path), field="owners"
        )
    found = {
        str(name): _addresses(path, f"owners.{name}", value)
        for name, value in (data.get("owners") or {}).items()
    }
    if data.get(DEFAULT_OWNER) is not None:
        found[DEFAULT_OWNER] = _addresses(path, DEFAULT_OWNER, data[DEFAULT_OWNER])
    return Owners(found)
