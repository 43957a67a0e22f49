"""Neighbour, ARP and MAC tables from Linux, macOS, Windows and Cisco devices."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.discovery.sources.neighbours import read_neighbours
from clearance.errors import FormatError


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "ip_neigh.txt",
            [
                ("192.0.2.2", "44:19:b6:2a:10:01"),
                ("192.0.2.3", "3c:ef:8c:55:20:02"),
                ("192.0.2.1", "b8:27:eb:01:02:03"),
                ("fe80::1", "00:e0:fc:12:34:56"),
            ],
        ),
        (
            "arp_linux.txt",
            [
                ("192.0.2.2", "44:19:b6:2a:10:01"),
                ("192.0.2.3", "3c:ef:8c:55:20:02"),
                ("192.0.2.4", "40:2c:76:10:33:44"),
            ],
        ),
        ("arp_macos.txt", [("192.0.2.1", "b8:27:eb:01:02:03"), ("192.0.2.2", "44:19:b6:2a:10:01")]),
        (
            "arp_windows.txt",
            [("192.0.2.1", "b8:27:eb:01:02:03"), ("192.0.2.3", "3c:ef:8c:55:20:02")],
        ),
        (
            "cisco_show_ip_arp.txt",
            [
                ("192.0.2.1", "00:11:22:33:44:55"),
                ("192.0.2.2", "44:19:b6:2a:10:01"),
                ("192.0.2.3", "3c:ef:8c:55:20:02"),
            ],
        ),
        (
            "cisco_mac_table.txt",
            [
                (None, "44:19:b6:2a:10:01"),
                (None, "3c:ef:8c:55:20:02"),
                (None, "f0:1b:24:aa:bb:cc"),
            ],
        ),
        ("nxos_mac_table.txt", [(None, "44:19:b6:2a:10:01"), (None, "b8:27:eb:01:02:03")]),
    ],
)
def test_tables(fixture_path: Path, name: str, expected: list[tuple[str | None, str]]) -> None:
    found = [(o.ip, o.mac) for o in read_neighbours(fixture_path / name)]
    assert found == expected


def test_fields_kept(fixture_path: Path) -> None:
    arp = list(read_neighbours(fixture_path / "arp_linux.txt", site="HQ"))
    assert arp[0].hostname == "cam-lobby.example.org"
    assert arp[1].hostname is None
    assert arp[0].site == "HQ"
    assert (arp[0].record or {})["interface"] == "eth0"
    mac_table = list(read_neighbours(fixture_path / "cisco_mac_table.txt"))
    assert (mac_table[0].record or {})["port"] == "Gi1/0/7"
    assert (mac_table[0].record or {})["vlan"] == "20"
    assert mac_table[0].source == "cisco-mac-table"


def test_no_entries(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("switch#show ip arp\nswitch#\n", encoding="utf-8")
    with pytest.raises(FormatError, match="no ARP"):
        list(read_neighbours(path))
