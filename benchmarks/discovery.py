"""Discovery benchmark: ``clearance scan`` against ``nmap -sV`` on an emulated fleet.

Starts ``clearance emulate`` with N devices (default 1,000) on a loopback network, then runs
``clearance scan`` and ``nmap -sV`` over the same addresses and TCP ports, and prints for each
tool: wall time, devices found, vendor accuracy, covered-vendor attribution, false restricted
attributions, and models, firmware versions and serials read, against the emulator's manifest.

Everything stays on 127.0.0.0/8. nmap comes from Debian's package: ``apt-get install -y nmap``.
nmap scans the TCP ports only (UDP service detection over 1,000 hosts takes hours and needs
root); clearance additionally sends its UDP discovery probes (SADP, DHIP, WS-Discovery, SNMP),
which only adds to its own time.

Usage: python benchmarks/discovery.py [--count 1000] [--network 127.70.0.0/22] [--seed 1]
       [--skip-nmap] [--nmap-timing 4]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as SafeET

from clearance.discovery.emulator.servers import ServicePorts, start_subprocess


@dataclass
class Seen:
    """What one tool reported about one address."""

    vendor_text: str = ""  # everything the tool said, lower-cased, for substring checks
    manufacturer: str | None = None
    brand: str | None = None
    model: str | None = None
    firmware: str | None = None
    serial: str | None = None
    restricted: set[str] = field(default_factory=set)


def _norm(value: str | None) -> str:
    return "".join((value or "").lower().split())


def run_clearance(
    network: str, ports: ServicePorts, env: dict[str, str]
) -> tuple[float, dict[str, Seen]]:
    command = [
        sys.executable,
        "-m",
        "clearance.cli.app",
        "scan",
        network,
        "--ports",
        ports.scan_spec(),
        "--rate",
        "10000",  # the scanner's ceiling (SNMP asks "public" by default)
        "--concurrency",
        "512",
        "--timeout",
        "3",
        "--retries",
        "1",
        "--format",
        "jsonl",
    ]
    start = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    wall = time.monotonic() - start
    if done.returncode not in (0, 1):
        sys.exit(f"clearance scan failed ({done.returncode}): {done.stderr[-2000:]}")
    seen: dict[str, Seen] = {}
    for line in done.stdout.splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        text = " ".join(
            str(rec.get(k) or "") for k in ("manufacturer", "brand", "model", "firmware")
        )
        seen[rec["ip"]] = Seen(
            vendor_text=text.lower(),
            manufacturer=rec.get("manufacturer"),
            brand=rec.get("brand"),
            model=rec.get("model"),
            firmware=rec.get("firmware"),
            serial=rec.get("serial"),
            restricted={a["entity_id"] for a in rec.get("restricted", [])},
        )
    return wall, seen


def run_nmap(network: str, ports: ServicePorts, extra: list[str]) -> tuple[float, dict[str, Seen]]:
    tcp = ",".join(str(p) for p in ports.tcp_ports())
    with tempfile.NamedTemporaryFile(suffix=".xml", delete=False) as out:
        xml_path = Path(out.name)
    command = ["nmap", "-sV", "-Pn", "-n", *extra, "-p", tcp, "-oX", str(xml_path), network]
    start = time.monotonic()
    subprocess.run(command, capture_output=True, check=True)
    wall = time.monotonic() - start
    seen: dict[str, Seen] = {}
    root = SafeET.parse(xml_path).getroot()
    xml_path.unlink()
    for host in root.iter("host"):
        addr = host.find("address")
        if addr is None:
            continue
        parts: list[str] = []
        open_ports = 0
        for port in host.iter("port"):
            state = port.find("state")
            if state is None or state.get("state") != "open":
                continue
            open_ports += 1
            service = port.find("service")
            if service is not None:
                parts.extend(
                    service.get(k, "")
                    for k in ("product", "version", "extrainfo", "devicetype", "ostype")
                )
            parts.extend(script.get("output", "") for script in port.iter("script"))
        if open_ports:
            seen[addr.get("addr", "")] = Seen(vendor_text=" ".join(parts).lower())
    return wall, seen


def _vendor_ok(dev: dict[str, Any], got: Seen, structured: bool) -> bool:
    names = {_norm(dev["manufacturer"]), _norm(dev["brand"])} - {""}
    if structured:
        said = {_norm(got.manufacturer), _norm(got.brand)} - {""}
        return any(a.startswith(b) or b.startswith(a) for a in said for b in names)
    return any(name in _norm(got.vendor_text) for name in names)


def _field_ok(dev: dict[str, Any], got: Seen, key: str, structured: bool) -> bool:
    want = _norm(dev[key])
    if structured:
        have = _norm(getattr(got, key))
        return bool(have) and (have == want or (key == "firmware" and want.startswith(have)))
    return want in _norm(got.vendor_text)


def score(
    manifest: list[dict[str, Any]], seen: dict[str, Seen], structured: bool
) -> dict[str, str]:
    found = [d for d in manifest if d["ip"] in seen]
    makers = [d for d in manifest if d["manufacturer"]]
    covered = [d for d in manifest if d["restricted_entity"]]
    others = [d for d in manifest if not d["restricted_entity"]]
    vendor_ok = sum(
        1 for d in makers if d["ip"] in seen and _vendor_ok(d, seen[d["ip"]], structured)
    )
    row = {
        "devices found": f"{len(found)}/{len(manifest)}",
        "vendor accuracy": f"{vendor_ok}/{len(makers)} "
        f"({100 * vendor_ok / max(1, len(makers)):.1f}%)",
    }
    if structured:
        attributed = sum(
            1
            for d in covered
            if d["ip"] in seen and d["restricted_entity"] in seen[d["ip"]].restricted
        )
        false = sum(1 for d in others if d["ip"] in seen and seen[d["ip"]].restricted)
        row["covered-vendor attributed"] = f"{attributed}/{len(covered)}"
        row["false restricted (other makers)"] = f"{false}/{len(others)}"
    else:
        row["covered-vendor attributed"] = "n/a (no registry)"
        row["false restricted (other makers)"] = "n/a"
    for key in ("model", "firmware", "serial"):
        exposed = [d for d in manifest if key in d["exposes"]]
        ok = sum(
            1 for d in exposed if d["ip"] in seen and _field_ok(d, seen[d["ip"]], key, structured)
        )
        row[f"{key}s read"] = f"{ok}/{len(exposed)}"
    return row


def misses(manifest: list[dict[str, Any]], seen: dict[str, Seen], limit: int = 8) -> list[str]:
    """A few devices clearance got wrong, to show what to fix."""
    out: list[str] = []
    for d in manifest:
        got = seen.get(d["ip"])
        problems = []
        if got is None:
            problems.append("not found")
        else:
            if d["restricted_entity"] and d["restricted_entity"] not in got.restricted:
                problems.append(f"not attributed to {d['restricted_entity']}")
            if not d["restricted_entity"] and got.restricted:
                problems.append(f"false attribution {sorted(got.restricted)}")
            for key in d["exposes"]:
                if not _field_ok(d, got, key, True):
                    problems.append(f"{key} {getattr(got, key)!r} != {d[key]!r}")
        if problems:
            out.append(f"  {d['ip']} {d['kind']}: {'; '.join(problems)}")
        if len(out) >= limit:
            break
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--network", default="127.70.0.0/22")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-nmap", action="store_true")
    parser.add_argument(
        "--nmap-args",
        default="-T4 --min-hostgroup 1024",
        help="extra nmap options (default: aggressive timing, all hosts in one group, which is "
        "nmap's fastest configuration here; its defaults take over an hour for 1,000 hosts)",
    )
    args = parser.parse_args()
    if not args.skip_nmap and shutil.which("nmap") is None:
        sys.exit("nmap is not installed: apt-get install -y nmap (or pass --skip-nmap)")
    ports = ServicePorts() if os.geteuid() == 0 else ServicePorts.unprivileged()
    work = Path(tempfile.mkdtemp(prefix="clearance-bench-"))
    env = {
        **os.environ,
        "CLEARANCE_DATA_DIR": str(work / "data"),
        "CLEARANCE_CACHE_DIR": str(work / "cache"),
        "CLEARANCE_DB": f"sqlite:///{work / 'data' / 'clearance.sqlite'}",
    }
    print(
        f"starting emulator: {args.count} devices on {args.network} (seed {args.seed}) …",
        flush=True,
    )
    started = time.monotonic()
    emulator = start_subprocess(args.count, args.network, args.seed, work / "manifest.json", ports)
    print(f"emulator listening after {time.monotonic() - started:.1f} s", flush=True)
    try:
        manifest = emulator.manifest
        # Prime the store (seed registry) so the timed run measures scanning, not first use.
        subprocess.run(
            [sys.executable, "-m", "clearance.cli.app", "lists", "status", "--format", "json"],
            capture_output=True,
            env=env,
            check=True,
        )
        results: dict[str, tuple[float, dict[str, str]]] = {}
        wall, seen = run_clearance(args.network, ports, env)
        results["clearance scan"] = (wall, score(manifest, seen, structured=True))
        print(f"clearance scan: {wall:.1f} s; {results['clearance scan'][1]}", flush=True)
        problems = misses(manifest, seen)
        if not args.skip_nmap:
            print(f"running nmap -sV {args.nmap_args} (this takes a while) …", flush=True)
            wall_n, seen_n = run_nmap(args.network, ports, args.nmap_args.split())
            results[f"nmap -sV {args.nmap_args}"] = (
                wall_n,
                score(manifest, seen_n, structured=False),
            )
    finally:
        emulator.stop()
        shutil.rmtree(work, ignore_errors=True)
    kinds: dict[str, int] = {}
    for d in manifest:
        kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
    print(
        f"\nfleet: {len(manifest)} devices: "
        + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
    )
    print(
        f"TCP ports: {','.join(map(str, ports.tcp_ports()))}; clearance also UDP: "
        f"{ports.sadp},{ports.dhip},{ports.dhip5050},{ports.wsd},{ports.snmp}\n"
    )
    names = list(results)
    metrics = ["wall time (s)", *next(iter(results.values()))[1]]
    width = max(len(m) for m in metrics) + 2
    print("metric".ljust(width) + "".join(n.ljust(40) for n in names))
    for metric in metrics:
        cells = []
        for name in names:
            wall, row = results[name]
            cells.append(f"{wall:.1f}" if metric == "wall time (s)" else row[metric])
        print(metric.ljust(width) + "".join(c.ljust(40) for c in cells))
    if len(names) == 2:
        ratio = results[names[1]][0] / max(results[names[0]][0], 1e-9)
        print(f"\nclearance is {ratio:.1f}x faster than nmap -sV (target: at least 5x)")
    if problems:
        print("\nclearance misses (first few):")
        print("\n".join(problems))


if __name__ == "__main__":
    main()
