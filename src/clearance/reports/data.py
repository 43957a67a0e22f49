"""What a compliance report shows, independent of its format.

A :class:`ReportData` is built once (from the store, or from an audit run's results) and handed
to each renderer: HTML and PDF (:mod:`clearance.reports.html`), XLSX, CSV and JSON. Every
record is a slotted dataclass with a ``to_json`` that is the JSON report's shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from clearance.i18n import current_lang
from clearance.model import Listing
from clearance.reports import wording
from clearance.reports.record import FindingRef, ScopeStatement, SignOff
from clearance.reports.wording import _r, isodate

__all__ = [
    "AlgorithmRef",
    "Count",
    "DeviceRow",
    "ListingRef",
    "MethodInfo",
    "ProgressPoint",
    "ReportData",
    "ScanRef",
    "SourceRef",
    "SupplierRow",
]

DIMENSIONS = ("site", "vendor", "list", "status")
#: Statuses that need no more action, where no store says otherwise (an audit's own results).
CLOSED = frozenset({"removed", "verified", "false_positive", "cleared"})
SUPPLIERS_SITE = wording.SUPPLIERS_SITE  # the site key of supplier findings, which have no site


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(slots=True, frozen=True)
class ListingRef:
    """A listing as a report cites it: the list, who keeps it, since when, and the citation."""

    list_id: str
    authority: str
    program: str
    citation: str | None = None
    source_url: str | None = None
    start_date: date | None = None
    # what orders it for the organisation's profile (clearance.basis); ``binding`` is None
    # when no profile is in force, and only then left out of the JSON
    jurisdiction: str = ""
    applies_to: tuple[str, ...] = ()
    binding: bool | None = None

    @classmethod
    def of(cls, listing: Listing, lang: str | None = None) -> ListingRef:
        """The report view of a registry :class:`~clearance.model.Listing`, its texts (and
        its source, where there is one) in ``lang`` (default: the language in force) where
        the source publishes them, else as listed."""
        lang = lang or current_lang()
        return cls(
            list_id=listing.list_id,
            authority=listing.text("authority", lang) or listing.authority,
            program=listing.text("program", lang) or listing.program,
            citation=listing.text("citation", lang),
            source_url=(listing.source_url_fr if lang == "fr" else None) or listing.source_url,
            start_date=listing.start_date,
            jurisdiction=listing.jurisdiction,
            applies_to=listing.applies_to,
        )

    def as_listing(self) -> Listing:
        """The registry view again, with what decides its order (clearance.basis)."""
        return Listing(
            list_id=self.list_id,
            authority=self.authority,
            jurisdiction=self.jurisdiction,
            program=self.program,
            source_url=self.source_url or "",
            applies_to=self.applies_to,
        )

    @property
    def label(self) -> str:
        """One line: ``list (authority, since date): citation``, in the language in force."""
        if self.start_date:
            text = _r("{list_id} ({authority}, since {date})").format(
                list_id=self.list_id, authority=self.authority, date=isodate(self.start_date)
            )
        else:
            text = f"{self.list_id} ({self.authority})"
        if not self.citation:
            return text
        return _r("{listing}: {citation}").format(listing=text, citation=self.citation)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "list": self.list_id,
            "authority": self.authority,
            "program": self.program,
            "citation": self.citation,
            "source_url": self.source_url,
            "start_date": _iso(self.start_date),
        }
        if self.binding is not None:  # a profile is in force
            data["jurisdiction"] = self.jurisdiction
            data["binding"] = self.binding
        return data


@dataclass(slots=True, frozen=True)
class Count:
    """Findings on devices and on suppliers for one value of one dimension."""

    dimension: str  # site | vendor | list | status
    key: str
    devices: int = 0
    suppliers: int = 0

    @property
    def total(self) -> int:
        return self.devices + self.suppliers

    def to_json(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "key": self.key,
            "devices": self.devices,
            "suppliers": self.suppliers,
        }


@dataclass(slots=True, frozen=True)
class ProgressPoint:
    """Remediation progress at the end of a day with a recorded run or status change:
    findings still active and findings resolved so far."""

    day: date
    open: int
    resolved: int

    def to_json(self) -> dict[str, Any]:
        return {"date": self.day.isoformat(), "open": self.open, "resolved": self.resolved}


@dataclass(slots=True, frozen=True)
class DeviceRow:
    """One line of a site's work list: a restricted device, why, and who removes it by when."""

    site: str
    location: str | None
    ip: str | None
    mac: str | None
    manufacturer: str | None
    brand: str | None
    model: str | None
    firmware: str | None
    serial: str | None
    entity: str
    entity_id: str
    relation: str
    certainty: float
    evidence: tuple[str, ...] = ()
    listings: tuple[ListingRef, ...] = ()
    status: str = "open"
    active: bool = True  # its leading finding still needs action
    overdue: bool = False  # active, and its due date is past
    owner: str | None = None
    due_date: date | None = None
    source: str | None = None
    finding_id: str | None = None
    also: tuple[str, ...] = ()  # other restricted parties the device leads to, "name (relation)"
    asset_tag: str | None = None  # from the asset register
    custodian: str | None = None
    register_status: str | None = None  # as the register writes it ("In storage")

    def to_json(self) -> dict[str, Any]:
        return {
            "finding_id": self.finding_id,
            "site": self.site,
            "location": self.location,
            "asset_tag": self.asset_tag,
            "custodian": self.custodian,
            "register_status": self.register_status,
            "ip": self.ip,
            "mac": self.mac,
            "manufacturer": self.manufacturer,
            "brand": self.brand,
            "model": self.model,
            "firmware": self.firmware,
            "serial": self.serial,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "relation": self.relation,
            "certainty": self.certainty,
            "also": list(self.also),
            "evidence": list(self.evidence),
            "listings": [lst.to_json() for lst in self.listings],
            "status": self.status,
            "active": self.active,
            "overdue": self.overdue,
            "owner": self.owner,
            "due_date": _iso(self.due_date),
            "source": self.source,
        }


@dataclass(slots=True, frozen=True)
class SupplierRow:
    """One supplier screening hit with its explanation and the reviewer's disposition."""

    supplier: str
    status: str  # match | review
    entity: str
    entity_id: str
    matched_name: str
    score: float
    explanation: tuple[str, ...] = ()
    listings: tuple[ListingRef, ...] = ()
    disposition: str = "open"  # open | confirmed | false_positive …
    disposition_note: str | None = None
    site: str | None = None
    record: dict[str, Any] | None = None
    finding_id: str | None = None
    also: tuple[str, ...] = ()  # other restricted parties the same supplier hit
    active: bool = True  # its leading finding still needs action

    def to_json(self) -> dict[str, Any]:
        return {
            "finding_id": self.finding_id,
            "active": self.active,
            "supplier": self.supplier,
            "status": self.status,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "matched_name": self.matched_name,
            "score": self.score,
            "explanation": list(self.explanation),
            "listings": [lst.to_json() for lst in self.listings],
            "disposition": self.disposition,
            "disposition_note": self.disposition_note,
            "also": list(self.also),
            "site": self.site,
            "record": self.record,
        }


@dataclass(slots=True, frozen=True)
class SourceRef:
    """A list the registry draws on, with the date its content was taken."""

    list_id: str
    title: str
    authority: str
    url: str
    retrieved: str | None = None  # ISO date or datetime of retrieval or "as of"

    def to_json(self) -> dict[str, Any]:
        return {
            "list": self.list_id,
            "title": self.title,
            "authority": self.authority,
            "url": self.url,
            "retrieved": self.retrieved,
        }


@dataclass(slots=True, frozen=True)
class AlgorithmRef:
    """A component that decided something, and its version."""

    name: str
    version: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version}


@dataclass(slots=True, frozen=True)
class ScanRef:
    """One discovery or import run: what was looked at, when, and what it saw."""

    kind: str  # scan | identify | screen
    scope: str
    started_at: datetime | None = None
    finished_at: datetime | None = None
    site: str | None = None
    seen: int = 0
    user: str | None = None  # who ran it
    algorithm: str | None = None  # the matching engine's version its results were made with
    run_id: int | None = None  # the store's run, when saved

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "kind": self.kind,
            "scope": self.scope,
            "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at),
            "site": self.site,
            "seen": self.seen,
            "user": self.user,
            "algorithm": self.algorithm,
        }


@dataclass(slots=True)
class MethodInfo:
    """How the results were produced, for an auditor to reproduce or challenge them."""

    registry_version: str | None = None
    registry_hash: str | None = None
    sources: list[SourceRef] = field(default_factory=list)
    algorithms: list[AlgorithmRef] = field(default_factory=list)
    scans: list[ScanRef] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # skipped steps, limits, caveats

    def to_json(self) -> dict[str, Any]:
        return {
            "registry_version": self.registry_version,
            "registry_hash": self.registry_hash,
            "sources": [s.to_json() for s in self.sources],
            "algorithms": [a.to_json() for a in self.algorithms],
            "scans": [s.to_json() for s in self.scans],
            "notes": list(self.notes),
        }


@dataclass(slots=True)
class ReportData:
    """Everything one compliance report shows, for every format.

    ``findings`` are what every count is computed from (:meth:`summarise`; made from the rows,
    one finding each, when a builder gives none); ``devices`` and ``suppliers`` are the work
    lists, open items first; ``progress`` is the remediation time series from recorded history
    (oldest first).
    """

    title: str
    organisation: str
    generated_at: datetime
    sites: list[str] = field(default_factory=list)
    site_filter: str | None = None
    devices: list[DeviceRow] = field(default_factory=list)
    suppliers: list[SupplierRow] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)
    progress: list[ProgressPoint] = field(default_factory=list)
    assets_seen: int = 0
    suppliers_screened: int = 0
    method: MethodInfo = field(default_factory=MethodInfo)
    findings: list[FindingRef] = field(default_factory=list)
    scope: ScopeStatement = field(default_factory=ScopeStatement)
    sign_off: SignOff = field(default_factory=SignOff)
    # the organisation's profile the rows are ordered for (clearance.basis), when one is set
    profile: dict[str, Any] | None = None

    def _findings_of_rows(self) -> list[FindingRef]:
        refs = [
            FindingRef(
                d.finding_id,
                "device",
                d.status,
                d.status not in CLOSED,
                d.site,
                d.entity,
                tuple(dict.fromkeys(lst.list_id for lst in d.listings)),
                d.due_date,
                d.overdue,
            )
            for d in self.devices
        ]
        refs += [
            FindingRef(
                s.finding_id,
                "supplier",
                s.disposition,
                s.disposition not in CLOSED,
                s.site,
                s.entity,
                tuple(dict.fromkeys(lst.list_id for lst in s.listings)),
            )
            for s in self.suppliers
        ]
        return refs

    def summarise(self) -> ReportData:
        """Fill ``counts`` (by site, vendor, list and status) from ``findings`` (made from the
        rows when empty), and put active and overdue rows first; return self."""
        if not self.findings:
            self.findings = self._findings_of_rows()
        tally: dict[tuple[str, str], list[int]] = {}

        def add(dimension: str, key: str, index: int) -> None:
            tally.setdefault((dimension, key), [0, 0])[index] += 1

        for ref in self.findings:
            index = 0 if ref.kind == "device" else 1
            add("site", ref.site or SUPPLIERS_SITE, index)
            add("vendor", ref.entity, index)
            add("status", ref.status, index)
            for list_id in ref.lists:
                add("list", list_id, index)
        # a stable sort: the builders' order (site, location, address) within each group
        self.devices.sort(key=lambda d: (not d.active, not d.overdue))
        self.suppliers.sort(key=lambda s: not s.active)
        order = {name: i for i, name in enumerate(DIMENSIONS)}
        self.counts = [
            Count(dim, key, dev, sup)
            for (dim, key), (dev, sup) in sorted(
                tally.items(), key=lambda kv: (order[kv[0][0]], -sum(kv[1]), kv[0][1])
            )
        ]
        return self

    def counts_by(self, dimension: str) -> list[Count]:
        """The counts of one dimension, largest first."""
        return [c for c in self.counts if c.dimension == dimension]

    def devices_at(self, site: str) -> list[DeviceRow]:
        """The work list of one site."""
        return [d for d in self.devices if d.site == site]

    @property
    def device_sites(self) -> list[str]:
        """Sites with restricted devices, in the order of ``sites`` then first appearance."""
        seen = dict.fromkeys(s for s in self.sites if any(d.site == s for d in self.devices))
        for dev in self.devices:
            seen.setdefault(dev.site, None)
        return list(seen)

    @property
    def open_findings(self) -> int:
        """Findings that still need action: ``clearance findings list --active``."""
        return sum(1 for f in self.findings if f.active)

    @property
    def overdue_findings(self) -> int:
        """Active findings whose due date is past."""
        return sum(1 for f in self.findings if f.overdue)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "title": self.title,
            "organisation": self.organisation,
            "generated_at": self.generated_at.isoformat(),
            "site_filter": self.site_filter,
            "sites": list(self.sites),
            "totals": {
                "assets_seen": self.assets_seen,
                "restricted_devices": len(self.devices),
                "suppliers_screened": self.suppliers_screened,
                "supplier_hits": len(self.suppliers),
                "findings": len(self.findings),
                "open_findings": self.open_findings,
                "overdue_findings": self.overdue_findings,
            },
            "counts": [c.to_json() for c in self.counts],
            "findings": [f.to_json() for f in self.findings],
            "scope": self.scope.to_json(),
            "sign_off": self.sign_off.to_json(),
            "progress": [p.to_json() for p in self.progress],
            "devices": [d.to_json() for d in self.devices],
            "suppliers": [s.to_json() for s in self.suppliers],
            "method": self.method.to_json(),
        }
        if self.profile is not None:
            data["profile"] = self.profile
        return data
