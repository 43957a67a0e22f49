"""An organisation to audit: its sites, the networks scanned at each, its asset registers and
supplier lists, and its profile (jurisdiction, sector, language, parties it is also bound as)
when the file gives one.

The organisation file (YAML, checked against ``clearance/data/schemas/organisation.schema.json``)
is what ``clearance audit --org FILE`` reads; the bundled demo organisation
(``clearance/data/demo/organisation.yml``) is one. File names in it are relative to it.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from clearance.errors import ClearanceError, SchemaError, UsageError
from clearance.i18n import gettext as _
from clearance.profile import OrganisationProfile

__all__ = [
    "PROFILE_KEYS",
    "InventoryRef",
    "NetworkSpec",
    "Organisation",
    "ScanSettings",
    "SiteSpec",
    "SupplierRef",
    "demo_dir",
    "load_demo",
    "load_organisation",
]


@dataclass(slots=True, frozen=True)
class ScanSettings:
    """The scanner's options for a network (``None``: the scanner's default)."""

    ports: str | None = None
    rate: float | None = None
    timeout: float | None = None
    retries: int | None = None
    concurrency: int | None = None
    exclude: tuple[str, ...] = ()


@dataclass(slots=True, frozen=True)
class NetworkSpec:
    """A network to scan (a CIDR, address or range) and how."""

    cidr: str
    settings: ScanSettings = ScanSettings()


@dataclass(slots=True, frozen=True)
class SiteSpec:
    """A site (property): who owns it, the networks scanned there and, for the demo, the
    emulated network it holds (``network``, ``devices``, ``seed``)."""

    name: str
    address: str | None = None
    owner: str | None = None
    network: str | None = None  # the demo's emulated network (loopback only)
    devices: int = 0  # emulated devices in ``network``
    seed: int = 0
    networks: tuple[NetworkSpec, ...] = ()


@dataclass(slots=True, frozen=True)
class InventoryRef:
    """An asset register file and the site its rows belong to (unless a row names its own);
    the column map it is read with and the source name its runs compare under."""

    path: Path
    site: str | None = None
    column_map: dict[str, str] | None = field(default=None, hash=False, compare=False)
    source_name: str | None = None


@dataclass(slots=True, frozen=True)
class SupplierRef:
    """A supplier list to screen, of the whole organisation or of one site."""

    path: Path
    site: str | None = None


@dataclass(slots=True)
class Organisation:
    """What an audit covers."""

    name: str
    sites: list[SiteSpec] = field(default_factory=list)
    inventories: list[InventoryRef] = field(default_factory=list)
    supplier_lists: list[SupplierRef] = field(default_factory=list)
    # the file's jurisdiction, sector, lang and also_bound: the profile of its audit
    profile: OrganisationProfile | None = None

    def site(self, name: str) -> SiteSpec | None:
        """The site called ``name``, if any."""
        return next((s for s in self.sites if s.name == name), None)

    def networks(self) -> list[NetworkSpec]:
        """Every network the file names for scanning (not the demo's emulated ones)."""
        return [net for site in self.sites for net in site.networks]

    def site_of_target(self, target: str) -> SiteSpec | None:
        """The site that names ``target`` among its networks."""
        for site in self.sites:
            if target == site.network or any(n.cidr == target for n in site.networks):
                return site
        return None

    def site_of_address(self, ip: str | None) -> SiteSpec | None:
        """The site whose network holds ``ip``, if any."""
        if ip is None:
            return None
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return None
        for site in self.sites:
            for cidr in [site.network, *(n.cidr for n in site.networks)]:
                try:
                    if cidr and address in ipaddress.ip_network(cidr, strict=False):
                        return site
                except ValueError:  # a range or a host name: not a network to look in
                    continue
        return None


def _schema() -> dict[str, Any]:
    text = files("clearance.data.schemas").joinpath("organisation.schema.json")
    schema: dict[str, Any] = json.loads(text.read_text("utf-8"))
    return schema


def _network(raw: str | dict[str, Any], path: Path, where: str) -> NetworkSpec:
    from clearance.discovery.targets import parse_target

    item: dict[str, Any] = {"cidr": raw} if isinstance(raw, str) else raw
    try:
        parse_target(item["cidr"])
        for target in item.get("exclude") or ():
            parse_target(target)
        if item.get("ports"):
            from clearance.discovery.scanner import PortPlan

            PortPlan.parse(item["ports"])
    except ClearanceError as exc:
        raise SchemaError(str(exc), path=str(path), field=where) from exc
    settings = ScanSettings(
        ports=item.get("ports"),
        rate=item.get("rate"),
        timeout=item.get("timeout"),
        retries=item.get("retries"),
        concurrency=item.get("concurrency"),
        exclude=tuple(item.get("exclude") or ()),
    )
    return NetworkSpec(item["cidr"], settings)


def _existing(file: Path, path: Path, where: str, check: bool) -> Path:
    if check and not file.is_file():
        raise SchemaError(_("no such file: {file}").format(file=file), path=str(path), field=where)
    return file


def _register(
    raw: str | dict[str, Any], site: str | None, path: Path, where: str, check: bool
) -> InventoryRef:
    from clearance.discovery.sources.register import parse_column_map

    item: dict[str, Any] = {"file": raw} if isinstance(raw, str) else raw
    try:
        mapping = parse_column_map(item.get("map")) or None
    except ClearanceError as exc:
        raise SchemaError(str(exc), path=str(path), field=f"{where}.map") from exc
    file = path.parent / item["file"]
    return InventoryRef(
        _existing(file, path, where if isinstance(raw, str) else f"{where}.file", check),
        site if site is not None else item.get("site"),
        mapping,
        item.get("source_name"),
    )


def _suppliers(
    raw: str | list[str] | None, site: str | None, path: Path, where: str, check: bool
) -> list[SupplierRef]:
    if isinstance(raw, str):
        return [SupplierRef(_existing(path.parent / raw, path, where, check), site)]
    return [
        SupplierRef(_existing(path.parent / name, path, f"{where}[{i}]", check), site)
        for i, name in enumerate(raw or [])
    ]


#: The organisation file's top-level keys that make its profile.
PROFILE_KEYS = ("jurisdiction", "sector", "lang", "also_bound")


def _profile(raw: dict[str, Any], path: Path) -> OrganisationProfile | None:
    """The profile the file gives (checked as ``clearance org set`` checks it), or None."""
    if all(raw.get(key) is None for key in PROFILE_KEYS):
        return None
    from clearance.profile_input import profile_from_input

    try:
        return profile_from_input(
            name=raw["organisation"],
            jurisdiction=raw.get("jurisdiction"),
            sector=raw.get("sector"),
            lang=raw.get("lang"),
            also_bound=raw.get("also_bound") or (),
            options=False,
        )
    except UsageError as exc:  # its message starts with the key
        key = str(exc).split(" ", 1)[0]
        raise SchemaError(str(exc), path=str(path), field=key) from exc


def load_organisation(path: Path, *, check_files: bool = True) -> Organisation:
    """Read and check an organisation YAML file; :class:`SchemaError` names the file and
    field (a register or supplier list that is not there too, unless ``check_files`` is
    false). Relative file names are relative to it."""
    from clearance.registry.seed import validate_file

    if not path.is_file():
        raise SchemaError(_("no such organisation file"), path=str(path))
    raw = validate_file(path, _schema())
    check = check_files
    sites: list[SiteSpec] = []
    inventories: list[InventoryRef] = []
    suppliers = _suppliers(raw.get("suppliers"), None, path, "suppliers", check)
    for i, item in enumerate(raw.get("sites") or []):
        where = f"sites[{i}]"
        network = item.get("network")
        if network is not None:
            try:
                ipaddress.ip_network(network, strict=False)
            except ValueError as exc:
                raise SchemaError(str(exc), path=str(path), field=f"{where}.network") from exc
        name = item["name"]
        if any(s.name == name for s in sites):
            raise SchemaError(
                _("site {name!r} is listed twice").format(name=name), path=str(path), field=where
            )
        sites.append(
            SiteSpec(
                name=name,
                address=item.get("address"),
                owner=item.get("owner"),
                network=network,
                devices=int(item.get("devices") or 0),
                seed=int(item.get("seed") or 0),
                networks=tuple(
                    _network(net, path, f"{where}.networks[{j}]")
                    for j, net in enumerate(item.get("networks") or [])
                ),
            )
        )
        inventories += [
            _register(reg, name, path, f"{where}.registers[{j}]", check)
            for j, reg in enumerate(item.get("registers") or [])
        ]
        suppliers += _suppliers(item.get("suppliers"), name, path, f"{where}.suppliers", check)
    for key in ("registers", "inventories"):
        inventories += [
            _register(reg, None, path, f"{key}[{j}]", check)
            for j, reg in enumerate(raw.get(key) or [])
        ]
    return Organisation(
        name=raw["organisation"],
        sites=sites,
        inventories=inventories,
        supplier_lists=suppliers,
        profile=_profile(raw, path),
    )


def demo_dir() -> Path:
    """The folder of the bundled demo organisation."""
    return Path(str(files("clearance.data.demo")))


def load_demo() -> Organisation:
    """The bundled demo organisation: three sites, two inventories, a supplier list."""
    return load_organisation(demo_dir() / "organisation.yml")
