"""Stream a generated 1 GB nmap XML through the nmap source and the identifier; print the peak
resident memory (target: ≤ 200 MB, constant in the file size).

The file is generated once (hosts in documentation ranges, a mix of Hikvision, Dahua, Huawei
and other devices with scripts, services and fingerprint-strings), then read in a child process
so that the peak RSS printed is that of reading alone. Reads nothing from /work/shared.

Usage: python benchmarks/nmap_stream.py [--size-mb 1024] [--path /tmp/clearance-1g.xml]
"""

from __future__ import annotations

import argparse
import ipaddress
import resource
import subprocess
import sys
import time
from pathlib import Path

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<nmaprun scanner="nmap" args="nmap -sV -oX big.xml 10.0.0.0/8" start="1795846800" \
version="7.93" xmloutputversion="1.05">
<scaninfo type="syn" protocol="tcp" numservices="4" services="22,80,443,554"/>
<verbose level="0"/>
<debugging level="0"/>
"""
FOOTER = (
    '<runstats><finished time="1795850400" elapsed="3600" exit="success"/>'
    '<hosts up="{n}" down="0" total="{n}"/></runstats>\n</nmaprun>\n'
)
PROFILES = [
    (
        "44:19:B6",
        "Hangzhou Hikvision Digital Technology",
        '<port protocol="tcp" portid="80"><state state="open" reason="syn-ack" reason_ttl="64"/>'
        '<service name="http" product="Hikvision IP camera httpd" devicetype="webcam" '
        'method="probed" conf="10"><cpe>cpe:/h:hikvision:ds-2cd2143g0-i</cpe></service>'
        '<script id="http-server-header" output="App-webs/"><elem>App-webs/</elem></script>'
        '<script id="http-title" output="Site doesn&apos;t have a title"></script></port>'
        '<port protocol="tcp" portid="554"><state state="open" reason="syn-ack" reason_ttl="64"/>'
        '<service name="rtsp" method="table" conf="3"/><script id="fingerprint-strings" output="x">'
        '<elem key="RTSPRequest">&#xa;    RTSP/1.0 401 Unauthorized&#xa;    CSeq: 1&#xa;    '
        "WWW-Authenticate: Digest realm=&quot;IP Camera(C6420)&quot;, nonce=&quot;{i:08x}&quot;"
        "</elem></script></port>",
    ),
    (
        "3C:EF:8C",
        "Zhejiang Dahua Technology",
        '<port protocol="tcp" portid="80"><state state="open" reason="syn-ack" reason_ttl="64"/>'
        '<service name="http" method="table" conf="3"/>'
        '<script id="http-title" output="WEB SERVICE">'
        '<elem key="title">WEB SERVICE</elem></script></port>'
        '<port protocol="tcp" portid="554"><state state="open" reason="syn-ack" reason_ttl="64"/>'
        '<service name="rtsp" method="table" conf="3"/><script id="fingerprint-strings" output="x">'
        '<elem key="RTSPRequest">&#xa;    RTSP/1.0 200 OK&#xa;    CSeq: 1&#xa;    '
        "Server: Dahua Rtsp Server</elem></script></port>",
    ),
    (
        "00:E0:FC",
        "Huawei Technologies",
        '<port protocol="tcp" portid="22"><state state="open" reason="syn-ack" reason_ttl="255"/>'
        '<service name="ssh" product="Huawei VRP sshd" extrainfo="protocol 2.0" method="probed" '
        'conf="10"><cpe>cpe:/o:huawei:vrp</cpe></service></port>',
    ),
    (
        "B8:27:EB",
        "Raspberry Pi Foundation",
        '<port protocol="tcp" portid="22"><state state="open" reason="syn-ack" reason_ttl="64"/>'
        '<service name="ssh" product="OpenSSH" version="9.2p1 Debian 2+deb12u3" '
        'extrainfo="protocol 2.0" method="probed" conf="10"><cpe>cpe:/a:openbsd:openssh:9.2p1</cpe>'
        '</service></port><port protocol="tcp" portid="443"><state state="open" reason="syn-ack" '
        'reason_ttl="64"/><service name="http" product="nginx" version="1.22.1" tunnel="ssl" '
        'method="probed" conf="10"/><script id="ssl-cert" output="Subject: commonName=host{i}">'
        '<table key="subject"><elem key="commonName">host{i}.example.org</elem></table></script>'
        "</port>",
    ),
]
HOST = (
    '<host starttime="1795846801" endtime="1795846840"><status state="up" reason="arp-response" '
    'reason_ttl="0"/>\n<address addr="{ip}" addrtype="ipv4"/>\n<address addr="{mac}" '
    'addrtype="mac" vendor="{vendor}"/>\n<hostnames>\n<hostname name="host{i}.example.org" '
    'type="PTR"/>\n</hostnames>\n<ports><extraports state="closed" count="996"><extrareasons '
    'reason="reset" count="996" proto="tcp" ports="1-21,23-79,81-442,444-553,555-1000"/>'
    '</extraports>\n{ports}\n</ports>\n<times srtt="512" rttvar="300" to="100000"/>\n</host>\n'
)


def generate(path: Path, size: int) -> int:
    """Write an nmap XML of about ``size`` bytes; return the number of hosts."""
    base = int(ipaddress.IPv4Address("10.0.0.0"))
    written = 0
    hosts = 0
    with path.open("w", encoding="utf-8") as fh:
        written += fh.write(HEADER)
        chunk: list[str] = []
        while written < size:
            prefix, vendor, ports = PROFILES[hosts % len(PROFILES)]
            low = hosts & 0xFFFFFF
            mac = f"{prefix}:{low >> 16:02X}:{(low >> 8) & 0xFF:02X}:{low & 0xFF:02X}"
            ip = str(ipaddress.IPv4Address(base + (hosts % 0xFFFFFF)))
            text = HOST.format(ip=ip, mac=mac, vendor=vendor, i=hosts, ports=ports.format(i=hosts))
            chunk.append(text)
            written += len(text)
            hosts += 1
            if len(chunk) >= 2000:
                fh.write("".join(chunk))
                chunk.clear()
        fh.write("".join(chunk))
        fh.write(FOOTER.format(n=hosts))
    return hosts


def read(path: Path, identify: bool) -> None:
    """Child process: stream the file, identify every host, print one result line."""
    from clearance.discovery.identify import DeviceIdentifier
    from clearance.discovery.sources import read_observations
    from clearance.registry import load_seed

    identifier = DeviceIdentifier(load_seed()) if identify else None
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    hosts = restricted = 0
    for obs in read_observations(path):
        hosts += 1
        if identifier is not None and identifier.identify(obs).restricted:
            restricted += 1
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{hosts} {restricted} {elapsed:.1f} {base_rss:.1f} {peak:.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--path", type=Path, default=Path("/tmp/clearance-nmap-1g.xml"))
    parser.add_argument("--no-identify", action="store_true", help="parse only")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        read(args.path, not args.no_identify)
        return 0
    size = args.size_mb * 1024 * 1024
    if not args.path.is_file() or abs(args.path.stat().st_size - size) > 4 * 1024 * 1024:
        started = time.perf_counter()
        hosts = generate(args.path, size)
        print(f"generated {args.path} ({hosts} hosts) in {time.perf_counter() - started:.0f} s")
    cmd = [sys.executable, __file__, "--child", "--path", str(args.path)]
    if args.no_identify:
        cmd.append("--no-identify")
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.split()
    hosts, restricted, seconds, base_rss, peak = out
    mb = args.path.stat().st_size / 1024 / 1024
    print()
    print(
        f"{'file MB':>8} {'hosts':>9} {'restricted':>10} {'seconds':>8} {'hosts/s':>8} "
        f"{'RSS before MB':>13} {'peak RSS MB':>11} {'target':>7}"
    )
    rate = int(hosts) / max(float(seconds), 1e-9)
    verdict = "ok" if float(peak) <= 200 else "OVER"
    print(
        f"{mb:>8.0f} {hosts:>9} {restricted:>10} {seconds:>8} {rate:>8.0f} "
        f"{base_rss:>13} {peak:>11} {'≤200 ' + verdict:>7}"
    )
    return 0 if float(peak) <= 200 else 1


if __name__ == "__main__":
    sys.exit(main())
