"""What OFAC's formats share: the SDN and non-SDN (CONS) lists, and facts read from remarks
(aliases, USCC, ISIN, LEI, IMO, listing dates)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from clearance.model import Identifier, ListInfo, Name, NameKind
from clearance.registry.importers.cell_values import name_of
from clearance.registry.importers.dates import parse_date

__all__ = ["CONS_LIST", "EXPORTS", "SDN_LIST", "RemarkFacts", "read_remarks"]

EXPORTS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
_AUTHORITY = "US Department of the Treasury, Office of Foreign Assets Control"

SDN_LIST = ListInfo(
    id="us-ofac-sdn",
    title="OFAC Specially Designated Nationals and Blocked Persons List",
    authority=_AUTHORITY,
    jurisdiction="US",
    kind="sanctions",
    source_url=EXPORTS + "SDN.XML",
    description="Blocked persons: US persons may not deal with them; their US assets are frozen.",
)
CONS_LIST = ListInfo(
    id="us-ofac-cons",
    title="OFAC Consolidated (non-SDN) Sanctions List",
    authority=_AUTHORITY,
    jurisdiction="US",
    kind="sanctions",
    source_url=EXPORTS + "CONS_PRIM.CSV",
    description="Non-SDN lists, including the Non-SDN Chinese Military-Industrial Complex "
    "Companies List (NS-CMIC, program CMIC-EO13959), SSI, FSE, PLC and others.",
)

_PATTERNS = (
    ("uscc", re.compile(r"Unified Social Credit Code \(USCC\)\s+([0-9A-Z]{18})")),
    ("isin", re.compile(r"\bISIN\s+([A-Z]{2}[A-Z0-9]{9}[0-9])")),
    ("lei", re.compile(r"Legal Entity Number\s+([A-Z0-9]{20})")),
    ("imo", re.compile(r"\bIMO\s+([0-9]{7})")),
    ("swift_bic", re.compile(r"SWIFT/BIC\s+([A-Z0-9]{8,11})\b")),
    ("registration", re.compile(r"Registration (?:Number|ID)\s+([\w.-]+)")),
    ("tax_id", re.compile(r"Tax ID No\.\s+([\w.-]+)")),
)
_LISTED = re.compile(r"Listing Date(?: \([^)]*\))?:?\s+(\d{1,2} [A-Z][a-z]{2} \d{4})")
_AKA = re.compile(r"\b(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s+'([^']+)'")


@dataclass(slots=True)
class RemarkFacts:
    """What a remarks text says beyond the structured columns."""

    identifiers: list[Identifier] = field(default_factory=list)
    names: list[Name] = field(default_factory=list)
    listed: date | None = None


def read_remarks(text: str, source_url: str) -> RemarkFacts:
    facts = RemarkFacts()
    for scheme, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            facts.identifiers.append(Identifier(scheme, match.group(1)))
    listed = _LISTED.search(text)
    if listed:
        facts.listed = parse_date(listed.group(1))
    for kind, value in _AKA.findall(text):
        name_kind = NameKind.FORMER if kind == "f.k.a." else NameKind.ALIAS
        facts.names.append(name_of(value.strip(), name_kind, source_url=source_url))
    return facts
