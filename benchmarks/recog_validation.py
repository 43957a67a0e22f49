"""Validate identification against Rapid7 Recog's labelled examples.

Runs :class:`clearance.discovery.identify.DeviceIdentifier` (seed registry, shipped rules) over
every ``<example>`` of every fingerprint file in ``/work/shared/data/recog/xml`` (each example
becomes one observation whose evidence kind follows the file's ``matches`` field), and prints:

- covered-vendor examples (the Hikvision, Dahua, Huawei and ZTE examples listed in
  ``recog_target_examples.jsonl``) attributed to the right entity;
- the other examples of that file (HiSilicon, Xiongmai, Lorex, Huawei-3Com), with what they got;
- false restricted attributions over all other examples.

Reads /work/shared/data/recog (BSD-2-Clause); says so and exits 2 if it is missing.

Usage: python benchmarks/recog_validation.py [--data DIR] [--show N]
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from defusedxml import ElementTree

from clearance.discovery.identify import DeviceIdentifier
from clearance.model import Asset, Evidence, Observation
from clearance.registry import load_seed

DEFAULT_DATA = Path("/work/shared/data/recog")

#: Recog ``matches`` field (or file stem when absent) → Clearance evidence kind.
KINDS = {
    "http_header.server": "http_server",
    "html_title": "http_title",
    "http_header.wwwauth": "www_authenticate",
    "rtsp_header.server": "rtsp_server",
    "snmp.sys_description": "snmp_sysdescr",
    "snmp.sys_object_id": "snmp_object_id",
    "x509.subject": "tls_subject",
    "x509.issuer": "tls_issuer",
    "favicon.md5": "favicon",
    "ssh.banner": "banner",
    "ftp.banner": "banner",
    "telnet_banners": "banner",
    "pop3.banner": "banner",
    "imap4.banner": "banner",
    "nntp.banner": "banner",
    "smtp.banner": "banner",
    "sip_header.server": "sip_agent",
    "sip_header.user_agent": "sip_agent",
    "dhcp_vendor_class": "dhcp_vendor_class",
}
#: Recog vendor label → registry entity id, for the covered vendors.
COVERED = {"Hikvision": "hikvision", "Dahua": "dahua", "Huawei": "huawei", "ZTE": "zte"}


@dataclass(slots=True)
class Example:
    file: str
    matches: str
    description: str
    value: str
    kind: str


def load_examples(xml_dir: Path) -> list[Example]:
    out: list[Example] = []
    for path in sorted(xml_dir.glob("*.xml")):
        root = ElementTree.parse(path).getroot()
        matches = root.get("matches") or path.stem
        kind = KINDS.get(matches, matches)
        for fp in root.iter("fingerprint"):
            desc = (fp.findtext("description") or "").strip()
            for ex in fp.iter("example"):
                text = ex.text or ""
                if ex.get("_encoding") == "base64":
                    text = base64.b64decode(text).decode("utf-8", "replace")
                out.append(Example(path.name, matches, desc, text, kind))
    return out


def observe(ex: Example) -> Observation:
    return Observation(source=f"recog:{ex.file}", evidence=[Evidence(ex.kind, ex.value)])


def attributed(asset: Asset) -> set[str]:
    return {a.entity_id for a in asset.restricted}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--show", type=int, default=20, help="failures to list")
    args = parser.parse_args()
    targets_file = args.data / "recog_target_examples.jsonl"
    if not (args.data / "xml").is_dir() or not targets_file.is_file():
        print(f"recog data missing under {args.data} (needs xml/ and {targets_file.name})")
        return 2

    registry = load_seed()
    missing = sorted(set(COVERED.values()) - set(registry.entities))
    if missing:
        print(f"note: the seed registry has no entity {missing}; their examples cannot attribute")
    identifier = DeviceIdentifier(registry)
    examples = load_examples(args.data / "xml")
    targets: dict[tuple[str, str], str] = {}
    for line in targets_file.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        targets[(row["file"], row["example"])] = row["label_vendor"]

    covered_ok: Counter[str] = Counter()
    covered_all: Counter[str] = Counter()
    covered_fail: list[str] = []
    related: list[str] = []
    false_hits: list[str] = []
    others = 0
    for ex in examples:
        asset = identifier.identify(observe(ex))
        got = attributed(asset)
        label = targets.get((ex.file, ex.value))
        if label in COVERED:
            covered_all[label] += 1
            if COVERED[label] in got:
                covered_ok[label] += 1
            else:
                covered_fail.append(f"{label:9} {ex.kind:16} {ex.value[:70]!r}")
        elif label is not None:
            rels = ", ".join(f"{a.entity_id}/{a.relation}/{a.certainty}" for a in asset.restricted)
            related.append(f"{label:11} {ex.kind:16} {ex.value[:50]!r:54} → {rels or '-'}")
        else:
            others += 1
            if got:
                rules = sorted({e.rule for e in asset.evidence if e.rule})
                false_hits.append(f"{ex.file:20} {ex.value[:60]!r} → {sorted(got)} via {rules}")

    print(f"Recog validation: {len(examples)} examples in {args.data / 'xml'}")
    print(f"registry: seed, {len(registry)} entities; rules: {len(identifier.rules)}")
    print()
    print(f"{'vendor':10} {'attributed':>10} {'examples':>9}")
    for vendor in COVERED:
        print(f"{vendor:10} {covered_ok[vendor]:>10} {covered_all[vendor]:>9}")
    total_ok, total = sum(covered_ok.values()), sum(covered_all.values())
    print(f"{'total':10} {total_ok:>10} {total:>9}")
    print()
    print(f"Other labelled targets ({len(related)}): what they were attributed to")
    for line in related:
        print(f"  {line}")
    print()
    print(f"False restricted attributions: {len(false_hits)} of {others} other examples")
    for line in false_hits[: args.show]:
        print(f"  {line}")
    if covered_fail:
        print()
        print(f"Covered examples not attributed ({len(covered_fail)}):")
        for line in covered_fail[: args.show]:
            print(f"  {line}")
    return 0 if total_ok == total and not false_hits else 1


if __name__ == "__main__":
    sys.exit(main())
