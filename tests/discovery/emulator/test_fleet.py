"""The emulated fleet: deterministic, loopback only, a realistic mix, honest manifest."""

from __future__ import annotations

import dataclasses

import pytest

from clearance.discovery.emulator.fleet import generate_fleet, load_templates
from clearance.discovery.emulator.servers import Emulator, ServicePorts
from clearance.errors import UsageError


def test_same_seed_same_fleet_and_manifest_shape() -> None:
    one = [d.manifest() for d in generate_fleet(50, "127.91.0.0/24", seed=4)]
    two = [d.manifest() for d in generate_fleet(50, "127.91.0.0/24", seed=4)]
    assert one == two
    assert one != [d.manifest() for d in generate_fleet(50, "127.91.0.0/24", seed=5)]
    for record in one:
        assert {
            "ip",
            "manufacturer",
            "brand",
            "model",
            "firmware",
            "serial",
            "restricted_entity",
        } <= set(record)
        assert record["ip"].startswith("127.91.0.")


def test_large_fleet_covers_every_kind() -> None:
    fleet = generate_fleet(1000, "127.92.0.0/22", seed=1)
    assert {d.template for d in fleet} == {t.id for t in load_templates()}
    restricted = {d.restricted_entity for d in fleet}
    assert {"hikvision", "dahua", "huawei", "zte", None} <= restricted
    oem = {d.brand for d in fleet if d.restricted_entity and d.brand != d.manufacturer}
    assert {"LTS", "Annke", "Amcrest", "Lorex", "EZVIZ", "Imou"} <= oem


@pytest.mark.parametrize("network", ["10.0.0.0/24", "192.168.1.0/24", "::1/128", "0.0.0.0/0"])
def test_only_loopback(network: str) -> None:
    with pytest.raises(UsageError, match=r"127\.0\.0\.0/8"):
        generate_fleet(2, network, seed=1)


def test_network_too_small_and_port_overrides() -> None:
    with pytest.raises(UsageError):
        generate_fleet(10, "127.93.0.0/29", seed=1)
    ports = ServicePorts.parse("http=8080,rtsp=8554")
    assert (ports.http, ports.rtsp, ports.sadp) == (8080, 8554, 37020)
    assert "http:8080" in ports.scan_spec()
    with pytest.raises(UsageError):
        ServicePorts.parse("telnet=23")
    assert ServicePorts.unprivileged().http == 10080


def test_emulator_refuses_devices_off_loopback() -> None:
    fleet = generate_fleet(1, "127.94.0.0/30", seed=1)
    moved = [dataclasses.replace(fleet[0], ip="10.0.0.2")]
    with pytest.raises(UsageError):
        Emulator(moved)
