"""The fleet: which fake devices exist, where, and what they are (the ground truth).

Generation is deterministic from the seed: the same ``count``, ``network`` and ``seed`` give
the same devices at the same addresses, byte for byte.
"""

from __future__ import annotations

import ipaddress
import random
import string
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from clearance.errors import UsageError
from clearance.i18n import gettext as _

__all__ = ["LOOPBACK", "DeviceSpec", "Template", "generate_fleet", "load_templates"]

LOOPBACK = ipaddress.IPv4Network("127.0.0.0/8")


@dataclass(slots=True, frozen=True)
class Template:
    """One kind of device from ``catalogue.yml``."""

    id: str
    weight: float
    manufacturer: str | None
    brand: str | None
    restricted_entity: str | None
    family: str
    device_class: str
    mac_prefixes: tuple[str, ...]
    models: tuple[str | None, ...]
    firmware: tuple[str | None, ...]
    services: tuple[str, ...]
    chance: dict[str, float]
    sysdescr: tuple[str, ...] = ()  # SNMP sysDescr forms: {model}, {series}, {firmware}
    sys_object_id: str | None = None


@dataclass(slots=True, frozen=True)
class DeviceSpec:
    """One emulated device: identity (the manifest record) and the services it runs."""

    ip: str
    template: str
    family: str
    manufacturer: str | None
    brand: str | None
    model: str | None
    firmware: str | None
    serial: str | None
    mac: str
    device_class: str
    restricted_entity: str | None
    services: frozenset[str]
    token: str  # short per-device text used in realms and names
    sysdescr: str | None = None  # SNMP sysDescr (None: a Linux server's)
    sys_object_id: str | None = None

    def exposes(self) -> list[str]:
        """Which of model, firmware, serial the device's open protocols state outright."""
        s = self.services
        full = {"sadp", "dhip", "onvif_open", "isapi_open", "axis_info", "entity_mib"}
        if s & full:
            return [k for k in ("model", "firmware", "serial") if getattr(self, k)]
        if "legacy5050" in s or ("wsd" in s and self.family in {"axis", "hanwha", "bosch"}):
            return ["model"] if self.model else []
        if "snmp" in s and self.sysdescr and self.model and self.model in self.sysdescr:
            stated = f"Version {self.firmware}" in self.sysdescr if self.firmware else False
            return ["model", "firmware"] if stated else ["model"]
        return []

    def manifest(self) -> dict[str, Any]:
        """The ground-truth record written to the manifest."""
        return {
            "ip": self.ip,
            "manufacturer": self.manufacturer,
            "brand": self.brand,
            "model": self.model,
            "firmware": self.firmware,
            "serial": self.serial,
            "restricted_entity": self.restricted_entity,
            "mac": self.mac,
            "kind": self.template,
            "exposes": self.exposes(),
        }


def load_templates() -> list[Template]:
    """The device kinds of the bundled catalogue."""
    text = resources.files(__package__).joinpath("catalogue.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return [
        Template(
            id=item["id"],
            weight=float(item["weight"]),
            manufacturer=item.get("manufacturer"),
            brand=item.get("brand"),
            restricted_entity=item.get("restricted_entity"),
            family=item["family"],
            device_class=item["device_class"],
            mac_prefixes=tuple(item["mac_prefixes"]),
            models=tuple(item["models"]),
            firmware=tuple(item["firmware"]),
            services=tuple(item["services"]),
            chance=dict(item.get("chance") or {}),
            sysdescr=tuple(item.get("sysdescr") or ()),
            sys_object_id=item.get("sys_object_id"),
        )
        for item in data["templates"]
    ]


def loopback_network(cidr: str) -> ipaddress.IPv4Network:
    """``cidr`` as a network inside 127.0.0.0/8.

    Raises:
        UsageError: ``cidr`` is not an IPv4 network inside 127.0.0.0/8.
    """
    try:
        net = ipaddress.ip_network(cidr, strict=False)
    except ValueError as exc:
        raise UsageError(_("--network: not a CIDR: {cidr!r}").format(cidr=cidr)) from exc
    if not isinstance(net, ipaddress.IPv4Network) or not net.subnet_of(LOOPBACK):
        raise UsageError(
            _("--network must lie inside 127.0.0.0/8 (loopback only), not {cidr}").format(cidr=cidr)
        )
    return net


def _serial(rng: random.Random, tpl: Template, model: str | None, mac: str) -> str | None:
    upper = string.ascii_uppercase + string.digits
    if tpl.family == "hikvision" and model:
        date = f"20{rng.randint(17, 25)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        tail = rng.choice(string.ascii_uppercase) + "".join(rng.choices(string.digits, k=8))
        return f"{model}{date}{rng.choice(['AAWR', 'CCRR', 'CCWR'])}{tail}"
    if tpl.family == "dahua":
        return "".join(rng.choices(upper, k=15))
    if tpl.family == "axis":
        return mac.replace(":", "").upper()
    if tpl.family in {"hanwha", "bosch"}:
        return "".join(rng.choices(upper, k=12))
    if tpl.family.startswith("huawei"):
        return "2102" + "".join(rng.choices(upper, k=16))
    if tpl.family == "zte":
        return "ZTEG" + "".join(rng.choices("0123456789ABCDEF", k=8))
    return None


def _sysdescr(tpl: Template, model: str | None, firmware: str | None, token: str) -> str | None:
    """One of the template's sysDescr forms (picked by the device's token), filled in."""
    if not tpl.sysdescr:
        return None
    form = tpl.sysdescr[int(token, 36) % len(tpl.sysdescr)]
    series = (model or "").split("-", 1)[0]
    return form.format(model=model or "", series=series, firmware=firmware or "")


def generate_fleet(count: int, network: str, seed: int) -> list[DeviceSpec]:
    """``count`` devices on consecutive host addresses of ``network`` (inside 127.0.0.0/8).

    Raises:
        UsageError: the network is not loopback or too small for ``count`` devices.
    """
    net = loopback_network(network)
    if count < 1:
        raise UsageError(_("--count must be at least 1"))
    hosts = net.hosts() if net.prefixlen < 31 else iter(net)
    addresses: list[str] = []
    for addr in hosts:
        if len(addresses) == count:
            break
        if addr != ipaddress.IPv4Address("127.0.0.1"):  # leave the usual loopback alone
            addresses.append(str(addr))
    if len(addresses) < count:
        raise UsageError(
            _("{network} holds fewer than {count} usable addresses").format(
                network=network, count=count
            )
        )
    rng = random.Random(seed)  # noqa: S311 - reproducible fake data, not secrets
    templates = load_templates()
    weights = [t.weight for t in templates]
    fleet: list[DeviceSpec] = []
    for ip in addresses:
        tpl = rng.choices(templates, weights)[0]
        model = rng.choice(tpl.models)
        firmware = rng.choice(tpl.firmware)
        mac = rng.choice(tpl.mac_prefixes) + "".join(f":{rng.randrange(256):02x}" for _ in range(3))
        services = set(tpl.services)
        for option, share in sorted(tpl.chance.items()):
            if rng.random() < share:
                services.add(option)
        if "onvif" in services:
            services.add("wsd")
        if tpl.family == "axis":
            services.add("axis_info")
        if "onvif_open" in services:
            services.add("wsd")
        token = "".join(rng.choices(string.ascii_uppercase + string.digits, k=5))
        fleet.append(
            DeviceSpec(
                ip=ip,
                template=tpl.id,
                family=tpl.family,
                manufacturer=tpl.manufacturer,
                brand=tpl.brand,
                model=model,
                firmware=firmware,
                serial=_serial(rng, tpl, model, mac),
                mac=mac,
                device_class=tpl.device_class,
                restricted_entity=tpl.restricted_entity,
                services=frozenset(services),
                token=token,
                sysdescr=_sysdescr(tpl, model, firmware, token),
                sys_object_id=tpl.sys_object_id,
            )
        )
    return fleet
