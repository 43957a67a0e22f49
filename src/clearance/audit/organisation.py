"""An organisation to audit: its sites, their networks, its inventories and supplier list.

The bundled demo organisation (``clearance/data/demo/organisation.yml``) is one; a user's own
can be described in the same YAML shape and read with :func:`load_organisation`.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from clearance.errors import InputError

__all__ = ["InventoryRef", "Organisation", "SiteSpec", "demo_dir", "load_demo", "load_organisation"]


@dataclass(slots=True, frozen=True)
class SiteSpec:
    """A site (property): who owns it and, for the demo, the emulated network it holds."""

    name: str
    address: str | None = None
    owner: str | None = None
    network: str | None = None  # a CIDR (loopback only for the emulator)
    devices: int = 0  # emulated devices in ``network``
    seed: int = 0


@dataclass(slots=True, frozen=True)
class InventoryRef:
    """An asset register file and the site its rows belong to (unless a row names its own)."""

    path: Path
    site: str | None = None


@dataclass(slots=True)
class Organisation:
    """What an audit covers."""

    name: str
    sites: list[SiteSpec] = field(default_factory=list)
    inventories: list[InventoryRef] = field(default_factory=list)
    suppliers: Path | None = None

    def site(self, name: str) -> SiteSpec | None:
        """The site called ``name``, if any."""
        return next((s for s in self.sites if s.name == name), None)

    def site_of_address(self, ip: str | None) -> SiteSpec | None:
        """The site whose network holds ``ip``, if any."""
        if ip is None:
            return None
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return None
        for site in self.sites:
            if site.network and address in ipaddress.ip_network(site.network, strict=False):
                return site
        return None


def _text(raw: dict[str, Any], key: str, path: Path, record: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str | int):
        raise InputError("expected text", path=str(path), record=record, field=key)
    return str(value)


def load_organisation(path: Path) -> Organisation:
    """Read an organisation YAML file; relative file names are relative to it."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read organisation file: {exc}", path=str(path)) from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("organisation"), str):
        raise InputError("expected a mapping with 'organisation'", path=str(path))
    sites: list[SiteSpec] = []
    for i, item in enumerate(raw.get("sites") or [], start=1):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise InputError("a site needs a name", path=str(path), record=f"sites[{i}]")
        network = _text(item, "network", path, f"sites[{i}]")
        if network is not None:
            try:
                ipaddress.ip_network(network, strict=False)
            except ValueError as exc:
                raise InputError(
                    str(exc), path=str(path), record=f"sites[{i}]", field="network"
                ) from exc
        sites.append(
            SiteSpec(
                name=item["name"],
                address=_text(item, "address", path, f"sites[{i}]"),
                owner=_text(item, "owner", path, f"sites[{i}]"),
                network=network,
                devices=int(item.get("devices") or 0),
                seed=int(item.get("seed") or 0),
            )
        )
    inventories = [
        InventoryRef(path.parent / str(item["file"]), item.get("site"))
        for item in raw.get("inventories") or []
        if isinstance(item, dict) and item.get("file")
    ]
    suppliers = raw.get("suppliers")
    return Organisation(
        name=raw["organisation"],
        sites=sites,
        inventories=inventories,
        suppliers=path.parent / str(suppliers) if suppliers else None,
    )


def demo_dir() -> Path:
    """The folder of the bundled demo organisation."""
    return Path(str(files("clearance.data.demo")))


def load_demo() -> Organisation:
    """The bundled demo organisation: three sites, two inventories, a supplier list."""
    return load_organisation(demo_dir() / "organisation.yml")
