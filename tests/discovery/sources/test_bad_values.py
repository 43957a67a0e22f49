"""Input that once read as all clear or crashed: a wrong ``--input-format``, malformed
addresses and ports, garbage in lease files, XML entities. Each is an input error (exit 2)
naming the file, the line or host, and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from clearance.cli.app import app
from clearance.discovery.sources import read_observations
from clearance.errors import FormatError

runner = CliRunner()

_NMAP = """<?xml version="1.0"?>
<nmaprun scanner="nmap" args="nmap -oX - 192.0.2.0/24">
<host><status state="up"/>
<address addr="{ip}" addrtype="ipv4"/>
<address addr="{mac}" addrtype="mac" vendor="Hangzhou Hikvision"/>
<ports><port protocol="tcp" portid="{port}"><state state="open"/></port></ports>
</host>
</nmaprun>
"""


def _nmap(
    tmp_path: Path, ip: str = "192.0.2.2", mac: str = "44:19:B6:2A:10:01", port: str = "80"
) -> Path:
    path = tmp_path / "scan.xml"
    path.write_text(_NMAP.format(ip=ip, mac=mac, port=port), encoding="utf-8")
    return path


def test_a_good_nmap_host_reads(tmp_path: Path) -> None:
    (obs,) = read_observations(_nmap(tmp_path))
    assert (obs.ip, obs.mac, obs.record["ports"][0]["port"]) == (
        "192.0.2.2",
        "44:19:b6:2a:10:01",
        "80",
    )


@pytest.mark.parametrize(
    ("values", "field", "shown"),
    [
        ({"ip": "not-an-ip"}, "addr", "'not-an-ip' is not an IP address"),
        ({"ip": "999.1.1.1"}, "addr", "'999.1.1.1' is not an IP address"),
        ({"mac": "44:19:B6:2A:10"}, "addr", "is not a MAC address"),
        ({"port": "99999"}, "portid", "'99999' is not a port number"),
        ({"port": "-1"}, "portid", "is not a port number"),
    ],
)
def test_malformed_nmap_values(
    tmp_path: Path, values: dict[str, str], field: str, shown: str
) -> None:
    """Defect 14: these were accepted and stored with --save."""
    path = _nmap(tmp_path, **values)
    with pytest.raises(FormatError, match=shown) as err:
        list(read_observations(path))
    assert (err.value.path, err.value.record, err.value.field) == (str(path), "host 1", field)


def test_nmap_with_an_entity_is_an_input_error(tmp_path: Path) -> None:
    """Defect 9: defusedxml's EntitiesForbidden ended ``identify`` with a traceback, exit 1."""
    path = tmp_path / "scan.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE nmaprun [<!ENTITY x "Hikvision">]>\n'
        '<nmaprun scanner="nmap"><host><address addr="192.0.2.2" addrtype="ipv4"/>'
        '<hostnames><hostname name="&x;"/></hostnames></host></nmaprun>\n',
        encoding="utf-8",
    )
    with pytest.raises(FormatError, match="DTD entity") as err:
        list(read_observations(path))
    assert err.value.path == str(path)
    result = runner.invoke(app, ["identify", str(path)])
    assert isinstance(result.exception, FormatError)
    assert result.exception.exit_code == 2


_LEASE = """# The format of this file is documented in the dhcpd.leases(5) manual page.
authoring-byte-order little-endian;
lease {ip} {{
  starts 4 2024/05/02 08:00:00;
  hardware ethernet {mac};
}}
"""


def test_a_good_lease_reads(tmp_path: Path) -> None:
    path = tmp_path / "dhcpd.leases"
    path.write_text(_LEASE.format(ip="192.0.2.9", mac="44:19:b6:2a:10:05"), encoding="utf-8")
    (obs,) = read_observations(path)
    assert (obs.ip, obs.mac) == ("192.0.2.9", "44:19:b6:2a:10:05")


@pytest.mark.parametrize(
    ("text", "line", "field"),
    [
        (_LEASE.format(ip="999.1.1.1", mac="44:19:b6:2a:10:05"), 3, "lease"),
        (_LEASE.format(ip="192.0.2.9", mac="zz:19:b6:2a:10:05"), 3, "hardware ethernet"),
        (_LEASE.format(ip="192.0.2.9", mac="44:19:b6:2a:10:05") + "garbage here\n", 7, None),
        ("lease 192.0.2.1 {\n}\nthis is not a lease file\n", 3, None),
    ],
)
def test_garbage_in_a_leases_file(tmp_path: Path, text: str, line: int, field: str | None) -> None:
    """Defect 14: garbage lines were skipped and IP 999.1.1.1 taken as an address."""
    path = tmp_path / "dhcpd.leases"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError) as err:
        list(read_observations(path, "dhcpd-leases"))
    assert (err.value.path, err.value.line, err.value.field) == (str(path), line, field)


def test_dnsmasq_and_kea_addresses_are_checked(tmp_path: Path) -> None:
    dnsmasq = tmp_path / "dnsmasq.leases"
    dnsmasq.write_text("1714636800 44:19:b6:2a:10:05 999.1.1.1 cam *\n", encoding="utf-8")
    with pytest.raises(FormatError, match="not an IP address") as err:
        list(read_observations(dnsmasq, "dnsmasq-leases"))
    assert (err.value.line, err.value.field) == (1, "ip")
    kea = tmp_path / "kea.csv"
    kea.write_text("address,hwaddr,hostname\n192.0.2.1,not-a-mac,cam\n", encoding="utf-8")
    with pytest.raises(FormatError, match="not a MAC address") as err:
        list(read_observations(kea, "kea-leases"))
    assert (err.value.line, err.value.field) == (2, "hwaddr")


def test_a_wrong_input_format_is_not_a_clean_result(tmp_path: Path) -> None:
    """Defect 11: ``identify inventory.csv --input-format dhcpd-leases`` gave 0 devices, exit 0."""
    inventory = tmp_path / "inventory.csv"
    inventory.write_text("Manufacturer,Model,IP\nHikvision,DS-2CD2143G0-I,192.0.2.2\n", "utf-8")
    result = runner.invoke(app, ["identify", str(inventory), "--input-format", "dhcpd-leases"])
    assert isinstance(result.exception, FormatError), result.output
    assert result.exception.exit_code == 2
    assert result.exception.path == str(inventory)
    empty_scan = tmp_path / "scan.xml"
    empty_scan.write_text('<?xml version="1.0"?><nmaprun scanner="nmap"></nmaprun>', "utf-8")
    with pytest.raises(FormatError, match="no devices found reading the file as nmap-xml"):
        list(read_observations(empty_scan))
    header_only = tmp_path / "assets.csv"
    header_only.write_text("Manufacturer,Model,IP\n", encoding="utf-8")
    with pytest.raises(FormatError, match="as inventory-csv"):
        list(read_observations(header_only, "inventory-csv"))
