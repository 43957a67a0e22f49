"""Recog's labelled examples for Huawei, ZTE, Hikvision, Dahua and H3C (SNMP sysDescr and
HTTP, RTSP and TLS fingerprints, copied with their licence): Clearance's identifier must name
the vendor Recog names and read the model and version Recog reads from the same string."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest

from clearance.discovery.identify import DeviceIdentifier
from clearance.model import Evidence, Observation
from clearance.registry import Registry
from tests.conftest import FIXTURES

RECOG = FIXTURES / "discovery" / "recog"
# Recog's "matches" (what the string is) as Clearance's evidence kinds.
KINDS = {
    "snmp.sys_description": "snmp_sysdescr",
    "http_header.server": "http_server",
    "http_header.wwwauth": "www_authenticate",
    "favicon.md5": "favicon",
    "x509.subject": "tls_subject",
    "rtsp_header.server": "rtsp_server",
}
VENDORS = {"Huawei": "huawei", "ZTE": "zte", "Hikvision": "hikvision", "Dahua": "dahua"}
# Not registry parties: H3C (Huawei's partner until 2007, now Unisplendour's) is not listed.
UNLISTED = {"H3C", "Huawei-3com"}


@dataclass(frozen=True, slots=True)
class Example:
    """One Recog example with what Recog says it shows."""

    file: str
    kind: str
    value: str
    vendor: str
    model: str | None
    version: str | None

    @property
    def id(self) -> str:
        return f"{self.file}:{self.value[:40]!r}"


def _examples() -> list[Example]:
    found: list[Example] = []
    for path in sorted(RECOG.glob("*.xml")):
        root = ET.parse(path).getroot()
        kind = KINDS[root.attrib["matches"]]
        for fp in root.iter("fingerprint"):
            params = {p.attrib["name"]: p.attrib.get("value") for p in fp.iter("param")}
            vendor = params.get("hw.vendor") or params.get("os.vendor") or ""
            for ex in fp.iter("example"):
                text = ex.text or ""
                if ex.attrib.get("_encoding") == "base64":
                    text = base64.b64decode("".join(text.split())).decode("utf-8")
                model = ex.attrib.get("hw.product") or ex.attrib.get("hw.model")
                version = ex.attrib.get("os.version") or ex.attrib.get("hw.version")
                found.append(Example(path.name, kind, text, vendor, model, version))
    return found


EXAMPLES = _examples()
# No rule may name a party the registry lacks, so H3C's models are not read (yet).
_NO_RULE = pytest.mark.xfail(
    reason="H3C is not a registry entity, and rules name registry entities", strict=True
)
CASES = [pytest.param(e, id=e.id, marks=[_NO_RULE] if e.vendor == "H3C" else []) for e in EXAMPLES]


def _norm(value: str | None) -> str:
    return "".join((value or "").casefold().split())


def test_the_copied_examples_cover_every_vendor() -> None:
    counts = {v: sum(1 for e in EXAMPLES if e.vendor == v) for v in (*VENDORS, *UNLISTED)}
    assert counts == {
        "Huawei": 8,
        "ZTE": 5,
        "Hikvision": 7,
        "Dahua": 1,
        "H3C": 2,
        "Huawei-3com": 1,
    }
    assert sum(1 for e in EXAMPLES if e.model) == 8


@pytest.fixture(scope="module")
def identifier(seed: Registry) -> DeviceIdentifier:
    return DeviceIdentifier(seed)


@pytest.mark.parametrize("example", CASES)
def test_recog_example(example: Example, identifier: DeviceIdentifier) -> None:
    asset = identifier.identify(
        Observation("recog", evidence=[Evidence(example.kind, example.value)])
    )
    if example.vendor in UNLISTED:
        assert not asset.restricted  # not a listed party: nothing attributed
    else:
        assert VENDORS[example.vendor] in {a.entity_id for a in asset.restricted}
    if example.model is not None:
        assert _norm(asset.model) == _norm(example.model), asset.model
    if example.version is not None:
        assert _norm(asset.firmware) == _norm(example.version), asset.firmware
