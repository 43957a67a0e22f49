"""Format detection over every fixture, and refusal of bad input with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.discovery.sources import FORMATS, detect_format, read_observations
from clearance.errors import FormatError, LimitError


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("nmap_loopback.xml", "nmap-xml"),
        ("nmap_lan.xml", "nmap-xml"),
        ("masscan.xml", "masscan-xml"),
        ("masscan.json", "masscan-json"),
        ("masscan.list", "masscan-list"),
        ("dhcpd.leases", "dhcpd-leases"),
        ("dnsmasq.leases", "dnsmasq-leases"),
        ("kea-leases4.csv", "kea-leases"),
        ("ip_neigh.txt", "neighbours"),
        ("arp_linux.txt", "neighbours"),
        ("arp_macos.txt", "neighbours"),
        ("arp_windows.txt", "neighbours"),
        ("cisco_show_ip_arp.txt", "neighbours"),
        ("cisco_mac_table.txt", "neighbours"),
        ("nxos_mac_table.txt", "neighbours"),
        ("inventory_en.csv", "inventory-csv"),
        ("inventory_fr.csv", "inventory-csv"),
        ("inventory_gbk.csv", "inventory-csv"),
        ("inventory_utf16.txt", "inventory-csv"),
    ],
)
def test_detect(fixture_path: Path, name: str, expected: str) -> None:
    assert detect_format(fixture_path / name) == expected
    assert expected in FORMATS
    assert list(read_observations(fixture_path / name))


def test_binary_junk(tmp_path: Path) -> None:
    path = tmp_path / "junk.bin"
    path.write_bytes(b"hello\nworld\n\x00\x01\x02\xff\xfe" * 50)
    with pytest.raises(FormatError) as err:
        detect_format(path)
    assert err.value.path == str(path)
    assert err.value.line == 3


def test_empty_and_missing(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(FormatError, match="empty"):
        detect_format(empty)
    with pytest.raises(FormatError, match="no such file"):
        read_observations(tmp_path / "missing.xml")


def test_size_limit(fixture_path: Path) -> None:
    with pytest.raises(LimitError):
        read_observations(fixture_path / "nmap_lan.xml", max_bytes=100)


def test_forced_format(fixture_path: Path) -> None:
    with pytest.raises(FormatError):
        list(read_observations(fixture_path / "nmap_lan.xml", "dnsmasq-leases"))
